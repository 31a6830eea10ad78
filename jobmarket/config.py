"""Configuration: defaults, then environment variables, read only when the app is created."""
from __future__ import annotations

import json
import os
from pathlib import Path

# Region I (Hanoi's urban and most suburban communes) monthly minimum wage by effective date.
# Decree 74/2024/NĐ-CP: 4,960,000 VND from 2024-07-01; Decree 293/2025/NĐ-CP: 5,310,000 VND from 2026-01-01.
DEFAULT_MINIMUM_WAGES = [
    ["2024-07-01", 4_960_000],
    ["2026-01-01", 5_310_000],
]

DEFAULT_MATCH_WEIGHTS = {"skills": 0.55, "location": 0.25, "wage": 0.12, "freshness": 0.08}


def _bool(value: str | None, default: bool = False) -> bool:
    """Read a yes/no environment value."""
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def build_config(instance_path: str, overrides: dict | None = None) -> dict:
    """Return the configuration mapping for one app, from defaults, the environment and overrides."""
    env = os.environ
    environment = env.get("JOBMARKET_ENV", env.get("FLASK_ENV", "development"))
    default_db = "sqlite:///" + str(Path(instance_path) / "jobmarket.sqlite3")
    cfg: dict = {
        "ENV_NAME": environment,
        "SECRET_KEY": env.get("SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(env.get("DATABASE_URL") or default_db),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "ELASTICSEARCH_URL": env.get("ELASTICSEARCH_URL") or None,
        "ELASTICSEARCH_SERVER_MODE": env.get("ELASTICSEARCH_SERVER_MODE") or None,
        "SESSIONS_JITSI_BASE_URL": env.get("SESSIONS_JITSI_BASE_URL", "https://meet.jit.si"),  # online booths
        "ELASTICSEARCH_INDEX_PREFIX": env.get("ELASTICSEARCH_INDEX_PREFIX", "jobmarket"),
        "ELASTICSEARCH_TIMEOUT": float(env.get("ELASTICSEARCH_TIMEOUT", "1.0")),
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": _bool(env.get("RATELIMIT_ENABLED"), True),
        "LOGIN_ATTEMPTS_PER_MINUTE": int(env.get("LOGIN_ATTEMPTS_PER_MINUTE", "5")),
        # Login throttling (jobmarket/security/throttle.py): failures per address a minute; account-wide delay.
        "TRUSTED_PROXY_HOPS": int(env.get("TRUSTED_PROXY_HOPS", "0")),
        "LOGIN_FAILURES_PER_ADDRESS": int(env.get("LOGIN_FAILURES_PER_ADDRESS", "20")),
        "LOGIN_ACCOUNT_DELAY_AFTER": int(env.get("LOGIN_ACCOUNT_DELAY_AFTER", "10")),
        "LOGIN_ACCOUNT_WINDOW": int(env.get("LOGIN_ACCOUNT_WINDOW", "900")),
        "LOGIN_ACCOUNT_MAX_DELAY": int(env.get("LOGIN_ACCOUNT_MAX_DELAY", "60")),
        # An unreachable Redis must not turn rate-limited pages into errors: limits fall back to process memory.
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3},
        "REDIS_URL": env.get("REDIS_URL") or None,
        "UPLOAD_FOLDER": env.get("UPLOAD_FOLDER") or str(Path(instance_path) / "uploads"),
        "MAX_CONTENT_LENGTH": int(env.get("MAX_CONTENT_LENGTH", str(6 * 1024 * 1024))),
        "CV_MAX_BYTES": int(env.get("CV_MAX_BYTES", str(5 * 1024 * 1024))),
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": env.get("BABEL_DEFAULT_TIMEZONE", "Asia/Ho_Chi_Minh"),
        "LANGUAGES": ["vi", "en"],
        "WTF_CSRF_ENABLED": True,
        "WTF_I18N_ENABLED": False,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": environment not in {"development", "testing"},
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": environment not in {"development", "testing"},
        "MATCH_WEIGHTS": json.loads(env["MATCH_WEIGHTS"]) if env.get("MATCH_WEIGHTS") else dict(DEFAULT_MATCH_WEIGHTS),
        "MATCH_LOCATION_HALF_KM": float(env.get("MATCH_LOCATION_HALF_KM", "4.0")),
        "MATCH_FRESHNESS_HALF_DAYS": float(env.get("MATCH_FRESHNESS_HALF_DAYS", "30")),
        "MATCH_WAGE_TOLERANCE_VND": float(env.get("MATCH_WAGE_TOLERANCE_VND", "3000000")),
        "MATCH_NICE_TO_HAVE_SHARE": float(env.get("MATCH_NICE_TO_HAVE_SHARE", "0.2")),
        "MINIMUM_WAGES": json.loads(env["MINIMUM_WAGES"]) if env.get("MINIMUM_WAGES") else DEFAULT_MINIMUM_WAGES,
        "REMIND_AFTER_DAYS": int(env.get("REMIND_AFTER_DAYS", "14")),
        "AUTO_DECLINE_AFTER_DAYS": int(env.get("AUTO_DECLINE_AFTER_DAYS", "30")),
        "RETENTION_DAYS": int(env.get("RETENTION_DAYS", "365")),
        "API_TOKEN_DAYS": int(env.get("API_TOKEN_DAYS", "30")),
        "STATS_SUPPRESS_BELOW": 5,
        # Outgoing mail (jobmarket/notifications/mail.py): SMTP when MAIL_SERVER is set, else .eml files in MAIL_FOLDER.
        "MAIL_SERVER": env.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(env.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": _bool(env.get("MAIL_USE_TLS")),
        "MAIL_USERNAME": env.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD") or None,
        "MAIL_DEFAULT_SENDER": env.get("MAIL_DEFAULT_SENDER", "Sàn việc làm Hà Nội <no-reply@vieclam.hanoi.gov.vn>"),
        "MAIL_FOLDER": env.get("MAIL_FOLDER") or str(Path(instance_path) / "mail"),
        "MAIL_TIMEOUT": float(env.get("MAIL_TIMEOUT", "10")),
        "PUBLIC_URL": (env.get("PUBLIC_URL") or "http://127.0.0.1:5000").rstrip("/"),
        "QUEUE_MAX_ATTEMPTS": int(env.get("QUEUE_MAX_ATTEMPTS", "5")),
        "PASSWORD_RESET_MINUTES": int(env.get("PASSWORD_RESET_MINUTES", "30")),
        "PASSWORD_RESETS_PER_HOUR": int(env.get("PASSWORD_RESETS_PER_HOUR", "5")),
        "STATS_PARALLEL": env.get("STATS_PARALLEL", "true").lower() not in {"0", "false", "no", "off"},
        "READING_USD_VND": int(env.get("READING_USD_VND", "26000")),
        "READING_CACHE_SECONDS": float(env.get("READING_CACHE_SECONDS", "300")),
    }
    if environment in {"development", "testing"} and not cfg["SECRET_KEY"]:
        cfg["SECRET_KEY"] = "dev-only-not-secret"
    if overrides:
        cfg.update(overrides)
        if "SQLALCHEMY_DATABASE_URI" in overrides:
            cfg["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(cfg["SQLALCHEMY_DATABASE_URI"])
    if cfg["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # While PostgreSQL is down or restarting, a request must fail fast with a 503 instead of hanging: a short
        # connect time-out, and a short wait for a pooled connection when every one is busy.
        options = dict(cfg["SQLALCHEMY_ENGINE_OPTIONS"])
        options.setdefault("connect_args", {"connect_timeout": int(env.get("DATABASE_CONNECT_TIMEOUT", "3"))})
        options.setdefault("pool_timeout", float(env.get("DATABASE_POOL_TIMEOUT", "5")))
        cfg["SQLALCHEMY_ENGINE_OPTIONS"] = options
    if not cfg.get("SECRET_KEY"):
        raise RuntimeError(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable (outside development it is required)."
        )
    return cfg


def normalise_database_url(url: str) -> str:
    """Make postgres:// and postgresql:// URLs use the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url
