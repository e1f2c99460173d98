"""Users, municipalities and the ministry, and memberships."""

import factory

from accounts.models import Membership, Organisation, OrganisationKind, Role, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"user{n}@example.fi")
    full_name = factory.Faker("name", locale="fi_FI")
    preferred_language = "fi"
    password = factory.django.Password("a-good-test-password")


def free_municipality_code():
    """A three-digit code no organisation in the database has yet, from 999 downwards, so that tests
    can also load the 309 real municipalities (whose codes end at 992)."""
    used = set(Organisation.objects.filter(code__isnull=False).values_list("code", flat=True))
    return next(code for code in (f"{n:03d}" for n in range(999, -1, -1)) if code not in used)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.MUNICIPALITY
    code = factory.LazyFunction(lambda: free_municipality_code())
    name_fi = factory.Sequence(lambda n: f"Testikunta {n}")
    name_sv = factory.Sequence(lambda n: f"Testkommun {n}")
    region_fi = "Uusimaa"
    region_sv = "Nyland"

    class Params:
        ministry = factory.Trait(
            kind=OrganisationKind.MINISTRY,
            code=None,
            name_fi="Valtiovarainministeriö",
            name_sv="Finansministeriet",
            name_en="Ministry of Finance",
            region_fi="",
            region_sv="",
        )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.APPLICANT
