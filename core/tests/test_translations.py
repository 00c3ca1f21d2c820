"""The English catalogue (locale/en): complete, compiled, placeholder-safe, and used by the pages.

The catalogue is checked as it is committed; it is not required to contain every string in the code
(engineers keep adding strings; ``makemessages -l en`` picks them up for the next translation pass).
"""

import re
from collections import defaultdict
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from access.roles import Role

LC_MESSAGES = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_PATH = LC_MESSAGES / "django.po"
MO_PATH = LC_MESSAGES / "django.mo"

NAMED = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|\{[A-Za-z_][A-Za-z0-9_]*(?:![rsa])?(?::[^{}]*)?\}")
POSITIONAL = re.compile(r"%(?!\()[-#0 +]*\d*(?:\.\d+)?[sdifr]")
CJK = re.compile(r"[\u4e00-\u9fff]")

# Formats of stored identifiers: the catalogue keeps them Chinese so that a record numbered while the
# user reads English gets the same number series (e.g. 清镇执案〔2026〕3号). Nothing else may stay Chinese.
KEPT_CHINESE = {
    "{abbr}执案〔{year}〕",  # enforcement case number prefix (enforcement/services.py)
}


@pytest.fixture(scope="module")
def po():
    return polib.pofile(str(PO_PATH))


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """Requests below activate English; leave the thread in the default language for other tests."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _live(po):
    return [e for e in po if not e.obsolete]


def _pairs(entry):
    """(source, translation) pairs of an entry: one for a plain entry, one per form for a plural one."""
    if entry.msgid_plural:
        return [(entry.msgid if n == 0 else entry.msgid_plural, text)
                for n, text in sorted(entry.msgstr_plural.items())]
    return [(entry.msgid, entry.msgstr)]


# --- (a) complete and not fuzzy -----------------------------------------------------------------

def test_english_is_an_available_language():
    assert "en" in dict(settings.LANGUAGES)
    assert str(settings.LOCALE_PATHS[0]) == str(Path(settings.BASE_DIR) / "locale")
    assert PO_PATH.exists() and MO_PATH.exists()


def test_header_is_english_and_not_fuzzy(po):
    assert not po.metadata_is_fuzzy
    assert po.metadata["Language"] == "en"
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"


def test_catalogue_is_not_empty(po):
    assert len(_live(po)) > 1000


def test_every_entry_is_translated_and_not_fuzzy(po):
    untranslated = [e.msgid for e in _live(po) if not e.translated()]
    fuzzy = [e.msgid for e in _live(po) if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []


def test_plural_entries_have_both_english_forms(po):
    for entry in _live(po):
        if entry.msgid_plural:
            assert sorted(entry.msgstr_plural) == [0, 1], entry.msgid
            assert all(text.strip() for text in entry.msgstr_plural.values()), entry.msgid


def test_translations_are_english(po):
    """A msgstr that is still the Chinese source is not a translation (identifier formats aside)."""
    for entry in _live(po):
        for source, text in _pairs(entry):
            if source in KEPT_CHINESE:
                assert text == source, source
                continue
            assert text != source or not CJK.search(source), source


# --- (b) the committed .mo is the compiled .po --------------------------------------------------

def _catalogue(entries):
    out = {}
    for e in entries:
        if e.obsolete or not e.msgid:
            continue
        if e.msgid_plural:
            value = (e.msgid_plural, tuple(sorted((int(k), v) for k, v in e.msgstr_plural.items())))
        else:
            value = e.msgstr
        out[(e.msgctxt or "", e.msgid)] = value
    return out


def test_mo_is_in_sync_with_po(po):
    mo = polib.mofile(str(MO_PATH))
    from_po = _catalogue(e for e in po if e.translated())
    from_mo = _catalogue(mo)
    missing = sorted(set(from_po) - set(from_mo))
    extra = sorted(set(from_mo) - set(from_po))
    changed = sorted(k for k in set(from_po) & set(from_mo) if from_po[k] != from_mo[k])
    assert (missing, extra, changed) == ([], [], []), (
        "locale/en/LC_MESSAGES/django.mo is stale: run `python manage.py compile_translations` "
        f"({len(missing)} missing, {len(extra)} extra, {len(changed)} changed)")
    assert mo.metadata.get("Plural-Forms") == po.metadata["Plural-Forms"]


# --- (c) placeholders survive translation -------------------------------------------------------

def test_placeholders_match(po):
    problems = []
    for entry in _live(po):
        for source, text in _pairs(entry):
            if set(NAMED.findall(source)) != set(NAMED.findall(text)):
                problems.append((source, text, "named placeholders differ"))
            if POSITIONAL.findall(source) != POSITIONAL.findall(text):
                problems.append((source, text, "positional placeholders differ"))
            if "%%" in source and "%%" not in text:
                problems.append((source, text, "literal %% lost"))
    assert problems == []


def test_translations_format_like_their_sources(po):
    """Whatever formatting the source survives (% mapping or str.format), the translation survives too."""
    values = defaultdict(lambda: 1)
    problems = []
    for entry in _live(po):
        for source, text in _pairs(entry):
            if "python-format" in entry.flags:
                try:
                    text % values
                except (ValueError, TypeError, KeyError) as exc:
                    problems.append((source, text, repr(exc)))
            try:
                source.format_map(values)
            except (ValueError, IndexError, KeyError, AttributeError):
                continue
            try:
                text.format_map(values)
            except (ValueError, IndexError, KeyError, AttributeError) as exc:
                problems.append((source, text, repr(exc)))
    assert problems == []


def test_leading_and_trailing_newlines_match(po):
    for entry in _live(po):
        for source, text in _pairs(entry):
            assert source.startswith("\n") == text.startswith("\n"), source
            assert source.endswith("\n") == text.endswith("\n"), source


# --- (d) the pages speak the language asked for --------------------------------------------------

@pytest.mark.django_db
def test_login_page_in_english(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert response.headers["Content-Language"] == "en"
    assert '<html lang="en">' in body
    for text in ("Log in", "Username", "Password", "Rule-of-Law Government Platform for Towns and Subdistricts",
                 "Public service portal"):
        assert text in body, text
    assert "登录" not in body
    assert not CJK.search(body), CJK.findall(body)


@pytest.mark.django_db
def test_login_page_in_chinese(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = response.content.decode()
    assert response.headers["Content-Language"] == "zh-hans"
    for text in ("登录", "用户名", "密码", "镇街法治政府建设工作平台"):
        assert text in body, text
    assert "Log in" not in body


@pytest.mark.django_db
def test_login_error_in_english(client, make_user):
    make_user(Role.DISPATCHER, username="someone")
    response = client.post(reverse("accounts:login"), {"username": "someone", "password": "wrong"},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert "Incorrect username or password" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_home_page_in_english(role, client, make_user):
    client.force_login(make_user(role))
    response = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"
    with translation.override("en"):
        label = str(role.label)
    assert not CJK.search(label), label
    assert f">{label}</span>" in body, label
    for text in ("Workbench", "Log out", "Profile", "Change password", "Function menu"):
        assert text in body, text
    assert "退出登录" not in body and "工作台</a>" not in body


@pytest.mark.django_db
def test_home_page_in_chinese(client, make_user):
    client.force_login(make_user(Role.DISPATCHER))
    response = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = response.content.decode()
    assert response.headers["Content-Language"] == "zh-hans"
    for text in ("指挥中心工作台", "指挥中心调度员", "一中心", "退出登录"):
        assert text in body, text
    assert "Log out" not in body and "Command centre dispatcher" not in body


@pytest.mark.django_db
def test_user_menu_switches_language(client, make_user):
    client.force_login(make_user(Role.DISPATCHER))
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("core:home")})
    assert response.status_code == 302
    body = client.get(reverse("core:home")).content.decode()
    assert "Command centre dispatcher" in body and "One centre" in body and "Log out" in body
    client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("core:home")})
    body = client.get(reverse("core:home")).content.decode()
    assert "指挥中心调度员" in body and "退出登录" in body


@pytest.mark.django_db
def test_home_title_in_english(client, make_user):
    client.force_login(make_user(Role.DISPATCHER))
    body = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="home-title">Command centre workbench</h1>' in body


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_every_home_title_is_english(role, client, make_user):
    client.force_login(make_user(role))
    body = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    title = re.search(r'data-testid="home-title">([^<]*)</h1>', body).group(1)
    assert title and not CJK.search(title), title
