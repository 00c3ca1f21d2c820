"""Walks every URL pattern with every role: anonymous, allowed, forbidden (403) and out of scope (404)."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from access.matrix import Entry
from access.roles import DISTRICT_ROLES, Role

# URL names that belong to libraries, not to Fazhi (no business data behind them).
LIBRARY_URLS = {
    "set_language": Entry(public=True, method="post", ok=(302,)),
    "javascript-catalog": Entry(public=True),
    "api-schema": Entry(allowed=frozenset(Role)),
    "api-docs": Entry(allowed=frozenset(Role)),
}


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace
            yield from _walk(p.url_patterns, f"{prefix}{ns}:" if ns else prefix)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{prefix}{p.name}"


def project_url_names() -> set[str]:
    names = set(_walk(get_resolver().url_patterns))
    # DRF's router views: covered by the API tests of each module.
    return {n for n in names if not n.startswith("api-root") and "-list" not in n and "-detail" not in n
            and not n.endswith(("-format-suffix",))} - {"api-root"}


def matrix() -> dict[str, Entry]:
    merged = dict(LIBRARY_URLS)
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.access_matrix")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.access_matrix":
                raise
            continue
        merged.update(module.MATRIX)
    return merged


def test_every_url_has_an_entry():
    missing = sorted(project_url_names() - set(matrix()))
    assert not missing, f"URL names with no entry in any access_matrix.py: {missing}"


def _cases():
    m = matrix()
    return [pytest.param(name, id=name) for name in sorted(project_url_names()) if name in m]


def _request(client, entry: Entry, url: str):
    if entry.method == "post":
        return client.post(url, entry.data or {})
    return client.get(url)


@pytest.mark.django_db
@pytest.mark.parametrize("name", _cases())
def test_url_access(name, client, town, other_town, make_user):
    entry = matrix()[name]
    if entry.skip_reason:
        pytest.skip(entry.skip_reason)
    kwargs = entry.kwargs(town) if entry.kwargs else {}
    url = reverse(name, kwargs=kwargs)

    anon = _request(client, entry, url)
    if entry.public:
        assert anon.status_code in entry.ok, f"anonymous {name}: {anon.status_code}"
        return
    assert anon.status_code in (302, 401, 403), f"anonymous {name}: {anon.status_code}"
    if anon.status_code == 302:
        assert anon["Location"].startswith(reverse(settings.LOGIN_URL))

    other_url = reverse(name, kwargs=entry.kwargs(other_town)) if entry.kwargs else None
    for role in Role:
        user = make_user(role)
        client.force_login(user)
        response = _request(client, entry, url)
        if role in entry.allowed:
            assert response.status_code in entry.ok, f"{role} on {name}: {response.status_code}"
            if other_url and entry.out_of_scope_404 and role not in DISTRICT_ROLES:
                out = _request(client, entry, other_url)
                assert out.status_code == 404, f"{role} on another town's {name}: {out.status_code}"
        else:
            assert response.status_code == 403, f"{role} (not allowed) on {name}: {response.status_code}"
        client.logout()
