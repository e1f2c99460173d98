"""The awarded project's follow-up: payments, changes, reports, the hearing and the return, the issued
decision's notification, and rectification. Each factory's default is its first state; traits name the
others (`PaymentRequestFactory(paid=True)`), and the fields that go with a state follow it."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from applications.models import (
    ChangeKind,
    ChangeRequest,
    ChangeStatus,
    GrantReturn,
    Hearing,
    IssuedDocument,
    PaymentRequest,
    PaymentStatus,
    RectificationRequest,
    RectificationStatus,
    Report,
    ReportKind,
    ReturnBasis,
    ReturnStatus,
)

from .accounts import UserFactory
from .applications import ApplicationFactory, in_status


class PaymentRequestFactory(factory.django.DjangoModelFactory):
    """Waiting for the ministry's check by default; `approved=True`, `paid=True`, `rejected=True`."""

    class Meta:
        model = PaymentRequest

    application = factory.SubFactory(ApplicationFactory, awarded=True)
    period_start = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=20))
    period_end = factory.LazyFunction(timezone.localdate)
    submitted_by = factory.SubFactory(UserFactory)
    status = PaymentStatus.SUBMITTED
    approved_amount = in_status(PaymentStatus.APPROVED, PaymentStatus.PAID, then=Decimal("1000"))
    paid_on = in_status(PaymentStatus.PAID, then=timezone.localdate)
    payment_reference = in_status(PaymentStatus.PAID, then="RF18 1234", otherwise="")

    class Params:
        approved = factory.Trait(status=PaymentStatus.APPROVED)
        paid = factory.Trait(status=PaymentStatus.PAID)
        rejected = factory.Trait(status=PaymentStatus.REJECTED)


class ChangeRequestFactory(factory.django.DjangoModelFactory):
    """A change of content waiting for a decision by default; `status` or `accepted=True`, `rejected=True`."""

    class Meta:
        model = ChangeRequest

    application = factory.SubFactory(ApplicationFactory, awarded=True)
    kind = ChangeKind.CONTENT
    description = "Hankkeen sisältö muuttuu."
    submitted_by = factory.SubFactory(UserFactory)
    status = ChangeStatus.PENDING
    decided_at = in_status(*set(ChangeStatus) - {ChangeStatus.PENDING}, then=timezone.now)

    class Params:
        accepted = factory.Trait(status=ChangeStatus.ACCEPTED)
        rejected = factory.Trait(status=ChangeStatus.REJECTED)


class ReportFactory(factory.django.DjangoModelFactory):
    """An interim report waiting for its check by default; `final=True`, `checked=True`."""

    class Meta:
        model = Report

    application = factory.SubFactory(ApplicationFactory, awarded=True)
    kind = ReportKind.INTERIM
    achieved = "Tavoitteet saavutettiin."
    spread = "Tulokset jaettiin muille kunnille."
    continues = "Toiminta jatkuu."
    realised_costs = Decimal("100000")
    own_financing = Decimal("15000")
    submitted_by = factory.SubFactory(UserFactory)

    class Params:
        final = factory.Trait(kind=ReportKind.FINAL)
        checked = factory.Trait(
            content_checked_at=factory.LazyFunction(timezone.now),
            financial_checked_at=factory.LazyFunction(timezone.now),
            accepted_costs=factory.SelfAttribute("realised_costs"),
        )


class HearingFactory(factory.django.DjangoModelFactory):
    """Sent and waiting for the lead's answer by default; `answered=True`."""

    class Meta:
        model = Hearing

    application = factory.SubFactory(ApplicationFactory, awarded=True)
    basis = ReturnBasis.EXCESS
    proposed_amount = Decimal("500")
    facts = "Avustusta maksettiin hyväksyttyjä kustannuksia enemmän."
    deadline = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=14))
    sent_by = factory.SubFactory(UserFactory)

    class Params:
        answered = factory.Trait(
            answer="Hyväksymme laskelman.",
            answered_by=factory.SubFactory(UserFactory),
            answered_at=factory.LazyFunction(timezone.now),
        )


class GrantReturnFactory(factory.django.DjangoModelFactory):
    """A return decided after an answered hearing, to be repaid, by default; `repaid=True`."""

    class Meta:
        model = GrantReturn

    application = factory.SubFactory(ApplicationFactory, awarded=True)
    hearing = factory.SubFactory(
        HearingFactory, answered=True, application=factory.SelfAttribute("..application")
    )
    amount = Decimal("500")
    interest = Decimal("0")
    interest_until = factory.LazyFunction(timezone.localdate)
    grounds = "Avustusta maksettiin liikaa."
    decided_by = factory.SubFactory(UserFactory)
    status = ReturnStatus.DECIDED
    repaid_amount = factory.LazyAttribute(lambda o: o.amount if o.status == ReturnStatus.REPAID else None)
    repaid_on = in_status(ReturnStatus.REPAID, then=timezone.localdate)

    class Params:
        repaid = factory.Trait(status=ReturnStatus.REPAID)


class IssuedDocumentFactory(factory.django.DjangoModelFactory):
    """An issued grant decision whose notification is not recorded yet by default; `notified=True` (a
    letter posted today, deemed received on the 7th day)."""

    class Meta:
        model = IssuedDocument

    application = factory.SubFactory(ApplicationFactory, awarded=True)
    kind = "grant"
    language = "fi"
    title = "Valtionavustuspäätös"
    decision_date = factory.LazyFunction(timezone.localdate)
    pdf = "issued/paatos.pdf"

    class Params:
        notified = factory.Trait(
            method="letter",
            sent_on=factory.LazyFunction(timezone.localdate),
            notified_on=factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7)),
        )


class RectificationRequestFactory(factory.django.DjangoModelFactory):
    """A request for rectification of an issued decision, by its lead municipality, waiting for a decision
    by default; `status` or `accepted=True`, `rejected=True`."""

    class Meta:
        model = RectificationRequest

    document = factory.SubFactory(IssuedDocumentFactory)
    application = factory.SelfAttribute("document.application")
    organisation = factory.SelfAttribute("application.lead")
    demands = "Avustus korotetaan haettuun määrään."
    grounds = "Kustannukset ovat hyväksyttäviä."
    submitted_by = factory.SubFactory(UserFactory)
    status = RectificationStatus.SUBMITTED
    decided_at = in_status(RectificationStatus.ACCEPTED, RectificationStatus.REJECTED, then=timezone.now)

    class Params:
        accepted = factory.Trait(status=RectificationStatus.ACCEPTED)
        rejected = factory.Trait(status=RectificationStatus.REJECTED)
