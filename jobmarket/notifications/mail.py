"""Outgoing mail: messages in the recipient's language (plain text + HTML), sent by SMTP or written as .eml files."""
from __future__ import annotations

import logging
import os
import re
import smtplib
import ssl
from contextlib import contextmanager
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app, render_template
from flask_babel import force_locale

log = logging.getLogger(__name__)


class MailError(RuntimeError):
    """The mail could not be handed to the server (the job is retried)."""


@contextmanager
def mail_context(locale: str):
    """Render in `locale` with external links on PUBLIC_URL (never the host of the request that caused it)."""
    app = current_app._get_current_object()
    with app.test_request_context(base_url=app.config["PUBLIC_URL"]), force_locale(locale or "vi"):
        yield


def render_parts(template: str, **context) -> tuple[str, str]:
    """The plain-text and HTML bodies of templates/mail/<template>.txt and .html."""
    text = render_template(f"mail/{template}.txt", **context)
    html = render_template(f"mail/{template}.html", **context)
    return text, html


def build_message(to: str, subject: str, text: str, html: str, *, locale: str = "vi", key: str | None = None,
                  unsubscribe_url: str | None = None) -> EmailMessage:
    """A multipart/alternative message; with unsubscribe_url, the RFC 8058 one-click unsubscribe headers."""
    config = current_app.config
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="vieclam.hanoi.gov.vn")
    message["Content-Language"] = locale
    if key:
        message["X-Delivery-Key"] = key
    if unsubscribe_url:
        message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def deliver(message: EmailMessage) -> str:
    """Hand a message to MAIL_SERVER (SMTP, STARTTLS when MAIL_USE_TLS), or without one write it to MAIL_FOLDER.
    Returns where it went; raises MailError when the server refuses or cannot be reached."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        return _write_file(message, config["MAIL_FOLDER"])
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls(context=ssl.create_default_context())
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"SMTP {config['MAIL_SERVER']}:{config['MAIL_PORT']}: {exc}") from exc
    return f"smtp://{config['MAIL_SERVER']}:{config['MAIL_PORT']}"


def _write_file(message: EmailMessage, folder: str) -> str:
    """Development: the message as an .eml file, named by time and delivery key (writing it again overwrites)."""
    os.makedirs(folder, exist_ok=True)
    key = message.get("X-Delivery-Key") or message["Message-ID"]
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", str(key)).strip("-")[:120]
    path = os.path.join(folder, f"{safe}.eml")
    with open(path, "wb") as handle:
        handle.write(bytes(message))
    return path


def mail_files(folder: str) -> list[dict]:
    """The .eml files of MAIL_FOLDER, newest first, with their subject and recipient (the development page)."""
    from email import policy
    from email.parser import BytesParser

    if not os.path.isdir(folder):
        return []
    found = []
    for name in os.listdir(folder):
        if not name.endswith(".eml"):
            continue
        path = os.path.join(folder, name)
        with open(path, "rb") as handle:
            parsed = BytesParser(policy=policy.default).parse(handle)
        body = parsed.get_body(preferencelist=("plain",))
        found.append({"name": name, "to": parsed["To"], "subject": parsed["Subject"], "date": parsed["Date"],
                      "mtime": os.path.getmtime(path), "text": body.get_content() if body else ""})
    return sorted(found, key=lambda m: m["mtime"], reverse=True)
