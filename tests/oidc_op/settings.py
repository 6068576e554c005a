"""Settings of the test provider; its port, database and client come from the
environment set by ``serve.py``'s caller."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
PORT = os.environ["OP_PORT"]

DEBUG = False
SECRET_KEY = "test-provider-only-not-a-secret"
ALLOWED_HOSTS = ["127.0.0.1"]
SITE_URL = f"http://127.0.0.1:{PORT}"
ROOT_URLCONF = "tests.oidc_op.urls"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oidc_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["OP_DB"]}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
USE_TZ = True
# Its own cookie names: LedMot runs on 127.0.0.1 too, and cookies ignore the port.
SESSION_COOKIE_NAME = "op_session"
CSRF_COOKIE_NAME = "op_csrftoken"
LOGIN_URL = "/login/"

OIDC_IDTOKEN_INCLUDE_CLAIMS = True
OIDC_EXTRA_SCOPE_CLAIMS = "tests.oidc_op.claims.GroupClaims"
OIDC_IDTOKEN_SUB_GENERATOR = "tests.oidc_op.claims.stable_sub"
OIDC_IDTOKEN_EXPIRE = 600
OIDC_USERINFO = "tests.oidc_op.claims.userinfo"
