"""The lead municipality's answer to what the ministry asked: a request for additional information while
the application is processed, or a hearing before a return or recovery decision (models.Answerable)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import notifications, workflow
from ..exceptions import WorkflowError
from ..models import Hearing, InformationRequest
from .locking import lock_case


@transaction.atomic
def answer(asked: InformationRequest | Hearing, *, answer: str, by) -> InformationRequest | Hearing:
    """Record the answer once, with who gave it and when, in the journal (its beginning as the note), and
    tell the ministry after the transaction commits. A blank answer is refused."""
    if not answer.strip():
        raise WorkflowError(_("Write the answer."))
    application = lock_case(asked.application)
    locked = type(asked).objects.select_for_update().get(pk=asked.pk)
    locked.application = application
    changes = {"answer": answer, "answered_by": by, "answered_at": timezone.now()}
    workflow.perform(locked, "answer", by=by, changes=changes, note=answer[:500])
    # The official who asked is told (or the officials, if they have left).
    if isinstance(locked, Hearing):
        notifications.hearing_answered(locked)
    else:
        notifications.information_answered(locked)
    return locked
