from events.tests.conftest import other_world, world  # noqa: F401  (the same small town for the portal)
