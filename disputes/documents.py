"""Structured context for the disputes instruments' dedicated DOCX templates (调解协议书, 信访事项处理意见书).

``dispute_context(dispute, agreement)`` and ``petition_context(petition)`` return the fields the dedicated
templates use; the services merge them into the context they pass to ``instrument_render``. They are evaluated
in the official language (see ``core.i18n``).
"""

from __future__ import annotations


def dispute_context(dispute, agreement) -> dict:
    return {}


def petition_context(petition) -> dict:
    return {}
