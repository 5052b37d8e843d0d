"""Running the site: /healthz for uptime monitors, request logging, backups (`cpweb backup`)."""
from flask import Blueprint

bp = Blueprint("ops", __name__)
