"""The case's models, by stage, under one app label (`applications`): one migration history, and every
model importable from `applications.models` as before the package split."""

from .application import (
    APPLICANT_FIELDS,
    Application,
    ApplicationQuerySet,
    Attachment,
    BudgetLine,
    Participant,
    ParticipantQuerySet,
    attachment_path,
)
from .decision import (
    Decision,
    DecisionQuerySet,
)
from .followup import (
    ChangeRequest,
    CostLine,
    GrantReturn,
    PaymentRequest,
    Report,
    SentReminder,
)
from .issued import DocumentKind, IssuedDocument, NotificationMethod
from .journal import (
    CaseEvent,
)
from .review import (
    EligibilityCheck,
    InformationRequest,
    InternalComment,
    ReviewAssignment,
    Score,
)
from .states import (
    DECIDED_STATUSES,
    DECISION_LANGUAGES,
    ChangeKind,
    ChangeStatus,
    CostCategory,
    DecisionStatus,
    EventKind,
    Outcome,
    ParticipantRole,
    ParticipationStatus,
    PaymentStatus,
    ReportKind,
    ReturnStatus,
    ReviewStatus,
    Status,
)

__all__ = [
    "APPLICANT_FIELDS",
    "Application",
    "ApplicationQuerySet",
    "Attachment",
    "BudgetLine",
    "CaseEvent",
    "ChangeKind",
    "ChangeRequest",
    "ChangeStatus",
    "CostCategory",
    "CostLine",
    "DECIDED_STATUSES",
    "DECISION_LANGUAGES",
    "Decision",
    "DecisionQuerySet",
    "DecisionStatus",
    "DocumentKind",
    "EligibilityCheck",
    "EventKind",
    "GrantReturn",
    "InformationRequest",
    "IssuedDocument",
    "InternalComment",
    "NotificationMethod",
    "Outcome",
    "Participant",
    "ParticipantQuerySet",
    "ParticipantRole",
    "ParticipationStatus",
    "PaymentRequest",
    "PaymentStatus",
    "Report",
    "ReportKind",
    "ReturnStatus",
    "ReviewAssignment",
    "ReviewStatus",
    "Score",
    "SentReminder",
    "Status",
    "attachment_path",
]
