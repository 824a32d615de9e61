from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from lms.framework_diff import versions_compare
from lms.models import FrameworkVersion
from lms.permissions import user_can_see_framework_drafts
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


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, version):
        if version.is_current:
            note = _("current")
        elif version.live:
            note = _("approved")
        else:
            note = _("draft")
        return f"{version.label} ({note})"


class FrameworkCompareForm(forms.Form):
    a = VersionChoiceField(
        queryset=FrameworkVersion.objects.none(),
        to_field_name="label",
        label=_("Earlier version"),
        empty_label=None,
    )
    b = VersionChoiceField(
        queryset=FrameworkVersion.objects.none(),
        to_field_name="label",
        label=_("Later version"),
        empty_label=None,
    )

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("a", "b"):
            self.fields[name].queryset = versions
            self.fields[name].error_messages["invalid_choice"] = _(
                "There is no version %(value)s among those you may compare."
            )

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("a") and cleaned_data.get("a") == cleaned_data.get("b"):
            raise forms.ValidationError(
                _("Choose two different versions."), code="same_version"
            )
        return cleaned_data


def _compare_defaults(query, approved: list[FrameworkVersion]) -> dict | None:
    """Without a choice, the version before the current one against the current
    one; with only "b" (the admin's "Compare with current"), "b" against the
    current one, the earlier of the two first."""
    data = query.copy()
    current = next((v for v in approved if v.is_current), None)
    if "a" not in data and "b" in data and current is not None:
        # `approved` runs from the newest: what follows the current one is older.
        older = {v.label for v in approved[approved.index(current) + 1 :]}
        if data["b"] in older:
            data["a"], data["b"] = data["b"], current.label
        else:
            data["a"] = current.label
    if "a" not in data and "b" not in data:
        if len(approved) < 2:
            return None
        later = current or approved[0]
        earlier = next(v for v in approved if v != later)
        data["a"], data["b"] = earlier.label, later.label
    return data


def framework_compare(request):
    """Who: anyone, for approved versions; champions and administrators
    (lms.change_frameworkversion) may also compare drafts. Competencies are
    matched by key and shown side by side: added, removed, changed, unchanged."""
    if user_can_see_framework_drafts(request.user):
        versions = FrameworkVersion.objects.all()
    else:
        versions = FrameworkVersion.objects.approved()
    versions = versions.order_by("-created_at", "-pk")
    approved = [v for v in versions if v.live]
    data = _compare_defaults(request.GET, approved)
    form = FrameworkCompareForm(data, versions=versions)
    comparison = None
    if data is not None and form.is_valid():
        old, new = (
            FrameworkVersion.objects.prefetch_related("competencies")
            .get(pk=form.cleaned_data[name].pk)
            .latest_content()
            for name in ("a", "b")
        )
        comparison = versions_compare(old, new)
    return render(
        request,
        "lms/framework_compare.html",
        {"form": form, "comparison": comparison, "approved_count": len(approved)},
    )


def healthz(request):
    """Who: anyone (load balancers). Answers without touching the database, so
    it also serves as the bare view the benchmark compares pages against."""
    return HttpResponse("ok", content_type="text/plain")
