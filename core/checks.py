import hashlib

from django.core.checks import Error, register


@register()
def sm3_available(app_configs, **kwargs):
    errors = []
    if "sm3" not in hashlib.algorithms_available:
        errors.append(Error("OpenSSL in this Python has no SM3: the audit chain cannot be computed.", id="fazhi.E001"))
        return errors
    # Known-answer test, GB/T 32905-2016 example 1.
    if hashlib.new("sm3", b"abc").hexdigest() != "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0":
        errors.append(Error("SM3 known-answer test failed.", id="fazhi.E002"))
    return errors


@register("database")
def durability(app_configs, databases=None, **kwargs):
    """R1: committed means durable. PostgreSQL: fsync, synchronous_commit, full_page_writes on;
    SQLite: WAL journal and synchronous=FULL. Run with ``manage.py check --database default``."""
    from django.db import connections

    errors = []
    for alias in databases or []:
        connection = connections[alias]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                for name in ("fsync", "synchronous_commit", "full_page_writes"):
                    cursor.execute(f"SHOW {name}")
                    value = cursor.fetchone()[0]
                    if value.lower() not in {"on", "remote_apply", "remote_write", "local"}:
                        errors.append(Error(f"PostgreSQL {name} is {value}; Fazhi needs it on.", id="fazhi.E010"))
            elif connection.vendor == "sqlite":
                cursor.execute("PRAGMA journal_mode")
                mode = cursor.fetchone()[0]
                cursor.execute("PRAGMA synchronous")
                sync = cursor.fetchone()[0]
                if mode.lower() not in {"wal", "memory"} or sync < 2:
                    errors.append(Error(f"SQLite journal_mode={mode}, synchronous={sync}; Fazhi needs WAL and FULL.",
                                        id="fazhi.E011"))
    return errors
