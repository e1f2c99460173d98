"""The case journal: one row (CaseEvent) per event of a case, written in the transaction that made it."""

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
    """`internal` rows are the ministry's own and never shown to the applicant."""
    return CaseEvent.objects.create(
        application=application,
        actor=by,
        kind=kind,
        note=note,
        from_status=from_status,
        to_status=to_status,
        internal=internal,
        organisation=organisation,
    )
