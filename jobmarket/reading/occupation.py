"""Proposing a VSCO 2020 unit group (4 digits) for a vacancy or CV: title phrases first, then description and skills."""
from __future__ import annotations

from collections import defaultdict

from .skills import SkillMention, Token, match_phrases, tokenize
from .vocab import Snapshot

# Words of a job title that say nothing about the occupation.
_TITLE_NOISE = {"tuyen", "gap", "can", "dung", "nhieu", "so", "luong", "nam", "nu", "lam", "viec", "tai", "ha", "noi",
                "hn", "hcm", "thu", "nhap", "cao", "tu", "den", "tr", "trieu", "k", "the", "and", "of", "va", "cac",
                "khac", "cong", "ty", "tnhh", "chi", "nhanh", "hang", "moi", "toan", "thoi", "gian", "ban", "part",
                "full", "time", "ca", "ngay", "thang", "dang", "khong", "kinh", "nghiem", "ve", "cho", "co", "la",
                "nhan", "vien", "nv", "tho", "lao", "dong", "chuyen", "nganh", "linh", "vuc", "nha"}
TITLE_WEIGHT, DESCRIPTION_WEIGHT, SKILL_WEIGHT, WORD_WEIGHT = 3.0, 0.6, 0.5, 0.35


def score_occupations(snapshot: Snapshot, title_words: list[Token], description_words: list[Token],
                      skills: list[SkillMention]) -> dict[str, float]:
    """A score per occupation code from what the title and description name and from the skills found."""
    scores: dict[str, float] = defaultdict(float)
    index, max_len = snapshot.occupation_phrases, snapshot.max_occupation_len
    for words, weight in ((title_words, TITLE_WEIGHT), (description_words, DESCRIPTION_WEIGHT)):
        seen: set[str] = set()
        for start, end, phrase in match_phrases(words, index, max_len):
            code = str(phrase.key)
            if code in seen:
                continue
            seen.add(code)
            exact = tuple(w.lower for w in words[start:end]) == phrase.lower
            # the phrase's length says how specific it is; an earlier phrase in the title is the job itself
            position = 1.0 if weight != TITLE_WEIGHT else 1.0 / (1 + 0.15 * start)
            scores[code] += weight * (end - start) * (1.1 if exact else 1.0) * position
            # every other unit group the phrase also names (same folded words) gets a share
            for other in index.get(phrase.tokens, ()):
                if str(other.key) != code and str(other.key) not in seen:
                    scores[str(other.key)] += weight * (end - start) * 0.5 * position
    if not scores:
        # No phrase matched: fall back on single title words shared with occupation titles.
        for w in {t.folded for t in title_words} - _TITLE_NOISE:
            codes = snapshot.occupation_words.get(w, ())
            if 0 < len(codes) <= 25:
                for code in codes:
                    scores[code] += WORD_WEIGHT / len(snapshot.occupations[code].words) ** 0.5
    if scores and skills:
        groups = defaultdict(int)
        for mention in skills:
            group = snapshot.skills[mention.skill_id].occupation_group
            if group:
                groups[group] += 1
        for code in list(scores):
            for group, n in groups.items():
                if code.startswith(group):
                    scores[code] += SKILL_WEIGHT * min(n, 4) * len(group) / 2
    return dict(scores)


def propose_occupation(snapshot: Snapshot, title: str | None, description: str | None,
                       skills: list[SkillMention], title_words: list[Token] | None = None,
                       description_words: list[Token] | None = None) -> list[tuple[str, float]]:
    """Up to three (code, confidence) pairs, best first; confidences in [0, 1]; empty when nothing points anywhere."""
    title_words = tokenize(title or "") if title_words is None else title_words
    description_words = tokenize(description or "") if description_words is None else description_words
    scores = score_occupations(snapshot, title_words, description_words, skills)
    if not scores:
        return []
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    total = sum(s for _, s in ranked)
    strength = min(1.0, ranked[0][1] / (2 * TITLE_WEIGHT))
    return [(code, round(s / total * strength, 3)) for code, s in ranked]
