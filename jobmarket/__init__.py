"""Hanoi Job Exchange: the application factory."""
from __future__ import annotations

import logging
import os

from flask import Flask

from .config import build_config

log = logging.getLogger(__name__)

# The areas of the site, each a package with views.py and/or api.py exposing a blueprint `bp`.
AREAS = ("main", "auth", "api", "lookup", "workers", "employers", "office", "search", "stats", "admin", "sessions",
         "notifications")


def create_app(config: dict | None = None) -> Flask:
    """Create and configure one app: configuration, extensions, blueprints, error handlers, commands."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    app = Flask(
        __name__,
        instance_path=os.environ.get("JOBMARKET_INSTANCE_PATH") or os.path.join(root, "instance"),
        template_folder=os.path.join(root, "templates"),
        static_folder=os.path.join(root, "static"),
    )
    app.config.update(build_config(app.instance_path, config))
    os.makedirs(app.instance_path, exist_ok=True)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_security(app)
    register_commands(app)
    register_template_helpers(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind every extension to the app."""
    from . import models  # noqa: F401  (registers the tables)
    from .extensions import babel, csrf, db, limiter, login_manager, migrate
    from .i18n import select_locale, select_timezone

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True, directory=os.path.join(os.path.dirname(app.root_path), "migrations"))
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone,
                   default_translation_directories=os.path.join(app.root_path, "translations"))
    limiter.init_app(app)
    from .search.outbox import install as install_search_outbox

    install_search_outbox(app)  # index changes are written to the search outbox in the same transaction
    from .search.dbindex import install as install_search_index_sync

    install_search_index_sync()  # the database backend's derived tables follow every change, in its transaction
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        from .db_sqlite import install_sqlite_pragmas

        with app.app_context():
            install_sqlite_pragmas(db.engine)

    @app.before_request
    def _fresh_request_caches() -> None:
        # Flask-Login and Flask-Babel cache the user and the locale on `g`. An app context shared by several
        # requests (a test holding one open, a CLI command) must not carry one request's user or language
        # into the next; in production every request has its own context and this costs nothing.
        from flask import g
        from flask_babel import refresh

        g.pop("_login_user", None)
        refresh()

    @login_manager.user_loader
    def load_user(user_id: str):
        """Load the logged-in user for flask-login."""
        from .auth.sessions import load_session_user

        return load_session_user(user_id)


def register_blueprints(app: Flask) -> None:
    """Mount every area of the site: each area's `views.bp` (pages) and `api.bp` (JSON under /api/v1)."""
    import importlib

    for area in AREAS:
        for module_name in ("views", "api"):
            try:
                module = importlib.import_module(f".{area}.{module_name}", __name__)
            except ModuleNotFoundError as exc:
                if exc.name == f"{__name__}.{area}.{module_name}" or exc.name == f"{__name__}.{area}":
                    continue  # the area has no pages or no API
                raise
            app.register_blueprint(module.bp)


def register_errorhandlers(app: Flask) -> None:
    """Render errors as pages (or JSON under /api), rolling back a failed transaction."""
    from .errors import install_error_handlers

    install_error_handlers(app)


def register_security(app: Flask) -> None:
    """Security headers on every response, and sessions that end when their account's privileges change."""
    from .security import install

    install(app)


def register_commands(app: Flask) -> None:
    """Attach the CLI commands (refdata, seed-demo, users, search, jobs)."""
    from .commands import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    """Filters and globals templates use (money, dates, labels)."""
    from .i18n import install_template_helpers

    install_template_helpers(app)
