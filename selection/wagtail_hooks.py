from wagtail import hooks

from selection.design.viewsets import SelectionGroup


@hooks.register("register_admin_viewset")
def register_selection():
    return SelectionGroup()
