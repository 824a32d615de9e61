from wagtail import hooks
from wagtail.snippets.models import register_snippet

from intervision.viewsets import IntervisionGroup, MethodViewSet

register_snippet(MethodViewSet)


@hooks.register("register_admin_viewset")
def register_intervision():
    return IntervisionGroup()
