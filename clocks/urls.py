app_name = "clocks"
urlpatterns = []
