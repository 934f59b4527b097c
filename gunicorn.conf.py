"""gunicorn settings for the tracker (`gunicorn wsgi:app` reads this file from the working folder).

Every number comes from the environment, so one file serves a laptop and a park's servers:

- `WEB_CONCURRENCY` worker processes (default 1) and `GUNICORN_THREADS` threads each (default 4);
  `flask check-config` reads the same variables (config.py) to refuse SQLite or in-process rate
  limits with several workers. Each thread holds at most one database connection, so the pool per
  worker is sized from the threads (see README "Running on several servers").
- `GUNICORN_TIMEOUT` (default 300 s): a worker is killed only if it sends nothing for that long.
  Streamed exports send rows as they go, but the first row of a large filtered export can take a
  while; background exports take over past REPORTS_SYNC_MAX_ROWS.
- `GUNICORN_BIND` (default 127.0.0.1:8000): behind one reverse proxy that terminates HTTPS; set
  TRUSTED_PROXIES=1 so the app reads the client's address from X-Forwarded-For.

The app is not preloaded: each worker builds it, and so its database engine and Redis connections,
after the fork. Connections shared across a fork get their bytes interleaved by two processes.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from config import web_threads, web_workers  # noqa: E402  (the project folder is on the path now)

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = web_workers()
threads = web_threads()
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 300))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
# Idle keep-alive connections stay open this long: longer than a client's pause between requests
# (2 s reset clients mid-request under load, bench/load.py) and than a proxy's idle timeout.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 75))
preload_app = False
# A worker restarts after this many requests (with jitter, so they do not all restart at once):
# bounds slow memory growth without a visible pause.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = max_requests // 10
# The app logs every request itself (request id, user, route, status, duration); gunicorn's own
# access log would repeat it without those.
accesslog = None
errorlog = "-"
# gunicorn trusts X-Forwarded-Proto only from these addresses; the app's ProxyFix does the rest.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_fork(server, worker):
    """If someone turns preload_app on, drop the engine's connections inherited from the master
    (without closing them, which would close the master's sockets), so each worker opens its own."""
    wsgi = sys.modules.get("wsgi")
    if wsgi is not None:
        from tracker.extensions import db

        with wsgi.app.app_context():
            db.engine.dispose(close=False)
