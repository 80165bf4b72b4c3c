"""Settings for the treatment directory.

Everything that differs between a laptop, CI and production comes from the environment, read
through the small typed helpers below so that a bad value stops the process at start-up instead
of surfacing later. Every variable is listed in the README's table.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from directory.headers import static_security_headers

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}")
    return number


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

# Required unless DEBUG, but only where something is signed: commands that sign nothing
# (migrate, makemigrations, check, import_samhsa) run without it, Django refuses any use of an
# empty key, and directory/wsgi.py and asgi.py refuse to serve without one.
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "development-only-key-never-used-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "django_htmx",
    "axes",
    "centers",
    "helplines",
    # The project package: site-wide commands (load_demo) that span both apps.
    "directory",
]

# Every form renders through one accessible field template (see directory/forms.py).
FORM_RENDERER = "directory.forms.SiteFormRenderer"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise, which answers static files itself from precompressed copies; above
    # everything that writes the body. Django pads every gzip header with 0-99 random bytes
    # (the "Heal the BREACH" mitigation, since 4.2), and no shared page carries a secret.
    # Ours keeps that padding and compresses pages at a cheaper level (directory.middleware).
    "directory.middleware.PageGZipMiddleware",
    # Outside the session, CSRF and messages middleware, so that it sees every cookie they set.
    "directory.middleware.SharedCacheMiddleware",
    "directory.middleware.PrimaryForWritesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "directory.middleware.LanguageFromPathMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "directory.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes requires: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# django-axes' backend first: it refuses a locked-out account or client before any password
# is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Center managers sign in with a link we email them (django-sesame), never a password.
    "centers.portal.backends.ManagerLinkBackend",
]

ROOT_URLCONF = "directory.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "helplines.context_processors.helplines",
            ],
        },
    },
]

WSGI_APPLICATION = "directory.wsgi.application"

# PostgreSQL in production and CI; an SQLite file (git-ignored) when DATABASE_URL is unset, so
# that `make demo` needs nothing installed.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several request threads share the demo file: wait for a lock instead of failing.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}

# PostgreSQL plans a statement anew each time it is sent with its values written in (Django's
# default). Sent with its values apart, a statement a connection has run a few times is kept
# prepared and planned once (psycopg's prepare_threshold): the center page's three reads took
# 3.5 ms, and 1.5 ms prepared. A pooler that hands one session's prepared statements to another
# session (PgBouncer in transaction mode before 1.21) needs this off.
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", True)
PREPARED_STATEMENT_OPTIONS = {"server_side_binding": True, "prepare_threshold": 5}

# A PostgreSQL read replica for catalog reads (directory.routers); unset, one database does all.
# In tests the replica is the test database itself (MIRROR), so both aliases see the same rows.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
for database in DATABASES.values():
    if database["ENGINE"] == "django.db.backends.postgresql" and DATABASE_PREPARED_STATEMENTS:
        database.setdefault("OPTIONS", {}).update(PREPARED_STATEMENT_OPTIONS)
# Inactive (every answer None) while DATABASE_REPLICA_URL is unset.
DATABASE_ROUTERS = ["directory.routers.CatalogReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# English at today's URLs, Spanish under /es/ (directory/urls.py). The URL alone picks the
# language (directory.middleware.LanguageFromPathMiddleware): no Accept-Language guessing.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Spanish numbers and dates as US readers write them (directory/formats/es/formats.py).
FORMAT_MODULE_PATH = ["directory.formats"]
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT")) if env_str("STATIC_ROOT") else BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Security headers. The site loads nothing from any other origin, ever: no CDN, no web fonts,
# no analytics, no pixels. The policy below makes the browser enforce that promise.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)

# --- Cache, client addresses and login throttling ----------------------------------------------

# Redis, shared by every process, when REDIS_URL is set (local memory, per process, otherwise).
# The cache only ever holds what can be recomputed or restarted (facet counts, rate-limit
# counts), so a Redis outage must not become an outage of the site: django-redis turns a
# connection error into a cache miss and logs it, the listing then computes its counts, and the
# callback limit falls back to counting in each process (helplines.services.callbacks). Short
# socket timeouts keep an unreachable Redis from holding requests. /healthz reports the cache.
REDIS_URL = env_str("REDIS_URL")
CACHES_REDIS_OPTIONS = {
    "IGNORE_EXCEPTIONS": True,
    "SOCKET_CONNECT_TIMEOUT": 0.5,
    "SOCKET_TIMEOUT": 0.5,
}
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": CACHES_REDIS_OPTIONS,
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# Counters that guard something (login failures) must not read as zero while Redis is down:
# this alias falls back to each process's memory instead (directory.caches).
CACHES["throttle"] = (
    {
        "BACKEND": "directory.caches.FailSafeRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "throttle",
        "OPTIONS": {
            key: value for key, value in CACHES_REDIS_OPTIONS.items() if key != "IGNORE_EXCEPTIONS"
        },
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"}
)
# Rendered pieces of listing cards, in each process's memory: they are read twenty at a time
# per listing, faster than a round trip to Redis, and keyed by the catalog version so that
# they are never stale (centers.catalog_index). About 1.5 KB each; the oldest third goes when full.
CACHES["fragments"] = {
    # Held as they are, not pickled: stencils are never changed once drawn.
    "BACKEND": "directory.caches.KeptObjectsCache",
    "LOCATION": "fragments",
    "TIMEOUT": 3600,
    "OPTIONS": {
        "MAX_ENTRIES": env_int("CARD_CACHE_ENTRIES", 20_000, minimum=0),
        "CULL_FREQUENCY": 3,
    },
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# --- Admin login throttling (django-axes) ------------------------------------------------------

# Five wrong passwords on one account, or from one client, lock both out; each further attempt
# doubles the wait (directory.login_throttle). Counted in the shared cache, so every worker
# sees the same count; the client is the address our trusted proxies vouch for.
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_CACHE = "throttle"
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = "directory.login_throttle.cool_off"
AXES_CLIENT_IP_CALLABLE = "directory.clients.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "directory.login_throttle.lockout_response"
AXES_ENABLE_ADMIN = False
# The cache handler keeps nothing in the database; a per-login access log there would grow
# without limit and add nothing the logs do not say.
AXES_DISABLE_ACCESS_LOG = True
# Without REDIS_URL the counts are per process (like every other limit): `check --deploy`
# already warns that a multi-process deployment needs REDIS_URL.
SILENCED_SYSTEM_CHECKS = [] if REDIS_URL else ["axes.W001"]

# Proxies in front of the site that each append the address they saw to X-Forwarded-For: the
# client's address is the entry that many hops from the right (directory.clients). 0 ignores the
# header, which a client can write freely.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if BEHIND_TLS_PROXY else 0)

# How long a CDN or browser may reuse an anonymous public page (directory.middleware), and how
# long a CDN may go on serving it while it fetches a fresh copy.
PUBLIC_PAGE_MAX_AGE = env_int("PUBLIC_PAGE_MAX_AGE", 60)
PUBLIC_PAGE_STALE_SECONDS = env_int("PUBLIC_PAGE_STALE_SECONDS", 300)
# How long each process shows the general helplines it read before reading them again
# (helplines.context_processors): a change an admin makes shows at once in the process that
# saved it and within this many seconds in the others, well within a public page's CDN life.
# 0 reads them for every page.
SITE_NUMBERS_SECONDS = env_int("SITE_NUMBERS_SECONDS", 10, minimum=0)

# A form posted without its token (scripts off, so the page's token never arrived) from one of
# our own pages gets a page that asks to send it again, with a token (directory.views).
CSRF_FAILURE_VIEW = "directory.views.csrf_failure"

# --- Static files' headers ---------------------------------------------------------------------

# WhiteNoise answers static files before Django's middleware runs: give them the same headers.
WHITENOISE_ADD_HEADERS_FUNCTION = static_security_headers
# Files browsers ask for at the site's root by name (favicon.ico), served as they are.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# --- The directory ---------------------------------------------------------------------------

# Listing page size: small enough for a phone on a poor connection.
CENTERS_PER_PAGE = env_int("CENTERS_PER_PAGE", 20, minimum=1)

# --- Email -------------------------------------------------------------------------------------

# Django's mailers: printed to the console in development (the test runner swaps in its
# in-memory outbox), SMTP otherwise.
_EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {"default": {"BACKEND": _EMAIL_BACKEND}}
if _EMAIL_BACKEND.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25, minimum=1),
        "username": env_str("EMAIL_HOST_USER"),
        "password": env_str("EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "timeout": env_int("EMAIL_TIMEOUT", 10, minimum=1),
    }
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Treatment Directory <noreply@localhost>")
# Who is told when an advertiser is paused (and of server errors): comma-separated addresses.
ADMINS = env_list("ADMINS")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Who hears about every new problem report: the editors' shared address(es), comma-separated.
EDITORS_EMAIL = env_list("EDITORS_EMAIL", "editors@localhost" if DEBUG else "")
# A reporter's email is erased once they are told the outcome; a report still open this many
# days later loses it anyway (purge_report_emails).
REPORT_EMAIL_RETENTION_DAYS = env_int("REPORT_EMAIL_RETENTION_DAYS", 180, minimum=1)

# --- Helplines and calls ---------------------------------------------------------------------

# Twilio signs every webhook with the account's auth token; requests that do not verify get 403.
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN", "test-twilio-auth-token" if DEBUG else "")
# Caller numbers are kept only as HMAC-SHA256 digests under this key, never in the clear.
CALLER_HASH_KEY = env_str("CALLER_HASH_KEY", SECRET_KEY)
# Where a general call goes when no advertiser can take it: the SAMHSA National Helpline.
HELPLINE_FALLBACK_NUMBER = env_str("HELPLINE_FALLBACK_NUMBER", "+18006624357")
# Seconds an advertiser's phone rings before the call moves on.
HELPLINE_DIAL_TIMEOUT = env_int("HELPLINE_DIAL_TIMEOUT", 20, minimum=5)
# Twilio's answering-machine detection on each advertiser's <Number>: a machine is hung up on
# at once instead of timing out on "press 1". Off by default (it adds a few seconds of silence
# for the person answering, and pressing 1 already keeps voicemail out); Twilio bills it.
HELPLINE_MACHINE_DETECTION = env_bool("HELPLINE_MACHINE_DETECTION", False)
# An advertiser that stops taking calls is paused (routing skips it) for a cool-off period:
# after this many calls in a row not accepted (0: never for that reason), ...
HELPLINE_PAUSE_AFTER_MISSES = env_int("HELPLINE_PAUSE_AFTER_MISSES", 5)
# ... or when it accepted fewer than this percentage of the calls offered in the last hour
# (0: never for that reason), counted once at least HELPLINE_PAUSE_MIN_OFFERS were offered.
HELPLINE_PAUSE_BELOW_PERCENT = env_int("HELPLINE_PAUSE_BELOW_PERCENT", 50)
HELPLINE_PAUSE_MIN_OFFERS = env_int("HELPLINE_PAUSE_MIN_OFFERS", 10, minimum=1)
HELPLINE_PAUSE_MINUTES = env_int("HELPLINE_PAUSE_MINUTES", 30, minimum=1)
# After this many days a call keeps only its figures: purge_calls deletes the caller hash,
# Twilio's call ids, the times of day and the lengths.
CALL_DETAIL_RETENTION_DAYS = env_int("CALL_DETAIL_RETENTION_DAYS", 90, minimum=1)
# How long the public call statistics are reused before being counted again.
CALL_STATISTICS_CACHE_SECONDS = env_int("CALL_STATISTICS_CACHE_SECONDS", 300)

# --- Callbacks -------------------------------------------------------------------------------

# Callback requests hold a phone number: they are deleted this many days after they were made.
CALLBACK_RETENTION_DAYS = env_int("CALLBACK_RETENTION_DAYS", 30, minimum=1)

# --- Email -----------------------------------------------------------------------------------

# Sign-in links and reminders for center managers, problem reports. Printed to the console in
# development; through the SMTP server EMAIL_HOST otherwise (Django 6.1's MAILERS; tests swap
# in the locmem backend).
_email_host = env_str("EMAIL_HOST")
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": _email_host,
            "port": env_int("EMAIL_PORT", 587, minimum=1),
            "username": env_str("EMAIL_HOST_USER"),
            "password": env_str("EMAIL_HOST_PASSWORD"),
            "use_tls": env_bool("EMAIL_USE_TLS", True),
            "timeout": env_int("EMAIL_TIMEOUT", 10, minimum=1),
        },
    }
    if _email_host
    else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Treatment Directory <listings@localhost>")
# The site's own address, for links in emails sent with no request at hand (the monthly
# reminder run from cron).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")

# --- Center managers -------------------------------------------------------------------------

# A claim is proven by a call to the phone already on the listing, placed through Twilio's REST
# API from this account and caller id (a number the account owns, E.164).
TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID")
CLAIM_CALLER_ID = env_str("CLAIM_CALLER_ID")
# Twilio's REST API; tests point it at a local fake server.
TWILIO_API_BASE_URL = env_str("TWILIO_API_BASE_URL", "https://api.twilio.com").rstrip("/")
# Sign-in links (django-sesame) work once, for this many minutes.
SESAME_MAX_AGE = 60 * env_int("SIGN_IN_LINK_MINUTES", 30, minimum=1)
SESAME_ONE_TIME = True
SESAME_TOKENS = ["sesame.tokens_v2"]
LOGIN_URL = "portal:sign-in"
