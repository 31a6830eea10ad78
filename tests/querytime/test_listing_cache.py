"""The home page's counts and the unfiltered listing are kept, and a write of this process shows at once."""
from __future__ import annotations

from sqlalchemy import text

from jobmarket.search import listing_cache, service
from jobmarket.search.service import VacancyQuery


def test_unfiltered_means_every_filter_at_its_default():
    assert listing_cache.is_unfiltered(VacancyQuery())
    assert listing_cache.is_unfiltered(VacancyQuery(sort="wage", page=3, per_page=50, q="   "))
    assert listing_cache.is_unfiltered(VacancyQuery(origin_ward="00070", sort="distance"))  # the key holds it
    for narrowed in (VacancyQuery(q="kho"), VacancyQuery(district_code="005"), VacancyQuery(ward_code="00004"),
                     VacancyQuery(min_wage=1), VacancyQuery(job_type="shift"), VacancyQuery(skill_ids=[1]),
                     VacancyQuery(worker_id=1), VacancyQuery(origin_ward="00004", max_km=3.0)):
        assert not listing_cache.is_unfiltered(narrowed), narrowed


def test_a_kept_answer_is_reused_until_a_watched_write(db):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert listing_cache.remembered(("t",), compute) == 1
    assert listing_cache.remembered(("t",), compute) == 1
    db.session.execute(text("UPDATE users SET locale = 'vi' WHERE id < 0"))  # not a watched table
    assert listing_cache.remembered(("t",), compute) == 1
    db.session.execute(text("UPDATE vacancies SET title = title WHERE id < 0"))
    assert listing_cache.remembered(("t",), compute) == 2
    db.session.commit()
    assert listing_cache.remembered(("t",), compute) == 3  # the commit starts another generation
    assert listing_cache.remembered(("t",), compute, ttl=0) == 4  # expired


def test_home_and_listing_show_a_new_vacancy_at_once(client, factory, db):
    first = client.get("/").get_data(as_text=True)
    page = service.search_vacancies(VacancyQuery())
    assert page.total == 0
    vacancy = factory.vacancy(title="Thủ kho vật tư")
    assert service.search_vacancies(VacancyQuery()).total == 1
    again = client.get("/").get_data(as_text=True)
    assert first != again and "<strong>1</strong>" in again
    listing = client.get("/viec-lam").get_data(as_text=True)
    assert "Thủ kho vật tư" in listing
    # the kept page is a copy: changing what a caller got does not change what the next caller gets
    got = service.search_vacancies(VacancyQuery())
    got.hits.clear()
    assert [h.id for h in service.search_vacancies(VacancyQuery()).hits] == [vacancy.id]
    vacancy.status = "closed"
    db.session.commit()
    assert service.search_vacancies(VacancyQuery()).total == 0


def test_the_anonymous_listing_page_is_kept_and_renewed_after_a_write(client, auth, factory, db):
    factory.vacancy(title="Thủ kho vật tư")
    first = client.get("/viec-lam")
    assert "Thủ kho vật tư" in first.get_data(as_text=True)
    assert client.get("/viec-lam").get_data() == first.get_data()
    factory.vacancy(title="Lễ tân khách sạn")
    assert "Lễ tân khách sạn" in client.get("/viec-lam").get_data(as_text=True)
    # English visitors get the English page, not the kept Vietnamese one
    client.set_cookie("lang", "en")
    english = client.get("/viec-lam").get_data(as_text=True)
    assert 'lang="en"' in english
    client.delete_cookie("lang")
    # a logged-in visitor's page is rendered for them (their menu, the logout form's token)
    auth.register(email="nld-cache@example.vn")
    auth.login(email="nld-cache@example.vn")
    mine = client.get("/viec-lam").get_data(as_text=True)
    assert "csrf_token" in mine
