from django.db import migrations

DEFAULTS = [
    ("Medborgare", "Invånarnas och brukarnas perspektiv: kvalitet, bemötande, tillgänglighet."),
    ("Verksamhet", "Verksamhetens processer, utveckling och effektivitet."),
    ("Medarbetare", "Arbetsmiljö, kompetens och attraktiv arbetsgivare."),
    ("Ekonomi", "God ekonomisk hushållning och kostnadseffektivitet."),
]


def create_default_perspectives(apps, schema_editor):
    Perspective = apps.get_model("goals", "Perspective")
    for order, (name, description) in enumerate(DEFAULTS, start=1):
        Perspective.objects.get_or_create(
            name=name, defaults={"description": description, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("goals", "0001_initial")]

    operations = [
        migrations.RunPython(create_default_perspectives, migrations.RunPython.noop),
    ]
