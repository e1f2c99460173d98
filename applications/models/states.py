"""The statuses and kinds of the case and its parts: one enum each, used by the models, the workflow,
the code and the templates (never string literals)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Language


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    AWARDED = "awarded", _("Grant awarded")
    REJECTED = "rejected", _("Rejected")
    CLOSED = "closed", _("Closed")


DECIDED_STATUSES = (Status.AWARDED, Status.REJECTED, Status.CLOSED)


class CostCategory(models.TextChoices):
    PERSONNEL = "personnel", _("Personnel")
    PURCHASED_SERVICES = "purchased_services", _("Purchased services")
    TRAVEL = "travel", _("Travel")
    OTHER = "other", _("Other costs")


class ParticipantRole(models.TextChoices):
    LEAD = "lead", _("Lead applicant")
    PARTNER = "partner", _("Participating municipality")


class ParticipationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")


class Outcome(models.TextChoices):
    POSITIVE = "positive", _("Grant awarded")
    NEGATIVE = "negative", _("Rejected")


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    RETURNED = "returned", _("Returned to the official")
    APPROVED = "approved", _("Approved")


# A decision is written in Finnish or Swedish, the official languages (Language Act 423/2003).
DECISION_LANGUAGES = [
    (Language.FINNISH.value, Language.FINNISH.label),
    (Language.SWEDISH.value, Language.SWEDISH.label),
]


class ReviewStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    CONFLICT = "conflict", _("Conflict of interest")
    DRAFT = "draft", _("Draft review")
    COMPLETED = "completed", _("Completed")


class EventKind(models.TextChoices):
    IMPORTED = "imported", _("Imported from published records")
    CREATED = "created", _("Draft started")
    SUBMITTED = "submitted", _("Application submitted")
    WITHDRAWN = "withdrawn", _("Application withdrawn")
    PARTICIPANT_ADDED = "participant_added", _("Municipality added")
    PARTICIPANT_REMOVED = "participant_removed", _("Municipality removed")
    PARTICIPATION_CONFIRMED = "participation_confirmed", _("Participation confirmed")
    PARTICIPATION_DECLINED = "participation_declined", _("Participation declined")
    ATTACHMENT_ADDED = "attachment_added", _("Attachment added")
    ATTACHMENT_REMOVED = "attachment_removed", _("Attachment removed")
    ELIGIBILITY_CHECKED = "eligibility_checked", _("Eligibility checked")
    INFORMATION_REQUESTED = "information_requested", _("Additional information requested")
    INFORMATION_GIVEN = "information_given", _("Additional information given")
    REVIEWER_ASSIGNED = "reviewer_assigned", _("Reviewer assigned")
    REVIEW_COMPLETED = "review_completed", _("Review completed")
    DECISION_PROPOSED = "decision_proposed", _("Decision proposed")
    PROPOSAL_RETURNED = "proposal_returned", _("Proposal returned")
    DECIDED = "decided", _("Decision made")
    RESULTS_PUBLISHED = "results_published", _("Results published")
    PAYMENT_REQUESTED = "payment_requested", _("Payment requested")
    PAYMENT_APPROVED = "payment_approved", _("Payment approved")
    PAYMENT_REJECTED = "payment_rejected", _("Payment request rejected")
    PAYMENT_PAID = "payment_paid", _("Payment made")
    CHANGE_REQUESTED = "change_requested", _("Change requested")
    CHANGE_DECIDED = "change_decided", _("Change decided")
    REPORT_SUBMITTED = "report_submitted", _("Report submitted")
    REPORT_CHECKED = "report_checked", _("Report checked")
    RETURN_DECIDED = "return_decided", _("Return decided")
    REPAYMENT_RECORDED = "repayment_recorded", _("Repayment recorded")
    CLOSED = "closed", _("Case closed")
    ORIGINAL_ATTACHED = "original_attached", _("Archived original decision attached")
    HEARING_SENT = "hearing_sent", _("Municipality heard")
    HEARING_ANSWERED = "hearing_answered", _("Answer to the hearing given")
    REOPENED = "reopened", _("Case reopened for recovery")
    NOTIFICATION_RECORDED = "notification_recorded", _("Notification recorded")
    RECTIFICATION_REQUESTED = "rectification_requested", _("Rectification requested")
    RECTIFICATION_DECIDED = "rectification_decided", _("Rectification request decided")
    DIARY_NUMBER_RECORDED = "diary_number_recorded", _("Diary number recorded")
    PERIOD_ENDED_EARLY = "period_ended_early", _("Application period ended early")


class PaymentStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for checking")
    APPROVED = "approved", _("Approved, to be paid")
    REJECTED = "rejected", _("Rejected")
    PAID = "paid", _("Paid")


class ChangeKind(models.TextChoices):
    EXTENSION = "extension", _("Extension of the use period")
    BUDGET = "budget", _("Changes between budget lines")
    PARTICIPANTS = "participants", _("Change of participating municipalities")
    CONTENT = "content", _("Change of content")


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    ACCEPTED = "accepted", _("Accepted")
    ACCEPTED_WITH_CHANGES = "accepted_with_changes", _("Accepted with changes")
    REJECTED = "rejected", _("Rejected")


class ReportKind(models.TextChoices):
    INTERIM = "interim", _("Interim report")
    FINAL = "final", _("Final report")


class ReturnBasis(models.TextChoices):
    """The State Aid Act's ground for a return or a recovery."""

    EXCESS = "excess", _("Return of an excess (State Aid Act § 20)")
    MANDATORY = "mandatory", _("Mandatory recovery (§ 21)")
    DISCRETIONARY = "discretionary", _("Discretionary recovery (§ 22)")


class ReturnStatus(models.TextChoices):
    DECIDED = "decided", _("To be returned")
    REPAID = "repaid", _("Repaid")
