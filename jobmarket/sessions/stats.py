"""The statistics dashboard's session breakdowns: placements by session, and sessions against the online board."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..extensions import db
from ..models import JobSession, Placement
from ..stats.queries import placement_conditions
from ..stats.tables import Column, Row, Table


def session_tables(f) -> list[Table]:
    """Two tables for the period and filters of the dashboard: by session, and sessions vs the online board."""
    conds = [Placement.hired_at >= f.period.start, Placement.hired_at < f.period.end, *placement_conditions(f)]
    counts = dict(db.session.execute(select(Placement.session_id, func.count(Placement.id)).where(*conds)
                                     .group_by(Placement.session_id)).all())
    at_sessions = sum(n for sid, n in counts.items() if sid is not None)
    columns = [Column("placements", _("Việc làm thành công"))]
    sessions = {s.id: s for s in db.session.scalars(select(JobSession).where(
        JobSession.id.in_([sid for sid in counts if sid is not None])))}
    rows = [Row(str(sid), f"{s.theme} ({s.day.strftime('%d/%m/%Y')})", {"placements": counts[sid]})
            for sid, s in sorted(sessions.items(), key=lambda kv: (kv[1].day, kv[0]))]
    by_session = Table("theo-phien", _("Theo phiên giao dịch việc làm"), _("Phiên"), columns, rows,
                       Row("total", _("Tổng"), {"placements": at_sessions}), chart="placements")
    channel = Table("phien-va-san", _("Phiên giao dịch và sàn trực tuyến"), _("Kênh"), columns, [
        Row("sessions", _("Tại phiên giao dịch việc làm"), {"placements": at_sessions}),
        Row("board", _("Qua sàn trực tuyến"), {"placements": counts.get(None, 0)})],
        Row("total", _("Tổng"), {"placements": at_sessions + counts.get(None, 0)}), chart="placements")
    return [by_session, channel]
