"""The awarded project's follow-up: payments, changes, reports, the hearing and the return, the
notification of an issued decision, and a request for its rectification."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from ..models import (
    ChangeRequest,
    ChangeStatus,
    EventKind,
    GrantReturn,
    Hearing,
    IssuedDocument,
    PaymentRequest,
    PaymentStatus,
    RectificationRequest,
    RectificationStatus,
    Report,
    ReturnStatus,
)
from ..statemachine import (
    NEW,
    AnswerState,
    Machine,
    NotificationState,
    Performer,
    ReportState,
    step,
)
from .case import CASE_STAFF, LEAD, OFFICIAL, answer_state
from .guards import (
    case_followed_up,
    electronic_notification_consented,
    hearing_concluded,
    hearing_open,
    not_the_decisions_preparer,
    payments_not_stopped,
    recovery_possible,
    rectification_in_time,
    use_period_not_ended,
)

PAYMENT = Machine(
    PaymentRequest,
    transitions=(
        step(
            "request",
            NEW,
            PaymentStatus.SUBMITTED,
            LEAD,
            case_followed_up,
            payments_not_stopped,
            event=EventKind.PAYMENT_REQUESTED,
        ),
        step(
            "record_past",
            NEW,
            PaymentStatus.PAID,
            OFFICIAL,
            case_followed_up,
            event=EventKind.PAYMENT_PAID,
        ),
        step(
            "approve",
            PaymentStatus.SUBMITTED,
            PaymentStatus.APPROVED,
            OFFICIAL,
            case_followed_up,
            payments_not_stopped,
            event=EventKind.PAYMENT_APPROVED,
            refused=gettext_lazy("This payment request has already been checked."),
        ),
        step(
            "reject",
            PaymentStatus.SUBMITTED,
            PaymentStatus.REJECTED,
            OFFICIAL,
            case_followed_up,
            event=EventKind.PAYMENT_REJECTED,
            refused=gettext_lazy("This payment request has already been checked."),
        ),
        step(
            "mark_paid",
            PaymentStatus.APPROVED,
            PaymentStatus.PAID,
            OFFICIAL,
            payments_not_stopped,
            event=EventKind.PAYMENT_PAID,
            refused=gettext_lazy("Only an approved payment can be marked as paid."),
        ),
    ),
)

CHANGE = Machine(
    ChangeRequest,
    transitions=(
        step(
            "request",
            NEW,
            ChangeStatus.PENDING,
            LEAD,
            case_followed_up,
            use_period_not_ended,
            event=EventKind.CHANGE_REQUESTED,
        ),
        *(
            step(
                action,
                ChangeStatus.PENDING,
                target,
                OFFICIAL,
                case_followed_up,
                event=EventKind.CHANGE_DECIDED,
                refused=gettext_lazy("The change has already been decided."),
            )
            for action, target in (
                ("accept", ChangeStatus.ACCEPTED),
                ("accept_with_changes", ChangeStatus.ACCEPTED_WITH_CHANGES),
                ("reject", ChangeStatus.REJECTED),
            )
        ),
    ),
)

REPORT = Machine(
    Report,
    field=None,
    state=lambda report: ReportState.CHECKED if report.is_checked else ReportState.SUBMITTED,
    derived_from=("content_checked_at", "content_checked_by", "financial_checked_at", "financial_checked_by"),
    transitions=(
        step("submit", NEW, ReportState.SUBMITTED, LEAD, case_followed_up, event=EventKind.REPORT_SUBMITTED),
        step(
            "check",
            ReportState.SUBMITTED,
            ReportState.CHECKED,
            OFFICIAL,
            case_followed_up,
            event=EventKind.REPORT_CHECKED,
            refused=gettext_lazy("The report has already been checked."),
        ),
    ),
)

HEARING = Machine(
    Hearing,
    field=None,
    state=answer_state,
    derived_from=("answer", "answered_at", "answered_by"),
    transitions=(
        step("send", NEW, AnswerState.OPEN, OFFICIAL, recovery_possible, event=EventKind.HEARING_SENT),
        step(
            "answer",
            AnswerState.OPEN,
            AnswerState.ANSWERED,
            LEAD,
            hearing_open,
            event=EventKind.HEARING_ANSWERED,
            refused=gettext_lazy("The hearing has already been answered."),
        ),
    ),
)

RETURN = Machine(
    GrantReturn,
    transitions=(
        step(
            "decide",
            NEW,
            ReturnStatus.DECIDED,
            OFFICIAL,
            recovery_possible,
            hearing_concluded,
            event=EventKind.RETURN_DECIDED,
        ),
        step(
            "record_part_repayment",
            ReturnStatus.DECIDED,
            None,
            OFFICIAL,
            event=EventKind.REPAYMENT_RECORDED,
            refused=gettext_lazy("This return has already been repaid."),
        ),
        step(
            "record_repayment",
            ReturnStatus.DECIDED,
            ReturnStatus.REPAID,
            OFFICIAL,
            event=EventKind.REPAYMENT_RECORDED,
            refused=gettext_lazy("This return has already been repaid."),
        ),
    ),
)

NOTIFICATION = Machine(
    IssuedDocument,
    field=None,
    state=lambda document: NotificationState.NOTIFIED if document.method else NotificationState.NOT_NOTIFIED,
    derived_from=("method", "sent_on", "notified_on", "notification_recorded_by"),
    transitions=(
        step(
            "record_notification",
            NotificationState.NOT_NOTIFIED,
            NotificationState.NOTIFIED,
            OFFICIAL,
            event=EventKind.NOTIFICATION_RECORDED,
            refused=gettext_lazy("The notification of this decision is already recorded."),
        ),
        # The first delivered e-mail about the decision, where the applicant consented to electronic
        # notification (13/2003 § 19): recorded by the system when the mail worker delivers it.
        step(
            "record_electronic_notification",
            NotificationState.NOT_NOTIFIED,
            NotificationState.NOTIFIED,
            Performer.SYSTEM,
            electronic_notification_consented,
            event=EventKind.NOTIFICATION_RECORDED,
            refused=gettext_lazy("The notification of this decision is already recorded."),
        ),
    ),
)

RECTIFICATION = Machine(
    RectificationRequest,
    transitions=(
        step(
            "submit",
            NEW,
            RectificationStatus.SUBMITTED,
            CASE_STAFF,
            rectification_in_time,
            event=EventKind.RECTIFICATION_REQUESTED,
        ),
        *(
            step(
                action,
                RectificationStatus.SUBMITTED,
                target,
                OFFICIAL,
                not_the_decisions_preparer,
                event=EventKind.RECTIFICATION_DECIDED,
                refused=gettext_lazy("The request has already been decided."),
            )
            for action, target in (
                ("accept", RectificationStatus.ACCEPTED),
                ("reject", RectificationStatus.REJECTED),
            )
        ),
    ),
)
