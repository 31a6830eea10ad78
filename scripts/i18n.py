"""Message catalogue upkeep: extract strings, update the English catalogue, add translations, list gaps.

    python scripts/i18n.py update              # extract + merge into jobmarket/translations/en
    python scripts/i18n.py missing             # print msgids without an English translation (JSON)
    python scripts/i18n.py fill FILE.json      # set translations from {"Vietnamese msgid": "English"}
    python scripts/i18n.py check               # exit 1 when code or templates hold a msgid with no English text
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "jobmarket/translations/en/LC_MESSAGES/messages.po"
POT = ROOT / "jobmarket/translations/messages.pot"


def _pybabel(*args: str) -> None:
    subprocess.run([str(ROOT / ".venv/bin/pybabel"), *args], check=True, cwd=ROOT, capture_output=True)


def update() -> None:
    """Extract every marked string and merge the template into the English catalogue."""
    _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "--no-location",
             "--sort-output", "-o", str(POT), ".")
    _pybabel("update", "--no-fuzzy-matching", "-i", str(POT), "-d", "jobmarket/translations", "-l", "en")


def load():
    with open(PO, "rb") as fh:
        return read_po(fh, locale="en")


def missing() -> dict[str, str]:
    """msgids that have no English text yet."""
    out = {}
    for msg in load():
        if not msg.id:
            continue
        key = msg.id if isinstance(msg.id, str) else msg.id[0]
        text = msg.string if isinstance(msg.string, str) else (msg.string[0] if msg.string else "")
        if not text:
            out[key] = ""
    return out


def check() -> int:
    """Extract into a temporary template and report msgids that the English catalogue lacks or leaves empty."""
    import tempfile

    from babel.messages.pofile import read_po as _read

    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "messages.pot"
        subprocess.run([str(ROOT / ".venv/bin/pybabel"), "extract", "-F", "babel.cfg", "-k", "_l", "-k",
                        "lazy_gettext", "--no-location", "-o", str(pot), "."], check=True, cwd=ROOT,
                       capture_output=True)
        with open(pot, "rb") as fh:
            wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in _read(fh) if m.id}
    have = {}
    for msg in load():
        if msg.id:
            key = msg.id if isinstance(msg.id, str) else msg.id[0]
            text = msg.string if isinstance(msg.string, str) else (msg.string[0] if msg.string else "")
            have[key] = text
    gaps = sorted(k for k in wanted if not have.get(k))
    for gap in gaps:
        print("no English text:", gap)
    return 1 if gaps else 0


def fill(path: str) -> None:
    """Write translations from a JSON mapping into the catalogue."""
    mapping = json.loads(Path(path).read_text(encoding="utf-8"))
    catalog = load()
    for msg in catalog:
        key = msg.id if isinstance(msg.id, str) else (msg.id[0] if msg.id else None)
        if key in mapping and mapping[key]:
            if isinstance(msg.id, (list, tuple)):
                msg.string = (mapping[key], mapping.get(msg.id[1], mapping[key]))
            else:
                msg.string = mapping[key]
            msg.flags.discard("fuzzy")
    with open(PO, "wb") as fh:
        write_po(fh, catalog, width=120, omit_header=False, no_location=True)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "update"
    if command == "update":
        update()
    elif command == "missing":
        print(json.dumps(missing(), ensure_ascii=False, indent=1))
    elif command == "check":
        sys.exit(check())
    elif command == "fill":
        fill(sys.argv[2])
    else:
        sys.exit(__doc__)
