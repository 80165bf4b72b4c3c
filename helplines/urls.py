app_name = "helplines"
urlpatterns = []
