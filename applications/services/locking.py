"""Row locks taken by the services before they check and change a case."""

from ..models import Application


def lock_case(application: Application, *related: str) -> Application:
    """The application's row, re-read under a lock (with `related` joined, locking only the case's own
    row), so that two requests changing the same case take turns and each sees the other's result."""
    queryset = Application.objects.select_for_update(of=("self",) if related else ())
    if related:
        queryset = queryset.select_related(*related)
    return queryset.get(pk=application.pk)
