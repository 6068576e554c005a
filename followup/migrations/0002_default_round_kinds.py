from django.db import migrations

DEFAULTS = [
    # name, is_interim, default_deadline_days
    ("Tertialrapport", False, 14),
    ("Delårsrapport", True, 21),
    ("Årsredovisning", False, 30),
]


def create_default_round_kinds(apps, schema_editor):
    RoundKind = apps.get_model("followup", "RoundKind")
    for order, (name, is_interim, days) in enumerate(DEFAULTS, start=1):
        RoundKind.objects.get_or_create(
            name=name,
            defaults={"is_interim": is_interim, "default_deadline_days": days, "order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("followup", "0001_initial")]

    operations = [
        migrations.RunPython(create_default_round_kinds, migrations.RunPython.noop),
    ]
