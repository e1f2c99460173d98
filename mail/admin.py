from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import ReadOnlyAdmin

from .models import Message, MessageStatus, Worker
from .tasks import send_again


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    """The delivery record: what was sent to whom and when, and what the mail server last said. Messages are
    written only by the system; an administrator can only send a given-up message again."""

    list_display = ["queued_at", "event", "to", "language", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "event", "language"]
    search_fields = ["to", "subject", "reference"]
    date_hierarchy = "queued_at"
    actions = ["send_again"]
    fields = [
        "event",
        "reference",
        "to",
        "language",
        "subject",
        "body",
        "status",
        "queued_at",
        "attempts",
        "last_attempt_at",
        "last_error",
        "sent_at",
    ]
    readonly_fields = fields

    def has_send_again_permission(self, request):
        return request.user.is_superuser

    @admin.action(description=_("Send the selected undelivered messages again"), permissions=["send_again"])
    def send_again(self, request, queryset):
        failed = list(queryset.filter(status=MessageStatus.FAILED))
        for message in failed:
            send_again(message)
        self.message_user(
            request,
            ngettext(
                "%(count)d message was queued again.", "%(count)d messages were queued again.", len(failed)
            )
            % {"count": len(failed)},
            messages.SUCCESS,
        )


@admin.register(Worker)
class WorkerAdmin(ReadOnlyAdmin):
    """The queue workers that are running, and when each was last heard from: a row whose time stands still
    is a worker that died, whose job another worker takes over (mail/workers.py)."""

    list_display = ["host", "pid", "worker_id", "started_at", "seen_at"]
    fields = list_display
    readonly_fields = list_display
