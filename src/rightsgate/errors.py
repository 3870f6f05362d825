"""One exception hierarchy; every message names where the problem is and what to do."""

from __future__ import annotations


class RightsgateError(Exception):
    """Root of every error rightsgate raises on purpose."""


class RuleProblem(RightsgateError):
    """One problem in one rule pack: file, rule id and field."""

    def __init__(self, source: str, rule_id: str | None, field: str | None, message: str) -> None:
        self.source = source
        self.rule_id = rule_id
        self.field = field
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        parts = [self.source]
        if self.rule_id:
            parts.append(self.rule_id)
        if self.field:
            parts.append(self.field)
        return ": ".join([*parts, self.message])


class RuleError(RightsgateError):
    """Rule packs could not be loaded; carries every problem found, one per line."""

    def __init__(self, problems: list[RuleProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class ConfigError(RightsgateError):
    """A configuration file or option is wrong."""


class InputError(RightsgateError):
    """An input could not be read; names the location."""

    def __init__(self, location: str, message: str) -> None:
        self.location = location
        self.message = message
        super().__init__(f"{location}: {message}")
