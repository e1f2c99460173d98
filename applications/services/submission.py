"""Submission and withdrawal of an application."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from grants.models import Call

from .. import notifications, workflow
from ..models import Application
from .locking import lock_case


def submit_application(
    *, application: Application, by, now=None, electronic_notification: bool = False
) -> Application:
    """Submit a draft: check every rule, assign the next case number of the call, freeze the content,
    and send receipts once the transaction has committed.

    The call's row is locked first so that two submissions to the same call take numbers one after
    the other, without gaps or duplicates; the application's row is locked so that a double click or a
    second tab finds it already submitted. The applicant's consent to electronic notification (or its
    refusal) is recorded with the moment it was given."""
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=application.call_id)
        locked = lock_case(application)
        locked.call = call
        now = now or timezone.now()
        workflow.require(locked, "submit", by=by, now=now)
        sequence = (
            Application.objects.filter(call=call).aggregate(last=Max("case_sequence"))["last"] or 0
        ) + 1
        case_number = f"{call.case_number_prefix}/{sequence}/{call.year}"
        workflow.perform(
            locked,
            "submit",
            by=by,
            now=now,
            changes={
                "case_sequence": sequence,
                "case_number": case_number,
                "submitted_at": now,
                "language": locked.language or locked.lead.language,
                "electronic_notification": electronic_notification,
                "electronic_notification_at": now if electronic_notification else None,
            },
            note=case_number,
        )
        notifications.submission_receipts(locked, submitted_by=by)
    return locked


@transaction.atomic
def withdraw_application(*, application: Application, by, reason: str = "") -> Application:
    locked = lock_case(application)
    workflow.perform(locked, "withdraw", by=by, note=reason)
    return locked
