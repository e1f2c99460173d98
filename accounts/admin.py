from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import ReadOnlyAdmin

from . import personal_data
from .models import MINISTRY_ROLES, ExternalIdentity, Invitation, Membership, Organisation, Role, User
from .personal_data import pseudonymise


def is_privileged(user) -> bool:
    """A superuser or anyone with a ministry role: only a superuser manages such accounts."""
    return user.is_superuser or user.memberships.filter(role__in=MINISTRY_ROLES).exists()


def _privileged_ids():
    return Membership.objects.filter(role__in=MINISTRY_ROLES).values("user_id")


def municipality_staff_only(queryset):
    """Users an official may manage: nobody with a ministry role, no superuser."""
    return queryset.filter(is_superuser=False).exclude(pk__in=_privileged_ids())


class MunicipalityStaffOnlyMixin:
    """Officials grant and remove municipality staff memberships, and only to municipality staff; ministry
    roles are for superusers, so that nobody can give themselves the decision-maker's or another ministry
    role, and no official can make themselves (or another ministry user) staff of a municipality, whose
    cases they would then both process and act in (red-team finding 6)."""

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not request.user.is_superuser:
            kwargs["choices"] = [(Role.APPLICANT.value, Role.APPLICANT.label)]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def _ministry_role(self, request, obj):
        membership = obj if isinstance(obj, Membership) else None
        return membership is not None and membership.role in MINISTRY_ROLES and not request.user.is_superuser

    def _privileged_member(self, request, obj):
        membership = obj if isinstance(obj, Membership) else None
        return (
            membership is not None
            and membership.user_id is not None
            and not request.user.is_superuser
            and is_privileged(membership.user)
        )

    def has_change_permission(self, request, obj=None):
        refused = self._ministry_role(request, obj) or self._privileged_member(request, obj)
        return not refused and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        refused = self._ministry_role(request, obj) or self._privileged_member(request, obj)
        return not refused and super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user" and not request.user.is_superuser:
            kwargs["queryset"] = municipality_staff_only(User.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MembershipInline(MunicipalityStaffOnlyMixin, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]

    def _for_privileged_user(self, request, obj):
        # On a ministry user's own page (an official's included), an official may not add memberships.
        return obj is not None and not request.user.is_superuser and is_privileged(obj)

    def has_add_permission(self, request, obj=None):
        return not self._for_privileged_user(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        if isinstance(obj, User) and self._for_privileged_user(request, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if isinstance(obj, User) and self._for_privileged_user(request, obj):
            return False
        return super().has_delete_permission(request, obj)

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
        """Superusers only (others download their own data from their profile): the file holds sign-in
        history with addresses and second-factor devices (red-team finding 7)."""
        if not request.user.is_superuser:
            raise PermissionDenied
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one user to export."), messages.WARNING)
            return None
        return personal_data.as_response(queryset.get())

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
            if obj is not None:
                # The address is where password links go: changing it would take the account over.
                readonly.append("email")
        return readonly

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("export_personal_data", None)
            actions.pop("remove_personal_data", None)
        return actions

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(Q(pk=request.user.pk) | (Q(is_superuser=False) & ~Q(pk__in=_privileged_ids())))

    def user_change_password(self, request, id, form_url=""):
        """Only a superuser sets someone's password; everyone else gets a reset link by mail."""
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

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


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(ReadOnlyAdmin):
    """Who signs in through which identity service; read-only. A superuser may delete a link (the person's
    next sign-in through that service then needs a new invitation or role)."""

    list_display = ["user", "kind", "issuer", "created_at", "last_used_at"]
    list_filter = ["kind"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user"]

    may_delete = True


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    """The record of who invited whom to which municipality and when it was accepted; read-only."""

    list_display = [
        "email",
        "organisation",
        "main_user",
        "invited_by",
        "created_at",
        "accepted_by",
        "accepted_at",
    ]
    list_filter = ["main_user"]
    search_fields = ["email", "organisation__name_fi"]
    list_select_related = ["organisation", "invited_by", "accepted_by"]
    exclude = ["token_hash"]
