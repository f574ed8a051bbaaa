"""Settings for axisfinder, read from the environment.

Every value has a safe default: debug is off unless ``DJANGO_DEBUG`` asks for it, and with
debug off the secret key and the allowed hosts must come from the environment.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    """Read a yes/no variable: ``1``/``true``/``yes``/``on`` or ``0``/``false``/``no``/``off``."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    value = value.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1/true or 0/false, not {value!r}")


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)
# Added to the errors below: a development clone runs with debug on.
_development_hint = "(for a development clone: DJANGO_DEBUG=1 python manage.py ...)"

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            f"DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off {_development_hint}"
        )
    # Only ever used with debug on, on a developer's machine.
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

# With debug on and no list, Django allows localhost, 127.0.0.1 and [::1].
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS and not DEBUG:
    raise ImproperlyConfigured(
        f"DJANGO_ALLOWED_HOSTS is required when DJANGO_DEBUG is off {_development_hint}"
    )

INSTALLED_APPS = [
    # SimpleAdminConfig: autodiscovery would import leaflet/admin.py, which needs GDAL.
    # locations.admin is imported from the root URLconf instead.
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "corsheaders",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # django-csp: its system checks, and the Content-Security-Policy header (MIDDLEWARE).
    "csp",
    "leaflet",
    "locations",
]

MIDDLEWARE = [
    # First, so that each request's line has the time and status of everything below.
    "axisfinder.middleware.RequestLogMiddleware",
    # A lost database answers 503 (its process_exception: the place in the list is free).
    "axisfinder.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy header (CONTENT_SECURITY_POLICY, below), with a fresh
    # nonce for each page that asks for one.
    "axisfinder.middleware.CSPMiddleware",
    # Pages and JSON compressed on the wire (Django pads each response against BREACH);
    # static files are compressed ahead of time by whitenoise.
    "axisfinder.middleware.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # ETags on every GET answer: a client asking again gets a 304 when nothing changed.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "axisfinder.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "axisfinder.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache every process and host shares (API throttle, geocoder gate and answers,
# sessions, the coverage report): Redis at REDIS_URL, local memory per process without it.
# While Redis cannot be reached each process falls back to local memory (axisfinder.cache);
# the short socket timeouts keep a Redis that does not answer from stalling requests.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "axisfinder.cache.FallbackRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("id", "Bahasa Indonesia"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Stored instants are UTC; each outlet's hours are evaluated in the outlet's own zone.
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
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

# Admin imports are previewed, then confirmed: the checked file waits in the database
# (locations.models.PendingImport), the session being read on every admin page.
# Sessions are read from the cache, with the database behind it (kept across restarts and
# Redis outages).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
# The largest file the admin's import screen takes (bytes); a larger one is refused.
IMPORT_MAX_BYTES = 50 * 1024 * 1024

# Production hardening: on whenever debug is off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", default=not DEBUG)
# A load balancer's health probe may ask gunicorn directly over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = 0 if DEBUG else 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# Preloading is the operator's decision for their own domain, off unless
# DJANGO_HSTS_PRELOAD asks: browsers then refuse plain HTTP on the whole registered domain
# and every subdomain, built into their releases, and leaving the list takes months. While
# it is off, `check --deploy` would warn that the site cannot be submitted to the list
# (security.W021); that is the choice made, so the warning is silenced, and only then.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=False) and not DEBUG
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # The request log's lines are JSON already (axisfinder.middleware.RequestLogMiddleware).
    "formatters": {"message": {"format": "%(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "requests": {"class": "logging.StreamHandler", "formatter": "message"},
    },
    "loggers": {
        "axisfinder.requests": {"handlers": ["requests"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# The maps (django-leaflet). MAP_TILES_URL is a Leaflet tile URL template; the default is
# OpenStreetMap's tile server, whose usage policy asks for the attribution below and
# light use: a busy deployment should point this at its own or a commercial tile service.
MAP_TILES_URL = (
    os.environ.get("MAP_TILES_URL") or "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
).strip()
MAP_ATTRIBUTION = (
    os.environ.get("MAP_ATTRIBUTION")
    or '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
).strip()
# What the locator's map shows without a search: west, south, east, north (Indonesia).
MAP_BOUNDS = (95.0, -11.0, 141.0, 6.0)
LEAFLET_CONFIG = {
    "TILES": [("OpenStreetMap", MAP_TILES_URL, {"attribution": MAP_ATTRIBUTION, "maxZoom": 19})],
    "ATTRIBUTION_PREFIX": '<a href="https://leafletjs.com">Leaflet</a>',
    "DEFAULT_CENTER": (-2.5, 118.0),
    "DEFAULT_ZOOM": 5,
    "MIN_ZOOM": 3,
    "MAX_ZOOM": 19,
    "RESET_VIEW": False,
    "NO_GLOBALS": True,
}


def tile_sources(url_template):
    """Where a Leaflet tile URL template loads from, as Content-Security-Policy sources:
    the hosts Leaflet makes of a ``{s}`` placeholder with its default subdomains (``a``,
    ``b``, ``c``; the maps set no others), or the one host; none for a path on the site
    itself, which ``'self'`` already allows."""
    parts = urlsplit(url_template)
    hosts = [parts.netloc.replace("{s}", subdomain) for subdomain in "abc"]
    if any("{" in host for host in hosts) or parts.scheme not in ("http", "https", ""):
        raise ImproperlyConfigured(
            "MAP_TILES_URL must be an http(s) URL whose host holds no placeholder but {s}, "
            f"not {url_template!r}"
        )
    scheme = f"{parts.scheme}://" if parts.scheme else ""
    return [f"{scheme}{host}" for host in dict.fromkeys(hosts) if host]


# Content Security Policy (django-csp): the site itself and the tile server only. Inline
# scripts (the maps' start-up, the API documentation's) carry the page's nonce; styles are
# files only, since nothing the pages need is an inline style (Leaflet and Swagger UI set
# element.style from script, which a policy does not restrict). data: images are the
# icons Swagger UI's stylesheet embeds.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        # The pages' own style is inline (by nonce), so that no request blocks their first
        # paint on a slow connection.
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", *tile_sources(MAP_TILES_URL)],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Turning a postcode or place name into a search origin (locations.geocoding): "offline"
# uses only the gazetteer tables; "nominatim" also asks OpenStreetMap's Nominatim, whose
# usage policy wants a real User-Agent (e.g. "axisfinder/1.0 ops@example.id") and at most
# one request a second. Online answers are cached for GEOCODER_CACHE_SECONDS.
GEOCODER = (os.environ.get("GEOCODER") or "offline").strip().lower()
GEOCODER_USER_AGENT = os.environ.get("GEOCODER_USER_AGENT", "").strip()
GEOCODER_TIMEOUT = float(os.environ.get("GEOCODER_TIMEOUT") or 5)
GEOCODER_DOMAIN = os.environ.get("GEOCODER_DOMAIN") or "nominatim.openstreetmap.org"
GEOCODER_MIN_INTERVAL = float(os.environ.get("GEOCODER_MIN_INTERVAL") or 1.0)
GEOCODER_CACHE_SECONDS = int(os.environ.get("GEOCODER_CACHE_SECONDS") or 30 * 24 * 60 * 60)

# --- The JSON API (locations.api) ---
# Anonymous clients only; one representation per endpoint. API_THROTTLE_RATE is requests
# per client ("120/min", "10/s", "5000/day"); "off" turns throttling off (load and fuzz runs).
API_THROTTLE_RATE = (os.environ.get("API_THROTTLE_RATE") or "120/min").strip().lower()
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["locations.api.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "locations.api.renderers.FirstRenderer",
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": (
        [] if API_THROTTLE_RATE == "off" else ["rest_framework.throttling.AnonRateThrottle"]
    ),
    "DEFAULT_THROTTLE_RATES": {"anon": None if API_THROTTLE_RATE == "off" else API_THROTTLE_RATE},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Behind one proxy, the client is the last address it adds to X-Forwarded-For.
    # 0 (no proxy) makes DRF use the connection's address: with None it would take the
    # whole X-Forwarded-For header, which any client writes, as the client's identity.
    "NUM_PROXIES": int(os.environ.get("DJANGO_NUM_PROXIES") or 0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "axisfinder API",
    "DESCRIPTION": (
        "AXIS stores and self-service kiosks in Indonesia: the nearest outlets to a point, "
        "a postcode or a place, with whether each is open now."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No online validator: its badge would send the schema's address to swagger.io (and
    # the policy above rightly refuses its image).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The outlets' kinds have their labels in the outlet and the bare values in a cluster:
    # two choice sets under one field name, named here rather than by a hash.
    "ENUM_NAME_OVERRIDES": {"OutletKindEnum": "locations.models.OutletKind"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "locations.api.schema.document_uri_too_long",
    ],
}
# Read-only CORS: any site may GET the API.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
