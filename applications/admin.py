from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline, euros

from .models import (
    Application,
    Attachment,
    BudgetLine,
    CaseEvent,
    ChangeRequest,
    CostLine,
    Decision,
    EligibilityCheck,
    GrantReturn,
    Hearing,
    InformationRequest,
    InternalComment,
    IssuedDocument,
    Participant,
    PaymentRequest,
    RectificationRequest,
    Repayment,
    Report,
    ReviewAssignment,
    Score,
    SentReminder,
)
from .workflow import MACHINES


class ByWorkflow:
    """A case object changes only through the workflow (applications.workflow), which checks who may change
    it and when, and journals it: the admin shows the fields that hold its state but never edits them, and
    adds none of the objects that the workflow itself brings into being (a step from NEW)."""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        return fields + [name for name in MACHINES[self.model].state_fields if name not in fields]  # type: ignore[attr-defined]

    def has_add_permission(self, request, *obj):
        machine = MACHINES[self.model]  # type: ignore[attr-defined]
        return not machine.creates and super().has_add_permission(request, *obj)  # type: ignore[misc]


class ParticipantInline(ByWorkflow, admin.TabularInline):
    model = Participant
    extra = 0
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["responded_by"]


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


class AttachmentInline(ReadOnlyInline):
    """Files come in through the checked upload form, never unchecked through the admin."""

    model = Attachment
    fields = [
        "original_name",
        "description",
        "content_type",
        "size",
        "participant",
        "uploaded_by",
        "uploaded_at",
    ]
    readonly_fields = fields


class CaseEventInline(ReadOnlyInline):
    """The case journal is a record: nobody edits or deletes it, not even an administrator."""

    model = CaseEvent
    fields = ["created_at", "actor", "kind", "from_status", "to_status", "note"]
    readonly_fields = fields
    ordering = ["-created_at", "-id"]


@admin.register(Application)
class ApplicationAdmin(ByWorkflow, admin.ModelAdmin):
    list_display = [
        "case_number",
        "project_name",
        "lead",
        "call",
        "status",
        "requested_amount",
        "submitted_at",
    ]
    list_filter = ["status", "call", "is_historical", "emphasis_area"]
    search_fields = ["case_number", "project_name", "summary", "lead__name_fi", "lead__name_sv", "lead__code"]
    list_select_related = ["lead", "call"]
    autocomplete_fields = ["lead"]
    readonly_fields = ["case_number", "case_sequence", "submitted_at", "created_at", "updated_at"]
    inlines = [ParticipantInline, BudgetLineInline, AttachmentInline, CaseEventInline]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["application", "status", "outcome", euros(Decision, "granted_amount"), "decision_date"]
    list_filter = ["status", "outcome", "application__call", "decision_date"]

    # Decisions are proposed, returned and approved only through the workflow (the officials' and the
    # decision-maker's pages, where the appropriation is enforced under a lock): here they are read only.
    search_fields = ["application__case_number", "application__project_name", "application__lead__name_fi"]
    list_select_related = ["application__lead"]
    raw_id_fields = ["application"]


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "application", "kind", "actor", "from_status", "to_status"]
    list_filter = ["kind"]
    search_fields = ["application__case_number", "note"]
    list_select_related = ["application", "actor"]


@admin.register(Participant)
class ParticipantAdmin(ByWorkflow, admin.ModelAdmin):
    list_display = ["application", "organisation", "role", "status", "responded_at"]
    list_filter = ["role", "status", "application__call"]
    search_fields = ["organisation__name_fi", "organisation__name_sv", "application__case_number"]
    list_select_related = ["application", "organisation"]
    raw_id_fields = ["application", "responded_by"]
    autocomplete_fields = ["organisation"]


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ["application", "category", "description", euros(BudgetLine, "amount")]
    list_filter = ["category", "application__call"]
    search_fields = ["description", "application__case_number", "application__project_name"]
    list_select_related = ["application"]
    raw_id_fields = ["application"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "application", "content_type", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["content_type"]
    search_fields = ["original_name", "description", "application__case_number"]
    list_select_related = ["application", "uploaded_by"]
    readonly_fields = [
        "application",
        "participant",
        "file",
        "original_name",
        "content_type",
        "size",
        "uploaded_by",
        "uploaded_at",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(InternalComment)
class InternalCommentAdmin(admin.ModelAdmin):
    list_display = ["application", "author", "created_at"]
    search_fields = ["text", "application__case_number"]
    list_select_related = ["application", "author"]
    raw_id_fields = ["application", "author"]


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(ByWorkflow, admin.ModelAdmin):
    list_display = ["application", "reviewer", "status", "assigned_at", "completed_at"]
    list_filter = ["status", "application__call"]
    search_fields = ["application__case_number", "reviewer__full_name", "reviewer__email"]
    list_select_related = ["application", "reviewer"]
    raw_id_fields = ["application", "reviewer", "assigned_by"]
    inlines = [ScoreInline]


@admin.register(Score)
class ScoreAdmin(admin.ModelAdmin):
    list_display = ["review", "criterion", "score"]
    list_select_related = ["review__application", "criterion"]
    raw_id_fields = ["review"]


@admin.register(EligibilityCheck)
class EligibilityCheckAdmin(admin.ModelAdmin):
    list_display = ["application", "checked_by", "checked_at"]
    list_select_related = ["application", "checked_by"]
    raw_id_fields = ["application", "checked_by"]


@admin.register(InformationRequest)
class InformationRequestAdmin(ByWorkflow, admin.ModelAdmin):
    list_display = ["application", "requested_at", "deadline", "answered_at"]
    search_fields = ["application__case_number", "message", "answer"]
    list_select_related = ["application"]
    raw_id_fields = ["application", "requested_by", "answered_by"]


class CostLineInline(admin.TabularInline):
    model = CostLine
    extra = 0


@admin.register(PaymentRequest)
class PaymentRequestAdmin(ByWorkflow, admin.ModelAdmin):
    list_display = [
        "application",
        "period_start",
        "period_end",
        "status",
        euros(PaymentRequest, "approved_amount"),
        "paid_on",
    ]
    list_filter = ["status", "application__call"]
    search_fields = ["application__case_number", "payment_reference"]
    list_select_related = ["application"]
    raw_id_fields = ["application", "ledger_extract", "submitted_by", "checked_by"]
    inlines = [CostLineInline]

    # Payments are approved on the officials' pages, where the grant's ceiling is enforced under a lock.
    readonly_fields = ["approved_amount", "checked_by", "checked_at"]


@admin.register(CostLine)
class CostLineAdmin(admin.ModelAdmin):
    list_display = ["payment_request", "category", euros(CostLine, "amount"), "accepted"]
    list_select_related = ["payment_request__application"]
    raw_id_fields = ["payment_request"]


@admin.register(ChangeRequest)
class ChangeRequestAdmin(ByWorkflow, admin.ModelAdmin):
    list_display = ["application", "kind", "status", "submitted_at", "decided_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["application"]
    raw_id_fields = ["application", "submitted_by", "decided_by"]


@admin.register(Report)
class ReportAdmin(ByWorkflow, admin.ModelAdmin):
    list_display = ["application", "kind", "submitted_at", "content_checked_at", "financial_checked_at"]
    list_filter = ["kind"]
    list_select_related = ["application"]
    raw_id_fields = ["application", "submitted_by", "content_checked_by", "financial_checked_by"]


@admin.register(GrantReturn)
class GrantReturnAdmin(ByWorkflow, admin.ModelAdmin):
    list_display = [
        "application",
        euros(GrantReturn, "amount"),
        euros(GrantReturn, "interest"),
        "status",
        "repaid_on",
    ]
    list_filter = ["status", "is_recovery"]
    list_select_related = ["application"]
    raw_id_fields = ["application", "decided_by"]


@admin.register(Hearing)
class HearingAdmin(ByWorkflow, admin.ModelAdmin):
    """Hearings are sent and answered in the case pages; the admin shows them."""

    list_display = ["application", "basis", euros(Hearing, "proposed_amount"), "deadline", "answered_at"]
    list_filter = ["basis"]
    list_select_related = ["application"]
    raw_id_fields = ["application", "sent_by", "answered_by"]


@admin.register(Repayment)
class RepaymentAdmin(ReadOnlyAdmin):
    """Repayments are recorded on the project page, where the return's status follows them: a hand-made or
    deleted repayment would leave the return's status wrong."""

    list_display = ["grant_return", euros(Repayment, "amount"), "paid_on", "recorded_by"]
    list_select_related = ["grant_return__application", "recorded_by"]
    raw_id_fields = ["grant_return", "recorded_by"]


@admin.register(RectificationRequest)
class RectificationRequestAdmin(ByWorkflow, admin.ModelAdmin):
    list_display = ["application", "document", "organisation", "status", "submitted_at"]
    list_filter = ["status"]
    list_select_related = ["application", "document", "organisation"]
    raw_id_fields = ["application", "document", "organisation", "submitted_by", "decided_by"]


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyAdmin):
    """Issued decision documents are archived unchanged: the admin only shows them."""

    list_display = ["application", "kind", "decision_date", "method", "sent_on", "notified_on"]
    list_filter = ["kind", "method"]
    list_select_related = ["application"]
    raw_id_fields = ["application", "decision", "change", "grant_return", "notification_recorded_by"]


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    list_display = ["key", "recipient", "sent_at"]
    search_fields = ["key", "recipient"]
