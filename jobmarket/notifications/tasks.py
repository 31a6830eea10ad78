"""The queue's tasks: send one mail (any kind of notice, or a security link)."""
from __future__ import annotations

import logging

from flask import url_for
from flask_babel import gettext as _

from ..models import User
from .events import KINDS, describe
from .mail import build_message, deliver, mail_context, render_parts
from .queue import task

log = logging.getLogger(__name__)
SECURITY_TEMPLATES = {"password_reset", "verify_email", "claim_account", "password_changed", "login_throttled"}


def undeliverable(email: str) -> bool:
    """Placeholder addresses of walk-in job seekers registered without an email."""
    from ..workers.services import WALKIN_EMAIL_DOMAIN

    return email.endswith("@" + WALKIN_EMAIL_DOMAIN)


def _security_parts(user: User, kind: str, context: dict) -> tuple[str, str, str]:
    """Subject and bodies of a security message; the link's token is made now, from the current password."""
    from ..auth.tokens import make_token

    if kind == "password_reset":
        subject = _("Đặt lại mật khẩu của bạn")
        link = url_for("auth.reset_password", token=make_token("reset", user), _external=True)
    elif kind == "claim_account":
        subject = _("Nhận tài khoản trên Sàn việc làm Hà Nội")
        link = url_for("auth.claim_account", token=make_token("claim", user), _external=True)
    elif kind == "verify_email":
        subject = _("Xác nhận địa chỉ email của bạn")
        link = url_for("auth.verify_email", token=make_token("verify", user, e=user.email), _external=True)
    elif kind == "login_throttled":
        subject = _("Có người thử đăng nhập sai nhiều lần vào tài khoản của bạn")
        link = url_for("auth.forgot_password", _external=True)
    else:
        subject = _("Mật khẩu của bạn vừa được đổi")
        link = url_for("auth.forgot_password", _external=True)
    text, html = render_parts(f"security_{kind}", user=user, link=link, context=context)
    return subject, text, html


@task("mail")
def send_mail(session, payload: dict) -> None:
    """Render one notice or security message in the recipient's language and hand it to the mail server."""
    from ..auth.tokens import make_token

    user = session.get(User, payload["user_id"])
    kind = payload["kind"]
    if user is None or not user.is_enabled or undeliverable(user.email):
        log.info("mail: %s to user %s not sent (no such user, disabled, or no address)", kind, payload["user_id"])
        return
    with mail_context(user.locale):
        if kind in SECURITY_TEMPLATES:
            subject, text, html = _security_parts(user, kind, payload.get("context", {}))
            unsubscribe_url = None
        else:
            context = dict(payload.get("context", {}))
            if kind == "job_alert":
                from .alerts import vacancies_for_message

                context["vacancies"] = vacancies_for_message(context.get("vacancies", []), session)
                if not context["vacancies"]:
                    return  # every vacancy was removed since: nothing to say
            notice = describe(kind, context)
            settings_kind = "application_received" if kind == "application_digest" else kind
            unsubscribe_url = url_for("notifications.unsubscribe",
                                      token=make_token("unsubscribe", user, k=settings_kind), _external=True)
            subject = notice["subject"]
            text, html = render_parts("notice", user=user, notice=notice, kind=kind,
                                      context=context, unsubscribe_url=unsubscribe_url,
                                      settings_url=url_for("notifications.settings", _external=True))
        message = build_message(user.email, subject, text, html, locale=user.locale or "vi",
                                key=payload.get("key"), unsubscribe_url=unsubscribe_url)
    deliver(message)


assert set(SECURITY_TEMPLATES) <= set(KINDS)
