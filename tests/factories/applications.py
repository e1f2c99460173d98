"""The case until it is decided: applications, participants, budgets, files, the journal, requests for
information, reviews and decisions. Each factory's default is its first state; a trait names each other
(`ReviewAssignmentFactory(completed=True)`), and the fields that go with a state follow it."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from applications.models import (
    Application,
    Attachment,
    BudgetLine,
    CaseEvent,
    CostCategory,
    Decision,
    DecisionStatus,
    EventKind,
    InformationRequest,
    Outcome,
    Participant,
    ParticipantRole,
    ParticipationStatus,
    ReviewAssignment,
    ReviewStatus,
    Status,
)

from .accounts import OrganisationFactory, UserFactory
from .grants import CallFactory


def in_status(*statuses, then, otherwise=None):
    """A field that goes with the object's status: `then` (called, if it is a function) while the status is
    one of `statuses`, else `otherwise`."""
    return factory.LazyAttribute(
        lambda o: (then() if callable(then) else then) if o.status in statuses else otherwise
    )


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
    """An approved grant by default; `proposed=True` (waiting for the decision-maker), `returned=True`,
    `negative=True` (a rejection)."""

    class Meta:
        model = Decision

    application = factory.SubFactory(ApplicationFactory, awarded=True)
    status = DecisionStatus.APPROVED
    outcome = Outcome.POSITIVE
    granted_amount = Decimal("100000.00")
    language = "fi"
    grounds_fi = "Hanke täyttää haun ehdot."
    decision_date = in_status(DecisionStatus.APPROVED, then=timezone.localdate)

    class Params:
        proposed = factory.Trait(
            status=DecisionStatus.PROPOSED, application__awarded=False, application__submitted=True
        )
        returned = factory.Trait(
            status=DecisionStatus.RETURNED, application__awarded=False, application__submitted=True
        )
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


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    application = factory.SubFactory(ApplicationFactory)
    original_name = "suunnitelma.pdf"
    size = 3
    file = "attachments/suunnitelma.pdf"
    uploaded_by = factory.SubFactory(UserFactory)


class InformationRequestFactory(factory.django.DjangoModelFactory):
    """Waiting for the lead's answer by default; `answered=True`."""

    class Meta:
        model = InformationRequest

    application = factory.SubFactory(ApplicationFactory, submitted=True)
    message = "Tarkentakaa kustannusarvio."
    deadline = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))
    requested_by = factory.SubFactory(UserFactory)

    class Params:
        answered = factory.Trait(
            answer="Kustannusarvio on tarkennettu.",
            answered_by=factory.SubFactory(UserFactory),
            answered_at=factory.LazyFunction(timezone.now),
        )


class ReviewAssignmentFactory(factory.django.DjangoModelFactory):
    """Assigned, interests not yet declared, by default; `status` gives the others (the declaration and
    completion times follow it), or `conflict=True`, `draft=True`, `completed=True`."""

    class Meta:
        model = ReviewAssignment

    application = factory.SubFactory(ApplicationFactory, submitted=True)
    reviewer = factory.SubFactory(UserFactory)
    assigned_by = factory.SubFactory(UserFactory)
    status = ReviewStatus.ASSIGNED
    declared_at = in_status(
        ReviewStatus.CONFLICT, ReviewStatus.DRAFT, ReviewStatus.COMPLETED, then=timezone.now
    )
    completed_at = in_status(ReviewStatus.COMPLETED, then=timezone.now)

    class Params:
        conflict = factory.Trait(status=ReviewStatus.CONFLICT)
        draft = factory.Trait(status=ReviewStatus.DRAFT)
        completed = factory.Trait(status=ReviewStatus.COMPLETED)
