from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedmotConfig(AppConfig):
    name = "ledmot"
    verbose_name = _("Organisation och behörigheter")
