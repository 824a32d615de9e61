"""The roles people hold in Ustaz. Each is a Django group of the same name; the
data migrations give each group the permissions the role needs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "Officer", _("Officer")
    TRAINER = "Trainer", _("Trainer")
    CHAMPION = "Champion", _("Champion")
    ASSESSOR = "Assessor", _("Assessor")
    MANAGER = "Manager", _("Manager")
    ADMINISTRATOR = "Administrator", _("Administrator")
