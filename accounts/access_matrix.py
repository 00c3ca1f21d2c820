from access.matrix import Entry
from access.roles import Role

ALL = frozenset(Role)

MATRIX = {
    # The login page redirects an authenticated user home; anonymous users see the form.
    "accounts:login": Entry(public=True),
    "accounts:logout": Entry(public=True, method="post", ok=(302,)),
    "accounts:password_change": Entry(allowed=ALL),
    "accounts:profile": Entry(allowed=ALL),
}
