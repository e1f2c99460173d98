from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import MINISTRY_ROLES, Membership, Organisation, Role, User
from .personal_data import pseudonymise
from .views import personal_data_response


class MunicipalityStaffOnlyMixin:
    """Officials grant and remove municipality staff memberships; ministry roles are for superusers,
    so that nobody can give themselves the decision-maker's or another ministry role."""

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not request.user.is_superuser:
            kwargs["choices"] = [(Role.APPLICANT.value, Role.APPLICANT.label)]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def _ministry_role(self, request, obj):
        membership = obj if isinstance(obj, Membership) else None
        return membership is not None and membership.role in MINISTRY_ROLES and not request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return not self._ministry_role(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._ministry_role(request, obj) and super().has_delete_permission(request, obj)


class MembershipInline(MunicipalityStaffOnlyMixin, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(role=Role.APPLICANT)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "preferred_language", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "preferred_language", "memberships__role"]
    search_fields = ["email", "full_name"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["full_name", "preferred_language"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "preferred_language", "password1", "password2"],
            },
        ),
    ]
    # Officials manage municipality staff's accounts, but only a superuser changes what the admin
    # itself may do: otherwise an official could make themselves a superuser.
    privileged_fields = ["is_staff", "is_superuser", "groups", "user_permissions"]
    actions = ["export_personal_data", "remove_personal_data"]

    @admin.action(description=_("Export the personal data of the selected user (JSON)"))
    def export_personal_data(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one user to export."), messages.WARNING)
            return None
        return personal_data_response(queryset.get())

    @admin.action(description=_("Remove the personal data of the selected users who have left"))
    def remove_personal_data(self, request, queryset):
        """Pseudonymises after a confirmation page; superusers only, and never the acting user."""
        if not request.user.is_superuser:
            raise PermissionDenied
        users = list(queryset.exclude(pk=request.user.pk))
        if request.POST.get("confirmed") == "yes":
            for user in users:
                pseudonymise(user, by=request.user)
            self.message_user(
                request,
                ngettext(
                    "The personal data of %(count)d user was removed.",
                    "The personal data of %(count)d users was removed.",
                    len(users),
                )
                % {"count": len(users)},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Remove personal data"),
            "users": users,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/accounts/user/remove_personal_data.html", context)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += self.privileged_fields
        return readonly

    def has_change_permission(self, request, obj=None):
        # A non-superuser may not change a superuser or another ministry user (their password included).
        if (
            obj is not None
            and not request.user.is_superuser
            and obj != request.user
            and (obj.is_superuser or obj.memberships.filter(role__in=MINISTRY_ROLES).exists())
        ):
            return False
        return super().has_change_permission(request, obj)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name_fi", "name_sv", "code", "kind", "region_fi", "business_id"]
    list_filter = ["kind", "region_fi"]
    search_fields = ["name_fi", "name_sv", "name_en", "code", "business_id"]


@admin.register(Membership)
class MembershipAdmin(MunicipalityStaffOnlyMixin, admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "granted_at"]
    list_filter = ["role", "organisation__kind"]
    search_fields = ["user__email", "user__full_name", "organisation__name_fi", "organisation__name_sv"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]
