"""What a user may see of applications; used by views, templates and querysets alike. What a user may do
with one, and when, is the workflow's (applications.workflow).

A municipality sees the cases it leads or takes part in, drafts included (a partner must read a draft
to confirm it). Officials and decision-makers see every application that has left the applicant's
hands; a reviewer sees only the submitted applications assigned to them, unless they declared a
conflict of interest. Nobody else sees anything:
the views answer 404, so that a case's existence is not revealed either.
"""

from django.db.models import Exists, OuterRef, Q

from accounts.permissions import can_process_applications, is_reviewer, municipality_ids

from .models import Application, ParticipationStatus, ReviewAssignment, ReviewStatus, Status


def visible_to(user, queryset=None):
    queryset = Application.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    own = municipality_ids(user)
    condition = Q(pk__in=[])
    if own:
        # A municipality that declined reads the draft (it may still change its mind), not the submitted
        # case, its files or its follow-up (red-team finding 14).
        condition |= (
            Q(lead_id__in=own)
            | Q(
                participants__organisation_id__in=own,
                participants__status__in=[ParticipationStatus.PENDING, ParticipationStatus.CONFIRMED],
            )
            | Q(status=Status.DRAFT, participants__organisation_id__in=own)
        )
    if can_process_applications(user):
        condition |= ~Q(status=Status.DRAFT)
    elif is_reviewer(user):
        condition |= ~Q(status=Status.DRAFT) & Exists(
            _reviews_without_conflict(user).filter(application=OuterRef("pk"))
        )
    return queryset.filter(condition).distinct()


def is_lead_staff(user, application):
    return application.lead_id in municipality_ids(user)


def _reviews_without_conflict(user):
    # A reviewer who declared a conflict of interest no longer reads the case at all.
    return ReviewAssignment.objects.filter(reviewer=user).exclude(status=ReviewStatus.CONFLICT)
