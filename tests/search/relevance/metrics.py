"""P@10 and nDCG@10 of a ranking against the labelled corpus (binary relevance)."""
from __future__ import annotations

import math


def precision_at(ranked: list[int], relevant: set[int], k: int = 10) -> float:
    """Relevant share of the top k, out of min(k, number relevant) (1.0 when every place that can be is)."""
    if not relevant:
        return 1.0 if not ranked else 0.0
    return sum(1 for i in ranked[:k] if i in relevant) / min(k, len(relevant))


def ndcg_at(ranked: list[int], relevant: set[int], k: int = 10) -> float:
    """Normalised discounted cumulative gain of the top k."""
    dcg = sum(1 / math.log2(r + 2) for r, i in enumerate(ranked[:k]) if i in relevant)
    ideal = sum(1 / math.log2(r + 2) for r in range(min(k, len(relevant))))
    return dcg / ideal if ideal else 0.0


def evaluate(search, corpus, queries) -> dict:
    """Run every labelled query through `search(q) -> ranked ids` and score it: per query and the means."""
    rows = []
    for q in queries:
        ranked = search(q)
        relevant = corpus.relevant(q)
        rows.append({"q": q, "p10": precision_at(ranked, relevant), "ndcg10": ndcg_at(ranked, relevant),
                     "first_relevant": bool(ranked) and ranked[0] in relevant, "top10": ranked[:10]})
    n = len(rows)
    return {"queries": n, "p10": sum(r["p10"] for r in rows) / n, "ndcg10": sum(r["ndcg10"] for r in rows) / n,
            "first_relevant": sum(r["first_relevant"] for r in rows) / n, "rows": rows}
