"""Settings of the metrology platform, read from the environment.

One module serves development, tests and production. ``PLATFORM_ENV`` selects the
defaults: ``development`` (the default) generates local secrets and uses SQLite,
``production`` refuses to start without its secrets. Every value a deployment may
change is an environment variable listed in the README.
"""

import secrets
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; real environment variables win

PLATFORM_ENV = env.str("PLATFORM_ENV", default="development")
if PLATFORM_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("PLATFORM_ENV must be 'development' or 'production'.")
IS_PRODUCTION = PLATFORM_ENV == "production"


def _local_secret(name: str, make) -> str:
    """Read a development secret from var/, creating it on first use.

    Production never reaches this: a missing secret there is a configuration error,
    because a generated one would differ between servers and change on redeploy.
    """
    if IS_PRODUCTION:
        raise ImproperlyConfigured(f"{name} must be set in the environment in production.")
    path = VAR_DIR / "secrets" / name.lower()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", default="") or _local_secret(
    "SECRET_KEY", lambda: secrets.token_urlsafe(50)
)

# SM4 key (32 hex digits) that encrypts stored private signing keys. Production keeps it
# outside the database and the repository.
# TODO: add a rotation command that re-encrypts the signing-key rows under a new key.
PLATFORM_DATA_KEY = env.str("PLATFORM_DATA_KEY", default="") or _local_secret(
    "PLATFORM_DATA_KEY", lambda: secrets.token_hex(16)
)

DEBUG = env.bool("DEBUG", default=not IS_PRODUCTION)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if IS_PRODUCTION else ["127.0.0.1", "localhost"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Our apps come first so that their templates and translations win.
    "cms",
    "business.core",
    "business.reference",
    "business.organisations",
    "business.accounts",
    "business.instruments",
    "business.verification",
    "business.applications",
    "business.certificates",
    "business.access",
    "business.messages",
    "business.expiry",
    "business.labels",
    "business.audit",
    "business.savedqueries",
    "business.interaction",
    "business.surveys",
    "business.notices",
    "business.lookups",
    "business.enterprises",
    "business.demo",
    "business.qualifications",
    "business.standards",
    "business.certtemplates",
    "business.documents",
    "search",
    "business.analytics",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    # Wagtail's users app, with admin user forms that reject business user names.
    "business.accounts.apps.AdminUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "grapple",
    "graphene_django",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Sets request.business_user from a bearer token or the session.
    "business.accounts.middleware.BusinessUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "config" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite by default so the demo needs no server; CI and production pass a PostgreSQL
# (or KingbaseES in PostgreSQL mode) URL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
# PostgreSQL's memory per sort or bitmap in one query. At the server default of 4 MB,
# the bitmap of a common gram in a million-row ledger or search index turns lossy
# and PostgreSQL rechecks whole pages row by row, several times slower. Each
# connection may use this several times over in one query; size it against the
# number of connections. Set it empty to keep the server's own value.
DATABASE_WORK_MEM = env.str("DATABASE_WORK_MEM", default="32MB")
if DATABASE_WORK_MEM and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c work_mem={DATABASE_WORK_MEM}"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis is optional: the demo and the tests run with the in-process cache.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# One password policy for business users and admin accounts, each rule with its own
# Chinese message. The history rule checks business users only.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "business.accounts.passwords.LengthValidator", "OPTIONS": {"min_length": 8}},
    {
        "NAME": "business.accounts.passwords.CharacterClassesValidator",
        "OPTIONS": {"min_classes": 3},
    },
    {"NAME": "business.accounts.passwords.CommonPasswordValidator"},
    {"NAME": "business.accounts.passwords.UsernameInPasswordValidator"},
    {"NAME": "business.accounts.passwords.PasswordHistoryValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
FRONTEND_DIST = BASE_DIR / "frontend" / "dist"
# The built single-page app is served from /static/app/ (see frontend/vite.config.ts).
STATICFILES_DIRS = [("app", FRONTEND_DIST)] if FRONTEND_DIST.exists() else []
# Vite already puts content hashes in the asset names, so no manifest storage is needed.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if IS_PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Uploaded files that only authorised users may read (business-licence scans). Never
# served by the web server; views that check permissions stream them.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private")

# Wagtail
WAGTAIL_SITE_NAME = "河南省计量综合服务管理平台"
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_SERVE_METHOD = "serve_view"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# GraphQL. Grapple builds the one schema; the business apps add their fields through
# Wagtail hooks. The endpoint is our own view (business.core.api.view), never grapple.urls,
# because grapple mounts its view without CSRF protection.
GRAPHENE = {
    "SCHEMA": "grapple.schema.schema",
    "SCHEMA_OUTPUT": str(BASE_DIR / "graphql" / "schema.graphql"),
    "RELAY_CONNECTION_MAX_LIMIT": 100,
}
GRAPPLE = {
    "APPS": {"cms": ""},
    "EXPOSE_GRAPHIQL": False,
    "RICHTEXT_FORMAT": "html",
    "PAGE_SIZE": 10,
    # Largest page of CMS items one request may ask for; larger requests are cut to this.
    "MAX_PAGE_SIZE": 50,
    # Only the renditions the frontend uses, so a client cannot make the server render
    # arbitrary sizes.
    "ALLOWED_IMAGE_FILTERS": ["width-400", "width-800", "fill-300x200"],
}
# Deepest nesting of selections a GraphQL document may use. The frontend's operations
# nest at most 3 levels today, which leaves room for the screens still to come.
GRAPHQL_MAX_DEPTH = env.int("GRAPHQL_MAX_DEPTH", default=10)
# Most aliased fields one document may contain. Aliases let a client repeat an
# expensive or guessable field (a check code, a password) many times in one request;
# the frontend's largest operation uses 3.
GRAPHQL_MAX_ALIASES = env.int("GRAPHQL_MAX_ALIASES", default=30)
# Most fields one document may select in all, a simple cost limit; the frontend's
# largest operation selects about 40.
GRAPHQL_MAX_FIELDS = env.int("GRAPHQL_MAX_FIELDS", default=300)
# Introspection (__schema, __type) is refused unless DEBUG is on. The frontend builds
# from the committed graphql/schema.graphql instead.
GRAPHQL_INTROSPECTION = env.bool("GRAPHQL_INTROSPECTION", default=DEBUG)

# --- Portal pages, home cache and visitor analytics (cms, business.analytics) ---
# Every resolver result passes the readership check, so grapple's generic page and
# document fields never return unpublished pages or pages the visitor may not read.
GRAPHENE["MIDDLEWARE"] = ["cms.guard.PageReadershipMiddleware"]
# Seconds a built portal home stays cached; publishing or deleting a page clears it earlier.
PORTAL_HOME_CACHE_SECONDS = env.int("PORTAL_HOME_CACHE_SECONDS", default=300)
# Days page views and searches are kept before purge_analytics deletes them.
ANALYTICS_RETENTION_DAYS = env.int("ANALYTICS_RETENTION_DAYS", default=180)
# Days one visitor-hash salt is used; purge_analytics deletes past salts, after which
# old visitor hashes can no longer be matched to an address.
ANALYTICS_SALT_ROTATION_DAYS = env.int("ANALYTICS_SALT_ROTATION_DAYS", default=30)

# Address of the public portal as printed in certificate QR codes.
PUBLIC_BASE_URL = env.str(
    "PUBLIC_BASE_URL", default="" if IS_PRODUCTION else "http://127.0.0.1:8000"
)
if IS_PRODUCTION and not PUBLIC_BASE_URL:
    raise ImproperlyConfigured("PUBLIC_BASE_URL must be set in production.")

# Enterprise self-registrations accepted per client address per window.
REGISTRATION_RATE_LIMIT = env.int("REGISTRATION_RATE_LIMIT", default=10)
REGISTRATION_RATE_WINDOW_SECONDS = env.int("REGISTRATION_RATE_WINDOW_SECONDS", default=3600)

# Full-text search: the database back end unless an Elasticsearch 8 server is named.
ELASTICSEARCH_URL = env.str("ELASTICSEARCH_URL", default="")
SEARCH_BACKEND = env.str(
    "SEARCH_BACKEND", default="elasticsearch" if ELASTICSEARCH_URL else "database"
)
# Index names start with this, so that two environments can share one engine.
SEARCH_INDEX_PREFIX = env.str("SEARCH_INDEX_PREFIX", default=f"metrology-{PLATFORM_ENV}")
SEARCH_RATE_LIMIT = env.int("SEARCH_RATE_LIMIT", default=60)
SEARCH_RATE_WINDOW_SECONDS = env.int("SEARCH_RATE_WINDOW_SECONDS", default=60)

# Public certificate check: at most this many look-ups per client address per window.
CERTIFICATE_CHECK_RATE_LIMIT = env.int("CERTIFICATE_CHECK_RATE_LIMIT", default=30)
CERTIFICATE_CHECK_RATE_WINDOW_SECONDS = env.int("CERTIFICATE_CHECK_RATE_WINDOW_SECONDS", default=60)
# Header set by the reverse proxy with the client address; empty means REMOTE_ADDR is
# the client (no proxy). Only trust it when the proxy overwrites it.
CLIENT_IP_HEADER = env.str("CLIENT_IP_HEADER", default="")

# Cookies and transport
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Idle sessions end after 30 minutes; each request extends the session.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if IS_PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Largest request body. Registration sends the business-licence scan (at most 5 MB)
# base64-encoded inside the GraphQL request, which makes it about a third larger.
DATA_UPLOAD_MAX_MEMORY_SIZE = 7 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # graphql-core logs every resolver error with a traceback; our view logs them once.
        "graphql.execution.utils": {"level": "CRITICAL"},
        # One line per background task is noise at INFO.
        "django_tasks": {"level": "WARNING"},
        # WeasyPrint logs each layout step of every PDF at INFO.
        "weasyprint.progress": {"level": "WARNING"},
    },
}

# --- Audit log and encrypted personal data (business.audit, business.core.crypto.fields) ---
# Each key below is required in production and generated into var/secrets/ in development.
# business.core.crypto.keyring checks their format at start-up.

# HMAC-SM3 key (32 hex digits) of the audit log's hash chain. Changing it makes every
# existing audit event fail verification, so keep it for the life of the log.
AUDIT_MAC_KEY = env.str("AUDIT_MAC_KEY", default="") or _local_secret(
    "AUDIT_MAC_KEY", lambda: secrets.token_hex(16)
)
# SM4 keys of encrypted personal-data columns: comma-separated "id:32-hex-digit" pairs,
# for example "k2:…,k1:…". The first key encrypts new values. The others only decrypt,
# until `manage.py rotate_field_keys` has re-encrypted their values.
PLATFORM_FIELD_KEYS = env.str("PLATFORM_FIELD_KEYS", default="") or _local_secret(
    "PLATFORM_FIELD_KEYS", lambda: f"k1:{secrets.token_hex(16)}"
)
# HMAC-SM3 key (32 hex digits) of the blind indexes that make encrypted columns searchable
# by exact value. It must differ from the field keys.
PLATFORM_BLIND_INDEX_KEY = env.str("PLATFORM_BLIND_INDEX_KEY", default="") or _local_secret(
    "PLATFORM_BLIND_INDEX_KEY", lambda: secrets.token_hex(16)
)

# --- Business user accounts and sign-in (business.accounts) ---
# Business users have their own table; auth.User stays for the Wagtail admin.

# PBKDF2-HMAC-SM3 comes first, so new and changed passwords of both tables use it.
# Django's hashers follow, so older admin hashes still verify and are rehashed with
# the first hasher at the next successful sign-in.
PASSWORD_HASHERS = [
    "business.accounts.hashers.PBKDF2SM3PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# PBKDF2-HMAC-SM3 iterations of new hashes; stored hashes with another count are
# rehashed at the next sign-in. Measured: one hash at 150,000 took 0.18-0.32 s
# (median 0.26 s of 10) with hashlib on OpenSSL 3.0.19, Python 3.11.7, a 2-vCPU
# AMD EPYC virtual machine that was running other jobs. Each sign-in costs one
# hash and each password change up to PASSWORD_HISTORY_COUNT + 1.
PASSWORD_SM3_ITERATIONS = env.int("PASSWORD_SM3_ITERATIONS", default=150_000)
# Days after a password change when the user must change it again before doing
# anything else.
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=90)
# A business user's new password may not be any of this many latest passwords.
PASSWORD_HISTORY_COUNT = env.int("PASSWORD_HISTORY_COUNT", default=5)

# After this many consecutive wrong passwords the account is locked for
# LOGIN_LOCKOUT_MINUTES on every channel, and even the right password is refused.
LOGIN_MAX_FAILURES = env.int("LOGIN_MAX_FAILURES", default=5)
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", default=30)
# Sign-in attempts allowed per client address per window, whatever the user name.
LOGIN_RATE_LIMIT = env.int("LOGIN_RATE_LIMIT", default=20)
LOGIN_RATE_WINDOW_SECONDS = env.int("LOGIN_RATE_WINDOW_SECONDS", default=60)

# A PC session ends this many seconds after sign-in even while in use; idle sessions
# end earlier through SESSION_COOKIE_AGE.
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=8 * 60 * 60)
# Mobile bearer tokens expire this many seconds after sign-in, or after
# ACCESS_TOKEN_IDLE_SECONDS without a request, whichever comes first.
ACCESS_TOKEN_LIFETIME_SECONDS = env.int("ACCESS_TOKEN_LIFETIME_SECONDS", default=8 * 60 * 60)
ACCESS_TOKEN_IDLE_SECONDS = env.int("ACCESS_TOKEN_IDLE_SECONDS", default=SESSION_COOKIE_AGE)

# --- Captchas, second factor, step-up, recovery and online sessions (business.accounts,
# business.core.captcha) ---

# Seconds a captcha image stays answerable; each captcha can be checked once.
CAPTCHA_TTL_SECONDS = env.int("CAPTCHA_TTL_SECONDS", default=300)
# Captcha images one client address may fetch per window (they cost a little CPU each).
CAPTCHA_RATE_LIMIT = env.int("CAPTCHA_RATE_LIMIT", default=30)
CAPTCHA_RATE_WINDOW_SECONDS = env.int("CAPTCHA_RATE_WINDOW_SECONDS", default=60)
# Sign-in requires a captcha once the user name or the client address has this many
# failed attempts within LOGIN_CAPTCHA_WINDOW_MINUTES. 0 requires it on every sign-in.
LOGIN_CAPTCHA_AFTER_FAILURES = env.int("LOGIN_CAPTCHA_AFTER_FAILURES", default=2)
LOGIN_CAPTCHA_WINDOW_MINUTES = env.int("LOGIN_CAPTCHA_WINDOW_MINUTES", default=30)

# Seconds between the password step and the second-factor step of one sign-in.
SECOND_FACTOR_CHALLENGE_SECONDS = env.int("SECOND_FACTOR_CHALLENGE_SECONDS", default=300)
# Wrong second-factor codes one sign-in may send before it has to start again; they
# also count towards LOGIN_MAX_FAILURES.
SECOND_FACTOR_MAX_ATTEMPTS = env.int("SECOND_FACTOR_MAX_ATTEMPTS", default=5)
# Name shown for the platform in authenticator apps (the otpauth "issuer").
TOTP_ISSUER = env.str("TOTP_ISSUER", default="河南省计量平台")
# Recovery codes given at TOTP enrolment; each works once in place of a TOTP code.
RECOVERY_CODE_COUNT = env.int("RECOVERY_CODE_COUNT", default=10)
# One-time codes by SMS or e-mail: seconds valid, and codes one account or address may
# request per window.
ONE_TIME_CODE_TTL_SECONDS = env.int("ONE_TIME_CODE_TTL_SECONDS", default=300)
ONE_TIME_CODE_RATE_LIMIT = env.int("ONE_TIME_CODE_RATE_LIMIT", default=5)
ONE_TIME_CODE_RATE_WINDOW_SECONDS = env.int("ONE_TIME_CODE_RATE_WINDOW_SECONDS", default=3600)
# Dotted path of the class that delivers one-time codes. The development sender only
# logs that a code went out (never the code) and keeps it in an in-memory outbox for
# tests. Production names a class that talks to the SMS gateway and the mail server.
ONE_TIME_CODE_SENDER = env.str(
    "ONE_TIME_CODE_SENDER",
    default="business.accounts.senders.LoggingSender",
)
if IS_PRODUCTION and ONE_TIME_CODE_SENDER == "business.accounts.senders.LoggingSender":
    raise ImproperlyConfigured(
        "ONE_TIME_CODE_SENDER must name a real SMS/e-mail sender in production."
    )

# Sensitive operations (changing credentials, second-factor enrolment, signing,
# approving, exporting personal data) need a password or second-factor check within
# this many minutes (step-up re-authentication).
STEP_UP_MAX_AGE_MINUTES = env.int("STEP_UP_MAX_AGE_MINUTES", default=10)

# Account recovery: wrong codes one recovery request may receive before it is void.
RECOVERY_MAX_ATTEMPTS = env.int("RECOVERY_MAX_ATTEMPTS", default=5)
# Recovery requests per client address per window. The response never reveals whether
# the account exists, so this limit is what slows down probing for accounts.
RECOVERY_RATE_LIMIT = env.int("RECOVERY_RATE_LIMIT", default=10)
RECOVERY_RATE_WINDOW_SECONDS = env.int("RECOVERY_RATE_WINDOW_SECONDS", default=3600)

# Admin (Wagtail) sign-in: the same lockout as business users, and a TOTP step for
# admin accounts that have enrolled one. ADMIN_REQUIRE_TOTP makes enrolment compulsory
# for every admin account (accounts without a device are sent to enrol after the
# password step).
ADMIN_REQUIRE_TOTP = env.bool("ADMIN_REQUIRE_TOTP", default=False)
# Admin sign-in goes through the lockout backend (auth.User only, never business users).
AUTHENTICATION_BACKENDS = ["business.accounts.admin_security.AdminLockoutBackend"]
# The admin TOTP step runs right after the business-user middleware, which comes after
# AuthenticationMiddleware.
MIDDLEWARE.insert(
    MIDDLEWARE.index("business.accounts.middleware.BusinessUserMiddleware") + 1,
    "business.accounts.admin_security.AdminSecondFactorMiddleware",
)

# Interaction centre, surveys and public look-ups. Anonymous consultations and
# complaints (which also need a captcha) and look-ups of one's own submission by
# number and query code, counted per client address per window.
INTERACTION_RATE_LIMIT = env.int("INTERACTION_RATE_LIMIT", default=10)
INTERACTION_LOOKUP_RATE_LIMIT = env.int("INTERACTION_LOOKUP_RATE_LIMIT", default=30)
INTERACTION_RATE_WINDOW_SECONDS = env.int("INTERACTION_RATE_WINDOW_SECONDS", default=600)
# Anonymous survey responses per client address per window (one per browser anyway).
SURVEY_RATE_LIMIT = env.int("SURVEY_RATE_LIMIT", default=20)
SURVEY_RATE_WINDOW_SECONDS = env.int("SURVEY_RATE_WINDOW_SECONDS", default=600)
# Public convenience look-ups (便民服务) per client address per window.
LOOKUP_RATE_LIMIT = env.int("LOOKUP_RATE_LIMIT", default=60)
LOOKUP_RATE_WINDOW_SECONDS = env.int("LOOKUP_RATE_WINDOW_SECONDS", default=60)

# --- Capability look-up (business.qualifications) ---
# Public capability searches (检定能力查询) per client address per window.
CAPABILITY_RATE_LIMIT = env.int("CAPABILITY_RATE_LIMIT", default=60)
CAPABILITY_RATE_WINDOW_SECONDS = env.int("CAPABILITY_RATE_WINDOW_SECONDS", default=60)
