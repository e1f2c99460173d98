"""State changes of a case, by stage. Each runs in one transaction, re-reads what it changes under a row
lock where a race matters, and changes a status only through the workflow (applications.workflow), which
checks the transition, the role and the guards and writes the journal row. A service never takes a
request; a refusal is a WorkflowError with a message for the user, and nothing was changed."""

from ..exceptions import WorkflowError
from .decisions import (
    approve_decisions,
    approved_total,
    grant_refusal,
    grounds_missing,
    propose_decision,
    publish_results,
    send_back_proposal,
)
from .drafting import (
    add_attachment,
    add_participant,
    delete_attachment,
    remove_participant,
    respond_to_participation,
    save_draft,
    set_shares,
    start_application,
)
from .followup import (
    approve_payment,
    check_report,
    close_case,
    decide_change,
    decide_return,
    mark_paid,
    record_past_payment,
    record_repayment,
    reject_payment,
    request_change,
    request_payment,
    respond_to_joining,
    returnable_amount,
    submit_report,
)
from .processing import (
    add_internal_comment,
    assign_reviewers,
    declare_interests,
    record_eligibility,
    request_information,
    save_review,
)
from .submission import answer_information, submit_application, withdraw_application

__all__ = [
    "WorkflowError",
    "add_attachment",
    "add_internal_comment",
    "add_participant",
    "answer_information",
    "approve_decisions",
    "approve_payment",
    "approved_total",
    "assign_reviewers",
    "check_report",
    "close_case",
    "decide_change",
    "decide_return",
    "declare_interests",
    "delete_attachment",
    "grant_refusal",
    "grounds_missing",
    "mark_paid",
    "propose_decision",
    "publish_results",
    "record_eligibility",
    "record_past_payment",
    "record_repayment",
    "reject_payment",
    "remove_participant",
    "request_change",
    "request_information",
    "request_payment",
    "respond_to_joining",
    "respond_to_participation",
    "returnable_amount",
    "save_draft",
    "save_review",
    "send_back_proposal",
    "set_shares",
    "start_application",
    "submit_application",
    "submit_report",
    "withdraw_application",
]
