from django.contrib import admin

from core.admin import euros

from .models import Call, CallContact, CallStatus, EmphasisArea, EvaluationCriterion, Programme, ReferenceRate


class EmphasisAreaInline(admin.StackedInline):
    model = EmphasisArea
    extra = 0


class EvaluationCriterionInline(admin.StackedInline):
    model = EvaluationCriterion
    extra = 0


class CallContactInline(admin.TabularInline):
    model = CallContact
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name_fi", "name_sv", "authority"]
    search_fields = ["name_fi", "name_sv", "name_en"]


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = [
        "name_fi",
        "year",
        "status",
        "opens_at",
        "closes_at",
        euros(Call, "appropriation"),
        "results_published_on",
    ]
    list_filter = ["status", "year", "programme"]
    search_fields = ["name_fi", "name_sv", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_fi"]}
    date_hierarchy = "closes_at"
    inlines = [EmphasisAreaInline, EvaluationCriterionInline, CallContactInline]
    # Results are published on the decisions page, through the workflow (after the application period,
    # with every application decided, journalled); the admin shows the date but never sets it.
    # Likewise a call is opened (published) by an official on the call's page, through the workflow, which
    # checks that applicants have what they need; a call added here starts as a draft.
    readonly_fields = [
        "status",
        "published_at",
        "published_by",
        "closed_early_reason",
        "results_published_on",
        "results_version",
    ]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.status = CallStatus.DRAFT
        super().save_model(request, obj, form, change)


@admin.register(EmphasisArea)
class EmphasisAreaAdmin(admin.ModelAdmin):
    list_display = ["call", "number", "name_fi"]
    list_filter = ["call"]
    search_fields = ["name_fi", "name_sv"]


@admin.register(EvaluationCriterion)
class EvaluationCriterionAdmin(admin.ModelAdmin):
    list_display = ["call", "order", "name_fi", "weight"]
    list_filter = ["call"]
    search_fields = ["name_fi", "name_sv"]


@admin.register(CallContact)
class CallContactAdmin(admin.ModelAdmin):
    list_display = ["name", "title_fi", "call", "phone", "email"]
    list_filter = ["call"]
    search_fields = ["name", "email"]


@admin.register(ReferenceRate)
class ReferenceRateAdmin(admin.ModelAdmin):
    list_display = ["valid_from", "rate"]
