"""The employers' daily digest of new applications (for those who chose it instead of one mail each)."""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import datetime, timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import Notification, NotificationSetting
from ..models._common import utcnow
from .queue import enqueue


def send_application_digests(now: datetime | None = None) -> int:
    """One mail per employer who chose the digest, counting the day's new applications per vacancy; commits."""
    now = now or utcnow()
    since = now - timedelta(days=1)
    users = list(db.session.scalars(select(NotificationSetting.user_id).where(
        NotificationSetting.kind == "application_received", NotificationSetting.channel == "digest",
        NotificationSetting.enabled.is_(True))))
    mail_off = set(db.session.scalars(select(NotificationSetting.user_id).where(
        NotificationSetting.kind == "application_received", NotificationSetting.channel == "mail",
        NotificationSetting.enabled.is_(False))))
    per_user: dict[int, Counter] = defaultdict(Counter)
    if users:
        for user_id, payload in db.session.execute(select(Notification.user_id, Notification.payload).where(
                Notification.user_id.in_(users), Notification.kind == "application_received",
                Notification.created_at > since, Notification.created_at <= now)):
            per_user[user_id][json.loads(payload).get("title", "")] += 1
    sent = 0
    for user_id, counts in per_user.items():
        if user_id in mail_off:
            continue
        key = f"digest:{user_id}:{now:%Y-%m-%d}"
        if enqueue("mail", key, {"user_id": user_id, "kind": "application_digest", "key": key,
                                 "context": {"count": sum(counts.values()),
                                             "vacancies": sorted(counts.items(), key=lambda kv: -kv[1])}}):
            sent += 1
    db.session.commit()
    return sent
