from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms import services
from lms.models import Notification


@login_required
def notification_list(request):
    """Who: the signed-in user, for their own notifications only."""
    notifications = Notification.objects.for_user(request.user)
    page = Paginator(notifications, 25).get_page(request.GET.get("page"))
    return render(request, "lms/notifications.html", {"page": page})


@login_required
@require_POST
def notification_open(request, pk: int):
    """Who: the recipient. Marks one notification read and follows its link."""
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    services.notifications_mark_read(
        user=request.user, notification_ids=[notification.pk]
    )
    target = notification.url
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications")


@login_required
@require_POST
def notifications_mark_all_read(request):
    """Who: the signed-in user, for their own notifications only."""
    count = services.notifications_mark_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications")
