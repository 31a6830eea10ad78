"""Realistic, reproducible Hanoi demo data: accounts, workers, employers, vacancies, applications and hires."""
from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select

from .auth.passwords import hash_password
from .extensions import db
from . import demo_text
from .models import (Application, ApplicationEvent, Employer, FormerDistrict, Occupation, OutboxEntry, Placement,
                     Skill, User, Vacancy, VacancySkill, Ward, WorkerProfile, worker_preferred_wards, worker_skills)
from .models._common import utcnow

DEMO_PASSWORD = "demo-password"
DEMO_WORKER_WARD = "00166"  # Phường Cầu Giấy
DEMO_ACCOUNTS = {"worker": "worker@example.vn", "employer": "employer@example.vn", "officer": "officer@example.vn"}

SURNAMES = ["Nguyễn"] * 38 + ["Trần"] * 11 + ["Lê"] * 9 + ["Phạm"] * 7 + ["Hoàng"] * 5 + ["Vũ"] * 4 + ["Đặng"] * 3 + \
    ["Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Đào", "Mai", "Tạ", "Lưu", "Phan", "Cao", "Kiều"]
MIDDLE_F = ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Phương", "Hồng", "Kim", "Bảo", "Khánh"]
MIDDLE_M = ["Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Xuân", "Thành", "Tiến", "Mạnh", "Anh"]
GIVEN_F = ["Lan", "Hương", "Mai", "Trang", "Linh", "Hà", "Thảo", "Ngọc", "Huyền", "Phương", "Anh", "Hằng", "Nhung",
           "Yến", "Thủy", "Vân", "Dung", "Hoa", "Loan", "Giang", "Quỳnh", "Chi", "My", "Nga", "Oanh"]
GIVEN_M = ["Hùng", "Dũng", "Tuấn", "Nam", "Long", "Minh", "Hải", "Sơn", "Thắng", "Cường", "Hiếu", "Đức", "Phong",
           "Quân", "Khoa", "Trung", "Tùng", "Bình", "Hưng", "Việt", "Thịnh", "Toàn", "Kiên", "Lâm", "Đạt"]

# Share of the labour market by skill category (roughly Hanoi's mix of postings), wages in VND per month.
CATEGORY_MIX = {
    "sales": (10, 8, 20), "retail": (8, 6, 10), "office": (7, 7, 12), "accounting": (6, 9, 18), "it": (7, 15, 40),
    "warehouse": (6, 7, 11), "driving": (6, 9, 18), "cooking": (5, 7, 15), "hospitality": (5, 6, 10),
    "construction": (5, 8, 15), "manufacturing": (5, 7, 12), "electrical": (4, 8, 15), "welding": (3, 9, 16),
    "sewing": (3, 7, 12), "security": (3, 6, 9), "cleaning": (3, 6, 9), "care": (3, 7, 12), "marketing": (4, 9, 20),
    "hr": (2, 9, 18), "mechanical": (3, 8, 15), "agriculture": (2, 5, 8), "beauty": (2, 6, 12),
    "education": (2, 8, 15), "healthcare": (2, 8, 15), "finance": (2, 12, 25), "design": (2, 10, 20),
    "transport": (2, 8, 14), "legal": (1, 10, 20), "languages": (1, 10, 20),
}
TITLES = {
    "sales": ["Nhân viên kinh doanh", "Nhân viên tư vấn bán hàng", "Nhân viên telesales", "Trưởng nhóm kinh doanh"],
    "retail": ["Nhân viên bán hàng cửa hàng", "Thu ngân siêu thị", "Nhân viên bán hàng thời trang"],
    "office": ["Nhân viên hành chính văn phòng", "Nhân viên nhập liệu", "Lễ tân văn phòng", "Thư ký"],
    "accounting": ["Kế toán tổng hợp", "Kế toán thuế", "Kế toán kho", "Kế toán công nợ"],
    "it": ["Lập trình viên Python", "Lập trình viên Java", "Nhân viên IT support", "Lập trình viên front-end", "Kỹ sư kiểm thử phần mềm"],
    "warehouse": ["Nhân viên kho", "Thủ kho", "Nhân viên đóng gói", "Lái xe nâng"],
    "driving": ["Lái xe tải hạng C", "Tài xế giao hàng", "Lái xe con hạng B", "Shipper giao hàng xe máy"],
    "cooking": ["Đầu bếp món Á", "Phụ bếp", "Nhân viên pha chế", "Thợ làm bánh"],
    "hospitality": ["Nhân viên phục vụ nhà hàng", "Lễ tân khách sạn", "Nhân viên buồng phòng"],
    "construction": ["Thợ nề", "Thợ cốp pha", "Thợ sơn bả", "Thợ ốp lát", "Thợ mộc"],
    "manufacturing": ["Công nhân lắp ráp điện tử", "Công nhân vận hành máy CNC", "Nhân viên QC", "Công nhân ép nhựa"],
    "electrical": ["Thợ điện dân dụng", "Thợ điện công nghiệp", "Thợ điện lạnh", "Kỹ thuật viên lắp đặt điều hòa"],
    "welding": ["Thợ hàn điện", "Thợ hàn TIG", "Thợ hàn MIG", "Thợ hàn ống"],
    "sewing": ["Công nhân may công nghiệp", "Thợ cắt may", "Thợ vắt sổ"],
    "security": ["Nhân viên bảo vệ", "Bảo vệ tòa nhà", "Nhân viên giám sát camera"],
    "cleaning": ["Nhân viên vệ sinh công nghiệp", "Giúp việc gia đình", "Tạp vụ văn phòng"],
    "care": ["Nhân viên chăm sóc người cao tuổi", "Bảo mẫu trông trẻ", "Hộ lý"],
    "marketing": ["Nhân viên marketing online", "Chuyên viên SEO", "Nhân viên content marketing"],
    "hr": ["Nhân viên tuyển dụng", "Chuyên viên nhân sự", "Nhân viên C&B"],
    "mechanical": ["Thợ sửa chữa ô tô", "Thợ cơ khí", "Thợ tiện", "Thợ sửa xe máy"],
    "agriculture": ["Công nhân trồng rau", "Nhân viên chăn nuôi", "Công nhân làm vườn"],
    "beauty": ["Thợ cắt tóc", "Thợ làm nail", "Kỹ thuật viên spa"],
    "education": ["Giáo viên tiếng Anh", "Gia sư", "Giáo viên mầm non"],
    "healthcare": ["Điều dưỡng", "Dược sĩ bán thuốc", "Kỹ thuật viên xét nghiệm"],
    "finance": ["Chuyên viên tín dụng", "Chuyên viên phân tích tài chính", "Giao dịch viên ngân hàng"],
    "design": ["Nhân viên thiết kế đồ họa", "Thiết kế nội thất", "Biên tập video"],
    "transport": ["Nhân viên điều phối vận tải", "Phụ xe", "Nhân viên giao nhận"],
    "legal": ["Chuyên viên pháp chế", "Trợ lý luật sư"],
    "languages": ["Phiên dịch tiếng Nhật", "Phiên dịch tiếng Hàn", "Phiên dịch tiếng Trung"],
}
COMPANY_PREFIX = ["Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV", "Hợp tác xã"]
COMPANY_CORE = ["Thăng Long", "Hồng Hà", "Sông Đà", "Tràng An", "Phú Thượng", "Hà Thành", "Long Biên", "Kinh Bắc",
                "Đông Đô", "An Phát", "Minh Khai", "Việt Tiến", "Hòa Bình", "Sao Mai", "Bách Khoa", "Tây Hồ",
                "Nam Việt", "Đại Phát", "Hưng Thịnh", "Phúc An", "Trường Thành", "Ngọc Lan", "Bình Minh", "Quang Trung"]
SECTORS = ["Bán buôn, bán lẻ", "Công nghiệp chế biến, chế tạo", "Xây dựng", "Vận tải, kho bãi", "Lưu trú và ăn uống",
           "Thông tin và truyền thông", "Tài chính, ngân hàng", "Giáo dục", "Y tế", "Nông nghiệp", "Dịch vụ khác"]
EDUCATION = ["lower_secondary", "upper_secondary", "upper_secondary", "vocational", "vocational", "college", "university",
             "university", "postgraduate"]


def _tax_code(rng: random.Random) -> str:
    """A 10-digit tax code with a valid check digit."""
    from .employers.taxcode import check_digit

    while True:
        head = "01" + "".join(str(rng.randrange(10)) for _ in range(7))
        digit = check_digit(head)
        if digit is not None:
            return head + str(digit)


def _name(rng: random.Random, sex: str) -> str:
    middle, given = (MIDDLE_F, GIVEN_F) if sex == "female" else (MIDDLE_M, GIVEN_M)
    return f"{rng.choice(SURNAMES)} {rng.choice(middle)} {rng.choice(given)}"


def _phone(rng: random.Random) -> str:
    return rng.choice(["09", "03", "08", "07"]) + "".join(str(rng.randrange(10)) for _ in range(8))


def demo_exists() -> bool:
    """True when the demo accounts are already there."""
    return db.session.scalar(select(func.count(User.id)).where(User.email.in_(DEMO_ACCOUNTS.values()))) > 0


class _Picker:
    """Weighted choice of skills per category: earlier rows of the vocabulary are the common ones."""

    def __init__(self, skills: list[Skill]):
        self.by_cat: dict[str, list[Skill]] = defaultdict(list)
        for s in skills:
            self.by_cat[s.category].append(s)
        self.weights = {c: [1.0 / (i + 1) ** 0.8 for i in range(len(v))] for c, v in self.by_cat.items()}

    def pick(self, rng: random.Random, category: str, k: int) -> list[Skill]:
        pool, weights = self.by_cat.get(category, []), self.weights.get(category, [])
        chosen: list[Skill] = []
        for _ in range(min(k, len(pool)) * 4):
            s = rng.choices(pool, weights)[0]
            if s not in chosen:
                chosen.append(s)
            if len(chosen) >= k:
                break
        return chosen


def generate(workers: int = 200, vacancies: int = 80, seed: int = 2025, progress: bool = False,
             now: datetime | None = None) -> dict[str, int]:
    """Create demo data in bulk. Same seed, same data. Returns counts of what was created."""
    from tqdm import tqdm

    rng = random.Random(seed)
    now = now or utcnow()
    wards = list(db.session.scalars(select(Ward).order_by(Ward.code)))
    ward_by_code = {w.code: w for w in wards}
    ward_weights = [3.0 if w.unit_type == "phường" else 1.0 for w in wards]
    skills = list(db.session.scalars(select(Skill).order_by(Skill.id)))
    if not wards or not skills:
        raise RuntimeError("Reference data is missing: run 'flask --app jobmarket refdata load' first.")
    picker = _Picker(skills)
    soft = picker.by_cat.get("soft_skills", [])
    cats = [c for c in CATEGORY_MIX if c in picker.by_cat]
    cat_weights = [CATEGORY_MIX[c][0] for c in cats]
    occupations_by_group: dict[str, list[str]] = defaultdict(list)
    for code, parent in db.session.execute(select(Occupation.code, Occupation.parent_code).where(Occupation.level == 4)):
        occupations_by_group[code[:2]].append(code)
        occupations_by_group[code[:1]].append(code)
    demo_hash = hash_password(DEMO_PASSWORD)
    bar = tqdm(total=workers + vacancies, disable=not progress, desc="seed-demo", unit="rows")

    def occupation_for(category: str) -> str | None:
        group = picker.by_cat[category][0].occupation_group
        options = occupations_by_group.get(group) or occupations_by_group.get(group[:1])
        return rng.choice(options) if options else None

    # Accounts: the three demo logins first.
    created = {"users": 0}
    have_demo = demo_exists()
    if not have_demo:
        for role, email in DEMO_ACCOUNTS.items():
            db.session.add(User(email=email, password_hash=demo_hash, role=role, locale="vi"))
        db.session.flush()
        created["users"] += 3
    base_id = db.session.scalar(select(func.coalesce(func.max(User.id), 0)))

    # Employers: one per ~8 vacancies; the demo employer owns the first one.
    n_employers = max(1, vacancies // 8)
    employer_ids: list[int] = []
    demo_employer_user = db.session.scalar(select(User).where(User.email == DEMO_ACCOUNTS["employer"]))
    has_demo_employer = db.session.scalar(select(Employer.id).where(Employer.owner_id == demo_employer_user.id))
    for i in range(n_employers):
        if i == 0 and not has_demo_employer:
            owner_id = demo_employer_user.id
        else:
            user = User(email=f"hr{seed}-{base_id + i}@doanhnghiep.example.vn", password_hash=demo_hash,
                        role="employer", locale="vi")
            db.session.add(user)
            db.session.flush()
            owner_id = user.id
            created["users"] += 1
        ward = rng.choices(wards, ward_weights)[0]
        emp = Employer(owner_id=owner_id, name=f"{rng.choice(COMPANY_PREFIX)} {rng.choice(COMPANY_CORE)} {base_id + i}",
                       tax_code=_tax_code(rng), ward_code=ward.code, sector=rng.choice(SECTORS),
                       contact_person=_name(rng, rng.choice(["female", "male"])), contact_phone=_phone(rng),
                       status="verified" if rng.random() < 0.9 or i == 0 else "unverified",
                       verified_at=now - timedelta(days=rng.randint(30, 400)))
        db.session.add(emp)
        db.session.flush()
        employer_ids.append(emp.id)
    created["employers"] = n_employers

    # Workers.
    worker_rows, skill_rows, pref_rows = [], [], []
    demo_worker_user = db.session.scalar(select(User).where(User.email == DEMO_ACCOUNTS["worker"]))
    has_demo_worker = db.session.scalar(select(WorkerProfile.id).where(WorkerProfile.user_id == demo_worker_user.id))
    user_rows = []
    n_generated = workers if has_demo_worker else max(0, workers - 1)
    for i in range(n_generated):
        user_rows.append(dict(email=f"nld{seed}-{base_id + i}@example.vn", password_hash=demo_hash, role="worker",
                              locale="vi", is_enabled=True, created_at=now))
    if user_rows:
        db.session.execute(insert(User), user_rows)
    user_ids = list(db.session.scalars(select(User.id).where(User.email.in_([r["email"] for r in user_rows]))
                                       .order_by(User.id))) if user_rows else []
    if not has_demo_worker and workers:
        user_ids = [demo_worker_user.id] + user_ids
    created["users"] += len(user_rows)
    worker_cats: list[str] = []
    for i, uid in enumerate(user_ids):
        sex = rng.choice(["female", "male"]) if rng.random() < 0.93 else None
        category = rng.choices(cats, cat_weights)[0]
        ward = rng.choices(wards, ward_weights)[0]
        if uid == demo_worker_user.id:  # the demo job seeker: an accountant living in Cầu Giấy
            category, ward, sex = "accounting", ward_by_code.get(DEMO_WORKER_WARD, ward), "female"
        worker_cats.append(category)
        lo, hi = CATEGORY_MIX[category][1:]
        registered = now - timedelta(days=rng.randint(0, 420), minutes=rng.randint(0, 1440))
        worker_rows.append(dict(
            user_id=uid, full_name=_name(rng, sex or rng.choice(["female", "male"])), phone=_phone(rng),
            contact_email=f"lienhe{base_id + i}@example.vn", birth_year=rng.randint(1968, 2007) if rng.random() < 0.9 else None,
            sex=sex, ward_code=ward.code, anywhere_in_hanoi=rng.random() < 0.35, occupation_code=occupation_for(category),
            expected_wage=int(rng.uniform(lo, (lo + hi) / 2) * 2) * 500_000, job_type=rng.choices(
                ["full_time", "part_time", "shift", "seasonal"], [70, 15, 10, 5])[0],
            education_level=rng.choice(EDUCATION), experience_years=rng.choice([0, 0, 1, 1, 2, 3, 4, 5, 7, 10]),
            languages=rng.choice(["", "", "Tiếng Anh", "Tiếng Anh, Tiếng Trung", "Tiếng Hàn", "Tiếng Nhật"]),
            bio="", is_visible=rng.random() < 0.95, is_seeking=True, created_at=registered, updated_at=registered,
            last_active_at=registered + timedelta(days=rng.randint(0, 60)), version=1))
        bar.update(1)
    if worker_rows:
        db.session.execute(insert(WorkerProfile), worker_rows)
    worker_ids = list(db.session.scalars(select(WorkerProfile.id).where(WorkerProfile.user_id.in_(user_ids))
                                         .order_by(WorkerProfile.user_id)))
    uid_order = sorted(user_ids)
    cat_by_uid = dict(zip(user_ids, worker_cats))
    for wid, uid in zip(worker_ids, uid_order):
        category = cat_by_uid[uid]
        chosen = picker.pick(rng, category, rng.randint(2, 6))
        if soft and rng.random() < 0.6:
            chosen += picker.pick(rng, "soft_skills", rng.randint(1, 2))
        if rng.random() < 0.3:
            chosen += picker.pick(rng, rng.choices(cats, cat_weights)[0], 1)
        for s in {s.id for s in chosen}:
            skill_rows.append(dict(worker_id=wid, skill_id=s))
        if rng.random() < 0.5:
            for w in {rng.choices(wards, ward_weights)[0].code for _ in range(rng.randint(1, 3))}:
                pref_rows.append(dict(worker_id=wid, ward_code=w))
    if skill_rows:
        db.session.execute(insert(worker_skills), skill_rows)
    if pref_rows:
        db.session.execute(insert(worker_preferred_wards), pref_rows)
    created["workers"] = len(worker_ids)

    # Vacancies: three in four published in the last 60 days and open (with a deadline still ahead), the rest older
    # and closed or expired; text in the styles of real boards (jobmarket/demo_text.py).
    district_names = dict(db.session.execute(select(FormerDistrict.code, FormerDistrict.name_vi)).all())
    vacancy_objs: list[Vacancy] = []
    for i in range(vacancies):
        # One vacancy in ten is office or accounting work, so the demo job seeker has real matches.
        category = rng.choices(cats, cat_weights)[0] if i % 10 else rng.choice(["accounting", "office"])
        lo, hi = CATEGORY_MIX[category][1:]
        wage_min = int(rng.uniform(lo, (lo + hi) / 2)) * 1_000_000
        wage_max = wage_min + rng.choice([1, 2, 3, 5]) * 1_000_000
        recent = rng.random() < 0.75
        published = now - timedelta(days=rng.randint(0, 59) if recent else rng.randint(60, 300),
                                    minutes=rng.randint(0, 1440))
        employer_id = employer_ids[0] if i < max(3, vacancies // 10) else rng.choice(employer_ids)
        title = rng.choice(TITLES.get(category, ["Nhân viên"]))
        ward = rng.choices(wards, ward_weights)[0]
        district = district_names.get(ward.district_code, "Hà Nội")
        status = "open" if recent else rng.choice(["closed", "expired"])
        positions = rng.choice([1, 1, 1, 2, 2, 3, 5, 10])
        job_type = rng.choices(["full_time", "part_time", "shift", "seasonal"], [70, 12, 13, 5])[0]
        v = Vacancy(employer_id=employer_id,
                    title=demo_text.posting_title(rng, title, district, wage_min, wage_max, positions),
                    occupation_code=occupation_for(category), ward_code=ward.code,
                    description=demo_text.description(rng, category, title, district, ward.name_vi, wage_min,
                                                      wage_max, positions, job_type),
                    wage_min=wage_min, wage_max=wage_max, positions=positions, job_type=job_type,
                    deadline=(published + timedelta(days=rng.choice([30, 45, 60, 90]))).date()
                    if status != "open" else (now + timedelta(days=rng.randint(7, 60))).date(),
                    education_required=rng.choice([None, "upper_secondary", "vocational", "college", "university"]),
                    experience_required=rng.choice([0, 0, 1, 2, 3]), status=status, published_at=published,
                    created_at=published - timedelta(hours=rng.randint(1, 48)), updated_at=published)
        required = picker.pick(rng, category, rng.randint(2, 4))
        nice = [s for s in picker.pick(rng, category, rng.randint(0, 3)) if s not in required]
        if soft and rng.random() < 0.5:
            nice += [s for s in picker.pick(rng, "soft_skills", 1) if s not in nice]
        v.skill_links = [VacancySkill(skill_id=s.id, required=True) for s in required] + \
                        [VacancySkill(skill_id=s.id, required=False) for s in nice]
        db.session.add(v)
        vacancy_objs.append(v)
        bar.update(1)
    db.session.flush()
    created["vacancies"] = len(vacancy_objs)

    # Applications and hires: workers apply to vacancies of their own trade.
    by_cat_vac: dict[str, list[Vacancy]] = defaultdict(list)
    for v in vacancy_objs:
        cat = next((link.skill.category for link in v.skill_links if link.required), None)
        if cat:
            by_cat_vac[cat].append(v)
    n_apps = n_hires = 0
    seen: set[tuple[int, int]] = set()
    for wid, uid in zip(worker_ids, uid_order):
        options = by_cat_vac.get(cat_by_uid[uid], [])
        for v in rng.sample(options, min(len(options), rng.choice([0, 0, 1, 1, 2, 3]))):
            if (v.id, wid) in seen or v.published_at is None:
                continue
            seen.add((v.id, wid))
            applied = v.published_at + timedelta(days=rng.uniform(0.2, 20))
            if applied > now:
                applied = now - timedelta(hours=1)
            app = Application(vacancy_id=v.id, worker_id=wid, created_at=applied, updated_at=applied,
                              note=rng.choice(["", "", "Tôi có thể đi làm ngay."]))
            app.events.append(ApplicationEvent(from_status=None, to_status="received", at=applied))
            outcome = rng.random()
            responded = applied + timedelta(days=rng.uniform(0.5, 10)) if outcome < 0.55 else None
            if responded is not None and responded <= now and v.positions_filled < v.positions:
                # (an answer that would fall after now is not given yet: the application waits, as recent ones do)
                app.responded_at = responded
                if outcome < 0.18:
                    app.status = "hired"
                    app.events.append(ApplicationEvent(from_status="received", to_status="hired", at=responded))
                    v.positions_filled += 1
                    n_hires += 1
                elif outcome < 0.35:
                    app.status = "rejected"
                    app.reject_reason = "Chưa phù hợp yêu cầu."
                    app.events.append(ApplicationEvent(from_status="received", to_status="rejected", at=responded))
                else:
                    app.status = "shortlisted"
                    app.events.append(ApplicationEvent(from_status="received", to_status="shortlisted", at=responded))
            db.session.add(app)
            n_apps += 1
    db.session.flush()
    for app in db.session.scalars(select(Application).where(Application.status == "hired",
                                                            Application.vacancy_id.in_([v.id for v in vacancy_objs]))):
        v, w = app.vacancy, app.worker
        hired = app.responded_at or app.created_at
        db.session.add(Placement(application_id=app.id, vacancy_id=v.id, employer_id=v.employer_id, hired_at=hired,
                                 vacancy_published_at=v.published_at, ward_code=v.ward_code,
                                 district_code=v.ward.district_code, worker_ward_code=w.ward_code,
                                 occupation_code=v.occupation_code, sex=w.sex, birth_year=w.birth_year,
                                 education_level=w.education_level,
                                 days_to_fill=(hired - v.published_at).total_seconds() / 86400))
        if v.positions_filled >= v.positions and v.status == "open":
            v.status, v.closed_at = "closed", hired
    created["applications"], created["placements"] = n_apps, n_hires
    db.session.flush()
    from .vocabulary import recompute_skill_weights

    recompute_skill_weights(queue=False)  # commits
    # Every new document goes to the search outbox, as with any other write.
    db.session.execute(insert(OutboxEntry), [dict(entity="worker", entity_id=w, created_at=now) for w in worker_ids]
                       + [dict(entity="vacancy", entity_id=v.id, created_at=now) for v in vacancy_objs])
    db.session.commit()
    from .sessions.demo import seed as seed_sessions; created["sessions"] = seed_sessions(seed, now)  # noqa: E702
    bar.close()
    return created
