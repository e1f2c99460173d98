"""Programmes and calls, with their criteria and contacts."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from grants.models import Call, CallContact, EmphasisArea, EvaluationCriterion, Programme

from .accounts import OrganisationFactory


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
