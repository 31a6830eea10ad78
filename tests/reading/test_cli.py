"""`flask text read` through the CLI runner: JSON lines in, one stable JSON line out per input."""
from __future__ import annotations

import json

KEYS = {"skills", "occupation_code", "ward_code", "ward_choices", "wage_min", "wage_max", "experience_years"}


def _read(app, lines: list[str]) -> list[dict]:
    """Run the command over the given input lines and parse what it printed."""
    result = app.test_cli_runner().invoke(args=["text", "read"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def test_reads_a_posting(app):
    """Skills by label and alias, occupation, wage range, experience and the ward from the address."""
    out = _read(app, [json.dumps({
        "title": "Tuyển NV kế toán tổng hợp",
        "description": "Thành thạo Excel, MISA, có bằng lái B2. Lương 10-15tr. Yêu cầu 2 năm kinh nghiệm.",
        "address": "Phường Cầu Giấy, Hà Nội"}, ensure_ascii=False)])
    assert len(out) == 1
    row = out[0]
    assert KEYS <= set(row)
    assert row["skills"][:3] == ["Kế toán tổng hợp", "Excel", "Phần mềm kế toán MISA"]
    assert "Lái xe hạng B" in row["skills"]
    assert row["occupation_code"] == "3313"
    assert (row["wage_min"], row["wage_max"]) == (10_000_000, 15_000_000)
    assert row["experience_years"] == 2
    assert row["ward_code"] and row["ward_choices"] == [row["ward_code"]]


def test_missing_fields_and_bad_lines_keep_outputs_aligned(app):
    """Any field may be missing; a line that is not a JSON object answers with an error line, not a crash."""
    out = _read(app, ['{"title": "Thợ hàn"}', "not json", "[1, 2]", "{}", '{"description": null, "address": 5}'])
    assert len(out) == 5
    assert "Hàn điện" in out[0]["skills"]
    assert "error" in out[1] and "error" in out[2]
    assert out[3]["skills"] == [] and out[3]["occupation_code"] is None and out[3]["ward_choices"] == []
    assert out[4]["wage_min"] is None


def test_output_is_stable(app):
    """The same input reads the same way twice, key order included."""
    line = json.dumps({"title": "Lái xe tải", "description": "Bằng C, lương từ 12 triệu"}, ensure_ascii=False)
    result = app.test_cli_runner().invoke(args=["text", "read"], input=line + "\n" + line + "\n")
    first, second = result.output.splitlines()
    assert first == second
    assert json.loads(first)["wage_min"] == 12_000_000
