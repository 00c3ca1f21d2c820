"""The demo town as a newcomer meets it: every printed login reaches its role's home page, and the audit
chain the demo wrote verifies — and stops verifying when a row is edited behind the application's back."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from access.roles import Role
from core.views import ROLE_GREETING
from org import demo


@pytest.mark.django_db
def test_demo_as_a_newcomer_meets_it(client):
    """One build of the whole demo (it takes a while), then both checks below."""
    call_command("demo", stdout=StringIO())
    _every_printed_login_reaches_its_home_page(client)
    _audit_chain_of_the_demo_verifies_and_detects_tampering()


def _every_printed_login_reaches_its_home_page(client):
    out = StringIO()
    call_command("demo", "--logins", stdout=out)
    printed = out.getvalue()
    assert demo.PASSWORD in printed
    for role, username, _name, _seen in demo.ROLE_USERS:
        assert re.search(rf"\b{re.escape(username)}\b", printed), username
        response = client.post(reverse("accounts:login"), {"username": username, "password": demo.PASSWORD})
        assert response.status_code == 302, (username, response.status_code)
        home = client.get(reverse("core:home"))
        assert home.status_code == 200
        assert str(ROLE_GREETING[Role(role)]) in home.content.decode(), username
        client.post(reverse("accounts:logout"))


def _audit_chain_of_the_demo_verifies_and_detects_tampering():
    call_command("audit_verify", stdout=StringIO())  # intact: no CommandError (exit status 0)

    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(seq) + 5 FROM audit_auditentry")
        seq = cursor.fetchone()[0]
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
        cursor.execute("UPDATE audit_auditentry SET reason = %s WHERE seq = %s", ["篡改", seq])
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_append_only")
    with pytest.raises(CommandError) as failure:
        call_command("audit_verify", stdout=StringIO())
    assert failure.value.returncode != 0  # the command line exits non-zero, naming the first bad entry
    assert f"第 {seq} 条" in str(failure.value) and "已被修改" in str(failure.value)
