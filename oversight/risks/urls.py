from oversight.risks import urls_quant, urls_triggers

app_name = "risks"
urlpatterns = [*urls_triggers.urlpatterns, *urls_quant.urlpatterns]
