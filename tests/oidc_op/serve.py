"""Start the test provider: ``python -m tests.oidc_op.serve`` with OP_PORT, OP_DB and
OP_SETUP (JSON: the client and the users with their groups) in the environment.

Creates the database, a signing key, the client and the users, then serves on
127.0.0.1:OP_PORT until killed.
"""

import json
import os

import django


def main():
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_op.settings"
    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from oidc_provider.models import Client, ResponseType

    setup = json.loads(os.environ["OP_SETUP"])
    call_command("migrate", verbosity=0)
    call_command("creatersakey")
    client = Client.objects.create(
        name="LedMot",
        client_type="confidential",
        client_id=setup["client_id"],
        client_secret=setup["client_secret"],
        jwt_alg="RS256",
        require_consent=False,
        reuse_consent=True,
    )
    client.redirect_uris = setup["redirect_uris"]
    client.post_logout_redirect_uris = setup["post_logout_redirect_uris"]
    client.save()
    client.response_types.add(ResponseType.objects.get(value="code"))
    for person in setup["users"]:
        user = User.objects.create_user(
            person["username"],
            email=person.get("email", ""),
            password=person["password"],
            first_name=person.get("first_name", ""),
            last_name=person.get("last_name", ""),
        )
        for name in person.get("groups", []):
            user.groups.add(Group.objects.get_or_create(name=name)[0])
    call_command(
        "runserver",
        f"127.0.0.1:{os.environ['OP_PORT']}",
        use_reloader=False,
        use_threading=True,
        skip_checks=True,
    )


if __name__ == "__main__":
    main()
