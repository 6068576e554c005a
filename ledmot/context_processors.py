from django.conf import settings


def municipality(request):
    return {
        "municipality_name": settings.LEDMOT_MUNICIPALITY_NAME,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
