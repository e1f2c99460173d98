"""Columns of the admin's lists: amounts in euros the Finnish and Swedish way ("5 000 000,00 €"), not as
the raw decimal ("5000000,00") the admin shows by default."""

from django.contrib import admin

from .formatting import format_euros


def euros(model, field: str):
    """A list column showing `model.field` in euros, sorted by the field, headed by its verbose name."""

    @admin.display(description=model._meta.get_field(field).verbose_name, ordering=field)
    def column(obj):
        value = getattr(obj, field)
        return format_euros(value) if value is not None else "–"

    column.__name__ = f"{field}_in_euros"
    return column


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that the system writes (a journal, an archived document, a sent e-mail): an administrator
    reads them and adds, changes or deletes none by hand. A subclass that may do one says so
    (`may_delete = True`); Django's own permissions still apply on top."""

    may_add = may_change = may_delete = False

    def has_add_permission(self, request):
        return self.may_add and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.may_change and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.may_delete and super().has_delete_permission(request, obj)


class ReadOnlyInline(admin.TabularInline):
    """The rows of such records shown under their parent: read, never added, changed or deleted here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
