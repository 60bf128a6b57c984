"""The set of frameworks the app knows: the built-in ones, plus any loaded from a folder."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from pathlib import Path

from digcomp_app.framework.errors import FrameworkError, FrameworkIssue
from digcomp_app.framework.loader import STRUCTURE_FILE, load_framework
from digcomp_app.framework.model import Competence, Framework, ProficiencyLevel
from digcomp_app.i18n import _
from digcomp_app.resources import frameworks_dir

DEFAULT_FRAMEWORK = ("digcomp", "3.0")


class FrameworkLibrary:
    """Frameworks by (id, version), checked for consistent links between related ones."""

    def __init__(self, frameworks: Iterable[Framework]) -> None:
        self._by_key: dict[tuple[str, str], Framework] = {}
        for framework in frameworks:
            if framework.key in self._by_key:
                raise FrameworkError(
                    [
                        FrameworkIssue(
                            Path(framework.id),
                            0,
                            "",
                            _("the framework {label} is loaded twice").format(
                                label=framework.label
                            ),
                        )
                    ]
                )
            self._by_key[framework.key] = framework
        self._check_related()

    @classmethod
    def from_folder(cls, folder: Path) -> FrameworkLibrary:
        """Load every framework in the sub-folders of ``folder`` (all problems at once)."""
        frameworks: list[Framework] = []
        issues: list[FrameworkIssue] = []
        for child in sorted(folder.iterdir()):
            if (child / STRUCTURE_FILE).is_file():
                try:
                    frameworks.append(load_framework(child))
                except FrameworkError as error:
                    issues.extend(error.issues)
        if issues:
            raise FrameworkError(issues)
        return cls(frameworks)

    def __iter__(self) -> Iterator[Framework]:
        return iter(sorted(self._by_key.values(), key=lambda f: (f.id, _version_key(f.version))))

    def __len__(self) -> int:
        return len(self._by_key)

    def get(self, framework_id: str, version: str) -> Framework:
        try:
            return self._by_key[(framework_id, version)]
        except KeyError:
            raise LookupError(
                _("no framework {id} {version} is installed").format(
                    id=framework_id, version=version
                )
            ) from None

    def find(self, framework_id: str, version: str) -> Framework | None:
        return self._by_key.get((framework_id, version))

    def default(self) -> Framework:
        return self.get(*DEFAULT_FRAMEWORK)

    def equivalent_competence(
        self, competence: Competence, source: Framework, target: Framework
    ) -> Competence | None:
        """The competence of ``target`` that a result under ``source`` counts for."""
        if source.key == target.key:
            return competence
        if not source.is_related_to(target):
            return None
        try:
            return target.competence(competence.id)
        except KeyError:
            return None

    def equivalent_level(
        self, level: ProficiencyLevel, source: Framework, target: Framework
    ) -> ProficiencyLevel | None:
        if source.key != target.key and not source.is_related_to(target):
            return None
        try:
            return target.level(level.number)
        except KeyError:
            return None

    def _check_related(self) -> None:
        issues: list[FrameworkIssue] = []
        for framework in self._by_key.values():
            for link in framework.related:
                other = self._by_key.get((link.id, link.version))
                if other is None:
                    continue
                mine = {c.id for c in framework.competences()}
                theirs = {c.id for c in other.competences()}
                if mine != theirs:
                    issues.append(
                        FrameworkIssue(
                            Path(framework.label),
                            0,
                            "related",
                            _(
                                "{label} says its competence codes are those of {other}, but they "
                                "differ: {codes}"
                            ).format(
                                label=framework.label,
                                other=other.label,
                                codes=", ".join(sorted(mine ^ theirs)),
                            ),
                        )
                    )
                if {lv.number for lv in framework.levels} != {lv.number for lv in other.levels}:
                    issues.append(
                        FrameworkIssue(
                            Path(framework.label),
                            0,
                            "related",
                            _(
                                "{label} says its level numbers are those of {other}, but they "
                                "differ"
                            ).format(label=framework.label, other=other.label),
                        )
                    )
        if issues:
            raise FrameworkError(issues)


def _version_key(version: str) -> tuple[int | str, ...]:
    return tuple(int(part) if part.isdigit() else part for part in version.split("."))


@functools.cache
def builtin_library() -> FrameworkLibrary:
    """The frameworks shipped with the app (loaded once per process)."""
    return FrameworkLibrary.from_folder(frameworks_dir())
