"""The demo town as a newcomer meets it: its counts and users, every printed login reaching its role's home
page, no personal data on any public page, and an audit chain that verifies — and stops verifying when a row
is edited behind the application's back."""

import re
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from access.roles import Role
from core.views import ROLE_GREETING
from org import demo
from org.tests.test_demo import check_demo_town_counts_and_users


@pytest.mark.django_db
def test_demo_as_a_newcomer_meets_it(client):
    """One build of the whole demo (it takes a while), then every check below."""
    out = StringIO()
    call_command("demo", stdout=out)
    check_demo_town_counts_and_users(out)
    _every_printed_login_reaches_its_home_page(client)
    _public_pages_show_no_personal_data(client)
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


# An ID number (18 characters, last may be X) or a mainland mobile number, not part of a longer token.
ID_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE_RE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")
PUBLIC_ROOTS = ("/public/", "/enforcement/public/", "/disputes/public/", "/open311/v2/")
CRAWL_LIMIT = 400


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and ((tag == "a" and name == "href") or (tag == "form" and name == "action")):
                self.links.append(value)


def _public_pages_show_no_personal_data(client):
    """Crawl every page an anonymous visitor can reach from the public entry points (portal, enforcement
    公示, petition query, Open311, progress pages by real tracking and query codes) with the demo town's data —
    which holds parties' ID numbers, phones and addresses — and find no unmasked ID or mobile number."""
    from disputes.models import Petition
    from enforcement.models import Case
    from events.models import Event
    from org.models import Town

    # The data behind these pages does hold personal data in clear (decrypted), so the crawl proves masking.
    assert any(ID_RE.search(case.party_id_number or "") for case in Case.objects.all()), "demo lacks ID numbers"
    client.logout()
    town = Town.objects.order_by("pk").first()
    queue = [reverse("portal:home"), reverse("portal:town_home", args=[town.code]),
             f"/enforcement/public/{town.code}/", f"/enforcement/public/{town.code}/decisions/",
             "/open311/v2/services.json", "/open311/v2/requests.json", "/open311/v2/requests.xml"]
    queue += [reverse("portal:track_detail", args=[code]) for code in
              Event.objects.order_by("-pk").values_list("tracking_code", flat=True)[:5]]
    queue += [reverse("disputes:public_petition") + f"?code={code}" for code in
              Petition.objects.order_by("-pk").values_list("code", flat=True)[:3]]
    seen: set[str] = set()
    checked = 0
    while queue and checked < CRAWL_LIMIT:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (301, 302):
            target = urljoin(url, response["Location"])
            if urlsplit(target).path.startswith(PUBLIC_ROOTS) and target not in seen:
                queue.append(target)
            continue
        assert response.status_code in (200, 404, 405, 429), (url, response.status_code)
        if response.status_code != 200 or not response["Content-Type"].startswith(
                ("text/html", "application/json", "text/xml", "application/xml")):
            continue
        text = response.content.decode()
        checked += 1
        assert not ID_RE.search(text), (url, ID_RE.search(text).group())
        assert not MOBILE_RE.search(text), (url, MOBILE_RE.search(text).group())
        if response["Content-Type"].startswith("text/html"):
            parser = _Links()
            parser.feed(text)
            for link in parser.links:
                target = urljoin(url, link)
                parts = urlsplit(target)
                if parts.netloc and parts.netloc != "testserver":
                    continue
                path = parts.path + (f"?{parts.query}" if parts.query else "")
                if parts.path.startswith(PUBLIC_ROOTS) and path not in seen:
                    queue.append(path)
    assert checked >= 20, f"the crawl reached only {checked} public pages"
