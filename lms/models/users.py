from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from lms.roles import Role


class UstazUserManager(UserManager):
    def with_role(self, role: Role) -> models.QuerySet:
        return self.filter(groups__name=role, is_active=True).distinct()


class User(AbstractUser):
    """Anyone who signs in: officers, trainers, champions, assessors, managers and
    administrators of the probation service."""

    first_name = None
    last_name = None
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("email address"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    office = models.ForeignKey(
        "lms.Office",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="staff",
        null=True,
        blank=True,
    )
    hire_date = models.DateField(_("hire date"), null=True, blank=True)

    REQUIRED_FIELDS = ["email", "full_name"]

    objects = UstazUserManager()

    class Meta:
        ordering = ["full_name", "username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="lms_user_email_unique",
                violation_error_message=_("Another user already has this e-mail."),
            )
        ]

    def __str__(self):
        return self.get_full_name()

    def get_full_name(self) -> str:
        return self.full_name.strip() or self.username

    def get_short_name(self) -> str:
        return self.get_full_name().split(" ")[0]

    @cached_property
    def roles(self) -> frozenset[Role]:
        """The user's roles; an active superuser holds them all."""
        if self.is_superuser and self.is_active:
            return frozenset(Role)
        names = {group.name for group in self.groups.all()}
        return frozenset(role for role in Role if role.value in names)

    def has_role(self, *roles: Role) -> bool:
        return self.is_active and bool(self.roles.intersection(roles))
