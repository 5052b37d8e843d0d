"""gunicorn settings for a small server (1 GB): `gunicorn app:app` in this folder reads this file.

Every setting can be changed with an environment variable (in the systemd unit), so this file
stays as it is in git. Command-line options (as the benchmarks use) win over this file.
"""
import os

# Behind Caddy or nginx on the same machine; they do https, static files and slow clients.
bind = os.environ.get("CPWEB_BIND", "127.0.0.1:8000")

# Sync workers: simple and predictable. Two fit in 1 GB with room for the database's page cache
# and the proxy (each worker is about 60-80 MB); more helps only with more CPU cores and memory.
workers = int(os.environ.get("CPWEB_WORKERS", "2"))
worker_class = "sync"

# A request that takes longer than this is stuck: the worker is killed and replaced. 60 s leaves
# room for a 25 MB upload the proxy has already received and a large CSV export.
timeout = int(os.environ.get("CPWEB_TIMEOUT", "60"))
graceful_timeout = 30  # on restart, running requests get this long to finish
keepalive = 5  # the proxy keeps connections open; a little longer than nothing saves handshakes

# The heartbeat file in memory, not on a slow disk (gunicorn's advice for VPSes and containers).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Recycle workers after this many requests (0 = never). cpweb has no known leak; set e.g. 2000
# if a worker's memory keeps growing.
max_requests = int(os.environ.get("CPWEB_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10

# Logs to stdout/stderr: systemd puts them in the journal. The app writes one JSON line per
# request itself (with duration and request id, without the IP address: anonymous signals stay
# anonymous), so gunicorn's own access log is off; CPWEB_ACCESSLOG=- turns it on.
accesslog = os.environ.get("CPWEB_ACCESSLOG") or None
access_log_format = '"%(r)s" %(s)s %(b)s %(M)sms id=%({x-request-id}o)s'
errorlog = "-"
loglevel = os.environ.get("CPWEB_GUNICORN_LOGLEVEL", "info")

# Which proxies may tell gunicorn the client's scheme (X-Forwarded-Proto). The app's own
# ProxyFix (CPWEB_TRUSTED_PROXIES=1) handles the client address and host.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# None of the headers gunicorn would otherwise take from those proxies as the site's place
# (SCRIPT_NAME, PATH_INFO): a visitor's own SCRIPT_NAME header, passed on by the proxy, gave a 500
# "Configuration problem" or links to /evil/... With none named here such a header (it has an
# underscore) is dropped. The site's place is its own setting, SCRIPT_NAME (cpweb/core/config.py).
forwarder_headers = ""

# No preloading: with 2 workers the memory saved is small (CPython's reference counts touch
# the shared pages, so copy-on-write shares little), while without it `systemctl reload cpweb`
# (HUP) starts new workers on new code after `git pull` without dropping a request, and no
# database connection or file can be opened before the fork and shared by mistake.
preload_app = False

# gunicorn 25+ opens a control socket in $HOME/.gunicorn; the site's user has no writable home
# under systemd (ProtectSystem=strict) and nothing here uses `gunicornc`. Older versions ignore this.
control_socket_disable = True

# Request limits: the defaults, named so nobody has to look them up.
limit_request_line = 4094
limit_request_fields = 100
