"""What the scoring part adds to the registries in lms: the assessor's
dashboard panel, with how many assessments they have to do."""

from django.utils.translation import gettext_lazy as _

from lms.registry import DashboardPanel, dashboard_panels
from lms.roles import Role


def _to_do(request) -> dict:
    from selection.scoring.selectors import assignments_to_do

    return {"to_do": assignments_to_do(request.user)}


dashboard_panels.register(
    DashboardPanel(
        key="selection_assessments",
        title=_("My assessments"),
        template="selection/scoring/dashboard.html",
        roles=frozenset({Role.ASSESSOR, Role.CHAMPION}),
        get_context=_to_do,
        order=20,
    )
)
