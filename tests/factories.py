"""factory_boy factories for every model, with a trait per state (`ApplicationFactory(submitted=True)`)."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import Membership, Organisation, OrganisationKind, Role, User
from applications.models import (
    Application,
    BudgetLine,
    CaseEvent,
    CostCategory,
    Decision,
    EventKind,
    Outcome,
    Participant,
    ParticipantRole,
    ParticipationStatus,
    Status,
)
from grants.models import Call, CallContact, EmphasisArea, EvaluationCriterion, Programme


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


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    authority = factory.SubFactory(OrganisationFactory, ministry=True)
    name_fi = "Kuntien digitalisaatiohankkeiden valtionavustus"
    name_sv = "Statsunderstöd för kommunernas digitaliseringsprojekt"
    name_en = "State grants for municipalities' digitalisation projects"
    # The example IBAN of the Finnish banks' standard (not an account of the ministry's).
    repayment_iban = "FI2112345600000785"


class CallFactory(factory.django.DjangoModelFactory):
    """An open call by default; `closed=True` and `published=True` give the other states."""

    class Meta:
        model = Call
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    slug = factory.Sequence(lambda n: f"call-{n}")
    year = factory.Sequence(lambda n: 2030 + n)
    name_fi = factory.Sequence(lambda n: f"Testihaku {n}")
    name_sv = factory.Sequence(lambda n: f"Testutlysning {n}")
    name_en = factory.Sequence(lambda n: f"Test call {n}")
    purpose_fi = "Kuntien digitalisaatio."
    purpose_sv = "Kommunernas digitalisering."
    purpose_en = "Municipal digitalisation."
    appropriation = Decimal("1000000.00")
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=20))
    use_period_start = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))
    use_period_end = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=800))
    max_share_percent = Decimal("85.00")
    min_municipalities = 2
    case_number_prefix = "VM"

    class Params:
        closed = factory.Trait(
            opens_at=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=60)),
            closes_at=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=30)),
        )
        upcoming = factory.Trait(
            opens_at=factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30)),
            closes_at=factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=60)),
        )
        published = factory.Trait(
            closed=True,
            decision_date=factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10)),
            results_published_on=factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=9)),
        )

    @factory.post_generation
    def emphasis_areas(obj, create, extracted, **kwargs):
        if not create:
            return
        EmphasisArea.objects.create(
            call=obj,
            number=1,
            name_fi="Tiedonhallinta",
            name_sv="Informationshantering",
            name_en="Information management",
        )
        EmphasisArea.objects.create(
            call=obj, number=2, name_fi="Osaaminen", name_sv="Kompetens", name_en="Competence"
        )


class EvaluationCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvaluationCriterion

    call = factory.SubFactory(CallFactory)
    order = factory.Sequence(lambda n: n + 1)
    name_fi = "Vaikuttavuus"
    name_sv = "Effekt"
    weight = Decimal("1.00")


class CallContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallContact

    call = factory.SubFactory(CallFactory)
    name = factory.Faker("name", locale="fi_FI")
    title_fi = "neuvotteleva virkamies"
    title_sv = "konsultativ tjänsteman"
    email = "kirjaamo@example.fi"


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft by default; `submitted=True`, `awarded=True` and `historical=True` give the other states."""

    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    lead = factory.SubFactory(OrganisationFactory)
    project_name = factory.Sequence(lambda n: f"Yhteinen digihanke {n}")
    summary = "Kunnat kehittävät yhdessä tiedonhallintaa."
    status = Status.DRAFT

    class Params:
        submitted = factory.Trait(
            status=Status.SUBMITTED,
            submitted_at=factory.LazyFunction(timezone.now),
            case_sequence=factory.Sequence(lambda n: n + 1),
            case_number=factory.LazyAttribute(
                lambda o: f"{o.call.case_number_prefix}/{o.case_sequence}/{o.call.year}"
            ),
        )
        awarded = factory.Trait(submitted=True, status=Status.AWARDED)
        historical = factory.Trait(
            status=Status.AWARDED, is_historical=True, participants_published=False, project_name=""
        )


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    application = factory.SubFactory(ApplicationFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = ParticipantRole.PARTNER
    status = ParticipationStatus.PENDING

    class Params:
        confirmed = factory.Trait(
            status=ParticipationStatus.CONFIRMED, responded_at=factory.LazyFunction(timezone.now)
        )


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    application = factory.SubFactory(ApplicationFactory, awarded=True)
    status = "approved"
    outcome = Outcome.POSITIVE
    granted_amount = Decimal("100000.00")
    decision_date = factory.LazyFunction(timezone.localdate)

    class Params:
        negative = factory.Trait(outcome=Outcome.NEGATIVE, granted_amount=None)


class CaseEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseEvent

    application = factory.SubFactory(ApplicationFactory)
    kind = EventKind.CREATED


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    application = factory.SubFactory(ApplicationFactory)
    category = CostCategory.PERSONNEL
    description = "Projektipäällikkö"
    amount = Decimal("100000.00")
