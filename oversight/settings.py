"""Settings for Oversight, configured from environment variables only.

The embedded default (no environment at all) is SQLite under ``var/`` with background jobs run
in-process; production sets DATABASE_URL (PostgreSQL) and REDIS_URL (Celery broker).
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("OVERSIGHT_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    """Read a boolean environment variable ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable into a list of non-empty items."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# The embedded default is a single-machine demo; production must set its own key.
SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-embedded-default-key-change-me-in-production-0123456789")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "oversight.core.admin_site.OversightAdminConfig",  # django.contrib.admin with our site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "axes",
    "oversight.core",
    "oversight.audit",
    "oversight.tenancy",
    "oversight.catalog",
    "oversight.tickets",
    "oversight.feedback",
    "oversight.notifications",
    "oversight.contracts",
    "oversight.configuration",
    "oversight.parts",
    "oversight.changes",
    "oversight.problems",
    "oversight.knowledge",
    "oversight.mailintake",
    "oversight.scorecards",
    "oversight.settlement",
    "oversight.portfolio",
    "oversight.facts",
    "oversight.projects",
    "oversight.risks",
    "oversight.liaisons",
    "oversight.meetings",
    "oversight.improvement",
    "oversight.contactcentre",
    "oversight.workforce",
    "oversight.sourcing",
    "oversight.reports",
    "oversight.demo",
]

MIDDLEWARE = [
    # First: times the whole request for /metrics and logs it (oversight.core.metrics).
    "oversight.core.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "oversight.core.middleware.RequestIdMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "oversight.core.middleware.UserPreferencesMiddleware",
    "oversight.core.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into Oversight's lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "oversight.urls"
WSGI_APPLICATION = "oversight.wsgi.application"

# Form widgets render through Django's templates with core's overrides (no "---------" empty choice).
FORM_RENDERER = "oversight.core.forms.FormRenderer"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "oversight" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        # An empty DATABASE_URL (as `make test` sets for its SQLite run) means the embedded default too.
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'oversight.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, reading timestamps in C (oversight/core/dbbackends/postgresql/base.py says why).
    DATABASES["default"]["ENGINE"] = "oversight.core.dbbackends.postgresql"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the embedded server and in-process jobs write side by side.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file (not in-memory) test database, so concurrency tests can use real parallel connections.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-oversight-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "tenancy.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# django-axes refuses sign-ins while locked out, then the model backend checks the password.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# Password-reset links stay valid this long (and die once used: the token depends on the password).
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", str(3 * 3600)))

# Client addresses: with N reverse proxies in front (each appending to X-Forwarded-For), set
# OVERSIGHT_TRUSTED_PROXIES=N; with 0 (the default) the header is ignored and REMOTE_ADDR is the client.
# Used by the login lockout, the API throttles, the rating page and the password-reset limit alike.
OVERSIGHT_TRUSTED_PROXIES = int(os.environ.get("OVERSIGHT_TRUSTED_PROXIES", "0"))

# Sign-in lockout (django-axes; limits explained in oversight/tenancy/lockout.py, docs/security.md).
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("OVERSIGHT_LOGIN_FAILURE_LIMIT", "5"))  # one account from one address
OVERSIGHT_LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("OVERSIGHT_LOGIN_ADDRESS_FAILURE_LIMIT", "100"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("OVERSIGHT_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "oversight.tenancy.lockout.LoginLockoutHandler"
AXES_LOCKOUT_CALLABLE = "oversight.tenancy.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "oversight.core.ratelimit.client_ip_address"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # "try again in N minutes" stays true
AXES_ENABLE_ADMIN = False  # unlocking is a user-admin action (scoped to the organisation, audited)
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "oversight" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it even when serving from finders
STATICFILES_DIRS = [BASE_DIR / "oversight" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Uploaded files live outside the web root and are only served through a permission check.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = ATTACHMENT_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# E-mail: EMAIL_URL like smtp://user:pass@host:587/?tls=1; console:// prints; the default writes files.
EMAIL_URL = os.environ.get("EMAIL_URL", "")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "oversight@localhost")
if EMAIL_URL.startswith(("smtp://", "smtps://")):
    from urllib.parse import parse_qs, unquote, urlparse

    _email = urlparse(EMAIL_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_PORT = _email.port or (465 if _email.scheme == "smtps" else 25)
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_SSL = _email.scheme == "smtps"
    EMAIL_USE_TLS = parse_qs(_email.query).get("tls", ["0"])[0] in {"1", "true"}
elif EMAIL_URL.startswith("console://"):
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"

# Background jobs: Celery with Redis when REDIS_URL is set, otherwise run in-process (eager).
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"  # a host, or kombu warns on every eager call
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL or env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TIMEZONE = "UTC"
# Beat records its heartbeat on its ticks, the worker-heartbeat entry a worker's (oversight.core.health).
CELERY_BEAT_SCHEDULER = "oversight.core.beat:HeartbeatScheduler"
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "oversight.core.tasks.record_worker_heartbeat", "schedule": 30.0},
    "sla-escalation-sweep": {"task": "oversight.tickets.tasks.sweep_sla_escalations", "schedule": 60.0},
    "auto-close-resolved": {"task": "oversight.tickets.tasks.auto_close_resolved", "schedule": 3600.0},
    "contract-renewal-reminders": {"task": "oversight.contracts.tasks.send_renewal_reminders", "schedule": 3600.0},
    "contract-expiry": {"task": "oversight.contracts.tasks.expire_ended_contracts", "schedule": 3600.0},
    "evaluation-periods": {"task": "oversight.scorecards.tasks.compute_due_periods", "schedule": 3600.0},
    "scheduled-service-reports": {"task": "oversight.reports.tasks.send_due_reports", "schedule": 3600.0},
    "change-approval-substitutes": {"task": "oversight.changes.tasks.ask_due_substitutes", "schedule": 300.0},
    "key-risk-indicators": {"task": "oversight.risks.tasks.evaluate_key_risk_indicators", "schedule": 3600.0},
    "problem-suggestions": {"task": "oversight.problems.tasks.detect_problem_suggestions", "schedule": 3600.0},
    "mail-intake-poll": {"task": "oversight.mailintake.tasks.poll_mailboxes", "schedule": 60.0},
    "risk-overdue-work": {"task": "oversight.risks.tasks.notify_overdue_risk_work", "schedule": 3600.0},
    "escalation-sweep": {"task": "oversight.liaisons.tasks.sweep_escalations", "schedule": 60.0},
    "meeting-action-reminders": {"task": "oversight.meetings.tasks.remind_action_owners", "schedule": 3600.0},
    "meeting-overdue-actions": {"task": "oversight.meetings.tasks.escalate_overdue_actions", "schedule": 600.0},
    "channel-deliveries": {
        "task": "oversight.notifications.channels.tasks.send_due_channel_deliveries",
        "schedule": 30.0,
    },
    "risk-stalled-simulations": {"task": "oversight.risks.tasks.fail_stalled_simulations", "schedule": 300.0},
    # The facts' nightly safety net, 03:30 in Beijing (the events keep them current during the day).
    "facts-rebuild-recent": {
        "task": "oversight.facts.tasks.rebuild_recent_facts",
        "schedule": crontab(hour=19, minute=30),
    },
}

# /metrics (docs/operations/metrics.md): with a token, only "Authorization: Bearer <token>"; without, loopback only.
OVERSIGHT_METRICS_TOKEN = os.environ.get("OVERSIGHT_METRICS_TOKEN", "")
# /readyz (docs/operations/health.md): the oldest worker and beat heartbeats (seconds) a ready Celery deployment has.
OVERSIGHT_READY_WORKER_MAX_AGE = float(os.environ.get("OVERSIGHT_READY_WORKER_MAX_AGE", "120"))
OVERSIGHT_READY_BEAT_MAX_AGE = float(os.environ.get("OVERSIGHT_READY_BEAT_MAX_AGE", "120"))

# A running risk simulation that reports no progress for this long is a dead worker's: the sweep marks it failed.
RISK_SIMULATION_STALL_MINUTES = int(os.environ.get("RISK_SIMULATION_STALL_MINUTES", "15"))

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "oversight.tenancy.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "oversight.core.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "oversight.core.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "oversight.core.api.throttles.AnonThrottle",
        "oversight.core.api.throttles.UserThrottle",
        "oversight.core.api.throttles.ScopedThrottle",
    ],
    # "auth": endpoints that take credentials or issue tokens (views set throttle_scope = "auth").
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("OVERSIGHT_API_ANON_RATE", "60/min"),
        "user": os.environ.get("OVERSIGHT_API_USER_RATE", "2000/min"),
        "auth": os.environ.get("OVERSIGHT_API_AUTH_RATE", "10/min"),
    },
}
# The OpenAPI schema and the API docs page: open to everyone in the embedded default, login required when set
# (production sets it: oversight/settings_production.py). Checked by oversight.core.api.permissions.ApiDocsAccess.
API_DOCS_REQUIRE_LOGIN = env_bool("API_DOCS_REQUIRE_LOGIN", False)
SPECTACULAR_SETTINGS = {
    "TITLE": "Oversight API",
    "DESCRIPTION": "Supervision of outsourced services: catalog, SLAs, work orders and their clocks.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["oversight.core.api.permissions.ApiDocsAccess"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the local sidecar package: no CDN on hospital intranets.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One stable schema name per choice set shared by several fields.
    "ENUM_NAME_OVERRIDES": {
        "ForecastSourceEnum": "oversight.workforce.choices.ForecastSource",
        "SourcingScenarioKindEnum": "oversight.sourcing.choices.ScenarioKind",
        "LiaisonRoleEnum": "oversight.liaisons.choices.LiaisonRole",
        "EscalationTriggerEnum": "oversight.liaisons.choices.Trigger",
        "EscalationStatusEnum": "oversight.liaisons.choices.EscalationStatus",
        "EscalationDeliveryEnum": "oversight.liaisons.choices.Delivery",
        "HotlineReportStatusEnum": "oversight.liaisons.choices.HotlineStatus",
        "VendorStateEnum": "oversight.risks.choices_triggers.VendorState",
        "ChannelKindEnum": "oversight.notifications.channels.choices.ChannelKind",
        "ChannelSeverityEnum": "oversight.notifications.channels.choices.Severity",
        "SeverityEnum": "oversight.risks.choices_quant.SeverityKind",  # its name before channels had a severity
        "ChannelDeliveryStatusEnum": "oversight.notifications.channels.choices.DeliveryStatus",
        "ProblemStatusEnum": "oversight.problems.choices.ProblemStatus",
        "SimulationStatusEnum": "oversight.risks.choices_quant.SimulationStatus",
        "RiskStatusEnum": "oversight.risks.choices.RiskStatus",
        "MeetingStatusEnum": "oversight.meetings.choices.MeetingStatus",
        "MeetingActionItemStatusEnum": "oversight.meetings.choices.ActionStatus",
        "MeetingPlanFrequencyEnum": "oversight.meetings.choices.Frequency",
        "FrequencyEnum": "oversight.risks.choices_quant.FrequencyKind",
        "MeetingPlanChannelEnum": "oversight.meetings.choices.Channel",
        "MeetingSeriesKindEnum": "oversight.meetings.choices.SeriesKind",
        "MeetingAgendaKindEnum": "oversight.meetings.choices.AgendaKind",
        "MeetingAgendaAudienceEnum": "oversight.meetings.choices.Audience",
        "MeetingSideEnum": "oversight.meetings.choices.Side",
        "MeetingAttendanceEnum": "oversight.meetings.choices.Attendance",
        "MeetingActionItemEventKindEnum": "oversight.meetings.choices.ActionEventKind",
        "RiskMitigationStatusEnum": "oversight.risks.choices.MitigationStatus",
        "RiskRatingKindEnum": "oversight.risks.choices.RatingKind",
        "RiskLevelEnum": "oversight.risks.choices.RiskLevel",
        "RiskCategoryEnum": "oversight.risks.choices.RiskCategory",
        "RiskTreatmentEnum": "oversight.risks.choices.Treatment",
        "RiskScoreFormulaEnum": "oversight.risks.choices.ScoreFormula",
        "WorkOrderBulkActionEnum": "oversight.tickets.api.serializers.BULK_API_ACTIONS",
        "CIStatusEnum": "oversight.configuration.choices.CIStatus",
        "CIActionEnum": "oversight.configuration.choices.CIAction",
        "CIImportStatusEnum": "oversight.configuration.choices.ImportStatus",
        "ProblemSuggestionStatusEnum": "oversight.problems.choices.SuggestionStatus",
        "ProjectStatusEnum": "oversight.projects.choices.ProjectStatus",
        "ProjectKindEnum": "oversight.projects.choices.ProjectKind",
        "ProjectBaselineStatusEnum": "oversight.projects.choices.BaselineStatus",
        "ProjectLightEnum": "oversight.projects.choices.Light",
        "PriorityEnum": "oversight.catalog.choices.Priority",
        "ImprovementStatusEnum": "oversight.improvement.choices.ItemStatus",
        "ImprovementPriorityEnum": "oversight.improvement.choices.Priority",
        "ImprovementSizeEnum": "oversight.improvement.choices.Size",
        "ImprovementSourceKindEnum": "oversight.improvement.choices.SourceKind",
        "WorkOrderKindEnum": "oversight.tickets.choices.WorkOrderKind",
        "CreatableKindEnum": "oversight.tickets.choices.CreatableKind",
        "EventKindEnum": "oversight.tickets.choices.EventKind",
        "SiteKindEnum": "oversight.tenancy.choices.SiteKind",
        "LevelEnum": "oversight.catalog.choices.Level",
        "SLAStateEnum": "oversight.tickets.choices.SLAState",
        "StatusEnum": "oversight.tickets.choices.Status",
        "ChannelEnum": "oversight.tickets.choices.Channel",
        "SourceEnum": "oversight.catalog.choices.CalendarYearSource",
        "ComplaintStatusEnum": "oversight.feedback.choices.ComplaintStatus",
        "ComplaintSourceEnum": "oversight.feedback.choices.ComplaintSource",
        "ComplaintEventKindEnum": "oversight.feedback.choices.ComplaintEventKind",
        "RatingChannelEnum": "oversight.feedback.choices.RatingChannel",
        "DrawStatusEnum": "oversight.feedback.choices.DrawStatus",
        "MetricEnum": "oversight.catalog.choices.SLAMetric",
        "ContractStatusEnum": "oversight.contracts.choices.ContractStatus",
        "AmountBasisEnum": "oversight.contracts.choices.AmountBasis",
        "DocumentKindEnum": "oversight.contracts.choices.DocumentKind",
        "FeePeriodEnum": "oversight.contracts.choices.FeePeriod",
        "PeriodStatusEnum": "oversight.scorecards.choices.PeriodStatus",
        "PeriodEventKindEnum": "oversight.scorecards.choices.PeriodEventKind",
        "DisputeStatusEnum": "oversight.scorecards.choices.DisputeStatus",
        "StatementStatusEnum": "oversight.settlement.choices.StatementStatus",
        "ArticleStatusEnum": "oversight.knowledge.choices.ArticleStatus",
        "ArticleAudienceEnum": "oversight.knowledge.choices.Audience",
        "ArticleActionEnum": "oversight.knowledge.choices.ArticleAction",
        "ArticleVersionKindEnum": "oversight.knowledge.choices.VersionKind",
        "LineSourceEnum": "oversight.settlement.choices.LineSource",
        "TierEnum": "oversight.tenancy.choices.VendorTier",
        "DimensionEnum": "oversight.scorecards.choices.Dimension",
        "ScoreSourceEnum": "oversight.portfolio.choices.ScoreSource",
        "ScoreDimensionEnum": "oversight.portfolio.choices.ScoreDimension",
        "QualificationRoleEnum": "oversight.portfolio.choices.QualificationRole",
        "RoleEnum": "oversight.tenancy.choices.Role",
        "ChangeStatusEnum": "oversight.changes.choices.ChangeStatus",
        "ChangeTypeEnum": "oversight.changes.choices.ChangeType",
        "ChangeEventKindEnum": "oversight.changes.choices.ChangeEventKind",
        "ChangeWindowKindEnum": "oversight.changes.choices.WindowKind",
        "ChangeReviewOutcomeEnum": "oversight.changes.choices.ReviewOutcome",
        "ChangeConflictCodeEnum": "oversight.changes.choices.ConflictCode",
        "ApprovalRuleEnum": "oversight.changes.choices.ApprovalRule",
        "ApprovalStepStatusEnum": "oversight.changes.choices.StepStatus",
        "ApprovalRequestStatusEnum": "oversight.changes.choices.RequestStatus",
        "CabDecisionEnum": "oversight.changes.choices.CabDecision",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "oversight.core.api.schema.add_standard_error_responses",
    ],
}

# Logs go to the console (docs/operations/logs.md): one JSON object per line with LOG_FORMAT=json (production's
# default), plain text otherwise; both carry the request id (X-Request-ID). LOG_LEVEL=INFO adds one line per request.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "oversight.core.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "oversight.core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy of every page (django-csp 4): only the site's own scripts, styles, images and
# requests. No inline script or eval anywhere: the pages' JavaScript is static/js/oversight.js, htmx runs with
# allowEval false and includeIndicatorStyles false (its <meta name="htmx-config">), and the API docs load their
# init script from a URL (SpectacularSwaggerSplitView). style-src is 'self' without 'unsafe-inline': no template
# has a style attribute or <style> block (scripts may still set element.style, which CSP allows). img-src adds
# data: for the small icons Swagger UI's stylesheet embeds. Downloads keep their own sandboxing policy
# (core.files.DOWNLOAD_CSP): the middleware never replaces a policy a response already has.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Oversight's own knobs.
# Notification channels (docs/notification-channels.md): the key their secrets are encrypted with (default: derived
# from SECRET_KEY), internal hosts/networks every channel may reach despite the SSRF guard, an egress proxy.
CHANNEL_SECRET_KEY = os.environ.get("CHANNEL_SECRET_KEY", "")
OVERSIGHT_CHANNEL_ALLOWED_HOSTS = env_list("OVERSIGHT_CHANNEL_ALLOWED_HOSTS")
OVERSIGHT_EGRESS_PROXY = os.environ.get("OVERSIGHT_EGRESS_PROXY", "")
OVERSIGHT_SITE_NAME = _("Oversight")
OVERSIGHT_AUTO_CLOSE_DAYS = int(os.environ.get("OVERSIGHT_AUTO_CLOSE_DAYS", "3"))
# Satisfaction (oversight.feedback): rating links, complaints, the rating page's rate limit, links in e-mails.
OVERSIGHT_BASE_URL = os.environ.get("OVERSIGHT_BASE_URL", "http://127.0.0.1:8000")
OVERSIGHT_RATING_LINK_DAYS = int(os.environ.get("OVERSIGHT_RATING_LINK_DAYS", "14"))
OVERSIGHT_COMPLAINT_MAX_STARS = int(os.environ.get("OVERSIGHT_COMPLAINT_MAX_STARS", "2"))
OVERSIGHT_DRAW_WINNERS = int(os.environ.get("OVERSIGHT_DRAW_WINNERS", "3"))
OVERSIGHT_RATING_RATE_LIMIT = int(os.environ.get("OVERSIGHT_RATING_RATE_LIMIT", "20"))  # requests per IP and window
OVERSIGHT_RATING_RATE_WINDOW = int(os.environ.get("OVERSIGHT_RATING_RATE_WINDOW", "600"))  # seconds
# Password reset: requests per client address and per e-mail address within the window (seconds).
OVERSIGHT_PASSWORD_RESET_RATE_LIMIT = int(os.environ.get("OVERSIGHT_PASSWORD_RESET_RATE_LIMIT", "5"))
OVERSIGHT_PASSWORD_RESET_EMAIL_LIMIT = int(os.environ.get("OVERSIGHT_PASSWORD_RESET_EMAIL_LIMIT", "3"))
OVERSIGHT_PASSWORD_RESET_RATE_WINDOW = int(os.environ.get("OVERSIGHT_PASSWORD_RESET_RATE_WINDOW", "3600"))
