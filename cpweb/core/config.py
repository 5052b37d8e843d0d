"""Defaults only. Secrets and local choices go in instance/config.py or CPWEB_* variables."""
from datetime import timedelta

SITE_NAME = "Cliëntenplatform Werkplein"
# The address members use. Every link in a mail, a calendar feed or a poster starts with it, and
# requests for another host get a 400 page (TRUSTED_HOSTS: its host, localhost and 127.0.0.1).
SITE_URL = "http://127.0.0.1:5000"
CONTACT_EMAIL = "secretariaat@example.org"

# SQLALCHEMY_DATABASE_URI is set by the factory (SQLite in the instance folder) unless
# CPWEB_DATABASE_URL or instance/config.py names another database.
SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

BABEL_DEFAULT_LOCALE = "nl"
BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
LANGUAGES = ("nl", "en")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Secure is added per request when it arrives over https (see cpweb.web.security).
SESSION_COOKIE_SECURE = False
PERMANENT_SESSION_LIFETIME = timedelta(days=14)

# Werkzeug's scrypt. Tests use a fast method; never lower this in production.
PASSWORD_HASH_METHOD = "scrypt"

WTF_CSRF_TIME_LIMIT = None  # a form left open all afternoon must still submit
MAX_CONTENT_LENGTH = 25 * 1024 * 1024

# Limits are counted in the site's own database, so all workers share them and a restart keeps
# them (cpweb.core.ratelimit); a redis:// URI works too, with the `redis` package installed.
RATELIMIT_STORAGE_URI = "database://"
RATELIMIT_HEADERS_ENABLED = False
# Said here, not left to Flask-Limiter: without it the limiter keeps the choice of the last app it
# was set up for, so an app made after one with limits off (a load test's) had them off too.
RATELIMIT_ENABLED = True
# Wrong passwords and codes from one IP address, for all accounts together. Kept high: an office
# or a proxy shares one address, and one person's typing must not lock out the others.
LOGIN_RATE_LIMIT = "100 per 15 minutes"
# Per account (the e-mail address typed, known or not): the first wrong tries cost nothing; after
# LOGIN_FREE_FAILURES each next try waits, LOGIN_FIRST_WAIT and then twice as long each time; after
# LOGIN_LOCK_AFTER the account waits LOGIN_LOCK_TIME and its owner gets an e-mail. Counted over
# LOGIN_FAILURE_WINDOW; logging in clears the count.
LOGIN_FREE_FAILURES = 5
LOGIN_FIRST_WAIT = timedelta(seconds=15)
LOGIN_LOCK_AFTER = 10
LOGIN_LOCK_TIME = timedelta(minutes=15)
LOGIN_FAILURE_WINDOW = timedelta(hours=24)

# Members with these roles (User.role) must use a second factor; others may. A JSON list in
# CPWEB_TWO_FACTOR_ROLES; [] switches the requirement off.
TWO_FACTOR_ROLES = ["beheerder", "secretaris"]
# How long a typed password counts for changing the second factor without typing it again.
REAUTHENTICATION_MAX_AGE = timedelta(minutes=15)
# The path the site lives under when it is not the domain's root (e.g. "/raad"; the proxy then
# passes requests on without it). Only this setting counts: a SCRIPT_NAME from a request's header
# or the server is ignored (cpweb.web.security.FixedScriptName).
SCRIPT_NAME = ""
# How long the key shown while setting up the app waits for its first right code; then a new one.
TWO_FACTOR_SETUP_TIME = timedelta(minutes=15)

# Mail: "console" writes to the log, "smtp" sends, "memory" keeps mails for tests.
MAIL_BACKEND = "console"
MAIL_SERVER = "localhost"
MAIL_PORT = 587
MAIL_USE_TLS = True
MAIL_USERNAME = None
MAIL_PASSWORD = None
MAIL_FROM = "no-reply@example.org"  # the address; the sender's name is SITE_NAME
MAIL_TIMEOUT_SECONDS = 10  # per step of the talk with the mail server
# Every mail is first a row in the outbox, saved with the change that causes it; it is sent right
# after (in the background), and `cpweb cron` tries again what failed: after 5, 10, 20 ... minutes
# (at most MAIL_RETRY_MAX_MINUTES apart), until MAIL_GIVE_UP_HOURS after the first failure, when
# the admins get a notice. False: only `cpweb cron` and `cpweb send-mail` send.
MAIL_SEND_AT_ONCE = True
MAIL_RETRY_FIRST_MINUTES = 5
MAIL_RETRY_MAX_MINUTES = 240
MAIL_GIVE_UP_HOURS = 48
# A mail marked "being sent" this long belongs to a sender that stopped halfway: it is sent again
# (with the same Message-ID). Keep it well above MAIL_TIMEOUT_SECONDS.
MAIL_CLAIM_TIMEOUT_MINUTES = 10
MAIL_RETENTION_DAYS = 7  # sent and given-up mails (addresses and texts) are purged after this
# Exact "host:port" pairs that a followed source may be on although the address is not public (a
# test's server on 127.0.0.1); a JSON list. Nothing else skips the checks of cpweb.following.fetch.
FEDERATION_ALLOW_HOSTS: list[str] = []
HEALTH_MAX_MAIL_AGE_MINUTES = 60  # /healthz fails when a mail has waited longer
HEALTH_MAX_MAIL_RETRY_MINUTES = 20  # /healthz fails when a mail has been failing this long (after its first try)

INVITATION_MAX_AGE = timedelta(days=7)
PASSWORD_RESET_MAX_AGE = timedelta(hours=24)
# Invitations nobody accepted, and the audit log, are personal data with an end date.
UNUSED_INVITATION_RETENTION = timedelta(days=30)
AUDIT_RETENTION = timedelta(days=2 * 365)

PER_PAGE = 25

# The guest home and the statements: kept per worker this long (cpweb.web.guest_pages); 0 = off.
GUEST_PAGE_SECONDS = 30

# Signals: the public form's spam check, and how long personal data is kept.
SIGNAL_MIN_FILL_SECONDS = 3
SIGNAL_RATE_LIMIT = "10 per hour"
SIGNAL_MAX_BYTES = 64 * 1024  # the public form's whole request: far more than its longest text
SIGNAL_CONTACT_RETENTION_MONTHS = 3  # after the signal is closed
SIGNAL_CANCELLED_RETENTION_DAYS = 365

# Meetings and the calendar.
CALENDAR_UID_DOMAIN = "cpweb.example.org"  # the part after @ in each event's UID; never change it later
MEETING_DOCUMENTS_DAYS = 7  # default for a body: stukken out this many days before a meeting
MEETING_REMINDER_DAYS = 2
MEETING_MESSAGE_RETENTION_DAYS = 90  # a member's note with "afwezig" (may be about health)
ACTIVITY_GUEST_RETENTION_DAYS = 31  # guests' names and addresses, after the activity
PROPOSAL_REMINDER_HOURS = 24  # the one reminder to members who have not answered, this long before closing
PROPOSAL_ANSWER_RETENTION_DAYS = 365  # after closing; then answers keep no name and no remark, only what they were
ADVICE_RESPONSE_WEEKS = 6  # an addressee owes a reasoned response; after this, the dossier asks for attention

# Documents: the largest file members may upload, and how long reading a file's text may take.
DOCUMENT_MAX_BYTES = 25 * 1024 * 1024
DOCUMENT_EXTRACT_SECONDS = 10

# Where uploaded files are kept (cpweb.core.filestore): "" is the instance folder (instance/uploads);
# "s3://bucket/prefix" an S3-compatible object store, so that more than one app server can serve
# the site. S3_ENDPOINT_URL names the store (empty: Amazon's own); the key may also come the ways
# boto3 looks for one (AWS_* variables, a role) when these are empty. `cpweb storage migrate`
# copies an existing site's files there.
STORAGE_URL = ""
S3_ENDPOINT_URL = ""
S3_REGION = ""
S3_ACCESS_KEY_ID = ""
S3_SECRET_ACCESS_KEY = ""
# Downloads as a link to the store itself, valid for a minute (the check of who may see the file
# comes first), instead of through the app; the store must then be reachable from the browsers.
S3_PRESIGNED_DOWNLOADS = False

# Running it: logs are JSON lines on stdout; /healthz fails below this much free disk space.
LOG_LEVEL = "INFO"
HEALTH_MIN_FREE_MB = 200
