from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("chart/", views.chart, name="chart"),
    path("town/", views.town_settings, name="town_settings"),
    # 四板块 and posts
    path("sectors/", views.sector_list, name="sector_list"),
    path("sectors/new/", views.sector_create, name="sector_create"),
    path("sectors/<int:pk>/edit/", views.sector_update, name="sector_update"),
    path("sectors/<int:pk>/deactivate/", views.sector_deactivate, name="sector_deactivate"),
    path("positions/", views.position_list, name="position_list"),
    path("positions/new/", views.position_create, name="position_create"),
    path("positions/<int:pk>/", views.position_detail, name="position_detail"),
    path("positions/<int:pk>/edit/", views.position_update, name="position_update"),
    path("positions/<int:pk>/deactivate/", views.position_deactivate, name="position_deactivate"),
    path("positions/<int:pk>/handover/", views.handover_request, name="handover_request"),
    path("handovers/<int:pk>/fire/", views.handover_fire, name="handover_fire"),
    # villages, grids, micro-grids
    path("villages/", views.village_list, name="village_list"),
    path("villages/new/", views.village_create, name="village_create"),
    path("villages/<int:pk>/", views.village_detail, name="village_detail"),
    path("villages/<int:pk>/edit/", views.village_update, name="village_update"),
    path("villages/<int:pk>/deactivate/", views.village_deactivate, name="village_deactivate"),
    path("grids/", views.grid_list, name="grid_list"),
    path("grids/new/", views.grid_create, name="grid_create"),
    path("grids/<int:pk>/", views.grid_detail, name="grid_detail"),
    path("grids/<int:pk>/edit/", views.grid_update, name="grid_update"),
    path("grids/<int:pk>/deactivate/", views.grid_deactivate, name="grid_deactivate"),
    path("grids/<int:pk>/team/add/", views.grid_assignment_add, name="grid_assignment_add"),
    path("grids/<int:pk>/team/remove/", views.grid_assignment_remove, name="grid_assignment_remove"),
    path("map/", views.grid_map, name="grid_map"),
    path("map/geojson/", views.grid_geojson, name="grid_geojson"),
    path("micro-grids/", views.microgrid_list, name="microgrid_list"),
    path("micro-grids/new/", views.microgrid_create, name="microgrid_create"),
    path("micro-grids/<int:pk>/edit/", views.microgrid_update, name="microgrid_update"),
    path("micro-grids/<int:pk>/deactivate/", views.microgrid_deactivate, name="microgrid_deactivate"),
    # people and enterprises
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.staff_create, name="staff_create"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/edit/", views.staff_update, name="staff_update"),
    path("staff/<int:pk>/deactivate/", views.staff_deactivate, name="staff_deactivate"),
    path("staff/<int:pk>/absence/", views.absence_add, name="absence_add"),
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/new/", views.enterprise_create, name="enterprise_create"),
    path("enterprises/<int:pk>/edit/", views.enterprise_update, name="enterprise_update"),
    path("enterprises/<int:pk>/deactivate/", views.enterprise_deactivate, name="enterprise_deactivate"),
    # Excel import
    path("import/", views.import_index, name="import_index"),
    path("import/<slug:kind>/template/", views.import_template, name="import_template"),
    path("import/errors/", views.import_errors, name="import_errors"),
    # home-page panels (htmx fragments)
    path("panels/overview/", views.panel_overview, name="panel_overview"),
    path("panels/my-posts/", views.panel_my_posts, name="panel_my_posts"),
    path("panels/my-grid/", views.panel_my_grid, name="panel_my_grid"),
]
