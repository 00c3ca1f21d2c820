from django.conf import settings

from .navigation import menu_for


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"fazhi_menu": [], "fazhi_unread": 0}
    context = {"fazhi_menu": menu_for(user, request.path), "fazhi_map_tile_url": settings.FAZHI_MAP_TILE_URL}
    try:
        from notify.selectors import unread_count

        context["fazhi_unread"] = unread_count(user)
    except ImportError:
        context["fazhi_unread"] = 0
    return context
