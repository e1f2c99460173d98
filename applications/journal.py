"""The case journal: one row (CaseEvent) per event of a case, written in the transaction that made it."""

from django.utils import timezone

from .models import Application, CaseEvent


def record_event(
    application: Application,
    *,
    kind: str,
    by,
    note: str = "",
    from_status: str = "",
    to_status: str = "",
    internal: bool = False,
    organisation=None,
) -> CaseEvent:
    """`internal` rows are the ministry's own and never shown to the applicant. The time is read from the
    same clock as the service's own decisions (`timezone.now()` at the call, not the model default bound at
    import), so an event and the date it decided can never disagree."""
    return CaseEvent.objects.create(
        created_at=timezone.now(),
        application=application,
        actor=by,
        kind=kind,
        note=note,
        from_status=from_status,
        to_status=to_status,
        internal=internal,
        organisation=organisation,
    )
