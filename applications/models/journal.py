"""The case journal: one row per event of a case."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import ChoiceLabels

from .application import Application
from .states import (
    EventKind,
    ParticipationStatus,
    Status,
)


class CaseEvent(ChoiceLabels, models.Model):
    """One line of the case journal: who did what and when, and the status change it made."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="events", verbose_name=_("application")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
        help_text=_("Empty for events recorded by the system itself."),
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    kind = models.CharField(_("event"), max_length=40, choices=EventKind.choices)
    from_status = models.CharField(_("from status"), max_length=20, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)
    # The municipality the event is about (added, removed, confirmed, declined), shown by its name in the
    # page's language; `note` keeps the rest.
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    internal = models.BooleanField(
        _("ministry only"), default=False, help_text=_("Shown to ministry staff only, not to the applicants.")
    )

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case journal")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_kind_display()}"

    # The journal records from → to for two machines: an application's and a participation's status.
    PARTICIPATION_EVENTS = (EventKind.PARTICIPATION_CONFIRMED, EventKind.PARTICIPATION_DECLINED)

    def _status_label(self, value):
        """The status in words ("Submitted", "Confirmed"), never its code ("submitted", "confirmed")."""
        if not value:
            return "–"
        choices = ParticipationStatus.choices if self.kind in self.PARTICIPATION_EVENTS else Status.choices
        return dict(choices).get(value, value)

    @property
    def from_status_label(self):
        return self._status_label(self.from_status)

    @property
    def to_status_label(self):
        return self._status_label(self.to_status)
