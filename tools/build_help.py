"""Copy the user guide's sections into resources/help/en/, one file per screen, for F1.

The window shows these files offline (digcomp_app/ui/help.py); the Latvian ones in
resources/help/lv/ are written by hand from them. Run after changing docs/user-guide.md:
``python tools/build_help.py`` (tests/ui/test_help.py fails while a copy is out of date).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "user-guide.md"
OUT = ROOT / "resources" / "help" / "en"

#: the guide's section titles shown for each screen ("sign_in": before signing in)
SECTIONS = {
    "sign_in": ["Signing in"],
    "home": ["Finding your way"],
    "frameworks": ["Frameworks"],
    "self_assessment": ["Self-assessment"],
    "results": ["Results"],
    "skills_test": ["Skills test"],
    "cases": ["Validation cases"],
    "mobilities": ["Mobilities"],
    "certification": ["Certification", "Printing attestations"],
    "overview": ["School overview"],
    "learners": ["Learners and groups"],
    "users": ["Users and roles"],
    "organisation": ["School details"],
    "signing_key": ["The signing key"],
    "database": ["Database"],
}


def sections(text: str) -> dict[str, str]:
    """Each ``###`` section of the guide by its title (its text up to the next heading of
    level 2 or 3)."""
    found: dict[str, str] = {}
    title = None
    lines: list[str] = []
    for line in text.splitlines():
        heading = re.match(r"^(#{2,3}) (.*)$", line)
        if heading:
            if title is not None:
                found[title] = "\n".join(lines).strip()
            title = heading.group(2).strip() if heading.group(1) == "###" else None
            lines = []
        elif title is not None:
            lines.append(line)
    if title is not None:
        found[title] = "\n".join(lines).strip()
    return found


def plain(markdown: str) -> str:
    """Without pictures (they are in docs/screenshots, not bundled) and without links
    inside the guide."""
    kept = [line for line in markdown.splitlines() if not re.match(r"^\s*(!\[|<img )", line)]
    if "---" in kept:  # the guide's closing note follows a rule
        kept = kept[: kept.index("---")]
    text = "\n".join(kept)
    text = re.sub(r"\[([^\]]+)\]\(#[^)]*\)", r"\1", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n"


def build() -> dict[str, str]:
    found = sections(GUIDE.read_text(encoding="utf-8"))
    return {
        screen: "\n".join(f"## {title}\n\n{plain(found[title])}" for title in titles)
        for screen, titles in SECTIONS.items()
    }


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for screen, text in build().items():
        (OUT / f"{screen}.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
