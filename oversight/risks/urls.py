from oversight.risks import urls_triggers

app_name = "risks"
urlpatterns = [*urls_triggers.urlpatterns]
