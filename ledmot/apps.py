import gc

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


def _stamp_last_login(sender, user, **kwargs):
    from django.utils import timezone

    user.last_login = timezone.now()
    save = getattr(user, "save_without_historical_record", user.save)
    save(update_fields=["last_login"])


class LedmotConfig(AppConfig):
    name = "ledmot"
    verbose_name = _("Organisation och behörigheter")

    def ready(self):
        from simple_history.signals import pre_create_historical_record

        from ledmot.clock import date_history_record

        # History records carry the moment of ledmot.clock.recorded_at, like the stamps.
        pre_create_historical_record.connect(date_history_record, dispatch_uid="ledmot-clock")
        # A sign-in stamps last_login; that is not a change to the person (their history
        # would fill with empty rows), so it is saved without a history row.
        from django.contrib.auth import user_logged_in

        user_logged_in.disconnect(dispatch_uid="update_last_login")
        user_logged_in.connect(_stamp_last_login, dispatch_uid="update_last_login")
        # A page such as a committee's report builds thousands of short-lived objects.
        # With Python's default first-generation threshold (700) many of them are
        # still alive at a collection, get promoted, and every few requests trigger a
        # full collection over the whole process – which doubled the slowest requests
        # (p95) in the benchmark. A larger threshold lets them die young. 0 leaves
        # Python's default.
        threshold = settings.LEDMOT_GC_THRESHOLD
        if threshold:
            _gen0, gen1, gen2 = gc.get_threshold()
            gc.set_threshold(threshold, gen1, gen2)
