"""Installs are reproducible: every dependency the project names is pinned in constraints.txt."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    name = re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins() -> dict[str, str]:
    pins = {}
    for raw in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"constraints.txt: '{line}' is not pinned with =="
            pins[_name(name)] = version
    return pins


def test_every_dependency_and_build_requirement_is_pinned():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = list(project["project"]["dependencies"])
    for extra in project["project"]["optional-dependencies"].values():
        wanted += extra
    wanted += project["build-system"]["requires"]
    pins = _pins()
    missing = sorted({_name(r) for r in wanted} - set(pins))
    assert missing == []


def test_ci_and_readme_install_with_the_pins():
    """The README's test command, which CI runs: uv at its pinned version, then the test
    extras and the build backend at theirs (docs/decisions/0040)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = (
        "PIP_CONSTRAINT=constraints.txt .venv/bin/pip install uv && .venv/bin/uv pip install "
        "--system-certs --python .venv/bin/python -c constraints.txt "
        "--build-constraints constraints.txt "
        "-e '.[test]'"
    )
    assert command in readme and command in ci
    assert "uv" in _pins()


def test_the_bundle_is_built_with_the_pins():
    """packaging/build-linux.sh installs the bundle's environment with uv, itself pinned."""
    script = (ROOT / "packaging" / "build-linux.sh").read_text(encoding="utf-8")
    assert "-c constraints.txt --build-constraints constraints.txt" in script
    assert 'UV_VERSION=$(sed -n "s/^uv==//p" constraints.txt)' in script  # uv's one pin
