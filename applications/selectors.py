"""Reads that pages share; each owns its joins so that a page's query count does not grow with its rows."""

from dataclasses import dataclass
from decimal import Decimal

from grants.models import Call
from grants.translation import nordic_sort_key

from .models import Application, Decision, Outcome


@dataclass(frozen=True)
class CallResults:
    call: Call
    awards: list[Decision]
    total_awarded: Decimal
    applications_received: int

    @property
    def project_count(self):
        return len(self.awards)


def call_results(call: Call) -> CallResults:
    """The published awards of a call, ordered by the lead's name in the active language."""
    awards = list(
        Decision.objects.filter(application__call=call, outcome=Outcome.POSITIVE)
        .select_related("application__lead")
        .order_by("application__lead__name_fi", "-granted_amount", "pk")
    )
    # Stable sort on the displayed name keeps Lahti's two projects in amount order.
    awards.sort(key=lambda decision: nordic_sort_key(decision.application.lead.name))
    total = sum((decision.granted_amount for decision in awards), Decimal("0"))
    received = call.applications_received
    if received is None:
        received = Application.objects.filter(call=call).submitted().count()
    return CallResults(call=call, awards=awards, total_awarded=total, applications_received=received)
