"""What a user may see and do with an application; used by views, templates and querysets alike.

A municipality sees the cases it leads or takes part in, drafts included (a partner must read a draft
to confirm it). Officials and decision-makers see every application that has left the applicant's
hands; a reviewer sees only the submitted applications assigned to them, unless they declared a
conflict of interest. Nobody else sees anything:
the views answer 404, so that a case's existence is not revealed either.
"""

from django.db.models import Exists, OuterRef, Q

from accounts.permissions import can_process_applications, is_reviewer, municipality_ids

from .models import Application, ReviewAssignment, ReviewStatus, Status


def visible_to(user, queryset=None):
    queryset = Application.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    own = municipality_ids(user)
    condition = Q(pk__in=[])
    if own:
        condition |= Q(lead_id__in=own) | Q(participants__organisation_id__in=own)
    if can_process_applications(user):
        condition |= ~Q(status=Status.DRAFT)
    elif is_reviewer(user):
        condition |= ~Q(status=Status.DRAFT) & Exists(
            _reviews_without_conflict(user).filter(application=OuterRef("pk"))
        )
    return queryset.filter(condition).distinct()


def is_lead_staff(user, application):
    return application.lead_id in municipality_ids(user)


def can_view_application(user, application):
    if is_lead_staff(user, application):
        return True
    own = municipality_ids(user)
    if own and any(p.organisation_id in own for p in application.participants.all()):
        return True
    if application.status == Status.DRAFT:
        return False
    if can_process_applications(user):
        return True
    return is_reviewer(user) and _reviews_without_conflict(user).filter(application=application).exists()


def _reviews_without_conflict(user):
    # A reviewer who declared a conflict of interest no longer reads the case at all.
    return ReviewAssignment.objects.filter(reviewer=user).exclude(status=ReviewStatus.CONFLICT)


def can_edit_application(user, application):
    """Lead staff edit a draft; once submitted, the content is frozen."""
    return application.status == Status.DRAFT and is_lead_staff(user, application)


def can_submit_application(user, application):
    return can_edit_application(user, application)


def can_withdraw_application(user, application):
    return application.status == Status.SUBMITTED and is_lead_staff(user, application)


def can_respond_to_participation(user, participant):
    """Staff of a partner municipality confirm or decline while the application is a draft."""
    return (
        not participant.is_lead
        and participant.application.status == Status.DRAFT
        and participant.organisation_id in municipality_ids(user)
    )


def can_view_attachment(user, attachment):
    return can_view_application(user, attachment.application)


def can_delete_attachment(user, attachment):
    """Lead staff delete the application's own files in a draft; a commitment belongs to its partner."""
    if attachment.application.status != Status.DRAFT:
        return False
    if attachment.participant_id is not None:
        return attachment.participant.organisation_id in municipality_ids(user)
    return is_lead_staff(user, attachment.application)
