"""A fixed, generated corpus of Hanoi vacancies and a labelled set of queries with their relevant vacancies.

Twenty job families of twelve vacancies (titles varied the way boards write them), with descriptions that carry
the words of other families on purpose: "kế hoạch" beside "kế toán", "toán" for a maths teacher, "máy" beside "may",
"lái" for a delivery rider, "kinh doanh" in a shop's description. A query's relevant vacancies are those of its
family (LABELS), in its former district when the query names one. Everything is deterministic: the same rows and
labels on every run and backend.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

# ward code -> former district code (Ba Đình 001, Cầu Giấy 005, Đống Đa 006, Đông Anh 017 ...), cycled over vacancies
WARDS = ("00004", "00166", "00235", "00199", "00454", "00070", "00376", "00008", "00025", "00190", "00175", "00160")

FAMILIES = {
    "ke_toan": (["Kế toán tổng hợp", "Nhân viên kế toán", "Kế toán thuế", "Kế toán công nợ", "Kế toán kho",
                 "Kế toán bán hàng", "Kế toán nội bộ", "Trợ lý kế toán", "Kế toán trưởng", "Kế toán thanh toán",
                 "Kế toán viên", "Kế toán giá thành"],
                "Hạch toán chứng từ, lập báo cáo tài chính, quyết toán thuế. Sử dụng phần mềm MISA.",
                ("ke-toan-tong-hop", "misa")),
    "lai_xe": (["Lái xe tải", "Tài xế xe tải", "Lái xe giao hàng bằng xe tải", "Lái xe con", "Lái xe văn phòng",
                "Tài xế lái xe 7 chỗ", "Lái xe container", "Lái xe khách", "Lái xe cho giám đốc", "Lái xe taxi",
                "Lái xe đưa đón nhân viên", "Tài xế xe bán tải"],
               "Có bằng lái B2 trở lên, thông thạo đường Hà Nội, lái xe an toàn.", ("lai-xe-tai",)),
    "tho_han": (["Thợ hàn điện", "Thợ hàn TIG", "Thợ hàn MIG", "Thợ hàn inox", "Thợ hàn kết cấu thép",
                 "Công nhân hàn", "Thợ hàn ống", "Thợ hàn cơ khí", "Thợ hàn xì", "Thợ hàn bấm", "Thợ hàn nhôm",
                 "Thợ hàn 6G"],
                "Hàn kết cấu thép tại xưởng, đọc bản vẽ, đảm bảo chất lượng mối hàn.", ("han-dien",)),
    "tho_dien": (["Thợ điện dân dụng", "Thợ điện công nghiệp", "Kỹ thuật viên điện", "Nhân viên kỹ thuật điện",
                  "Thợ điện công trình", "Thợ điện nước", "Thợ điện tòa nhà", "Thợ sửa điện", "Kỹ sư điện",
                  "Thợ lắp điện", "Thợ điện bảo trì", "Thợ đi dây điện"],
                 "Lắp đặt, sửa chữa hệ thống điện, tủ điện, chiếu sáng. Tuân thủ an toàn điện.", ("dien-dan-dung",)),
    "dien_lanh": (["Thợ điện lạnh", "Kỹ thuật viên điện lạnh", "Thợ sửa điều hòa", "Thợ lắp đặt điều hòa",
                   "Nhân viên bảo dưỡng điều hòa", "Thợ sửa tủ lạnh", "Kỹ thuật điện lạnh công nghiệp",
                   "Thợ điện lạnh ô tô", "Nhân viên kỹ thuật điều hòa", "Thợ nạp gas điều hòa",
                   "Kỹ thuật viên bảo trì điện lạnh", "Thợ phụ điện lạnh"],
                  "Lắp đặt, bảo dưỡng điều hòa, tủ lạnh, kho lạnh cho khách hàng.", ("dien-lanh",)),
    "kinh_doanh": (["Nhân viên kinh doanh", "Chuyên viên kinh doanh", "Nhân viên kinh doanh bất động sản",
                    "Trưởng nhóm kinh doanh", "Nhân viên kinh doanh phần mềm", "Nhân viên kinh doanh thiết bị y tế",
                    "Chuyên viên kinh doanh dự án", "Nhân viên kinh doanh ô tô",
                    "Nhân viên kinh doanh xuất nhập khẩu", "Nhân viên kinh doanh online",
                    "Giám sát kinh doanh", "Nhân viên phát triển kinh doanh"],
                   "Tìm kiếm khách hàng, đàm phán hợp đồng, đạt chỉ tiêu doanh số.", ("giao-tiep",)),
    "ban_hang": (["Nhân viên bán hàng", "Nhân viên bán hàng siêu thị", "Nhân viên bán hàng thời trang",
                  "Nhân viên bán hàng điện thoại", "Bán hàng cửa hàng tiện lợi", "Nhân viên bán hàng mỹ phẩm",
                  "Nhân viên bán hàng showroom", "Thu ngân kiêm bán hàng", "Nhân viên bán hàng ca tối",
                  "Nhân viên bán hàng tại quầy", "Nhân viên bán hàng nhà sách", "Nhân viên bán hàng đồ gia dụng"],
                 "Tư vấn, giới thiệu sản phẩm cho khách tại cửa hàng, hỗ trợ phòng kinh doanh.", ("giao-tiep",)),
    "phuc_vu": (["Nhân viên phục vụ nhà hàng", "Phục vụ quán cà phê", "Nhân viên phục vụ bàn", "Phục vụ tiệc cưới",
                 "Nhân viên phục vụ khách sạn", "Phục vụ quán bia", "Nhân viên phục vụ ca sáng",
                 "Phục vụ nhà hàng lẩu", "Nhân viên phục vụ buffet", "Phục vụ quầy bar",
                 "Nhân viên phục vụ bán thời gian", "Phục vụ nhà hàng Nhật"],
                "Đón tiếp, phục vụ khách, dọn bàn, giữ vệ sinh khu vực.", ("giao-tiep",)),
    "bao_ve": (["Nhân viên bảo vệ", "Bảo vệ tòa nhà", "Bảo vệ ca đêm", "Bảo vệ nhà máy", "Bảo vệ siêu thị",
                "Bảo vệ trường học", "Bảo vệ chung cư", "Bảo vệ ngân hàng", "Bảo vệ công trường", "Bảo vệ bệnh viện",
                "Bảo vệ văn phòng", "Bảo vệ kho hàng"],
               "Tuần tra, kiểm soát ra vào, đảm bảo an ninh trật tự.", ("bao-ve",)),
    "cskh": (["Nhân viên chăm sóc khách hàng", "Chăm sóc khách hàng qua điện thoại", "Tổng đài viên chăm sóc khách hàng",
              "Chuyên viên chăm sóc khách hàng", "Nhân viên chăm sóc khách hàng online",
              "Chăm sóc khách hàng ngân hàng", "Chăm sóc khách hàng spa", "Trưởng nhóm chăm sóc khách hàng",
              "Nhân viên chăm sóc khách hàng bảo hiểm", "Chăm sóc khách hàng sau bán",
              "Nhân viên chăm sóc khách hàng ca đêm", "Giám sát chăm sóc khách hàng"],
             "Giải đáp thắc mắc, xử lý khiếu nại, chăm sóc khách hàng sau bán.", ("cham-soc-khach-hang",)),
    "lap_trinh": (["Lập trình viên Python", "Lập trình viên Java", "Lập trình viên PHP", "Lập trình viên web",
                   "Lập trình viên di động", "Lập trình viên front-end", "Lập trình viên back-end",
                   "Lập trình viên .NET", "Lập trình viên game", "Lập trình viên nhúng", "Lập trình viên full-stack",
                   "Lập trình viên ứng dụng"],
                  "Phát triển phần mềm, viết mã, kiểm thử, làm việc nhóm theo Scrum.", ("python",)),
    "giao_vien": (["Giáo viên tiếng Anh", "Giáo viên mầm non", "Giáo viên toán", "Giáo viên tiểu học",
                   "Giáo viên dạy toán cấp hai", "Giáo viên vật lý", "Giáo viên ngữ văn", "Giáo viên tin học",
                   "Giáo viên dạy kèm toán", "Giáo viên hóa học", "Giáo viên âm nhạc", "Giáo viên thể dục"],
                  "Soạn giáo án, giảng dạy học sinh, dạy toán và các môn theo chương trình.", ("giao-tiep",)),
    "tho_may": (["Thợ may công nghiệp", "Công nhân may", "Thợ may mẫu", "Thợ may áo dài", "Thợ may đo",
                 "Công nhân may mặc", "Thợ may veston", "Thợ may rèm", "Thợ may túi xách", "Thợ cắt may",
                 "Thợ may đồng phục", "Thợ may váy cưới"],
                "May hàng theo mẫu trên máy may công nghiệp, đảm bảo đường may đẹp.", ("may-cong-nghiep",)),
    "van_hanh_may": (["Công nhân vận hành máy", "Vận hành máy CNC", "Vận hành máy ép nhựa", "Vận hành máy in",
                      "Công nhân vận hành máy đóng gói", "Vận hành máy xúc", "Vận hành máy cắt laser",
                      "Vận hành máy tiện", "Vận hành máy phay", "Vận hành máy dập", "Vận hành máy nghiền",
                      "Vận hành máy chiết rót"],
                     "Vận hành, theo dõi máy móc sản xuất, báo cáo sự cố, kế hoạch bảo dưỡng.", ("cnc",)),
    "ke_hoach": (["Nhân viên kế hoạch sản xuất", "Chuyên viên kế hoạch", "Nhân viên lập kế hoạch",
                  "Trưởng phòng kế hoạch", "Nhân viên kế hoạch vật tư", "Kế hoạch đơn hàng",
                  "Chuyên viên kế hoạch kinh doanh", "Nhân viên kế hoạch kho", "Điều phối kế hoạch",
                  "Nhân viên kế hoạch marketing", "Nhân viên kế hoạch dự án", "Nhân viên kế hoạch mua hàng"],
                 "Lập kế hoạch sản xuất, phối hợp phòng kế toán và kho, theo dõi tiến độ.", ("excel",)),
    "tap_vu": (["Nhân viên tạp vụ", "Tạp vụ văn phòng", "Tạp vụ tòa nhà", "Tạp vụ nhà hàng", "Tạp vụ bệnh viện",
                "Tạp vụ trường học", "Tạp vụ ca chiều", "Tạp vụ khách sạn", "Tạp vụ chung cư", "Tạp vụ nhà máy",
                "Tạp vụ bán thời gian", "Tạp vụ siêu thị"],
               "Dọn dẹp, lau chùi, giữ vệ sinh sạch sẽ khu vực làm việc.", ("lam-viec-nhom",)),
    "giao_hang": (["Nhân viên giao hàng", "Shipper giao hàng", "Giao hàng xe máy", "Nhân viên giao hàng nội thành",
                   "Giao hàng thương mại điện tử", "Nhân viên giao nhận hàng", "Giao hàng bán thời gian",
                   "Nhân viên giao hàng ca tối", "Shipper giao đồ ăn", "Giao hàng cho siêu thị",
                   "Nhân viên giao hàng cồng kềnh", "Giao hàng nhanh"],
                  "Có xe máy, bằng lái A1, giao hàng đúng giờ cho khách.", ("giao-tiep",)),
    "dau_bep": (["Đầu bếp", "Bếp chính", "Phụ bếp", "Đầu bếp món Việt", "Đầu bếp món Âu", "Bếp trưởng",
                 "Đầu bếp nhà hàng chay", "Phụ bếp nhà hàng", "Đầu bếp món Hàn", "Bếp nóng", "Đầu bếp bánh",
                 "Đầu bếp bếp ăn công nghiệp"],
                "Chế biến món ăn, sơ chế nguyên liệu, đảm bảo vệ sinh an toàn thực phẩm.", ("lam-viec-nhom",)),
    "nhan_su": (["Nhân viên nhân sự", "Chuyên viên tuyển dụng", "Nhân viên hành chính nhân sự",
                 "Trưởng phòng nhân sự", "Chuyên viên nhân sự tiền lương", "Nhân viên tuyển dụng",
                 "Chuyên viên đào tạo nhân sự", "Nhân viên nhân sự tổng hợp", "Thực tập sinh nhân sự",
                 "Chuyên viên C&B nhân sự", "Nhân viên tuyển dụng sản xuất", "Giám đốc nhân sự"],
                "Tuyển dụng, quản lý hồ sơ nhân sự, chấm công, tính lương.", ("tuyen-dung",)),
    "thu_kho": (["Thủ kho", "Nhân viên kho", "Thủ kho vật tư", "Nhân viên quản lý kho", "Thủ kho thành phẩm",
                 "Nhân viên kho vận", "Thủ kho nhà máy", "Nhân viên xuất nhập kho", "Thủ kho công trình",
                 "Nhân viên kho lạnh", "Thủ kho siêu thị", "Nhân viên kiểm kho"],
                "Nhập xuất hàng, kiểm kê kho, phối hợp với kế toán kho.", ("quan-ly-kho",)),
}

# query -> (families, former district code or None)
LABELS: dict[str, tuple[tuple[str, ...], str | None]] = {}
_QUERIES = {
    "ke_toan": ["kế toán", "ke toan", "nhân viên kế toán"],
    "lai_xe": ["lái xe", "lai xe", "tài xế"],
    "tho_han": ["thợ hàn", "tho han", "hàn"],
    "tho_dien": ["thợ điện", "tho dien", "điện dân dụng"],
    "dien_lanh": ["điện lạnh", "dien lanh", "điều hòa"],
    "kinh_doanh": ["nhân viên kinh doanh", "nhan vien kinh doanh", "kinh doanh"],
    "ban_hang": ["bán hàng", "ban hang", "nhân viên bán hàng"],
    "phuc_vu": ["phục vụ", "phuc vu", "nhân viên phục vụ"],
    "bao_ve": ["bảo vệ", "bao ve", "nhân viên bảo vệ"],
    "cskh": ["chăm sóc khách hàng", "cham soc khach hang", "\"chăm sóc khách hàng\""],
    "lap_trinh": ["lập trình viên", "lap trinh", "lập trình"],
    "giao_vien": ["giáo viên", "giao vien", "giáo viên dạy"],
    "tho_may": ["thợ may", "tho may", "may"],
    "van_hanh_may": ["vận hành máy", "van hanh may", "máy"],
    "ke_hoach": ["kế hoạch", "ke hoach", "nhân viên kế hoạch"],
    "tap_vu": ["tạp vụ", "tap vu", "nhân viên tạp vụ"],
    "giao_hang": ["giao hàng", "giao hang", "nhân viên giao hàng"],
    "dau_bep": ["đầu bếp", "dau bep", "bếp"],
    "nhan_su": ["nhân sự", "nhan su", "tuyển dụng"],
    "thu_kho": ["thủ kho", "thu kho", "kho"],
}
for _family, _qs in _QUERIES.items():
    for _q in _qs:
        LABELS[_q] = ((_family,), None)
# a "thợ điện" is also what people call an electrician working on refrigeration ("Thợ điện lạnh")
LABELS["thợ điện"] = LABELS["tho dien"] = (("tho_dien", "dien_lanh"), None)
# queries naming a former district (Cầu Giấy 005, Đống Đa 006): the family's vacancies there
LABELS.update({"kế toán cầu giấy": (("ke_toan",), "005"), "thợ hàn đống đa": (("tho_han",), "006"),
               "bảo vệ quận cầu giấy": (("bao_ve",), "005"), "lai xe dong da": (("lai_xe",), "006")})


@dataclass
class Corpus:
    """The built corpus: vacancy id -> (key, family, former district code)."""

    vacancies: dict[int, tuple[str, str, str]]

    def relevant(self, query: str) -> set[int]:
        """The vacancies relevant to a labelled query."""
        families, district = LABELS[query]
        return {vid for vid, (_, fam, d) in self.vacancies.items() if fam in families and (district is None or
                                                                                        d == district)}


def build(factory, now) -> Corpus:
    """Create the corpus's vacancies (open, of verified employers, published over the last 60 days)."""
    from jobmarket.models import Ward

    db = factory.db
    districts = {w: db.session.get(Ward, w).district_code for w in WARDS}
    employers = [factory.employer(name=f"Công ty Cổ phần Thành Công {i}") for i in range(4)]
    out: dict[int, tuple[str, str, str]] = {}
    n = 0
    for family, (titles, description, skills) in FAMILIES.items():
        for i, title in enumerate(titles):
            ward = WARDS[(n * 7 + n // len(WARDS)) % len(WARDS)]  # every family over every ward
            text = f"{title}.\nMô tả công việc:\n- {description}\nYêu cầu: chăm chỉ, trung thực.\nQuyền lợi: lương " \
                   f"{8 + i % 5}-{12 + i % 5} triệu, bảo hiểm đầy đủ."
            v = factory.vacancy(employer=employers[n % 4], title=title, description=text, ward_code=ward,
                                required=skills, published_at=now - timedelta(days=(n * 7) % 60, hours=n % 24),
                                wage_min=(8 + i % 5) * 1_000_000, wage_max=(12 + i % 5) * 1_000_000)
            out[v.id] = (f"{family}-{i}", family, districts[ward])
            n += 1
    return Corpus(out)
