"""The portal is public: every page answers anonymous visitors (and shows no personal data)."""

from access.matrix import PUBLIC, Entry


def _town(town):
    return {"town_code": town.code}


def _code(town):
    from events.tests.factories import EventFactory

    return {"code": EventFactory(town=town).tracking_code}


MATRIX = {
    "portal:home": Entry(public=True, ok=(200, 302)),
    "portal:town_home": Entry(public=True, kwargs=_town),
    "portal:report": Entry(public=True, kwargs=_town),
    "portal:appeal": Entry(public=True, kwargs=_town),
    "portal:track": PUBLIC,
    "portal:track_detail": Entry(public=True, kwargs=_code),
    "portal:rate": Entry(public=True, kwargs=_code, method="post", data={}, ok=(302,)),
}
