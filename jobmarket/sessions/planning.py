"""The interview plan of a session: which requested interviews are held, and in which slot at which interviewer.

Pure functions on plain numbers (no database), so the bench and the tests call them directly.

The problem: booths b with c_b interviewers (seats) and T slots each; requests r = (seeker, booth, score). Choose
a slot and a seat for as many requests as the score allows so that no seeker holds two interviews in one slot,
no seat holds two, and the total score of the interviews held is as large as possible.

It splits exactly in two:
1. Which requests are held: a seeker can attend at most as many interviews as they have free slots, a booth can
   hold at most seats x free slots. Any choice meeting those two counts can be given slots (step 2), so the best
   choice of the whole problem is the best choice under the counts: a weighted degree-constrained selection,
   solved by OR-Tools CP-SAT, which also reports its bound (the selection's LP relaxation is integral, so the
   solver proves optimality quickly).
2. Which slot at which seat: spread each booth's chosen requests over its seats (none above its free slots), then
   colour the bipartite graph seekers x seats with T colours (slots). König's theorem says a bipartite graph of
   maximum degree T can be coloured with T colours; the alternating-path algorithm finds such a colouring exactly.
   Interviews fixed beforehand (a checked-in seeker's, an officer's hand move) keep their colour; an alternating
   path never flips a fixed edge, and a request the fixed edges leave no room for is reported as unplaced.
Requests of one seeker are coloured in decreasing score, so a seeker's best matches come first in the day.
"""
from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

SCORE_SCALE = 10_000  # CP-SAT works on integers: scores in [0, 1] become 0..10,000


@dataclass(frozen=True)
class Request:
    """A requested interview: who, which booth, how well they match (0..1)."""

    id: int
    seeker: int
    booth: int
    score: float


@dataclass
class Fixed:
    """An interview that must keep its slot and seat (checked in, moved by hand, already held)."""

    request: int
    slot: int
    seat: int


@dataclass
class Plan:
    """The outcome: request id -> (slot, seat), its total score, the solver's bound, how long it took."""

    slots: dict[int, tuple[int, int]]
    total: float
    bound: float
    seconds: float
    status: str
    unplaced: list[int] = field(default_factory=list)
    # The same total and bound in the solver's integer units (scores x SCORE_SCALE), compared exactly.
    total_units: int = 0
    bound_units: int = 0

    @property
    def gap_to_bound(self) -> float:
        """Relative distance of the plan's total from the best bound the solver proved (0 = optimal)."""
        if self.bound_units <= 0:
            return 0.0
        return max(0.0, (self.bound_units - self.total_units) / self.bound_units)


def _scaled(score: float) -> int:
    return max(1, int(round(score * SCORE_SCALE)))


def select_requests(requests: list[Request], seeker_room: dict[int, int], booth_room: dict[int, int],
                    time_limit: float = 10.0, workers: int = 2) -> tuple[set[int], float, float, str]:
    """Step 1: the requests to hold, maximising the total score; returns (ids, total, bound, solver status), the
    total and bound in the solver's integer units."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    by_seeker: dict[int, list] = defaultdict(list)
    by_booth: dict[int, list] = defaultdict(list)
    chosen = {}
    for r in requests:
        if seeker_room.get(r.seeker, 0) <= 0 or booth_room.get(r.booth, 0) <= 0:
            continue
        x = model.new_bool_var(f"r{r.id}")
        chosen[r.id] = (x, r)
        by_seeker[r.seeker].append(x)
        by_booth[r.booth].append(x)
    for seeker, xs in by_seeker.items():
        if len(xs) > seeker_room[seeker]:
            model.add(sum(xs) <= seeker_room[seeker])
    for booth, xs in by_booth.items():
        if len(xs) > booth_room[booth]:
            model.add(sum(xs) <= booth_room[booth])
    if not chosen:
        return set(), 0.0, 0.0, "OPTIMAL"
    model.maximize(sum(_scaled(r.score) * x for x, r in chosen.values()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return set(), 0.0, 0.0, solver.status_name(status)
    held = {rid for rid, (x, _r) in chosen.items() if solver.boolean_value(x)}
    return held, solver.objective_value, solver.best_objective_bound, solver.status_name(status)


class _Colouring:
    """Edges seeker-seat coloured with slots; at[node][slot] = request id. Fixed edges never change colour."""

    def __init__(self, slots: range):
        self.slots = slots
        self.at: dict[tuple, dict[int, int]] = defaultdict(dict)
        self.ends: dict[int, tuple[tuple, tuple]] = {}
        self.colour: dict[int, int] = {}
        self.fixed: set[int] = set()

    def put(self, rid: int, u: tuple, v: tuple, c: int, fixed: bool = False) -> None:
        self.ends[rid] = (u, v)
        self.colour[rid] = c
        self.at[u][c] = rid
        self.at[v][c] = rid
        if fixed:
            self.fixed.add(rid)

    def free(self, node: tuple) -> list[int]:
        used = self.at[node]
        return [c for c in self.slots if c not in used]

    def _path(self, start: tuple, a: int, b: int) -> list[int] | None:
        """The a/b alternating path from start (beginning with its a edge), or None if it holds a fixed edge."""
        path, node, colour = [], start, a
        seen = set()
        while True:
            rid = self.at[node].get(colour)
            if rid is None or rid in seen:
                return path
            if rid in self.fixed:
                return None
            seen.add(rid)
            path.append(rid)
            u, v = self.ends[rid]
            node = v if node == u else u
            colour = b if colour == a else a

    def add(self, rid: int, u: tuple, v: tuple) -> bool:
        """Colour edge u-v (seeker u, seat v); flips an alternating path if needed. False if no colour is found."""
        free_u, free_v = self.free(u), self.free(v)
        if not free_u or not free_v:
            return False
        common = set(free_u) & set(free_v)
        if common:
            self.put(rid, u, v, min(common))
            return True
        for a in free_u:          # a: free at the seeker, used at the seat
            for b in free_v:      # b: free at the seat, used at the seeker
                path = self._path(v, a, b)
                if path is None:
                    continue
                for e in path:    # swap a and b along the path: a becomes free at v
                    x, y = self.ends[e]
                    old = self.colour[e]
                    new = b if old == a else a
                    del self.at[x][old], self.at[y][old]
                for e in path:
                    x, y = self.ends[e]
                    new = b if self.colour[e] == a else a
                    self.colour[e] = new
                    self.at[x][new] = e
                    self.at[y][new] = e
                if a in self.at[u] or a in self.at[v]:  # cannot happen in a bipartite graph; be safe
                    return False
                self.put(rid, u, v, a)
                return True
        return False


def plan(requests: list[Request], seats: dict[int, int], n_slots: int, fixed: list[Fixed] | None = None,
         from_slot: int = 0, time_limit: float = 10.0, workers: int = 2) -> Plan:
    """The optimal plan: step 1 (CP-SAT selection) then step 2 (exact colouring). seats: booth -> interviewers."""
    started = time.perf_counter()
    fixed = fixed or []
    by_id = {r.id: r for r in requests}
    fixed_ids = {f.request for f in fixed}
    slots = range(from_slot, n_slots)
    colouring = _Colouring(range(0, n_slots))
    for f in fixed:
        r = by_id[f.request]
        colouring.put(r.id, ("s", r.seeker), ("b", r.booth, f.seat), f.slot, fixed=True)
    # Slots before from_slot are gone for everyone not fixed: mark them used at every node by a phantom.
    seeker_room: dict[int, int] = {}
    for r in requests:
        if r.seeker not in seeker_room:
            used = colouring.at[("s", r.seeker)]
            seeker_room[r.seeker] = sum(1 for c in slots if c not in used)
    seat_room = {(b, k): sum(1 for c in slots if c not in colouring.at[("b", b, k)])
                 for b, n in seats.items() for k in range(n)}
    booth_room = defaultdict(int)
    for (b, _k), room in seat_room.items():
        booth_room[b] += room
    free = [r for r in requests if r.id not in fixed_ids and r.booth in seats]
    held, total, bound, status = select_requests(free, seeker_room, booth_room, time_limit, workers)
    fixed_units = sum(_scaled(by_id[i].score) for i in fixed_ids)
    # Step 2. Spread each booth's held requests over its seats, fullest room first.
    colouring.slots = slots
    chosen = sorted((by_id[i] for i in held), key=lambda r: (-r.score, r.id))
    left = dict(seat_room)
    unplaced = []
    for r in chosen:
        options = [k for k in range(seats[r.booth]) if left[(r.booth, k)] > 0]
        # Prefer a seat the seeker can meet in one of their free slots without a flip.
        free_u = set(colouring.free(("s", r.seeker)))
        options.sort(key=lambda k: (not (free_u & set(colouring.free(("b", r.booth, k)))), -left[(r.booth, k)]))
        placed = False
        for k in options:
            if colouring.add(r.id, ("s", r.seeker), ("b", r.booth, k)):
                left[(r.booth, k)] -= 1
                placed = True
                break
        if not placed:
            unplaced.append(r.id)
    result = {rid: (colouring.colour[rid], colouring.ends[rid][1][2]) for rid in colouring.colour}
    placed_total = sum(by_id[i].score for i in result)
    placed_units = sum(_scaled(by_id[i].score) for i in result)
    bound_units = int(round(bound)) + fixed_units
    return Plan(result, placed_total, bound_units / SCORE_SCALE, time.perf_counter() - started, status, unplaced,
                placed_units, bound_units)


def greedy(requests: list[Request], seats: dict[int, int], n_slots: int, fixed: list[Fixed] | None = None,
           from_slot: int = 0) -> Plan:
    """The plan a clerk would make: best score first, the earliest slot and seat both sides have free."""
    started = time.perf_counter()
    seeker_busy: dict[int, set[int]] = defaultdict(set)
    seat_busy: dict[tuple[int, int], set[int]] = defaultdict(set)
    result: dict[int, tuple[int, int]] = {}
    by_id = {r.id: r for r in requests}
    for f in fixed or []:
        r = by_id[f.request]
        seeker_busy[r.seeker].add(f.slot)
        seat_busy[(r.booth, f.seat)].add(f.slot)
        result[r.id] = (f.slot, f.seat)
    for r in sorted(requests, key=lambda r: (-r.score, r.id)):
        if r.id in result or r.booth not in seats:
            continue
        done = False
        for t in range(from_slot, n_slots):
            if t in seeker_busy[r.seeker]:
                continue
            for k in range(seats[r.booth]):
                if t not in seat_busy[(r.booth, k)]:
                    seeker_busy[r.seeker].add(t)
                    seat_busy[(r.booth, k)].add(t)
                    result[r.id] = (t, k)
                    done = True
                    break
            if done:
                break
    total = sum(by_id[i].score for i in result)
    return Plan(result, total, total, time.perf_counter() - started, "GREEDY")


def check(requests: list[Request], seats: dict[int, int], n_slots: int, slots: dict[int, tuple[int, int]]) -> list[str]:
    """The rules a plan must keep, as a list of broken ones (empty when the plan is sound)."""
    by_id = {r.id: r for r in requests}
    problems = []
    seen_seeker, seen_seat = set(), set()
    for rid, (t, k) in slots.items():
        r = by_id[rid]
        if not 0 <= t < n_slots:
            problems.append(f"request {rid}: slot {t} outside the session")
        if not 0 <= k < seats.get(r.booth, 0):
            problems.append(f"request {rid}: seat {k} beyond the booth's interviewers")
        if (r.seeker, t) in seen_seeker:
            problems.append(f"seeker {r.seeker}: two interviews in slot {t}")
        if (r.booth, k, t) in seen_seat:
            problems.append(f"booth {r.booth} seat {k}: two interviews in slot {t}")
        seen_seeker.add((r.seeker, t))
        seen_seat.add((r.booth, k, t))
    return problems
