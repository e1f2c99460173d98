"""A call, from the officials' draft to its published results."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from grants.models import Call

from ..statemachine import (
    NEW,
    CallState,
    Machine,
    step,
)
from .case import OFFICIAL
from .guards import (
    application_period_ended,
    call_open,
    call_ready_to_open,
    every_application_decided,
)


def _call_state(call: Call) -> str:
    if call.is_draft:
        return CallState.DRAFT
    return CallState.RESULTS_PUBLISHED if call.results_published else CallState.PUBLISHED


CALL = Machine(
    Call,
    field=None,
    state=_call_state,
    derived_from=("status", "published_at", "published_by", "results_published_on"),
    transitions=(
        # Officials prepare a call as a draft that only the ministry sees, then open it to applicants.
        step("create", NEW, CallState.DRAFT, OFFICIAL),
        step(
            "edit",
            CallState.DRAFT,
            None,
            OFFICIAL,
            refused=gettext_lazy("The call has been published and can no longer be changed here."),
        ),
        step(
            "open",
            CallState.DRAFT,
            CallState.PUBLISHED,
            OFFICIAL,
            call_ready_to_open,
            refused=gettext_lazy("The call has already been published."),
        ),
        # Ending the application period before its published time (a call published in error); the reason
        # is shown on the call's page.
        step(
            "close",
            CallState.PUBLISHED,
            None,
            OFFICIAL,
            call_open,
            refused={
                CallState.DRAFT: gettext_lazy("A draft call has no application period to end."),
                "": gettext_lazy("The call's results have been published."),
            },
        ),
        # One journal row per decided application, written by the service.
        step(
            "publish_results",
            CallState.PUBLISHED,
            CallState.RESULTS_PUBLISHED,
            OFFICIAL,
            application_period_ended,
            every_application_decided,
            refused={
                CallState.DRAFT: gettext_lazy("The call has not been published."),
                "": gettext_lazy("The results of this call have already been published."),
            },
        ),
    ),
)
