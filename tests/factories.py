"""Small factory_boy factories for the core models."""

import factory
from django.contrib.auth import get_user_model

from goals.models import (
    Activity,
    Goal,
    GoalLevel,
    GoalStatus,
    Indicator,
    MandatePeriod,
    Perspective,
    Vision,
)
from ledmot.models import OrgKind, OrgUnit, Role, RoleAssignment


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or "losenord-123")
        if create:
            self.save()


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    name = factory.Sequence(lambda n: f"Enhet {n}")
    code = factory.Sequence(lambda n: f"U{n}")
    kind = OrgKind.UNIT


def grant(user, unit, role=Role.EDITOR):
    return RoleAssignment.objects.create(user=user, org_unit=unit, role=role)


class MandatePeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MandatePeriod
        django_get_or_create = ("start_year",)

    start_year = 2023
    end_year = 2026


class VisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vision

    mandate_period = factory.SubFactory(MandatePeriodFactory)
    text = "Åsbacka – där människor växer och hållbarheten är självklar."


def perspective(name="Medborgare"):
    return Perspective.objects.get(name=name)


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    level = GoalLevel.COUNCIL
    mandate_period = factory.SubFactory(MandatePeriodFactory)
    title = factory.Sequence(lambda n: f"Mål nummer {n}")
    perspective = factory.LazyFunction(perspective)
    status = GoalStatus.ADOPTED


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    goal = factory.SubFactory(GoalFactory)
    owner = factory.LazyAttribute(lambda a: a.goal.owner)
    title = factory.Sequence(lambda n: f"Aktivitet {n}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Indikator {n}")
    unit = "%"

    @factory.post_generation
    def goals(self, create, extracted, **kwargs):
        if create and extracted:
            self.goals.add(*extracted)
