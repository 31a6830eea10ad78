"""Job alerts: saved searches and "match me", matched per new vacancy, at most 10 a message, never twice."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from jobmarket.models import AlertHit, JobAlert


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_saved_search_gets_new_matching_vacancies_once(app, client, auth, db, factory, mailbox):
    from jobmarket.notifications import alerts

    worker = factory.worker(skills=("han-dien",), email="tim-viec@example.vn")
    auth.login("tim-viec@example.vn")
    saved = client.post("/nguoi-lao-dong/thong-bao-viec-lam",
                        data={"action": "save", "q": "thợ HÀN", "job_type": "full_time", "frequency": "daily"})
    assert saved.status_code == 302
    alert = db.session.scalar(select(JobAlert))
    assert alert.words == "tho han" and alert.lead_word in ("tho", "han")
    employer = factory.employer(contact_phone="0249998887")
    factory.vacancy(employer=employer, title="Thợ hàn điện", required=("han-dien",))
    factory.vacancy(employer=employer, title="Thợ hàn bán thời gian", job_type="part_time")  # filter: no
    factory.vacancy(employer=employer, title="Phụ bếp nhà hàng")  # words: no
    report = alerts.run()
    assert (report.vacancies, report.hits, report.messages) == (3, 1, 1)
    message = mailbox.wait(1)[0]
    assert message["To"] == "tim-viec@example.vn"
    assert message["Subject"] == "1 việc làm mới phù hợp với bạn"
    body = _text(message)
    assert "Thợ hàn điện" in body and "khớp “tho han”" in body and "có 1/1 kỹ năng yêu cầu" in body
    assert "bán thời gian" not in body and "Phụ bếp" not in body and "0249998887" not in body
    assert re.search(r"Mức phù hợp: \d+%", body)
    assert message["List-Unsubscribe"]
    # the next day: nothing new, nothing sent again
    later = alerts.run(now=alerts.utcnow() + alerts.timedelta(days=1))
    assert (later.vacancies, later.messages) == (0, 0)
    assert len(mailbox.messages) == 1


def test_match_me_alert_ranks_and_sends_at_most_ten(app, db, factory, mailbox):
    from jobmarket.notifications import alerts

    worker = factory.worker(skills=("han-dien",), expected_wage=8_000_000)
    alerts.set_match_alert(worker, True)
    employer = factory.employer()
    for n in range(12):
        factory.vacancy(employer=employer, title=f"Thợ hàn {n}", required=("han-dien",),
                        wage_max=7_000_000 + n * 200_000)
    report = alerts.run()
    assert report.hits == 12 and report.messages == 1
    message = mailbox.wait(1)[0]
    body = _text(message)
    listed = re.findall(r"^\d+\. (Thợ hàn \d+)", body, flags=re.M)
    assert len(listed) == 10  # at most 10 per message
    scores = [int(s) for s in re.findall(r"Mức phù hợp: (\d+)%", body)]
    assert scores == sorted(scores, reverse=True)
    assert db.session.scalar(select(func.count(AlertHit.id)).where(AlertHit.sent_at.is_(None))) == 0
    # a saved search that finds the same vacancies later never sends them again
    alerts.save_search(worker, q="thợ hàn")
    assert alerts.run(now=alerts.utcnow() + alerts.timedelta(days=2)).messages == 0


def test_weekly_alert_waits_a_week(app, db, factory, mailbox):
    from jobmarket.notifications import alerts

    worker = factory.worker(skills=("han-dien",))
    alerts.save_search(worker, q="bảo vệ", frequency="weekly")
    employer = factory.employer()
    factory.vacancy(employer=employer, title="Bảo vệ ca đêm")
    first = alerts.run()
    assert first.messages == 1
    factory.vacancy(employer=employer, title="Bảo vệ toà nhà")
    assert alerts.run(now=alerts.utcnow() + alerts.timedelta(days=2)).messages == 0
    assert alerts.run(now=alerts.utcnow() + alerts.timedelta(days=7)).messages == 1


def test_alerts_send_command_and_bad_input(app, client, auth, db, factory, runner, mailbox):
    factory.worker(email="lenh@example.vn")
    auth.login("lenh@example.vn")
    empty = client.post("/nguoi-lao-dong/thong-bao-viec-lam", data={"action": "save", "q": "  "})
    assert empty.status_code == 422 and "ít nhất một bộ lọc" in empty.get_data(as_text=True)
    odd = client.post("/nguoi-lao-dong/thong-bao-viec-lam",
                      data={"action": "save", "q": "lái xe", "frequency": "hourly"})
    assert odd.status_code == 422
    client.post("/nguoi-lao-dong/thong-bao-viec-lam", data={"action": "save", "q": "lái xe", "min_wage": "abc"})
    factory.vacancy(title="Lái xe tải")
    result = runner.invoke(args=["alerts", "send"])
    assert result.exit_code == 0, result.output
    assert "vacancies matched: 1, new hits: 1, messages queued: 1" in result.output
    assert mailbox.wait(1)[0]["To"] == "lenh@example.vn"
