"""The plan's solver: optimal against brute force, never breaks a rule, keeps fixed interviews, beats greedy."""
from __future__ import annotations

import itertools
import random

from jobmarket.sessions.planning import Fixed, Request, check, greedy, plan


def brute_force(requests, seats, n_slots):
    """The best total by trying every slot/seat (or none) for every request: tiny cases only."""
    options = [None] + [(t, k) for t in range(n_slots) for k in range(max(seats.values()))]
    best = 0.0
    for choice in itertools.product(options, repeat=len(requests)):
        slots = {r.id: c for r, c in zip(requests, choice) if c is not None}
        if any(k >= seats[r.booth] for r in requests if (c := slots.get(r.id)) for k in [c[1]]):
            continue
        if not check(requests, seats, n_slots, slots):
            best = max(best, sum(r.score for r in requests if r.id in slots))
    return best


def test_greedy_is_beaten_where_best_first_blocks_a_better_pair():
    # One slot. A's best (booth 1) is B's only wish: greedy seats A there and B gets nothing.
    requests = [Request(1, seeker=1, booth=1, score=0.9), Request(2, seeker=1, booth=2, score=0.8),
                Request(3, seeker=2, booth=1, score=0.85)]
    seats = {1: 1, 2: 1}
    optimal, clerk = plan(requests, seats, 1), greedy(requests, seats, 1)
    assert round(optimal.total, 4) == 1.65 and optimal.gap_to_bound < 1e-9
    assert round(clerk.total, 4) == 0.9
    assert check(requests, seats, 1, optimal.slots) == []


def test_optimal_on_random_small_cases_and_rules_kept():
    rng = random.Random(7)
    for _ in range(25):
        seats = {b: rng.randint(1, 2) for b in range(1, 3)}
        n_slots = rng.randint(1, 2)
        pairs = rng.sample([(s, b) for s in range(1, 4) for b in seats], rng.randint(2, 5))
        requests = [Request(i + 1, s, b, round(rng.uniform(0.1, 1), 2)) for i, (s, b) in enumerate(pairs)]
        result = plan(requests, seats, n_slots)
        assert check(requests, seats, n_slots, result.slots) == []
        assert abs(result.total - brute_force(requests, seats, n_slots)) < 1e-6
        assert greedy(requests, seats, n_slots).total <= result.total + 1e-9


def test_fixed_interviews_keep_their_slot_and_early_slots_are_not_reused():
    rng = random.Random(3)
    seats = {b: 2 for b in range(10)}
    requests = [Request(i + 1, rng.randrange(40), rng.randrange(10), rng.random()) for i in range(150)]
    requests = list({(r.seeker, r.booth): r for r in requests}.values())
    first = plan(requests, seats, 6)
    fixed = [Fixed(rid, t, k) for rid, (t, k) in list(first.slots.items())[:20]]
    again = plan(requests, seats, 6, fixed=fixed, from_slot=2)
    assert check(requests, seats, 6, again.slots) == []
    for f in fixed:
        assert again.slots[f.request] == (f.slot, f.seat)
    fixed_ids = {f.request for f in fixed}
    assert all(t >= 2 for rid, (t, _k) in again.slots.items() if rid not in fixed_ids)
