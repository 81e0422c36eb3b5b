"""Production settings: the environment-driven base plus the hardening `check --deploy` expects."""

import os

from oversight.settings import *  # noqa: F403
from oversight.settings import LOGGING, env_bool

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The API description is for signed-in users only (issue 8): anonymous clients get 401, the docs page the login.
API_DOCS_REQUIRE_LOGIN = True
# One JSON object per log line unless LOG_FORMAT says otherwise (docs/operations/logs.md).
if os.environ.get("LOG_FORMAT", "json") == "json":
    LOGGING["handlers"]["console"]["formatter"] = "json"
