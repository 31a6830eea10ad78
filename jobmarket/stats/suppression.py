"""Small-cell suppression for open data: no published figure lets anyone work out a count under 5.

Primary suppression: every count under the threshold (5) is replaced by "<5" (a reader then knows only that it is
0 to 4). Secondary suppression: a published total minus the other published cells must not give a "<5" cell
back. The module models the reader as an attacker who knows every published cell, every total relation between
them (row and column sums, ward -> former district -> city), that "<5" cells are 0-4 and that "x" cells (the
complementary suppressions) are 5 or more, and who tightens the possible range of every hidden cell by bounds
propagation until nothing changes. While some "<5" cell is pinned to a single value, one more cell of an
equation that pins it is suppressed (interior cells before totals, smallest first), and the audit runs again.

Bounds propagation is exact for a single sum (a row with its total) and for hierarchies of sums; for cross tables
it is the standard audit short of linear programming, which the tables published here (at most 4 x 6) do not need.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Hashable

PRIMARY = "<5"
SECONDARY = "x"
INF = math.inf


@dataclass
class _Var:
    value: int
    published: bool  # False: never published (a hidden sub-count the equations need)
    candidate: int | None  # as a complementary suppression: 0 interior cell, 1 total, 2 last resort, None never
    status: str | None = None  # None (shown), PRIMARY or SECONDARY


@dataclass
class SuppressionProblem:
    """Cells, and the equations (total = sum of parts) a reader could combine them with."""

    threshold: int = 5
    cells: dict[Hashable, _Var] = field(default_factory=dict)
    equations: list[tuple[Hashable, tuple[Hashable, ...]]] = field(default_factory=list)

    def cell(self, key: Hashable, value: int, *, total: bool = False, fixed: bool = False,
             status: str | None = None) -> Hashable:
        """A published count. total: prefer other cells as complementary suppressions; fixed: also published
        elsewhere, so hidden only when nothing else protects a "<5" cell (it is "<5" itself when small);
        status: already decided by another table that publishes the same figure (SECONDARY)."""
        value = int(value)
        if key in self.cells:
            if self.cells[key].value != value:
                raise ValueError(f"cell {key!r} given two values")
            return key
        self.cells[key] = _Var(value, True, 2 if fixed else (1 if total else 0), status)
        return key

    def hidden(self, key: Hashable, value: int) -> Hashable:
        """A count the equations need but nobody publishes (the reader knows only that it is >= 0)."""
        self.cells.setdefault(key, _Var(int(value), False, None))
        return key

    def equation(self, total: Hashable, parts: list[Hashable] | tuple[Hashable, ...]) -> None:
        """total = sum(parts), for cells already declared."""
        parts = tuple(parts)
        if not parts:
            return
        if sum(self.cells[p].value for p in parts) != self.cells[total].value:
            raise ValueError(f"equation for {total!r} does not add up")
        self.equations.append((total, parts))

    # --- the audit ---------------------------------------------------------------------------------------

    def _initial_bounds(self) -> dict[Hashable, list[float]]:
        bounds = {}
        for key, var in self.cells.items():
            if not var.published:
                bounds[key] = [0, INF]
            elif var.status is None:
                bounds[key] = [var.value, var.value]
            elif var.status == PRIMARY:
                bounds[key] = [0, self.threshold - 1]
            else:
                bounds[key] = [self.threshold, INF]
        return bounds

    def reader_bounds(self, max_passes: int = 500) -> dict[Hashable, tuple[float, float]]:
        """What a reader can deduce about every cell: (lowest, highest) possible value."""
        b = self._initial_bounds()
        for _ in range(max_passes):
            changed = False
            for total, parts in self.equations:
                lo_sum = sum(b[p][0] for p in parts)
                hi_parts = [b[p][1] for p in parts]
                n_inf = sum(1 for h in hi_parts if h == INF)
                hi_finite = sum(h for h in hi_parts if h != INF)
                hi_sum = INF if n_inf else hi_finite
                t = b[total]
                if lo_sum > t[0]:
                    t[0], changed = lo_sum, True
                if hi_sum < t[1]:
                    t[1], changed = hi_sum, True
                for p in parts:
                    lo_p, hi_p = b[p]
                    others_hi = INF if (n_inf - (hi_p == INF)) > 0 else hi_finite - (0 if hi_p == INF else hi_p)
                    others_lo = lo_sum - lo_p
                    new_lo = t[0] - others_hi if others_hi != INF else -INF
                    new_hi = t[1] - others_lo if t[1] != INF else INF
                    if new_lo > lo_p:
                        b[p][0], changed = new_lo, True
                    if new_hi < hi_p:
                        b[p][1], changed = new_hi, True
            if not changed:
                break
        return {k: (v[0], v[1]) for k, v in b.items()}

    def exposed(self) -> list[Hashable]:
        """The "<5" cells a reader can pin to one value."""
        bounds = self.reader_bounds()
        return [k for k, var in self.cells.items() if var.status == PRIMARY and bounds[k][0] >= bounds[k][1]]

    def solve(self) -> dict[Hashable, str | None]:
        """Suppress: primary cells first, then complementary cells until no "<5" cell can be recovered.

        Each round audits the whole system, then protects every exposed cell whose equations got no new
        suppression this round (one complementary cell each, chosen among the cells of its equations:
        interior cells before totals, smallest value first), and audits again. A final pass shows again the
        complementary cells that turn out not to be needed."""
        for var in self.cells.values():
            if var.published and var.value < self.threshold:
                var.status = PRIMARY
        order = {key: i for i, key in enumerate(self.cells)}
        equations_of: dict[Hashable, list[int]] = {}
        for i, (total, parts) in enumerate(self.equations):
            for key in (total, *parts):
                equations_of.setdefault(key, []).append(i)

        def free(key: Hashable) -> bool:
            var = self.cells[key]
            return var.published and var.status is None and var.candidate is not None

        def choose(candidates: list) -> Hashable:
            return min(candidates, key=lambda k: (self.cells[k].candidate, self.cells[k].value, order[k]))

        for _round in range(len(self.cells) + 1):
            exposed = self.exposed()
            if not exposed:
                break
            touched: set[int] = set()
            added = False
            for target in exposed:
                mine = equations_of.get(target, [])
                if touched.intersection(mine):
                    continue  # a cell hidden this round already widens this one's equations: audit first
                candidates = [k for i in mine for k in (self.equations[i][0], *self.equations[i][1]) if free(k)]
                if not candidates:
                    continue  # pinned through other equations (e.g. a district pinned at 0): fix those first
                best = choose(candidates)
                self.cells[best].status = SECONDARY
                touched.update(mine)
                touched.update(equations_of.get(best, []))
                added = True
            if not added:
                rest = [k for k in self.cells if free(k)]  # last resort: the smallest cell still shown
                if not rest:
                    break
                self.cells[choose(rest)].status = SECONDARY
        self._prune()
        return {k: v.status for k, v in self.cells.items() if v.published}

    def _prune(self) -> None:
        """Show again every complementary cell the protection does not need (largest first): batch rounds and
        the last resort can hide more than necessary."""
        if self.exposed():
            return
        secondary = sorted((k for k, v in self.cells.items() if v.status == SECONDARY and v.candidate is not None),
                           key=lambda k: -self.cells[k].value)
        for key in secondary:
            self.cells[key].status = None
            if self.exposed():
                self.cells[key].status = SECONDARY


def shown(value, status: str | None):
    """A cell as published: the number, or its suppression mark."""
    return status if status else value


# --- tables ---------------------------------------------------------------------------------------------------

def _mark_derived(table, threshold: int) -> None:
    """Hide every derived value (rate, difference, median) built from a hidden or missing count."""
    derived = [c for c in table.columns if c.sources]
    by_key = {r.key: r for r in table.rows}
    for row in [*table.rows, *([table.total] if table.total else [])]:
        for col in derived:
            if row.values.get(col.key) is not None and any(
                    row.marks.get(src) or row.values.get(src) is None for src in col.sources):
                row.marks[col.key] = SECONDARY
        # The summary's derived rows: a rate of hidden counts, or a median of fewer than threshold values.
        if row.values.get("value") is not None and (
                any(by_key[src].marks.get("value") for src in row.sources if src in by_key)
                or (row.n is not None and row.n < threshold)):
            row.marks["value"] = SECONDARY


def _add_list_columns(problem: SuppressionProblem, table, tag: str = "") -> None:
    """The count columns of a list table: one cell per row, the total, and total = sum of rows (additive)."""
    for col in table.count_columns:
        keys = []
        for row in table.rows:
            value = row.values.get(col.key)
            if value is not None:
                keys.append(problem.cell((tag, col.key, row.key), value))
        total = table.total.values.get(col.key) if table.total else None
        if total is not None:
            problem.cell((tag, col.key, "total"), total, fixed=True)
            if col.additive:
                problem.equation((tag, col.key, "total"), keys)


def _add_crosstab(problem: SuppressionProblem, table) -> None:
    """A cross table: cells, row totals, column totals, grand total, and the sums along both directions."""
    cats = [c.key for c in table.count_columns if c.key != "total"]
    for row in table.rows:
        parts = [problem.cell(("", c, row.key), row.values[c]) for c in cats]
        problem.cell(("", "total", row.key), row.values["total"], total=True)
        problem.equation(("", "total", row.key), parts)
    for c in cats:
        problem.cell(("", c, "total"), table.total.values[c], total=True)
        problem.equation(("", c, "total"), [("", c, r.key) for r in table.rows])
    problem.cell(("", "total", "total"), table.total.values["total"], fixed=True)
    problem.equation(("", "total", "total"), [("", c, "total") for c in cats])
    problem.equation(("", "total", "total"), [("", "total", r.key) for r in table.rows])


def _apply(problem: SuppressionProblem, table, statuses: dict, tag: str = "") -> None:
    for row in [*table.rows, *([table.total] if table.total else [])]:
        for col in table.count_columns:
            status = statuses.get((tag, col.key, row.key))
            if status:
                row.marks[col.key] = status
            elif (tag, col.key, row.key) in problem.cells and not problem.cells[(tag, col.key, row.key)].published:
                row.marks[col.key] = SECONDARY


def suppress_table(table, threshold: int = 5):
    """A copy of table safe to publish on its own: counts under threshold as "<5", complementary cells as "x" so
    that no "<5" cell can be worked out from the table's totals, and derived values of hidden counts as "x"."""
    from .tables import COUNT

    t = table.copy()
    t.suppressed = True
    problem = SuppressionProblem(threshold)
    if t.key == "tong-hop":  # the summary: independent figures, one per row
        for row in t.rows:
            if (row.kind or COUNT) == COUNT and row.values.get("value") is not None:
                problem.cell(("", "value", row.key), row.values["value"])
        statuses = problem.solve()
        for row in t.rows:
            if statuses.get(("", "value", row.key)):
                row.marks["value"] = statuses[("", "value", row.key)]
    else:
        if t.crosstab:
            _add_crosstab(problem, t)
        else:
            _add_list_columns(problem, t)
        _apply(problem, t, problem.solve())
    _mark_derived(t, threshold)
    return t


def suppress_areas(ward_table, district_table, threshold: int = 5):
    """Copies of the ward and former-district tables suppressed together: a district's figure is the sum of its
    wards', so a ward hidden in one table must not be recoverable through the other."""
    wt, dt = ward_table.copy(), district_table.copy()
    wt.suppressed = dt.suppressed = True
    problem = SuppressionProblem(threshold)
    ward_district = {row.key: row.values.get("_district_code") for row in wt.rows}
    for col in dt.count_columns:
        d_keys = []
        for row in dt.rows:
            if row.values.get(col.key) is None:
                continue
            d_keys.append(problem.cell(("d", col.key, row.key), row.values[col.key]))
        if dt.total and dt.total.values.get(col.key) is not None:
            problem.cell(("d", col.key, "total"), dt.total.values[col.key], fixed=True)
            problem.equation(("d", col.key, "total"), d_keys)
        for d_row in dt.rows:
            if d_row.values.get(col.key) is None:
                continue
            members = [r for r in wt.rows if ward_district.get(r.key) == d_row.key and r.values.get(col.key) is not None]
            if sum(r.values[col.key] for r in members) == d_row.values[col.key]:
                keys = [problem.cell(("w", col.key, r.key), r.values[col.key]) for r in members]
                problem.equation(("d", col.key, d_row.key), keys)
            else:  # the stored former districts disagree with the wards': publish no ward figure of it
                for r in members:
                    problem.hidden(("w", col.key, r.key), r.values[col.key])
    statuses = problem.solve()
    _apply(problem, dt, statuses, "d")
    _apply(problem, wt, statuses, "w")
    for t in (wt, dt):
        if t.total:
            for col in t.count_columns:
                status = statuses.get(("d", col.key, "total"))
                if status:
                    t.total.marks[col.key] = status
        _mark_derived(t, threshold)
    return wt, dt
