"""Small-cell suppression: cells under 5 shown as "<5", and no "<5" cell recoverable by subtraction.

The checks use an attacker independent of the implementation: a brute force that enumerates every assignment of
the hidden cells consistent with what is published ("<5" means 0-4, "x" means 5 or more, every published total
holds) and asks whether some "<5" cell has only one possible value.
"""
from __future__ import annotations

import itertools

from jobmarket.stats.suppression import PRIMARY, SECONDARY, SuppressionProblem, suppress_areas, suppress_table
from jobmarket.stats.tables import COUNT, RATE, Column, Row, Table


def brute_force_recoverable(values: dict, published: dict, equations: list[tuple], cap: int) -> set:
    """The "<5" cells a reader can pin to one value. values: key -> true value; published: key -> number, "<5" or
    "x"; equations: (total, parts). Exhaustive search (backtracking, pruned by interval sums) over every
    assignment consistent with what is published: "<5" is 0-4, "x" is 5 to cap, the equations hold."""
    hidden = [k for k, v in published.items() if isinstance(v, str)]
    domain = {k: (0, 4) if published[k] == PRIMARY else (5, cap) for k in hidden}

    def feasible(assigned: dict) -> bool:
        def bounds(k):
            if k in assigned:
                return assigned[k], assigned[k]
            if k in domain:
                return domain[k]
            return published[k], published[k]
        for total, parts in equations:
            lo = sum(bounds(p)[0] for p in parts)
            hi = sum(bounds(p)[1] for p in parts)
            t_lo, t_hi = bounds(total)
            if hi < t_lo or lo > t_hi:
                return False
        return True

    def exists(assigned: dict, rest: list) -> bool:
        if not feasible(assigned):
            return False
        if not rest:
            return True
        k = rest[0]
        lo, hi = domain[k]
        return any(exists({**assigned, k: v}, rest[1:]) for v in range(lo, hi + 1))

    pinned = set()
    for k in hidden:
        if published[k] != PRIMARY:
            continue
        others = [h for h in hidden if h != k]
        possible = [v for v in range(0, 5) if exists({k: v}, others)]
        assert values[k] in possible, "the truth must be one of the consistent assignments"
        if len(possible) == 1:
            pinned.add(k)
    return pinned


def solve_row(cells: list[int], *, fixed_total: bool = True):
    problem = SuppressionProblem()
    keys = [problem.cell(i, v) for i, v in enumerate(cells)]
    problem.cell("T", sum(cells), fixed=fixed_total)
    problem.equation("T", keys)
    status = problem.solve()
    published = {k: (status[k] or v) for k, v in [*enumerate(cells), ("T", sum(cells))]}
    return published, [("T", tuple(keys))]


def test_cells_under_five_are_shown_as_under_five_including_zero():
    published, _eq = solve_row([0, 4, 5, 12, 30])
    assert published[0] == published[1] == PRIMARY
    assert published[2] == 5 and published[4] == 30 and published["T"] == 51


def test_a_single_small_cell_cannot_be_recovered_from_the_total():
    """Row 3, 10, 20 with total 33 published: 33 - 10 - 20 would give the 3 back, so the 10 is hidden too."""
    cells = [3, 10, 20]
    published, equations = solve_row(cells)
    assert published[0] == PRIMARY and published[1] == SECONDARY and published[2] == 20 and published["T"] == 33
    values = {**dict(enumerate(cells)), "T": 33}
    assert brute_force_recoverable(values, published, equations, cap=33) == set()
    # Without the complementary suppression the reader would have it:
    naive = {0: PRIMARY, 1: 10, 2: 20, "T": 33}
    assert brute_force_recoverable(values, naive, equations, cap=33) == {0}


def test_two_small_cells_that_must_both_be_four_or_zero_are_protected():
    for cells in ([4, 4, 30], [0, 0, 5, 12, 30], [0, 5]):
        published, equations = solve_row(cells)
        values = {**dict(enumerate(cells)), "T": sum(cells)}
        assert brute_force_recoverable(values, published, equations, cap=2 * sum(cells) + 5) == set(), cells
        naive = {**{i: (PRIMARY if v < 5 else v) for i, v in enumerate(cells)}, "T": sum(cells)}
        assert brute_force_recoverable(values, naive, equations, cap=sum(cells)), cells  # the naive table leaks


def test_recovery_from_the_other_cells_of_a_row_and_a_column_in_a_cross_table():
    """A 3 x 3 table with margins: rows and columns each sum to their totals, which are published."""
    grid = [[1, 6, 9], [7, 2, 8], [6, 9, 0]]
    problem = SuppressionProblem()
    for r, row in enumerate(grid):
        for c, v in enumerate(row):
            problem.cell((r, c), v)
    for r, row in enumerate(grid):
        problem.cell(("R", r), sum(row), total=True)
        problem.equation(("R", r), [(r, c) for c in range(3)])
    for c in range(3):
        problem.cell(("C", c), sum(row[c] for row in grid), total=True)
        problem.equation(("C", c), [(r, c) for r in range(3)])
    grand = sum(map(sum, grid))
    problem.cell("G", grand, fixed=True)
    problem.equation("G", [("R", r) for r in range(3)])
    problem.equation("G", [("C", c) for c in range(3)])
    status = problem.solve()
    values = {k: v.value for k, v in problem.cells.items()}
    published = {k: status[k] or values[k] for k in values}
    assert [published[(r, r if r < 2 else 2)] for r in range(3)] == [PRIMARY, PRIMARY, PRIMARY]
    assert brute_force_recoverable(values, published, problem.equations, cap=grand) == set()
    assert problem.exposed() == []


def test_the_audit_sees_deductions_that_need_both_directions():
    """a + b = 1, c + d = 5, a + c = 1, b + d = 5 (after subtracting the published cells of each row and
    column): every equation alone leaves its "<5" cells ambiguous, together they pin all four (c <= 1 from the
    first column, c >= 1 from the second row). The audit must combine them, and the solver protect them."""
    cells = {"a": 0, "b": 1, "c": 1, "d": 4, "e": 10, "f": 10, "g": 10, "h": 10}
    equations = {"R1": ("a", "b", "e"), "R2": ("c", "d", "f"), "C1": ("a", "c", "g"), "C2": ("b", "d", "h")}

    def build():
        problem = SuppressionProblem()
        for k, v in cells.items():
            problem.cell(k, v)
        for name, parts in equations.items():
            problem.cell(name, sum(cells[p] for p in parts), fixed=True)
            problem.equation(name, parts)
        return problem

    naive = build()
    for var in naive.cells.values():
        if var.value < 5:
            var.status = PRIMARY
    assert set(naive.exposed()) == {"a", "b", "c", "d"}
    values = {k: v.value for k, v in naive.cells.items()}
    published = {k: (PRIMARY if v.status else v.value) for k, v in naive.cells.items()}
    assert brute_force_recoverable(values, published, naive.equations, cap=40) == {"a", "b", "c", "d"}

    problem = build()
    status = problem.solve()
    published = {k: status[k] or values[k] for k in values}
    assert [published[k] for k in "abcd"] == [PRIMARY] * 4
    assert problem.exposed() == []
    assert brute_force_recoverable(values, published, problem.equations, cap=40) == set()


def test_a_ward_hidden_cannot_be_recovered_through_its_former_district():
    columns = [Column("placements", "Việc làm thành công")]
    wards = Table("phuong-xa", "Phường", "Phường", columns, [
        Row("w1", "P1", {"placements": 3, "_district_code": "D"}),
        Row("w2", "P2", {"placements": 12, "_district_code": "D"}),
        Row("w3", "P3", {"placements": 7, "_district_code": "E"}),
        Row("w4", "P4", {"placements": 9, "_district_code": "E"})], Row("total", "Tổng", {"placements": 31}))
    districts = Table("khu-vuc", "Khu vực", "Khu vực", columns, [
        Row("D", "D", {"placements": 15}), Row("E", "E", {"placements": 16})], Row("total", "Tổng", {"placements": 31}))
    alone = suppress_table(wards)  # on its own: the smallest other ward hides the 3
    assert [r.marks.get("placements") for r in alone.rows] == [PRIMARY, None, SECONDARY, None]
    w, d = suppress_areas(wards, districts)
    shown = {r.key: r.shown("placements") for r in [*w.rows, *d.rows]}
    assert shown["w1"] == PRIMARY and shown["w2"] == SECONDARY  # else 15 - 12 = 3
    values = {"w1": 3, "w2": 12, "w3": 7, "w4": 9, "D": 15, "E": 16, "T": 31}
    published = {**shown, "T": 31}
    equations = [("D", ("w1", "w2")), ("E", ("w3", "w4")), ("T", ("D", "E"))]
    assert brute_force_recoverable(values, published, equations, cap=31) == set()


def test_rates_of_hidden_counts_are_hidden():
    table = Table("gioi-tinh", "Giới tính", "Giới tính",
                  [Column("active_seekers", "Người tìm việc"), Column("placements", "Việc làm"),
                   Column("placement_rate", "Tỷ lệ", RATE, ("placements", "active_seekers"))],
                  [Row("female", "Nữ", {"active_seekers": 40, "placements": 2, "placement_rate": 0.05}),
                   Row("male", "Nam", {"active_seekers": 50, "placements": 10, "placement_rate": 0.2}),
                   Row("other", "Khác", {"active_seekers": 30, "placements": 9, "placement_rate": 0.3})],
                  Row("total", "Tổng", {"active_seekers": 120, "placements": 21, "placement_rate": 0.175}))
    safe = suppress_table(table)
    female, male, other = safe.rows
    assert female.shown("placements") == PRIMARY and female.shown("placement_rate") == SECONDARY
    assert other.shown("placements") == SECONDARY and other.shown("placement_rate") == SECONDARY
    assert male.shown("placement_rate") == 0.2 and safe.total.shown("placements") == 21
    assert table.rows[0].marks == {}  # the original is untouched


def test_summary_medians_of_few_values_are_hidden():
    rows = [Row("applications_responded", "a", {"value": 3}),
            Row("median_response_days", "m", {"value": 2.0}, kind="days", n=3),
            Row("placements", "p", {"value": 40}),
            Row("median_days_to_fill", "m2", {"value": 5.0}, kind="days", n=40)]
    safe = suppress_table(Table("tong-hop", "Chỉ số", "Chỉ số", [Column("value", "Giá trị")], rows))
    assert [r.shown("value") for r in safe.rows] == [PRIMARY, SECONDARY, 40, 5.0]


def test_every_dashboard_table_is_safe_once_suppressed(world, ref, filters):
    from jobmarket.stats import queries
    from jobmarket.stats.tables import all_tables

    d = queries.dashboard(filters(period="year", year="2025"), ref)
    for table in all_tables(d, ref):
        safe = suppress_table(table)
        for row in [*safe.rows, *([safe.total] if safe.total else [])]:
            for col in safe.columns:
                value = row.shown(col.key)
                if (row.kind or col.kind) == COUNT and isinstance(value, int):
                    assert value >= 5, (table.key, row.key, col.key, value)
    w, dist = suppress_areas(all_tables(d, ref)[3], all_tables(d, ref)[2])
    for row in [*w.rows, *dist.rows]:
        for col in w.count_columns:
            value = row.shown(col.key)
            assert value is None or isinstance(value, str) or value >= 5
