"""factory_boy factories, one module per app as the models are (`accounts`, `grants`, `applications` for the
case until it is decided, `followup` for the awarded project), each with a trait per state
(`ApplicationFactory(submitted=True)`, `ReviewAssignmentFactory(completed=True)`,
`PaymentRequestFactory(paid=True)`), so that a test says the state it needs in one line."""

from .accounts import MembershipFactory, OrganisationFactory, UserFactory, free_municipality_code
from .applications import (
    ApplicationFactory,
    AttachmentFactory,
    BudgetLineFactory,
    CaseEventFactory,
    DecisionFactory,
    InformationRequestFactory,
    ParticipantFactory,
    ReviewAssignmentFactory,
)
from .followup import (
    ChangeRequestFactory,
    GrantReturnFactory,
    HearingFactory,
    IssuedDocumentFactory,
    PaymentRequestFactory,
    RectificationRequestFactory,
    ReportFactory,
)
from .grants import CallContactFactory, CallFactory, EvaluationCriterionFactory, ProgrammeFactory

__all__ = [
    "ApplicationFactory",
    "AttachmentFactory",
    "BudgetLineFactory",
    "CallContactFactory",
    "CallFactory",
    "CaseEventFactory",
    "ChangeRequestFactory",
    "DecisionFactory",
    "EvaluationCriterionFactory",
    "GrantReturnFactory",
    "HearingFactory",
    "InformationRequestFactory",
    "IssuedDocumentFactory",
    "MembershipFactory",
    "OrganisationFactory",
    "ParticipantFactory",
    "PaymentRequestFactory",
    "ProgrammeFactory",
    "RectificationRequestFactory",
    "ReportFactory",
    "ReviewAssignmentFactory",
    "UserFactory",
    "free_municipality_code",
]
