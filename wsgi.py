"""Entry point for gunicorn (`gunicorn wsgi:app`, settings in gunicorn.conf.py) and `flask --app wsgi ...`.

A setting the app refuses (no SECRET_KEY in production...) ends the process with one clear line
and exit status 1, rather than a traceback, for gunicorn and every command alike.
"""
from config import ConfigError
from tracker import create_app

try:
    app = create_app()
except ConfigError as error:
    raise SystemExit(f"configuration error: {error}") from None
