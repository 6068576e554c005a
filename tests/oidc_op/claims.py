import uuid

from oidc_provider.lib.claims import ScopeClaims


def stable_sub(user):
    """An Entra-like object id that does not change with the user's name or e-mail."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"test-op:{user.pk}"))


class GroupClaims(ScopeClaims):
    info_groups = ("Grupper", "Dina grupper")

    def scope_groups(self):
        return {"groups": sorted(self.user.groups.values_list("name", flat=True))}


def userinfo(claims, user):
    """The standard claims of a provider user, as Entra ID gives them."""
    claims.update(
        preferred_username=user.username,
        given_name=user.first_name,
        family_name=user.last_name,
        name=f"{user.first_name} {user.last_name}".strip(),
        email=user.email,
        email_verified=True,
    )
    return claims
