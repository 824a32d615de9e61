"""Every selection address. Each part keeps its own list; names are in the
"selection" namespace."""

from selection.applications.urls import urlpatterns as application_urls
from selection.panel.urls import urlpatterns as panel_urls
from selection.reports.urls import urlpatterns as report_urls
from selection.scoring.urls import urlpatterns as scoring_urls

app_name = "selection"

urlpatterns = [*application_urls, *scoring_urls, *panel_urls, *report_urls]
