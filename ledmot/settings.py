"""LedMot settings, configured entirely from the environment.

The defaults make ``make demo`` and ``make test`` work with no set-up (DEBUG on,
an SQLite file under ``var/``). Production sets ``DEBUG=0``, ``SECRET_KEY``,
``ALLOWED_HOSTS`` and ``DATABASE_URL``; ``manage.py check --deploy`` is then clean.
"""

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from ledmot.lib.env import (
    env_bool,
    env_choice,
    env_decimal,
    env_int,
    env_list,
    env_mapping,
    env_parsed,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)

_DEV_SECRET = "dev-only-insecure-secret-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "ledmot",
    "goals",
    "followup",
    "priorities",
    "portal",
    "economy",
    "control",
    "steering",
    "api",
    # On top of every app; nothing imports it.
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ledmot.middleware.SwedishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Signed-in responses are never cached (shared computers).
    "ledmot.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Must be last: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ledmot.urls"
WSGI_APPLICATION = "ledmot.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "ledmot.context_processors.municipality",
            ],
        },
    },
]

# Seconds a worker keeps its database connection (production: 60, see the README);
# with it, the health check makes a connection lost meanwhile (PostgreSQL restarted)
# a new one at the next request instead of that request's error.
_CONN_MAX_AGE = env_int("CONN_MAX_AGE", 0)
_CONN_HEALTH_CHECKS = env_bool("CONN_HEALTH_CHECKS", True)
DATABASES = {
    "default": env_parsed(
        "DATABASE_URL",
        f"sqlite:///{BASE_DIR / 'var' / 'ledmot.sqlite3'}",
        lambda url: dj_database_url.parse(
            url, conn_max_age=_CONN_MAX_AGE, conn_health_checks=_CONN_HEALTH_CHECKS
        ),
        "a database URL such as postgres://user@host:5432/name",
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo server read while a background job writes. With a new connection
    # per request (CONN_MAX_AGE 0), each request starts with an empty page cache: memory
    # mapping the file lets it read the pages it needs without a system call per page.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command",
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA mmap_size=1073741824;",
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles a query once its estimated cost passes jit_above_cost:
    # the structure analysis at a large municipality's size (and the chain near five
    # times that) spent seconds compiling queries that run in milliseconds. LedMot's
    # queries are short ones a person waits for, never long analytics: JIT off.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend that honours LEDMOT_LOCAL_LOGIN (ledmot/signin.py).
    "ledmot.signin.PasswordBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "goals:chain"
LOGOUT_REDIRECT_URL = "login"

# Repeated failed logins lock the account for a cool-off period, not forever.
# Counted for a user name at one address, and for a user name across addresses with
# a higher limit (ledmot/lockout.py); never for an address alone, which behind a
# reverse proxy is everyone's address.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LEDMOT_LOGIN_USER_FAILURE_LIMIT = env_int("LOGIN_USER_FAILURE_LIMIT", 20, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_HANDLER = "ledmot.lockout.LockoutHandler"
# The client's address: REMOTE_ADDR, or with this many trusted reverse proxies in
# front of LedMot, the address they recorded in X-Forwarded-For (ledmot/lockout.py).
LEDMOT_TRUSTED_PROXIES = env_int("LEDMOT_TRUSTED_PROXIES", 0)
AXES_CLIENT_IP_CALLABLE = "ledmot.lockout.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLED = env_bool("LOGIN_LOCKOUT_ENABLED", True)

# Successful sign-ins (who, when, address, browser) are kept in axes' access log, failed
# ones in its failure log: the security events of ledmot/signin.py.
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# Single sign-on over OpenID Connect (ledmot/oidc.py), off unless LEDMOT_OIDC_ISSUER is
# set. The provider's endpoints come from its discovery document
# (<issuer>/.well-known/openid-configuration, or LEDMOT_OIDC_DISCOVERY_URL), read at
# the first sign-in, not at start-up. Users are matched on LEDMOT_OIDC_USER_CLAIM
# (Entra ID: oid), stored with the issuer on ledmot.ExternalIdentity, never on e-mail.
LEDMOT_OIDC_ISSUER = env_str("LEDMOT_OIDC_ISSUER", "", pattern=r"https?://\S+").rstrip("/")
LEDMOT_OIDC_DISCOVERY_URL = env_str("LEDMOT_OIDC_DISCOVERY_URL", "", pattern=r"https?://\S+")
LEDMOT_OIDC_USER_CLAIM = env_str("LEDMOT_OIDC_USER_CLAIM", "sub", pattern=r"[\w.:-]+")
# The claim listing the person's groups, and which role on which unit (by its code)
# each group gives: "group=role@CODE" items, several roles for a group with ";".
LEDMOT_OIDC_GROUPS_CLAIM = env_str("LEDMOT_OIDC_GROUPS_CLAIM", "groups", pattern=r"[\w.:-]+")
_ROLE_AT_UNIT = r"(reader|editor|approver|controller|admin)@[^;@\s]+"
LEDMOT_OIDC_GROUP_ROLES = {
    group: value.split(";") for group, value in env_mapping("LEDMOT_OIDC_GROUP_ROLES", {}).items()
}
for _group, _roles in LEDMOT_OIDC_GROUP_ROLES.items():
    for _role in _roles:
        if not re.fullmatch(_ROLE_AT_UNIT, _role):
            raise ImproperlyConfigured(
                f"LEDMOT_OIDC_GROUP_ROLES: {_group}={_role!r} must be role@unit-code, "
                f"the role one of reader, editor, approver, controller, admin"
            )
# The text of the sign-in button.
LEDMOT_OIDC_LABEL = env_str("LEDMOT_OIDC_LABEL", "Logga in med kommunens konto")
# mozilla-django-oidc's own settings.
OIDC_RP_CLIENT_ID = env_str("LEDMOT_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("LEDMOT_OIDC_CLIENT_SECRET", "")
OIDC_RP_SCOPES = env_str("LEDMOT_OIDC_SCOPES", "openid profile email")
OIDC_RP_SIGN_ALGO = env_choice("LEDMOT_OIDC_SIGN_ALGO", "RS256", ["RS256", "ES256", "PS256"])
OIDC_TIMEOUT = env_int("LEDMOT_OIDC_TIMEOUT", 10, minimum=1)
OIDC_USE_PKCE = True
# Kept for the provider's sign-out (id_token_hint).
OIDC_STORE_ID_TOKEN = True
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_callback"
OIDC_CREATE_USER = True
if LEDMOT_OIDC_ISSUER:
    if not (OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET):
        raise ImproperlyConfigured(
            "LEDMOT_OIDC_ISSUER is set: LEDMOT_OIDC_CLIENT_ID and LEDMOT_OIDC_CLIENT_SECRET "
            "must be set too."
        )
    if not DEBUG and not LEDMOT_OIDC_ISSUER.startswith("https://"):
        raise ImproperlyConfigured("LEDMOT_OIDC_ISSUER must be an https:// address when DEBUG=0")
    if "openid" not in OIDC_RP_SCOPES.split():
        raise ImproperlyConfigured("LEDMOT_OIDC_SCOPES must include openid")
    AUTHENTICATION_BACKENDS.append("ledmot.oidc.Backend")

# LEDMOT_LOCAL_LOGIN=0 switches sign-in with a LedMot password off for everyone but the
# break-glass accounts named in LEDMOT_BREAK_GLASS_USERS (for when the identity
# provider is down); it needs single sign-on, or no one could sign in.
LEDMOT_LOCAL_LOGIN = env_bool("LEDMOT_LOCAL_LOGIN", True)

# The public portal at /oppen/ and its open data (portal/); off: every address answers 404.
LEDMOT_PUBLIC_PORTAL = env_bool("LEDMOT_PUBLIC_PORTAL", True)
LEDMOT_BREAK_GLASS_USERS = env_list("LEDMOT_BREAK_GLASS_USERS", [])
if not LEDMOT_LOCAL_LOGIN and not LEDMOT_OIDC_ISSUER:
    raise ImproperlyConfigured("LEDMOT_LOCAL_LOGIN=0 needs single sign-on (LEDMOT_OIDC_ISSUER).")

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("Engelska"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
# Off: it would put spaces into years and ids. Amounts are formatted explicitly.
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "media/"

# Background work (report PDFs, large imports) through Django's task interface
# (django-tasks). "database": tasks are stored in the database and run by
# ``manage.py db_worker``; "immediate": run at once in the request (the tests).
# Development defaults to immediate, production to the database; ``make demo`` runs
# the database backend with a worker beside the server, so progress shows.
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS_BACKEND = env_choice("TASKS_BACKEND", "immediate" if DEBUG else "database", _TASK_BACKENDS)
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}

# Strict Content Security Policy: no inline scripts or styles anywhere.
_OIDC_ORIGIN = (
    [re.match(r"https?://[^/]+", LEDMOT_OIDC_ISSUER).group(0)] if LEDMOT_OIDC_ISSUER else []
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        # Signing out sends the form on to the identity provider's end_session_endpoint.
        "form-action": [SELF, *_OIDC_ORIGIN],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, read with raw SQL on every request (ledmot/sessions.py).
SESSION_ENGINE = "ledmot.sessions"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 10)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ledmot@localhost")
# The contact point named in the open data catalogue (DCAT-AP-SE) of the public portal.
LEDMOT_PORTAL_CONTACT_EMAIL = env_str("LEDMOT_PORTAL_CONTACT_EMAIL", DEFAULT_FROM_EMAIL)

SIMPLE_HISTORY_REVERT_DISABLED = True

_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_choice("LOG_LEVEL", "WARNING", _LOG_LEVELS)},
}

# LedMot's own settings.
LEDMOT_MUNICIPALITY_NAME = env_str("LEDMOT_MUNICIPALITY_NAME", "Åsbacka kommun")
# Days ahead that count as "due soon" on the unit page.
LEDMOT_DUE_SOON_DAYS = env_int("LEDMOT_DUE_SOON_DAYS", 30)
# Målstrukturanalys warns when a committee has more goals than this ("för många mål").
LEDMOT_MAX_COMMITTEE_GOALS = env_int("LEDMOT_MAX_COMMITTEE_GOALS", 8)
# seed_demo/seed_scale wipe the organisation and every goal: allowed by default only
# in development (DEBUG on), never by accident against a production database.
LEDMOT_ALLOW_DEMO_SEED = env_bool("LEDMOT_ALLOW_DEMO_SEED", DEBUG)
# Proposed fulfilment: how far from the target still counts as "delvis uppfyllt"
# (a share of the target, see goals/fulfilment.py).
LEDMOT_FULFILMENT_TOLERANCE = env_decimal(
    "LEDMOT_FULFILMENT_TOLERANCE", "0.10", minimum=Decimal(0), maximum=Decimal(1)
)
# Kolada: the municipality's own code (four digits, leading zero kept) and the
# municipalities or groups it compares itself with ("0000" is the whole country).
LEDMOT_KOLADA_MUNICIPALITY = env_str("LEDMOT_KOLADA_MUNICIPALITY", "0583", pattern=r"\d{1,4}")
LEDMOT_KOLADA_COMPARE = env_list(
    "LEDMOT_KOLADA_COMPARE", ["0580", "0581", "0584", "0000"], pattern=r"\d{1,4}"
)
LEDMOT_KOLADA_API = env_str("LEDMOT_KOLADA_API", "https://api.kolada.se/v3")
# A period's value is due this many days after the period ends; after that an
# indicator without it is shown as stale.
LEDMOT_RESULT_DEADLINE_DAYS = env_int("LEDMOT_RESULT_DEADLINE_DAYS", 60)
# Names shown for the Kolada comparison codes: "0580=Linköping,0581=Norrköping".
LEDMOT_KOLADA_NAMES = env_mapping(
    "LEDMOT_KOLADA_NAMES",
    {"0580": "Linköping", "0581": "Norrköping", "0584": "Vadstena", "0000": "Riket"},
)
# Reminders (manage.py send_reminders): days before the deadline, and how often a late
# report is reminded again.
LEDMOT_REMINDER_DAYS_BEFORE = env_int("LEDMOT_REMINDER_DAYS_BEFORE", 5)
# Steering documents: the owner is mailed this many days before a review date, and the
# register lists the documents whose review date falls within it as due for review.
LEDMOT_STEERING_REVIEW_DAYS_BEFORE = env_int("LEDMOT_STEERING_REVIEW_DAYS_BEFORE", 60)
LEDMOT_REMINDER_LATE_EVERY_DAYS = env_int("LEDMOT_REMINDER_LATE_EVERY_DAYS", 7)
LEDMOT_BASE_URL = env_str("LEDMOT_BASE_URL", "http://127.0.0.1:8000", pattern=r"https?://\S+")
# The source code of the LedMot that runs here, linked in every page's footer (the AGPL
# asks that users of a network service be offered it): a municipality that runs its own
# fork sets the address of that fork.
LEDMOT_SOURCE_URL = env_str(
    "LEDMOT_SOURCE_URL", "https://github.com/ledmot/ledmot", pattern=r"https?://\S+"
)
# Report covers: the municipality's logo (a path to an SVG, PNG or JPEG file on the
# server); LedMot's own mark when empty.
LEDMOT_REPORT_LOGO = env_str("LEDMOT_REPORT_LOGO", "")
# Excel import (goals/workbook): the upload's size, data rows in all sheets, and the
# zip checks made before openpyxl opens the file (members, total uncompressed size,
# compression ratio); uploads with more rows than LEDMOT_IMPORT_BACKGROUND_ROWS run
# as a background job.
LEDMOT_IMPORT_MAX_BYTES = env_int("LEDMOT_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
LEDMOT_IMPORT_MAX_ROWS = env_int("LEDMOT_IMPORT_MAX_ROWS", 50_000)
LEDMOT_IMPORT_MAX_MEMBERS = env_int("LEDMOT_IMPORT_MAX_MEMBERS", 500)
LEDMOT_IMPORT_MAX_UNCOMPRESSED = env_int("LEDMOT_IMPORT_MAX_UNCOMPRESSED", 300 * 1024 * 1024)
LEDMOT_IMPORT_MAX_RATIO = env_int("LEDMOT_IMPORT_MAX_RATIO", 100)
LEDMOT_IMPORT_BACKGROUND_ROWS = env_int("LEDMOT_IMPORT_BACKGROUND_ROWS", 2_000)
# Rows written in one go (an import, a Kolada sync) after which the database's planner
# statistics are refreshed (ANALYZE, see ledmot/lib/db.py).
LEDMOT_ANALYZE_ROWS = env_int("LEDMOT_ANALYZE_ROWS", 1_000)
# Python's garbage collector: objects allocated before a first-generation collection
# (see ledmot/apps.py); 0 keeps Python's default (700).
LEDMOT_GC_THRESHOLD = env_int("LEDMOT_GC_THRESHOLD", 20_000)
