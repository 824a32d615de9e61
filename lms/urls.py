from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.auth import views as auth_views
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from lms.views import accounts, i18n, notifications, pages

account_patterns = [
    path("login/", accounts.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password/reset/", accounts.PasswordResetView.as_view(), name="password_reset"
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", i18n.set_language, name="set_language"),
    path("healthz", pages.healthz, name="healthz"),
    path("", include("intervision.feed_urls")),
]

urlpatterns += i18n_patterns(
    path("accounts/", include(account_patterns)),
    path("dashboard/", pages.dashboard, name="dashboard"),
    path("framework/", pages.framework, name="framework"),
    path("framework/compare/", pages.framework_compare, name="framework_compare"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path(
        "notifications/read-all/",
        notifications.notifications_mark_all_read,
        name="notifications_mark_all_read",
    ),
    path(
        "notifications/<int:pk>/open/",
        notifications.notification_open,
        name="notification_open",
    ),
    path("", include("courses.urls")),
    path("", include("intervision.urls")),
    path("", include("selection.urls")),
    # Wagtail serves the pages (home, catalogue, courses, lessons) last.
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = (
        static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
    )
