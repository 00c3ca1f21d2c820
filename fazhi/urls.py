"""URL map. Each app owns its ``urls.py`` (HTML) and may expose an API ``router`` in ``api.py``."""

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

api_router = DefaultRouter()
for config in apps.get_app_configs():
    if not config.name.isidentifier() or "." in config.name:
        continue
    try:
        module = import_module(f"{config.name}.api")
    except ModuleNotFoundError as exc:
        if exc.name != f"{config.name}.api":
            raise
        continue
    for prefix, viewset, basename in getattr(module, "ROUTES", []):
        api_router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("", include("core.urls")),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("org/", include("org.urls")),
    path("clocks/", include("clocks.urls")),
    path("audit/", include("audit.urls")),
    path("instruments/", include("instruments.urls")),
    path("notifications/", include("notify.urls")),
    path("events/", include("events.urls")),
    path("disputes/", include("disputes.urls")),
    path("enforcement/", include("enforcement.urls")),
    path("public/", include("portal.urls")),
    path("open311/v2/", include("events.open311_urls")),
    path("api/v1/", include(api_router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
