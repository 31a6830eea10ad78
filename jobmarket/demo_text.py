"""Vacancy text in the styles of Vietnamese job boards (sections, bullets, shorthand, mixed English), by seed.

Written for this project in those boards' styles, never copied from a posting. Everything is drawn from the
`random.Random` passed in, so the same seed gives the same text:

- ``posting_title(rng, title, district, wage_min, wage_max, positions) -> str``: the title as boards write it (sometimes with
  "Tuyển gấp", a place tag or the wage, "NV" for "Nhân viên").
- ``description(rng, category, title, district, ward, wage_min, wage_max, positions, job_type) -> str``: several paragraphs
  (what the job is, requirements, benefits, where and how to apply) in one of five layouts.
- ``address(rng, district, ward) -> str``: a street address written with the former district ("Q. Cầu Giấy").

No phone number or e-mail is ever written: postings on this exchange are applied to through the site.
"""
from __future__ import annotations

import random

# What the job is, per skill category of the vocabulary (jobmarket/demo.py CATEGORY_MIX).
DUTIES = {
    "sales": ["Tìm kiếm, tiếp cận và tư vấn cho khách hàng có nhu cầu về sản phẩm của công ty",
              "CSKH cũ, mở rộng tệp khách hàng mới theo khu vực được giao",
              "Gọi điện, gặp gỡ khách hàng, báo giá và chốt đơn hàng",
              "Đạt KPI doanh số theo tháng, báo cáo kết quả cho trưởng nhóm",
              "Tham gia các buổi training về sản phẩm và kỹ năng bán hàng"],
    "retail": ["Tư vấn, giới thiệu sản phẩm cho khách đến cửa hàng", "Sắp xếp, trưng bày hàng hóa gọn gàng",
               "Thanh toán, tính tiền, xuất hóa đơn cho khách", "Kiểm đếm hàng hóa cuối ca, bàn giao ca",
               "Giữ gìn vệ sinh khu vực quầy kệ"],
    "office": ["Soạn thảo, lưu trữ văn bản, hồ sơ của phòng", "Nhập liệu, cập nhật số liệu trên Excel và phần mềm",
               "Tiếp khách, nghe điện thoại, chuyển thông tin cho các bộ phận",
               "Quản lý văn phòng phẩm, đặt lịch họp, hỗ trợ công việc hành chính",
               "Theo dõi chấm công, hỗ trợ HCNS các công việc phát sinh"],
    "accounting": ["Hạch toán các nghiệp vụ kế toán phát sinh hằng ngày", "Lập tờ khai thuế GTGT, TNCN theo tháng/quý",
                   "Theo dõi công nợ phải thu, phải trả, đối chiếu với khách hàng và nhà cung cấp",
                   "Lập báo cáo tài chính cuối năm, làm việc với cơ quan thuế",
                   "Kiểm tra chứng từ, hóa đơn đầu vào đầu ra", "Sử dụng phần mềm MISA để ghi sổ"],
    "it": ["Phát triển, bảo trì các tính năng của hệ thống theo yêu cầu", "Viết unit test, review code cùng team",
           "Phối hợp với BA, tester để làm rõ yêu cầu và sửa lỗi",
           "Hỗ trợ người dùng (helpdesk), cài đặt máy tính, máy in, mạng LAN",
           "Tham gia thiết kế database và API", "Làm việc theo mô hình Agile/Scrum"],
    "warehouse": ["Nhập, xuất hàng theo phiếu, kiểm đếm số lượng", "Sắp xếp hàng hóa trong kho theo khu vực, mã hàng",
                  "Đóng gói đơn hàng online, dán tem, bàn giao cho đơn vị vận chuyển",
                  "Kiểm kê kho định kỳ, báo cáo tồn kho", "Vận hành xe nâng (nếu có chứng chỉ)"],
    "driving": ["Lái xe giao hàng cho khách trong nội thành và các tỉnh lân cận",
                "Đưa đón cán bộ, nhân viên đi công tác", "Kiểm tra, bảo dưỡng xe định kỳ, giữ xe sạch sẽ",
                "Thu tiền hàng, bàn giao chứng từ cho kế toán", "Chấp hành luật giao thông, an toàn hàng hóa"],
    "cooking": ["Chế biến các món ăn theo thực đơn của nhà hàng", "Sơ chế nguyên liệu, chuẩn bị trước giờ mở cửa",
                "Đảm bảo vệ sinh an toàn thực phẩm trong bếp", "Pha chế đồ uống, cà phê, trà sữa theo công thức",
                "Phối hợp với bộ phận phục vụ ra món đúng giờ"],
    "hospitality": ["Đón tiếp, hướng dẫn khách, phục vụ đồ ăn đồ uống", "Dọn dẹp, setup bàn ăn theo tiêu chuẩn",
                    "Check-in, check-out cho khách lưu trú", "Dọn buồng phòng, thay ga gối, bổ sung đồ dùng",
                    "Ghi nhận phản hồi của khách và báo cho quản lý ca"],
    "construction": ["Thi công xây, trát, ốp lát tại công trình", "Lắp dựng cốp pha, cốt thép theo bản vẽ",
                     "Sơn bả, hoàn thiện nội thất nhà ở, văn phòng", "Làm đồ gỗ nội thất, lắp đặt tại nhà khách",
                     "Tuân thủ nội quy an toàn lao động trên công trường"],
    "manufacturing": ["Đứng máy, vận hành dây chuyền sản xuất theo hướng dẫn", "Lắp ráp linh kiện điện tử",
                      "Kiểm tra chất lượng sản phẩm (QC) trước khi nhập kho",
                      "Vận hành máy CNC, máy ép nhựa, ghi chép sổ sách ca", "Làm việc theo ca, có tăng ca"],
    "electrical": ["Lắp đặt, sửa chữa hệ thống điện dân dụng và công nghiệp", "Bảo trì tủ điện, máy móc trong nhà xưởng",
                   "Lắp đặt, bảo dưỡng điều hòa, tủ lạnh, kho lạnh",
                   "Đi sửa chữa tại nhà khách hàng theo lịch điều phối", "Kiểm tra an toàn điện định kỳ"],
    "welding": ["Hàn kết cấu thép, khung nhà xưởng theo bản vẽ", "Hàn TIG, MIG các chi tiết inox, sắt",
                "Cắt, mài, gia công phôi trước khi hàn", "Hàn đường ống áp lực tại công trình",
                "Kiểm tra mối hàn, sửa lỗi theo yêu cầu của KCS"],
    "sewing": ["May hoàn thiện sản phẩm theo chuyền", "Cắt vải theo rập, vắt sổ, thùa khuy",
               "Kiểm tra hàng, nhặt chỉ, đóng gói", "Làm hàng xuất khẩu sang Nhật, Hàn"],
    "security": ["Trực cổng, kiểm soát người và phương tiện ra vào", "Tuần tra khu vực được giao, ghi sổ trực",
                 "Giám sát camera, phát hiện và xử lý sự cố ban đầu", "Hỗ trợ PCCC, hướng dẫn khách gửi xe"],
    "cleaning": ["Vệ sinh văn phòng, sảnh, hành lang, nhà vệ sinh", "Giặt là, nấu ăn, dọn dẹp cho gia đình",
                 "Vệ sinh công nghiệp sau xây dựng", "Pha trà nước, chuẩn bị phòng họp"],
    "care": ["Chăm sóc, hỗ trợ ăn uống, sinh hoạt cho người cao tuổi", "Trông trẻ, đưa đón bé đi học",
             "Theo dõi sức khỏe, nhắc uống thuốc đúng giờ", "Hỗ trợ bệnh nhân tại bệnh viện (hộ lý)"],
    "marketing": ["Lên kế hoạch, chạy quảng cáo Facebook Ads, Google Ads", "Viết content cho fanpage, website",
                  "Tối ưu SEO website, theo dõi chỉ số traffic", "Phối hợp tổ chức sự kiện, livestream bán hàng",
                  "Báo cáo hiệu quả chiến dịch hằng tuần"],
    "hr": ["Đăng tin, sàng lọc hồ sơ, sắp xếp lịch phỏng vấn", "Làm hợp đồng lao động, BHXH cho nhân viên",
           "Tính lương, chấm công, giải quyết chế độ (C&B)", "Tổ chức onboarding, đào tạo hội nhập cho nhân viên mới"],
    "mechanical": ["Sửa chữa, bảo dưỡng ô tô, xe máy tại xưởng", "Tiện, phay các chi tiết cơ khí theo bản vẽ",
                   "Chẩn đoán lỗi động cơ, thay thế phụ tùng", "Bảo trì máy móc trong nhà máy"],
    "agriculture": ["Trồng, chăm sóc rau sạch trong nhà lưới", "Chăn nuôi, cho ăn, vệ sinh chuồng trại",
                    "Thu hoạch, sơ chế, đóng gói nông sản", "Chăm sóc cây cảnh, sân vườn"],
    "beauty": ["Cắt, uốn, nhuộm tóc cho khách", "Làm nail, sơn gel, đắp bột", "Chăm sóc da mặt, massage body tại spa",
               "Tư vấn liệu trình, dịch vụ cho khách"],
    "education": ["Giảng dạy tiếng Anh giao tiếp cho học viên", "Dạy kèm học sinh tiểu học, THCS tại nhà",
                  "Chăm sóc, giáo dục trẻ mầm non theo chương trình", "Soạn giáo án, theo dõi tiến bộ của học viên"],
    "healthcare": ["Chăm sóc, theo dõi bệnh nhân theo chỉ định của bác sĩ", "Tư vấn, bán thuốc tại nhà thuốc",
                   "Lấy mẫu, thực hiện xét nghiệm", "Quản lý hồ sơ bệnh án, thuốc và vật tư y tế"],
    "finance": ["Tư vấn sản phẩm vay, thẩm định hồ sơ tín dụng", "Giao dịch, tiếp nhận yêu cầu của khách tại quầy",
                "Phân tích báo cáo tài chính, lập kế hoạch ngân sách", "Theo dõi, thu hồi nợ quá hạn"],
    "design": ["Thiết kế banner, poster, ấn phẩm truyền thông", "Thiết kế nội thất căn hộ, văn phòng (2D, 3D)",
               "Dựng, biên tập video cho TikTok, YouTube", "Sử dụng thành thạo Photoshop, Illustrator, AutoCAD"],
    "transport": ["Điều phối xe, lên lịch giao hàng hằng ngày", "Phụ xe, bốc xếp hàng hóa lên xuống xe",
                  "Giao nhận chứng từ, hàng hóa tại cảng, sân bay", "Theo dõi hành trình xe qua GPS"],
    "legal": ["Soạn thảo, rà soát hợp đồng, văn bản pháp lý", "Tư vấn pháp luật nội bộ cho các phòng ban",
              "Hỗ trợ luật sư nghiên cứu hồ sơ vụ việc"],
    "languages": ["Phiên dịch trong các cuộc họp với đối tác", "Biên dịch tài liệu kỹ thuật, hợp đồng",
                  "Hỗ trợ chuyên gia nước ngoài trong công việc hằng ngày"],
}
GENERIC_DUTIES = ["Thực hiện các công việc khác theo sự phân công của quản lý",
                  "Chi tiết công việc trao đổi cụ thể khi phỏng vấn", "Báo cáo công việc hằng ngày cho trưởng bộ phận"]
REQUIREMENTS = {
    "_": ["Nam/nữ tuổi từ 18 đến 45", "Sức khỏe tốt, chăm chỉ, trung thực", "Có trách nhiệm với công việc",
          "Ưu tiên ứng viên ở gần nơi làm việc", "Không yêu cầu kinh nghiệm, được đào tạo từ đầu",
          "Ưu tiên có KN từ 1 năm trở lên", "Ưu tiên SV mới ra trường, LĐPT", "Chịu được áp lực công việc", "Có thể đi làm ngay",
          "Tốt nghiệp THPT trở lên", "Nhanh nhẹn, giao tiếp tốt"],
    "sales": ["Giọng nói dễ nghe, không nói ngọng", "Có laptop, xe máy để đi gặp khách",
              "Ưu tiên ứng viên có KN sale B2B hoặc bất động sản", "Ưu tiên NV đã làm telesale, CSKH"],
    "accounting": ["Tốt nghiệp CĐ/ĐH chuyên ngành Kế toán, Kiểm toán", "Thành thạo Excel, phần mềm MISA",
                   "Nắm vững luật thuế, có chứng chỉ kế toán trưởng là lợi thế"],
    "it": ["Tốt nghiệp ĐH chuyên ngành CNTT hoặc tương đương", "Có kinh nghiệm với Python/Java, SQL, Git",
           "Đọc hiểu tài liệu tiếng Anh", "Biết Docker, Linux là một lợi thế"],
    "driving": ["Có bằng lái xe hạng B2/C còn hạn", "Thông thuộc đường Hà Nội", "Không sử dụng rượu bia khi lái xe"],
    "welding": ["Có chứng chỉ hàn 3G/6G là lợi thế", "Đọc được bản vẽ kỹ thuật"],
    "electrical": ["Có chứng chỉ an toàn điện", "Tốt nghiệp trung cấp, cao đẳng nghề điện"],
    "education": ["Có chứng chỉ IELTS 6.5 trở lên hoặc tương đương", "Có nghiệp vụ sư phạm"],
    "healthcare": ["Có chứng chỉ hành nghề", "Tốt nghiệp trung cấp trở lên chuyên ngành Y, Dược, Điều dưỡng"],
    "languages": ["Tiếng Nhật N2 trở lên hoặc TOPIK 4", "Giao tiếp lưu loát"],
    "hr": ["Hiểu biết Luật Lao động, BHXH", "Có kinh nghiệm tuyển dụng số lượng lớn (mass recruitment)"],
    "marketing": ["Có kinh nghiệm chạy Ads ít nhất 6 tháng", "Sáng tạo, cập nhật trend nhanh"],
}
BENEFITS = ["Đóng BHXH, BHYT, BHTN đầy đủ theo quy định", "Thưởng lễ, Tết, lương tháng 13",
            "Du lịch, team building hằng năm", "Được đào tạo bài bản, lộ trình thăng tiến rõ ràng",
            "Hỗ trợ ăn trưa, gửi xe miễn phí", "Hỗ trợ chỗ ở cho nhân viên ở xa", "Xét tăng lương 6 tháng/lần",
            "Môi trường làm việc trẻ trung, năng động, thân thiện", "Nghỉ phép năm 12 ngày", "Khám sức khỏe định kỳ",
            "Có ca gãy, ăn ca miễn phí", "Được cấp đồng phục, trang thiết bị bảo hộ", "Thưởng nóng theo doanh số",
            "Phụ cấp xăng xe, điện thoại", "Được hưởng đầy đủ các chế độ theo Luật Lao động"]
HOURS = {
    "full_time": ["Thời gian làm việc: từ thứ 2 đến thứ 7, 8h00 - 17h30 (nghỉ trưa 1,5 tiếng)",
                  "Làm việc T2-T6, nghỉ T7, CN", "Giờ làm: 8h-17h, nghỉ chiều thứ 7 và Chủ nhật",
                  "Full-time, giờ hành chính"],
    "part_time": ["Part-time 4 tiếng/ngày, chọn ca sáng hoặc chiều", "Làm bán thời gian, tối thiểu 20 giờ/tuần",
                  "Ca part-time 18h-22h, phù hợp sinh viên"],
    "shift": ["Làm theo ca: ca 1 6h-14h, ca 2 14h-22h (xoay ca)", "Làm 3 ca 4 kíp, tăng ca có lương",
              "Ca ngày 7h-19h, ca đêm 19h-7h, đổi ca hằng tuần"],
    "seasonal": ["Làm thời vụ 2-3 tháng, có thể ký tiếp", "Thời vụ dịp Tết, làm cả ngày, bao ăn trưa"],
}
STREETS = {
    "Ba Đình": ["Kim Mã", "Đội Cấn", "Liễu Giai", "Giảng Võ", "Ngọc Hà", "Hoàng Hoa Thám"],
    "Hoàn Kiếm": ["Hàng Bài", "Lý Thường Kiệt", "Hàng Gai", "Trần Hưng Đạo", "Phố Huế"],
    "Tây Hồ": ["Lạc Long Quân", "Âu Cơ", "Xuân Diệu", "Thụy Khuê", "Võ Chí Công"],
    "Long Biên": ["Nguyễn Văn Cừ", "Ngọc Lâm", "Nguyễn Văn Linh", "Cổ Linh", "Ngô Gia Tự"],
    "Cầu Giấy": ["Trần Duy Hưng", "Xuân Thủy", "Cầu Giấy", "Trung Kính", "Nguyễn Khang", "Duy Tân", "Trần Thái Tông"],
    "Đống Đa": ["Tây Sơn", "Chùa Bộc", "Láng Hạ", "Thái Hà", "Xã Đàn", "Nguyễn Lương Bằng"],
    "Hai Bà Trưng": ["Bạch Mai", "Minh Khai", "Lạc Trung", "Kim Ngưu", "Đại Cồ Việt", "Trần Khát Chân"],
    "Hoàng Mai": ["Giải Phóng", "Tam Trinh", "Lĩnh Nam", "Kim Giang", "Nguyễn Hữu Thọ"],
    "Thanh Xuân": ["Nguyễn Trãi", "Khuất Duy Tiến", "Lê Văn Lương", "Nguyễn Tuân", "Vũ Trọng Phụng"],
    "Nam Từ Liêm": ["Mễ Trì", "Phạm Hùng", "Lê Đức Thọ", "Hồ Tùng Mậu", "Mỹ Đình", "Đỗ Đức Dục"],
    "Bắc Từ Liêm": ["Phạm Văn Đồng", "Cổ Nhuế", "Hoàng Quốc Việt", "Phúc Diễn", "Tây Tựu"],
    "Hà Đông": ["Quang Trung", "Tô Hiệu", "Nguyễn Văn Lộc", "Văn Phú", "Lê Trọng Tấn"],
    "Thanh Trì": ["Ngọc Hồi", "Phan Trọng Tuệ", "Tả Thanh Oai", "Cầu Bươu"],
    "Gia Lâm": ["Nguyễn Đức Thuận", "Ỷ Lan", "Dương Xá", "Kiêu Kỵ"],
}
INDUSTRIAL_PARKS = {"Đông Anh": "KCN Thăng Long", "Mê Linh": "KCN Quang Minh", "Sóc Sơn": "KCN Nội Bài",
                    "Chương Mỹ": "KCN Phú Nghĩa", "Thạch Thất": "KCN Thạch Thất - Quốc Oai", "Bắc Từ Liêm":
                    "KCN Bắc Thăng Long", "Thường Tín": "KCN Hà Nội - Đài Tư", "Phú Xuyên": "KCN Phú Xuyên",
                    "Quốc Oai": "KCN Thạch Thất - Quốc Oai", "Hoài Đức": "Cụm công nghiệp Lại Yên"}
URBAN = {"Ba Đình", "Hoàn Kiếm", "Tây Hồ", "Long Biên", "Cầu Giấy", "Đống Đa", "Hai Bà Trưng", "Hoàng Mai",
         "Thanh Xuân", "Nam Từ Liêm", "Bắc Từ Liêm", "Hà Đông"}
ENGLISH_HEADINGS = [("Job Description", "Requirements", "Benefits"), ("JD", "Yêu cầu", "Benefit")]


def _lower_first(title: str) -> str:
    """"Nhân viên kho" -> "nhân viên kho", but "NV kho" and "IT support" keep their capitals."""
    first = title.split(" ", 1)[0]
    return title if first.isupper() or len(first) == 1 else title[:1].lower() + title[1:]


def _pick(rng: random.Random, pool: list[str], k: int) -> list[str]:
    return rng.sample(pool, min(k, len(pool)))


def wage_text(rng: random.Random, wage_min: int | None, wage_max: int | None) -> str:
    """The wage as boards write it: "10-15tr", "8.000.000 - 12.000.000 VNĐ", "Thỏa thuận"."""
    if not wage_min:
        return rng.choice(["Thỏa thuận", "Lương thỏa thuận theo năng lực", "Cạnh tranh"])
    lo, hi = wage_min // 1_000_000, (wage_max or wage_min) // 1_000_000
    style = rng.randrange(6)
    if style == 0:
        return f"{lo}-{hi}tr"
    if style == 1:
        return f"{wage_min:,} - {(wage_max or wage_min):,} VNĐ/tháng".replace(",", ".")
    if style == 2:
        return f"{lo} - {hi} triệu/tháng"
    if style == 3:
        return f"Từ {lo} triệu trở lên"
    if style == 4:
        base = max(4, lo - rng.choice([2, 3, 4]))
        return f"Lương cứng {base}tr + thưởng, tổng thu nhập {lo}-{hi}tr"
    return f"upto {hi}tr/tháng"


def address(rng: random.Random, district: str, ward: str | None = None) -> str:
    """A street address written with the former district, as postings still write them."""
    number = rng.randint(1, 399)
    if district in STREETS and rng.random() < 0.85:
        street = rng.choice(STREETS[district])
        lane = rng.choice(["", "", f"ngõ {rng.randint(2, 199)} ", f"ngách {rng.randint(2, 80)}/{rng.randint(2, 120)} "])
        tag = rng.choice([f"Q. {district}", f"quận {district}", district, f"{district}, Hà Nội", f"Q.{district}"])
        return f"Số {number} {lane}{street}, {tag}"
    if district in INDUSTRIAL_PARKS and rng.random() < 0.6:
        return f"{INDUSTRIAL_PARKS[district]}, huyện {district}, Hà Nội"
    kind = "quận" if district in URBAN else ("thị xã" if district == "Sơn Tây" else "huyện")
    place = ward or rng.choice(["thôn Đoài", "thôn Trung", "xóm Mới", "cụm 3"])
    return f"{place}, {kind} {district}, TP Hà Nội"


def posting_title(rng: random.Random, title: str, district: str, wage_min: int | None = None,
                  wage_max: int | None = None, positions: int = 1) -> str:
    """The title as boards write it; the plain title half the time."""
    style = rng.randrange(10)
    short = title.replace("Nhân viên ", "NV ", 1) if title.startswith("Nhân viên ") else title
    if style < 5:
        return title
    if style == 5:
        return f"Tuyển gấp {short}"
    if style == 6:
        return f"[{rng.choice(['HN', 'Hà Nội', district])}] {title}"
    if style == 7 and wage_min:
        return f"{short} - Thu nhập {wage_text(rng, wage_min, wage_max)}"
    if style == 8:
        return f"{title} tại {district}"
    return f"Tuyển {positions:02d} {_lower_first(short) if rng.random() < 0.3 else short}"


def _bullets(rng: random.Random, items: list[str], mark: str) -> str:
    return "\n".join(f"{mark} {item}" for item in items)


def description(rng: random.Random, category: str, title: str, district: str, ward: str | None = None,
                wage_min: int | None = None, wage_max: int | None = None, positions: int = 1,
                job_type: str = "full_time") -> str:
    """A multi-paragraph posting for one vacancy in one of five board layouts."""
    duties = _pick(rng, DUTIES.get(category, GENERIC_DUTIES), rng.randint(2, 4))
    if rng.random() < 0.5:
        duties.append(rng.choice(GENERIC_DUTIES))
    requirements = _pick(rng, REQUIREMENTS.get(category, []), rng.randint(1, 2)) + \
        _pick(rng, REQUIREMENTS["_"], rng.randint(2, 3))
    benefits = _pick(rng, BENEFITS, rng.randint(3, 5))
    wage = wage_text(rng, wage_min, wage_max)
    where = address(rng, district, ward)
    hours = rng.choice(HOURS.get(job_type, HOURS["full_time"]))
    count = f"{positions:02d}" if rng.random() < 0.5 else str(positions)
    layout = rng.randrange(5)
    if layout == 0:
        mark = rng.choice(["-", "•", "+"])
        parts = [f"MÔ TẢ CÔNG VIỆC\n{_bullets(rng, duties, mark)}",
                 f"YÊU CẦU\n{_bullets(rng, requirements, mark)}",
                 f"QUYỀN LỢI\n{_bullets(rng, [f'Thu nhập: {wage}', *benefits], mark)}",
                 f"ĐỊA ĐIỂM LÀM VIỆC\n{where}\n{hours}"]
    elif layout == 1:
        parts = [f"1. Mô tả công việc:\n{_bullets(rng, duties, '+')}",
                 f"2. Yêu cầu ứng viên:\n{_bullets(rng, requirements, '+')}",
                 f"3. Quyền lợi được hưởng:\n+ Mức lương: {wage}\n{_bullets(rng, benefits, '+')}",
                 f"4. Thời gian, địa điểm:\n+ {hours}\n+ Địa chỉ: {where}"]
    elif layout == 2:
        heads = rng.choice(ENGLISH_HEADINGS)
        parts = [f"{heads[0]}:\n{_bullets(rng, duties, '✔')}", f"{heads[1]}:\n{_bullets(rng, requirements, '✔')}",
                 f"{heads[2]}:\n✔ Salary: {wage}\n{_bullets(rng, benefits, '✔')}",
                 f"Working location: {where}. {hours}."]
    elif layout == 3:
        lead = rng.choice(["Cần tuyển", "Tuyển gấp", "Bên mình đang cần", "Công ty cần tuyển"])
        short = title.replace("Nhân viên", "NV") if rng.random() < 0.6 else title
        parts = [f"{lead} {count} {_lower_first(short)} làm việc tại {where}.",
                 f"{duties[0]}. {duties[1]}." + (f" {duties[2]}." if len(duties) > 2 else ""),
                 f"Yêu cầu: {'; '.join(_lower_first(r) for r in requirements)}.",
                 f"Thu nhập {wage}. {benefits[0]}, {_lower_first(benefits[1])}. {hours}.",
                 rng.choice(["Ai quan tâm ứng tuyển ngay trên sàn nhé!", "Ưu tiên đi làm ngay, phỏng vấn trong tuần.",
                             "Hồ sơ nộp qua sàn, công ty sẽ liên hệ lại các bạn phù hợp."])]
    else:
        parts = [f"[Mô tả công việc]\n{_bullets(rng, duties, '★')}",
                 f"[Yêu cầu]\n{_bullets(rng, requirements, '★')}",
                 f"[Quyền lợi]\n★ Thu nhập: {wage}\n{_bullets(rng, benefits, '★')}",
                 f"[Địa chỉ] {where}\n[Thời gian] {hours}",
                 f"Số lượng: {count} người. Hạn nộp hồ sơ: đến khi tuyển đủ."]
    if layout != 3 and rng.random() < 0.6:
        intro = rng.choice([f"Do mở rộng hoạt động kinh doanh, công ty cần tuyển {count} {_lower_first(title)}.",
                            f"Chúng tôi đang tìm {count} {_lower_first(title)} gắn bó lâu dài.",
                            f"Cơ hội việc làm ổn định tại {district} cho {_lower_first(title)}."])
        parts.insert(0, intro)
    if layout != 3 and rng.random() < 0.7:
        parts.append(rng.choice(["Cách ứng tuyển: bấm Ứng tuyển trên sàn, đính kèm CV (nếu có).",
                                 "Ứng viên quan tâm vui lòng nộp hồ sơ qua sàn việc làm, ghi rõ vị trí ứng tuyển.",
                                 "Phỏng vấn ngay khi nhận hồ sơ. Deadline: khi tuyển đủ số lượng."]))
    return "\n\n".join(parts)
