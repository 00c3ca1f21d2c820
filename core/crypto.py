"""Cryptography for personal data and digests: SM3, HMAC-SM3 and SM4-GCM (GB/T 32905, 32907).

Personal data (ID numbers, phones, addresses) is stored as ``EncryptedTextField``: SM4-GCM with a
random 96-bit nonce, base64 of ``nonce || ciphertext || tag`` with a ``sm4g1:`` prefix. Equality
search goes through a separate HMAC-SM3 "blind index" column (``blind_index()``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.db import models

PREFIX = "sm4g1:"


def sm3_hex(data: bytes) -> str:
    return hashlib.new("sm3", data).hexdigest()


def sm3_file(fileobj, chunk_size: int = 1 << 20) -> str:
    digest = hashlib.new("sm3")
    for chunk in iter(lambda: fileobj.read(chunk_size), b""):
        digest.update(chunk)
    return digest.hexdigest()


def hmac_sm3(key: bytes, data: bytes) -> str:
    return hmac.new(key, data, "sm3").hexdigest()


def _data_key() -> bytes:
    key = bytes.fromhex(settings.FAZHI_DATA_KEY)
    if len(key) != 16:
        raise ValueError("FAZHI_DATA_KEY must be 32 hex digits (a 128-bit SM4 key)")
    return key


def sm4_gcm_encrypt(plaintext: str, key: bytes | None = None) -> str:
    key = key or _data_key()
    nonce = os.urandom(12)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    ciphertext = encryptor.update(plaintext.encode("utf-8")) + encryptor.finalize()
    return PREFIX + base64.b64encode(nonce + ciphertext + encryptor.tag).decode("ascii")


def sm4_gcm_decrypt(token: str, key: bytes | None = None) -> str:
    if not token.startswith(PREFIX):
        return token  # legacy plaintext (never written by Fazhi itself)
    key = key or _data_key()
    raw = base64.b64decode(token[len(PREFIX):])
    nonce, body, tag = raw[:12], raw[12:-16], raw[-16:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    return (decryptor.update(body) + decryptor.finalize()).decode("utf-8")


def blind_index(value: str) -> str:
    """HMAC-SM3 of a normalised value: lets the database find equal values without decrypting."""
    if not value:
        return ""
    normalised = re.sub(r"\s+", "", value).upper()
    return hmac_sm3(_data_key() + b"/blind-index", normalised.encode("utf-8"))


class EncryptedTextField(models.TextField):
    """A text column stored encrypted (SM4-GCM); Python code sees the plaintext."""

    description = "Text encrypted at rest with SM4-GCM"

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return sm4_gcm_decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        if isinstance(value, str) and value.startswith(PREFIX):
            return value
        return sm4_gcm_encrypt(str(value))

    def get_lookup(self, lookup_name):
        if lookup_name not in {"isnull", "exact"}:
            raise TypeError(f"EncryptedTextField does not support '{lookup_name}' lookups; use a blind index")
        return super().get_lookup(lookup_name)


# --- masking for lists and public pages ------------------------------------------------------

def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    digits = re.sub(r"\D", "", value)
    if len(digits) >= 7:
        return digits[:3] + "****" + digits[-4:]
    return "*" * len(digits)


def mask_id_number(value: str | None) -> str:
    if not value:
        return ""
    v = value.strip()
    if len(v) <= 4:
        return "*" * len(v)
    return v[:1] + "*" * (len(v) - 2) + v[-1:]


def mask_address(value: str | None) -> str:
    if not value:
        return ""
    v = value.strip()
    keep = min(6, max(2, len(v) // 3))
    return v[:keep] + "****"


def mask_name(value: str | None) -> str:
    """Surname + 某 (P2)."""
    if not value:
        return ""
    return value.strip()[:1] + "某"
