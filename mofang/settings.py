"""Settings in layers: defaults, then the environment, then computed values.

Environment variables:
- DATABASE_URL     PostgreSQL (postgres://…) for production; unset = embedded SQLite (WAL).
- REDIS_URL        Redis cache when set; unset = local memory. Optional for correctness: sessions and
                   rate limits are in the database (sessions also in Redis when set: cached_db), and a
                   Redis outage only makes the cache miss.
- MOFANG_DATA_DIR  where the SQLite file, uploads and exports live (default ./var).
- MOFANG_S3_BUCKET (+ MOFANG_S3_ENDPOINT_URL, _REGION, _ADDRESSING_STYLE, _PREFIX, _CA_BUNDLE,
                   AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)  files in a shared S3-compatible store
                   instead of MOFANG_DATA_DIR/media (see "file storage" below).
- MOFANG_SECRET_KEY, MOFANG_FIELD_KEY  signing key and the key that protects ID numbers.
- MOFANG_DEBUG     "1" for development.
- MOFANG_TASKS     "db" (default: django-tasks-db worker) or "immediate" (tests).
- MOFANG_JOB_LEASE_SECONDS  a running job silent this long is taken for dead (default 120).
- MOFANG_JOB_MAX_ATTEMPTS   runs of a job (or periodic run) before it is left failed (default 3).
- MOFANG_TRUSTED_PROXIES  reverse proxies whose X-Forwarded-For is believed (addresses or CIDRs,
                   comma-separated; "unix" for one on a unix socket); empty = none.
- MOFANG_DB_PREPARED  "0" turns off PostgreSQL prepared statements (behind PgBouncer < 1.21).
- DATABASE_REPLICA_URL  a PostgreSQL read replica for read-only pages (MOFANG_REPLICA_VIEWS,
                   MOFANG_REPLICA_PIN_SECONDS); unset = everything on DATABASE_URL.
- MOFANG_PROXY_SSL_HEADER, MOFANG_USE_X_FORWARDED_HOST, MOFANG_SECURE_COOKIES, MOFANG_SSL_REDIRECT,
  MOFANG_HSTS_SECONDS, MOFANG_HSTS_INCLUDE_SUBDOMAINS, MOFANG_HSTS_PRELOAD  behind a TLS reverse proxy.
- MOFANG_CSP_REPORT_ONLY  "1" sends the Content-Security-Policy as report-only.
"""

import ipaddress
import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("MOFANG_DATA_DIR", Path.cwd() / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def _env_networks(name: str) -> list[str]:
    """Comma-separated addresses or CIDRs (and "unix"), validated here rather than at first use."""
    entries = [e.strip() for e in os.environ.get(name, "").split(",") if e.strip()]
    for entry in (e for e in entries if e != "unix"):
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ImproperlyConfigured(f"{name} 中的“{entry}”不是IP地址或网段（如 10.0.0.5、10.0.0.0/8）") from None
    return entries


DEBUG = _env_bool("MOFANG_DEBUG")
SECRET_KEY = os.environ.get("MOFANG_SECRET_KEY", "mofang-insecure-development-key-change-me-in-production")
# Key for protected personal fields (ID numbers, phones): 32 bytes, hex or any string (hashed).
FIELD_KEY = os.environ.get("MOFANG_FIELD_KEY", SECRET_KEY)
ALLOWED_HOSTS = [h for h in os.environ.get("MOFANG_ALLOWED_HOSTS", "*").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("MOFANG_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
# The client address (rate limits, lock-out records) is X-Forwarded-For's only when the immediate
# peer is one of these proxies (mofang.platform.accounts.ratelimit.client_ip).
TRUSTED_PROXIES = _env_networks("MOFANG_TRUSTED_PROXIES")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "treebeard",
    "django_htmx",
    "template_partials",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    # platform core (一个平台)
    "mofang.platform.orgs",
    "mofang.platform.accounts",
    "mofang.platform.people",
    "mofang.platform.audit",
    "mofang.platform.notifications",
    "mofang.platform.jobs",
    "mofang.platform.cases",
    "mofang.platform.workdays",
    "mofang.platform.privacy",
    "mofang.platform.indicators",
    "mofang.platform.imports",
    "mofang.platform.web",
    "mofang.platform.demo",
    "mofang.platform.api",
    # 教育管理 (management business) modules
    "mofang.governance.timebank",
    "mofang.governance.enrollment",
    "mofang.governance.campus_safety",
    "mofang.governance.supervision",
    "mofang.governance.institutions",
    "mofang.governance.workplans",
    "mofang.governance.directives",
    "mofang.governance.fitness",
    "mofang.governance.vision",
    "mofang.governance.mentalhealth",
    "mofang.governance.dropout_control",
    "mofang.governance.online_services",
    "mofang.governance.teacher_dev",
    "mofang.governance.quality_eval",
    # 教育资源 (resources business) modules
    "mofang.resources.afterschool",
    "mofang.resources.lessons",
    # 教育数据 (data business)
    "mofang.data.cockpit",
]

MIDDLEWARE = [
    "mofang.platform.security.TrustedProxyHeadersMiddleware",  # before is_secure() is first read
    "django.middleware.security.SecurityMiddleware",
    "mofang.platform.security.ContentSecurityPolicyMiddleware",
    "mofang.platform.dbrouter.ReplicaMiddleware",  # wraps all below, so their writes pin the primary
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mofang.platform.accounts.access.RequestUserMiddleware",  # its memberships from the cache
    "mofang.platform.web.middleware.NulParameterMiddleware",
    "mofang.platform.accounts.middleware.IdleSessionMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "mofang.platform.accounts.middleware.SecondFactorRequiredMiddleware",
    "mofang.platform.accounts.middleware.PasswordChangeRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mofang.urls"
WSGI_APPLICATION = "mofang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mofang.platform.web.context_processors.shell",
            ]
        },
    }
]

# --- database: embedded SQLite by default, PostgreSQL by DATABASE_URL ---------------------
# The busiest statements (a selection, a scoped detail read) as prepared statements on PostgreSQL
# (dbutils.prepared_cursor); 0 behind a connection pooler that cannot keep them (PgBouncer < 1.21,
# or max_prepared_statements = 0).
DATABASE_PREPARED_STATEMENTS = os.environ.get("MOFANG_DB_PREPARED", "1") != "0"
if os.environ.get("DATABASE_URL"):
    # A connection broken by a database outage is health-checked before reuse and discarded, so the
    # first request after the outage reconnects; connecting gives up after 5 s (503, not a hang).
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True)}
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL 仅支持 PostgreSQL（postgres://…）")
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get("MOFANG_TEST_DB", "test_mofang")
    # Read replica: read-only pages (REPLICA_VIEWS) read there, everything else and every request
    # that wrote uses the primary (mofang/platform/dbrouter.py).
    if os.environ.get("DATABASE_REPLICA_URL"):
        DATABASES["replica"] = dj_database_url.parse(
            os.environ["DATABASE_REPLICA_URL"], conn_max_age=60, conn_health_checks=True
        )
        DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
        DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
        DATABASE_ROUTERS = ["mofang.platform.dbrouter.ReplicaRouter"]
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("MOFANG_SQLITE_PATH", str(DATA_DIR / "mofang.sqlite3")),
            # IMMEDIATE: a writing transaction takes the write lock at BEGIN, so two concurrent
            # debits serialise instead of failing mid-way with "database is locked".
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
        }
    }
ALLOW_PURGE = False  # see mofang.platform.dbutils; only the test settings turn it on
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# --- cache ------------------------------------------------------------------------------
def redis_cache(url: str) -> dict:
    """The Redis cache is a speed-up only, never needed for correctness: while Redis is down every
    cache call is a miss (logged), and a dead Redis costs at most the short timeouts per call."""
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.5},
    }


DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True  # an ignored Redis error is still logged (logger django_redis.cache)
# One cache for every web process (Redis): what one process deletes, none serves again (the inbox's
# unread count is cached only then; a local-memory cache is each process's own).
MOFANG_SHARED_CACHE = bool(os.environ.get("REDIS_URL"))
if os.environ.get("REDIS_URL"):
    CACHES = {"default": redis_cache(os.environ["REDIS_URL"])}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- background tasks ---------------------------------------------------------------------
TASK_BACKEND = os.environ.get("MOFANG_TASKS", "db")
if TASK_BACKEND not in {"db", "rq", "immediate"}:
    raise ImproperlyConfigured("MOFANG_TASKS 只能是 db、rq 或 immediate")
TASKS: dict[str, dict[str, Any]]
if TASK_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
elif TASK_BACKEND == "rq":
    # For scale: tasks in Redis, run by `mofang rqworker --job-class django_tasks_rq.Job`.
    if not os.environ.get("REDIS_URL"):
        raise ImproperlyConfigured("MOFANG_TASKS=rq 需要同时设置 REDIS_URL")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": os.environ["REDIS_URL"]}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _env_positive(name: str, default: str, kind=int):
    try:
        value = kind(os.environ.get(name, default))
    except ValueError:
        value = 0
    if not value > 0:
        raise ImproperlyConfigured(f"{name} 须为正数")
    return value


# A running job renews its lease (heartbeat) every quarter of it; the reaper fails or re-queues a
# job whose lease ran out (mofang/platform/jobs/reaper.py).
JOB_LEASE_SECONDS = _env_positive("MOFANG_JOB_LEASE_SECONDS", "120", float)
JOB_MAX_ATTEMPTS = _env_positive("MOFANG_JOB_MAX_ATTEMPTS", "3")

# --- accounts and login -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "mofang.platform.accounts.backends.AccountBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "mofang.platform.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "email", "phone")},
    },
    {"NAME": "mofang.platform.accounts.passwords.PhoneNumberValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"  # signed out: back to the login page (no logged_out template)
SESSION_COOKIE_AGE = int(os.environ.get("MOFANG_SESSION_SECONDS", 8 * 3600))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Idle expiry: IdleSessionMiddleware saves a signed-in session (moving its expiry on) at most every
# five minutes, rather than SESSION_SAVE_EVERY_REQUEST's write on every request.
SESSION_SAVE_EVERY_REQUEST = False
# Sessions live in the database, and with REDIS_URL also in Redis (write-through, read from Redis:
# no query per request; issue 17). Losing Redis signs nobody out and loses nothing: every session is
# read from the database on a miss. A session signed out while Redis was unreachable is not read
# back from Redis once it returns: the copy carries the account's access version, which signing out
# raises, and a copy of an older version is checked against the database (accounts.sessions).
SESSION_ENGINE = (
    "mofang.platform.accounts.sessions" if os.environ.get("REDIS_URL") else "django.contrib.sessions.backends.db"
)
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
# Lock-out per account *and* client address (issue 13): five wrong passwords from one address lock
# that username at that address only, so nobody can lock an administrator out of the account from
# elsewhere, and one wrong password in a school behind one NAT address locks nobody else (the
# address alone is not a parameter). Guessing across usernames from one address is the platform
# rate limiter's (accounts.views.auth.LOGIN_FAILURES); a locked user unlocks by SMS code
# (accounts.unlock) or by an administrator.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "mofang.platform.accounts.ratelimit.client_ip"  # the address every limit uses
OTP_TOTP_ISSUER = "教育魔方"

# --- i18n: Simplified Chinese everywhere ---------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- static and media: every asset served by the platform ---------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# npm packages (htmx, ECharts, flatpickr: the Chinese date picker) are installed by the setup into ./node_modules or MOFANG_NODE_MODULES
NODE_MODULES = Path(os.environ.get("MOFANG_NODE_MODULES", BASE_DIR.parent / "node_modules"))
STATICFILES_DIRS = [
    (f"vendor/{prefix}", NODE_MODULES / package / "dist")
    for prefix, package in (("htmx", "htmx.org"), ("echarts", "echarts"), ("flatpickr", "flatpickr"))
    if (NODE_MODULES / package / "dist").exists()
]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"


# --- file storage: the local folder, or a shared S3-compatible store (issue 13) -------------
# Every file (uploads, import files, error workbooks, attachments) goes through Django's storage
# API. Embedded: MEDIA_ROOT on this machine's disk. With several web instances or workers on
# several machines set MOFANG_S3_BUCKET: MinIO on site, or the provincial cloud's OSS/OBS (any
# S3-compatible store). Keys come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. No file is
# ever served by URL: the bucket stays private and every download goes through a scoped view.
def s3_storage(environ) -> dict[str, Any]:
    """The shared store's STORAGES entry from MOFANG_S3_* in `environ` (the tests build theirs so)."""
    from botocore.config import Config  # type: ignore[import-untyped]

    addressing = environ.get("MOFANG_S3_ADDRESSING_STYLE", "auto")  # MinIO: path; OSS/OBS: virtual
    if addressing not in {"auto", "path", "virtual"}:
        raise ImproperlyConfigured("MOFANG_S3_ADDRESSING_STYLE 只能是 auto、path 或 virtual")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": environ["MOFANG_S3_BUCKET"],
            "endpoint_url": environ.get("MOFANG_S3_ENDPOINT_URL") or None,
            "region_name": environ.get("MOFANG_S3_REGION") or None,
            "access_key": environ.get("AWS_ACCESS_KEY_ID") or None,  # else boto3's own chain
            "secret_key": environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "location": environ.get("MOFANG_S3_PREFIX", "").strip("/"),
            "verify": environ.get("MOFANG_S3_CA_BUNDLE") or None,  # an on-site MinIO's own CA
            "file_overwrite": False,  # a second file of the same name gets a new name, as on disk
            "default_acl": None,  # the bucket's own (private); never public-read
            # S3-compatible stores (OSS, OBS, older MinIO) reject the CRC checksums boto3 sends by
            # default since 1.36: send one only when the operation requires it
            "client_config": Config(
                s3={"addressing_style": addressing},
                signature_version="s3v4",
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
                retries={"max_attempts": 5, "mode": "standard"},
            ),
        },
    }


STORAGES = {
    "default": (
        s3_storage(os.environ)
        if os.environ.get("MOFANG_S3_BUCKET")
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# --- end of file storage -----------------------------------------------------------------------
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

# --- notifications ------------------------------------------------------------------------
MOFANG_SMS_BACKEND = os.environ.get("MOFANG_SMS_BACKEND", "mofang.platform.notifications.channels.OutboxSMSBackend")
EMAIL_BACKEND = os.environ.get("MOFANG_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("MOFANG_FROM_EMAIL", "noreply@mofang.local")

# --- HTTP API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # token first: an anonymous caller gets 401 with WWW-Authenticate, not a bare 403
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "mofang.platform.api.schema.AutoSchema",  # adds the error answers and query parameters
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "mofang.platform.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "教育魔方 API",
    "DESCRIPTION": "主数据与教师时间银行接口；数据范围与页面相同。",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # each tag's Chinese name: the section titles of /api/docs/ (mofang.platform.api.docs)
    "TAGS": [
        {"name": "orgs", "description": "组织机构"},
        {"name": "students", "description": "学生"},
        {"name": "staff", "description": "教职工"},
        {"name": "timebank", "description": "教师时间银行"},
        {"name": "cases", "description": "闭环案件"},
        {"name": "indicators", "description": "指标目录"},
        {"name": "indicator-values", "description": "指标值"},
        {"name": "data-exchange", "description": "外部系统写入（接口密钥认证）"},
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"LeaveKindEnum": "mofang.governance.timebank.models.LeaveKind"},
}

# --- security headers and the TLS reverse proxy ---------------------------------------------
# Content-Security-Policy (mofang/platform/security.py): every asset is the platform's own, so no
# inline script, no <style> element, nothing from elsewhere. style="" attributes are allowed (a
# few templates and ECharts' tooltip HTML use them; an attribute can run no script).
CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:"],  # data: for the TOTP enrolment QR code
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# a path prefix whose page needs more than CSP allows (none today: /api/docs/ is the platform's own page)
CSP_PATH_OVERRIDES: dict[str, dict[str, list[str]]] = {}
CSP_REPORT_ONLY = _env_bool("MOFANG_CSP_REPORT_ONLY")

# Behind a reverse proxy that terminates TLS. X-Forwarded-Proto/-Host are believed only from a
# peer in MOFANG_TRUSTED_PROXIES (TrustedProxyHeadersMiddleware), so both need that list.
_ssl_header = os.environ.get("MOFANG_PROXY_SSL_HEADER", "").strip()  # e.g. X-Forwarded-Proto
if _ssl_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _ssl_header.upper().replace("-", "_"), "https")
USE_X_FORWARDED_HOST = _env_bool("MOFANG_USE_X_FORWARDED_HOST")
if (_ssl_header or USE_X_FORWARDED_HOST) and not TRUSTED_PROXIES:
    raise ImproperlyConfigured(
        "设置了 MOFANG_PROXY_SSL_HEADER 或 MOFANG_USE_X_FORWARDED_HOST 时必须同时设置 MOFANG_TRUSTED_PROXIES（反向代理的地址）"
    )
# Cookies only over HTTPS: on by default once the site is served through the TLS proxy.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _env_bool("MOFANG_SECURE_COOKIES", default=bool(_ssl_header))
SECURE_SSL_REDIRECT = _env_bool("MOFANG_SSL_REDIRECT")
try:
    SECURE_HSTS_SECONDS = int(os.environ.get("MOFANG_HSTS_SECONDS", "0"))
except ValueError:
    raise ImproperlyConfigured("MOFANG_HSTS_SECONDS 须为整数（秒），如 31536000") from None
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("MOFANG_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = _env_bool("MOFANG_HSTS_PRELOAD")

# Read replica (DATABASE_REPLICA_URL): GET/HEAD pages whose "namespace:name" matches read there.
REPLICA_VIEWS = [
    p.strip()
    for p in os.environ.get("MOFANG_REPLICA_VIEWS", "cockpit:*,*:*_list,*:list,*:export").split(",")
    if p.strip()
]
REPLICA_PIN_SECONDS = _env_positive("MOFANG_REPLICA_PIN_SECONDS", "10")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MOFANG_LOG_LEVEL", "WARNING")},
}
