from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import translate_url

from lms.forms import QueuedPasswordResetForm, SignInForm


class SignInView(auth_views.LoginView):
    """Who: anyone. Signs in, then continues in the user's own language."""

    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        language = self.request.user.preferred_language
        response["Location"] = translate_url(response["Location"], language)
        set_language_cookie(response, language)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Who: anyone. The reset e-mail is sent by a Celery task."""

    form_class = QueuedPasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"


def set_language_cookie(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
