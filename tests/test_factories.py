"""Every factory's default and each of its traits make an object that the database accepts (its
constraints hold) in the state the trait names, as the workflow reads that state."""

import pytest

from applications.models import (
    ChangeStatus,
    DecisionStatus,
    PaymentStatus,
    RectificationStatus,
    ReturnStatus,
    ReviewStatus,
)
from applications.statemachine import AnswerState, NotificationState, ReportState
from applications.workflow import machine_of
from tests import factories as f

STATES = [
    (f.ReviewAssignmentFactory, {}, ReviewStatus.ASSIGNED),
    (f.ReviewAssignmentFactory, {"conflict": True}, ReviewStatus.CONFLICT),
    (f.ReviewAssignmentFactory, {"draft": True}, ReviewStatus.DRAFT),
    (f.ReviewAssignmentFactory, {"completed": True}, ReviewStatus.COMPLETED),
    (f.DecisionFactory, {}, DecisionStatus.APPROVED),
    (f.DecisionFactory, {"proposed": True}, DecisionStatus.PROPOSED),
    (f.DecisionFactory, {"returned": True}, DecisionStatus.RETURNED),
    (f.DecisionFactory, {"negative": True}, DecisionStatus.APPROVED),
    (f.InformationRequestFactory, {}, AnswerState.OPEN),
    (f.InformationRequestFactory, {"answered": True}, AnswerState.ANSWERED),
    (f.PaymentRequestFactory, {}, PaymentStatus.SUBMITTED),
    (f.PaymentRequestFactory, {"approved": True}, PaymentStatus.APPROVED),
    (f.PaymentRequestFactory, {"paid": True}, PaymentStatus.PAID),
    (f.PaymentRequestFactory, {"rejected": True}, PaymentStatus.REJECTED),
    (f.ChangeRequestFactory, {}, ChangeStatus.PENDING),
    (f.ChangeRequestFactory, {"accepted": True}, ChangeStatus.ACCEPTED),
    (f.ChangeRequestFactory, {"rejected": True}, ChangeStatus.REJECTED),
    (f.ReportFactory, {}, ReportState.SUBMITTED),
    (f.ReportFactory, {"final": True, "checked": True}, ReportState.CHECKED),
    (f.HearingFactory, {}, AnswerState.OPEN),
    (f.HearingFactory, {"answered": True}, AnswerState.ANSWERED),
    (f.GrantReturnFactory, {}, ReturnStatus.DECIDED),
    (f.GrantReturnFactory, {"repaid": True}, ReturnStatus.REPAID),
    (f.IssuedDocumentFactory, {}, NotificationState.NOT_NOTIFIED),
    (f.IssuedDocumentFactory, {"notified": True}, NotificationState.NOTIFIED),
    (f.RectificationRequestFactory, {}, RectificationStatus.SUBMITTED),
    (f.RectificationRequestFactory, {"accepted": True}, RectificationStatus.ACCEPTED),
    (f.RectificationRequestFactory, {"rejected": True}, RectificationStatus.REJECTED),
]


@pytest.mark.parametrize(
    ("factory_class", "traits", "state"),
    STATES,
    ids=[f"{factory.__name__}-{'-'.join(traits) or 'default'}" for factory, traits, _ in STATES],
)
def test_each_trait_makes_the_state_it_names(db, factory_class, traits, state):
    obj = factory_class(**traits)
    obj.full_clean()
    obj.refresh_from_db()  # saved: the database's constraints held
    assert machine_of(obj).state_of(obj) == state
