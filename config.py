"""Configuration read from the environment.

`TRACKER_ENV` picks the class (production by default, so a forgotten setting fails closed).
Every value a deployment may change comes from an environment variable of the same name.
"""
import os
import secrets
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("TRACKER_INSTANCE", BASE_DIR / "instance"))
DEV_SECRET_FILE = INSTANCE_DIR / "dev-secret-key"


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


def _default_database_url() -> str:
    return "sqlite:///" + str(INSTANCE_DIR / "tracker.db")


# --- Serving: gunicorn.conf.py and `flask check-config` read the same numbers -------------------
def web_workers() -> int:
    """Worker processes per app server (gunicorn's own variable)."""
    return _env_int("WEB_CONCURRENCY", 1)


def web_threads() -> int:
    """Threads per worker process; each holds at most one database connection at a time."""
    return _env_int("GUNICORN_THREADS", 4)


def secret_key_problem(key: str | None) -> str | None:
    """Why `key` cannot sign production sessions, or None."""
    if not key or key.startswith("dev"):
        return ("SECRET_KEY must be set to a long random value in production "
                "(for example: python -c 'import secrets; print(secrets.token_hex(32))').")
    return None


class ConfigError(RuntimeError):
    """A setting the app refuses to start with; wsgi.py turns it into one line and exit status 1."""


class Config:
    ENV_NAME = "base"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or _default_database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # PostgreSQL connections per worker process: DB_POOL_SIZE kept open plus DB_MAX_OVERFLOW
    # on demand. Servers x workers x (both) must stay below the server's max_connections (README
    # "Running on several servers"; `flask check-config` compares them).
    DB_POOL_SIZE = _env_int("DB_POOL_SIZE", web_threads())
    DB_MAX_OVERFLOW = _env_int("DB_MAX_OVERFLOW", 2)
    DB_CONNECT_TIMEOUT = _env_int("DB_CONNECT_TIMEOUT", 5)
    EVIDENCE_DIR = os.environ.get("EVIDENCE_DIR") or str(INSTANCE_DIR / "evidence")
    EVIDENCE_MAX_BYTES = _env_int("EVIDENCE_MAX_MB", 20) * 1024 * 1024
    # Reports: XLSX/PDF files above this many rows are built in the background, into this folder.
    REPORTS_SYNC_MAX_ROWS = _env_int("REPORTS_SYNC_MAX_ROWS", 50000)
    REPORTS_DIR = os.environ.get("REPORTS_DIR") or str(INSTANCE_DIR / "exports")
    REPORTS_KEEP_HOURS = _env_int("REPORTS_KEEP_HOURS", 24)
    # Where evidence and export files are kept (tracker/filestore): "local" (the two folders above)
    # or "s3", an S3-compatible bucket shared by several app servers; credentials from AWS_*.
    # With s3 the two folders only hold files while they are being received or built.
    STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "local")
    S3_BUCKET = os.environ.get("S3_BUCKET", "")
    S3_PREFIX = os.environ.get("S3_PREFIX", "")
    S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL", "")
    # Imports: files above this size are checked and imported in the background, with a progress bar.
    IMPORT_SYNC_MAX_BYTES = _env_int("IMPORT_SYNC_MAX_MB", 2) * 1024 * 1024
    # The request limit leaves room for several files and the form around them.
    MAX_CONTENT_LENGTH = _env_int("MAX_REQUEST_MB", 100) * 1024 * 1024
    # Files staged from the incident form, per user (a phone on a flaky link retries).
    EVIDENCE_STAGE_RATE_LIMIT = os.environ.get("EVIDENCE_STAGE_RATE_LIMIT", "120 per minute")
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    SQLITE_BUSY_TIMEOUT_MS = _env_int("SQLITE_BUSY_TIMEOUT_MS", 15000)

    # Sessions: hours, not Flask's 31 days. Refreshing on each request makes the lifetime an
    # idle timeout.
    PERMANENT_SESSION_LIFETIME = timedelta(hours=_env_int("SESSION_HOURS", 12))
    SESSION_REFRESH_EACH_REQUEST = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_DURATION = PERMANENT_SESSION_LIFETIME
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # Exports and role changes ask for the password again after this many minutes.
    FRESH_LOGIN_MINUTES = _env_int("FRESH_LOGIN_MINUTES", 60)

    PASSWORD_HASH_METHOD = "scrypt"
    # Failed sign-ins (see tracker/auth/throttling.py). A station's rangers share one address:
    # the tight limit is per account and address, so one ranger's typos never block a colleague;
    # the address limit lets ten people use up their tries in the same minute (a shift change)
    # and caps a password spray at 300 guesses an hour; the lockout covers many addresses.
    LOGIN_ACCOUNT_RATE_LIMIT = os.environ.get("LOGIN_ACCOUNT_RATE_LIMIT", "3 per minute")
    LOGIN_ADDRESS_RATE_LIMIT = os.environ.get("LOGIN_ADDRESS_RATE_LIMIT", "30 per minute; 300 per hour")
    LOCKOUT_THRESHOLD = 10
    LOCKOUT_MINUTES = 15
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # Redis down: count in each process's memory (logged as a warning) rather than refuse
    # sign-ins, and never let a storage error fail a request; short timeouts so a dead Redis
    # costs a request a second at most.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
    # Requests to /api/ per token (or per signed-in user, or per address without either).
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "600 per minute")
    # An incremental pull hands back a starting point this far before the pull began, so that a
    # change committed late, or stamped by a server whose clock is a little behind, is not missed.
    API_SYNC_MARGIN_SECONDS = _env_int("API_SYNC_MARGIN_SECONDS", 120)
    # Number of reverse proxies in front of the app whose X-Forwarded-For is trusted.
    TRUSTED_PROXIES = _env_int("TRUSTED_PROXIES", 0)

    LANGUAGES = ("en", "ru", "zh", "mn")
    BABEL_DEFAULT_LOCALE = "en"
    # Times are stored in UTC and shown in the user's zone, or this one.
    BABEL_DEFAULT_TIMEZONE = os.environ.get("TIMEZONE", "Asia/Vladivostok")

    # Map tiles: empty means offline (the bundled country outline only).
    MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
    MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "")

    DEMO_USERS = False

    # Several workers and servers (`flask check-config` refuses what cannot work with them).
    WEB_WORKERS = web_workers()
    APP_SERVERS = _env_int("TRACKER_SERVERS", 1)


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    DEMO_USERS = True

    def __init__(self) -> None:
        if not self.SECRET_KEY:
            self.SECRET_KEY = _dev_secret_key()


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE

    def __init__(self) -> None:
        problem = secret_key_problem(self.SECRET_KEY)
        if problem:
            raise ConfigError(problem)


class TestConfig(Config):
    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-only-secret"
    WTF_CSRF_ENABLED = False
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1"  # cheap, tests only
    RATELIMIT_ENABLED = True
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")


def _dev_secret_key() -> str:
    """A random key kept in instance/ so development sessions survive restarts."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    if not DEV_SECRET_FILE.exists():
        DEV_SECRET_FILE.write_text(secrets.token_hex(32))
        DEV_SECRET_FILE.chmod(0o600)
    return DEV_SECRET_FILE.read_text().strip()


CONFIGS = {"development": DevelopmentConfig, "production": ProductionConfig, "test": TestConfig}


def config_from_env():
    """The config instance named by TRACKER_ENV (production when unset)."""
    name = os.environ.get("TRACKER_ENV", "production")
    try:
        return CONFIGS[name]()
    except KeyError:
        raise ConfigError(f"TRACKER_ENV must be one of {sorted(CONFIGS)}, not {name!r}") from None
