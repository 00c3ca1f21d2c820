"""How a refusal reads on a page: org's own rules are structural (no statute to cite), so the message alone."""

from core.errors import DomainError


def error_text(exc: DomainError) -> str:
    if (exc.rule or "").startswith(("org.", "procedure.org.")):
        return str(exc.message)
    return str(exc)
