"""Domain errors: what the law or the procedure refuses, with the rule that says so.

Views turn a DomainError into a form error or a message (never a 500); the API turns it into
HTTP 400/409 with the rule code. Messages are translatable and formatted with ``.format()``.
"""

from __future__ import annotations


class DomainError(Exception):
    """A refusal by a domain rule. ``rule`` is a statute-registry code when the law imposes it."""

    status_code = 400

    def __init__(self, message, *, rule: str = "", field: str | None = None, extra: dict | None = None):
        super().__init__(str(message))
        self.message = message
        self.rule = rule
        self.field = field
        self.extra = extra or {}

    def __str__(self) -> str:  # the message, plus the citation of the rule when one is known
        text = str(self.message)
        citation = self.citation
        if citation and citation not in text:
            text = f"{text}（{citation}）"
        return text

    @property
    def citation(self) -> str:
        """The article behind the rule ("《行政处罚法》第六十四条"), or "" for a rule with no statute."""
        if not self.rule:
            return ""
        from clocks.registry import citation_for

        return citation_for(self.rule)


class TransitionError(DomainError):
    """An illegal move in a status machine (wrong source state, failed guard)."""

    status_code = 409


class ConflictError(DomainError):
    """Somebody else changed the record first (optimistic locking)."""

    status_code = 409
