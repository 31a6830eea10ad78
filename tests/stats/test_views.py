"""The dashboard: who may see it, what it shows (charts with tables, Vietnamese numbers), bad filters."""
from __future__ import annotations

import re

import pytest

URL = "/can-bo/thong-ke"
JUNE = {"period": "month", "month": "2025-06"}


def test_anonymous_is_sent_to_login(client, db):
    for url in (URL, URL + "/ban-in", URL + "/xuat/khu-vuc.csv", URL + "/xuat/tat-ca.xlsx"):
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"], url


@pytest.mark.parametrize("role", ["worker", "employer"])
def test_workers_and_employers_are_refused(client, auth, factory, role):
    user = factory.user(role=role)
    auth.login(email=user.email)
    for url in (URL, URL + "/ban-in", URL + "/xuat/khu-vuc.csv", URL + "/xuat/tat-ca.xlsx"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "không có quyền" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["officer", "admin"])
def test_officers_and_admins_see_the_dashboard(client, auth, factory, world, role):
    user = factory.user(role=role)
    auth.login(email=user.email)
    response = client.get(URL, query_string=JUNE)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Tháng 06/2025" in html
    # Charts: inline SVG, announced as images with a title and a description, no script, no external asset.
    svgs = re.findall(r"<svg[^>]*>", html)
    assert len(svgs) >= 8 and all('role="img"' in s and "aria-label=" in s for s in svgs)
    assert html.count("<title id=") == len(svgs) and html.count("<desc id=") == len(svgs)
    assert "<script" not in html and "https://" not in html.replace("http://www.w3.org/2000/svg", "")
    # The map: a circle per former district, each with its name and value.
    assert html.count("<circle") >= 30 + 12
    assert "Cầu Giấy: 4</title>" in html
    # Every chart has its numbers in a table with headers.
    assert html.count("<table class=\"stats\"") >= 10 and 'scope="col"' in html and 'scope="row"' in html
    # Vietnamese number formats: 7 of 19 seekers placed is 36,8%; 11 of 15 applications answered 73,3%.
    assert "36,8%" in html and "73,3%" in html
    assert "Hàn điện" in html and "Phường Cầu Giấy" in html


def test_numbers_are_grouped_the_vietnamese_way(client, officer, db, factory):
    from jobmarket.models import Placement
    from jobmarket.models._common import utcnow
    from tests.stats.world import local

    employer = factory.employer()
    vacancy = factory.vacancy(employer=employer, published_at=local("2025-06-01 10:00"))
    db.session.add_all([Placement(vacancy_id=vacancy.id, employer_id=employer.id, hired_at=local("2025-06-02 10:00"),
                                  ward_code="00004", district_code="001", days_to_fill=1.5) for _ in range(1234)])
    db.session.commit()
    assert utcnow()  # the placements are far in the past of today
    html = client.get(URL, query_string=JUNE).get_data(as_text=True)
    assert "1.234" in html and "1,234" not in html
    assert "1,5" in html  # the median time to fill, with a decimal comma


def test_filters_work_without_javascript(client, officer, world):
    html = client.get(URL, query_string={"period": "year", "year": "2025", "district": "005", "sex": "male"}) \
        .get_data(as_text=True)
    assert '<form method="get"' in html
    for name in ("period", "month", "quarter", "year", "start", "end", "district", "ward", "occupation", "sex", "age",
                 "education"):
        assert f'id="f-{name}" name="{name}"' in html and f'for="f-{name}"' in html
    assert '<option value="005" selected>' in html and '<option value="male" selected>' in html
    assert "Quận Cầu Giấy" in html and "không chia theo giới tính" in html


@pytest.mark.parametrize("args, field, message", [
    ({"period": "custom", "start": "hôm qua", "end": "2025-06-30"}, "start", "Ngày bắt đầu không hợp lệ"),
    ({"period": "custom", "start": "2025-06-30", "end": "2025-02-30"}, "end", "Ngày kết thúc không hợp lệ"),
    ({"period": "custom", "start": "2025-07-01", "end": "2025-06-01"}, "end", "Ngày bắt đầu phải trước"),
    ({"period": "month", "month": "2025-13"}, "month", "Tháng không hợp lệ"),
    ({"period": "year", "year": "abcd"}, "year", "Năm không hợp lệ"),
    ({"period": "quarter", "year": "2025", "quarter": "5"}, "quarter", "Quý không hợp lệ"),
    ({"period": "tuần"}, "period", "Kỳ thống kê không hợp lệ"),
    ({"district": "999"}, "district", "Không có khu vực"),
    ({"ward": "xyz"}, "ward", "Không có phường, xã"),
    ({"district": "001", "ward": "00166"}, "ward", "không thuộc khu vực"),
    ({"occupation": "7212"}, "occupation", "Nhóm nghề phải là mã VSCO cấp 1 hoặc cấp 2"),
    ({"sex": "nam"}, "sex", "Giới tính không hợp lệ"),
    ({"age": "30"}, "age", "Nhóm tuổi không hợp lệ"),
    ({"education": "phd"}, "education", "Trình độ học vấn không hợp lệ"),
])
def test_bad_filters_get_a_clear_vietnamese_message(client, officer, db, args, field, message):
    response = client.get(URL, query_string=args)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html and 'role="alert"' in html
    assert f'id="f-{field}-error"' in html and f'aria-describedby="f-{field}-error"' in html
    assert "<svg" not in html  # no figures for filters that do not make sense
    export = client.get(URL + "/xuat/khu-vuc.csv", query_string=args)
    assert export.status_code == 400 and message in export.get_data(as_text=True)


def test_printable_view_has_every_table_and_no_form(client, officer, world):
    response = client.get(URL + "/ban-in", query_string=JUNE)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<form method=\"get\"" not in html and "<details>" not in html
    assert html.count("<table class=\"stats\"") == 10 and "Ngày in" in html and "Tháng 06/2025" in html


def test_unknown_export_is_404(client, officer, db):
    assert client.get(URL + "/xuat/khong-co.csv").status_code == 404
    assert client.get(URL + "/xuat/khu-vuc.pdf").status_code == 404
    assert client.get(URL + "/xuat/tat-ca.csv").status_code == 404
