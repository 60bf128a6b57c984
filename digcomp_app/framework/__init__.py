"""Competence frameworks (DigComp 2.2, 3.0, ...) loaded from plain YAML into immutable objects.

Pure Python: no Qt, no database. See ``docs/framework-format.md`` for the file format.
"""

from digcomp_app.framework.errors import FrameworkError, FrameworkIssue
from digcomp_app.framework.library import FrameworkLibrary, builtin_library
from digcomp_app.framework.loader import load_framework, validate_framework
from digcomp_app.framework.model import (
    AiLabel,
    Area,
    Competence,
    CompetenceStatement,
    Framework,
    GlossaryTerm,
    LearningOutcome,
    LevelBand,
    OutcomeType,
    ProficiencyLevel,
    Text,
    TranslationStatus,
)

__all__ = [
    "AiLabel",
    "Area",
    "Competence",
    "CompetenceStatement",
    "Framework",
    "FrameworkError",
    "FrameworkIssue",
    "FrameworkLibrary",
    "GlossaryTerm",
    "LearningOutcome",
    "LevelBand",
    "OutcomeType",
    "ProficiencyLevel",
    "Text",
    "TranslationStatus",
    "builtin_library",
    "load_framework",
    "validate_framework",
]
