from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from lms.models import FrameworkVersion
from lms.registry import dashboard_panels
from lms.roles import Role


@login_required
def dashboard(request):
    """Who: any signed-in user. Shows the panels of each role the user holds."""
    panels = [
        (panel, panel.get_context(request))
        for panel in dashboard_panels
        if panel.is_shown_to(request.user)
    ]
    roles = [role for role in Role if role in request.user.roles]
    return render(request, "lms/dashboard.html", {"panels": panels, "roles": roles})


def framework(request):
    """Who: anyone. The current competency framework, as approved."""
    version = (
        FrameworkVersion.objects.live_current().prefetch_related("competencies").first()
    )
    competencies = version.competencies.all() if version else []
    return render(
        request,
        "lms/framework.html",
        {"version": version, "competencies": competencies},
    )


def healthz(request):
    """Who: anyone (load balancers). Answers without touching the database, so
    it also serves as the bare view the benchmark compares pages against."""
    return HttpResponse("ok", content_type="text/plain")
