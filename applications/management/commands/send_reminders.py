"""Daily reminders about follow-up deadlines; safe to run from cron every day, never sends one twice.

Municipalities (the lead's staff): the use period ending within 30 days, the final report due within
30 days, and the final report overdue. Officials: payment requests, reports and change requests waiting
for them. Each reminder is recorded by a key (what, which case, which deadline, to whom) before it is
sent, so a second run the same day, or any later day, finds it and skips it."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_noop

from accounts.models import Role, User
from applications import notifications, rules
from applications.models import (
    Application,
    ChangeRequest,
    ChangeStatus,
    DecisionStatus,
    PaymentRequest,
    PaymentStatus,
    Report,
    ReportKind,
    SentReminder,
    Status,
)

SOON = dt.timedelta(days=30)

# Marked for translation here, translated in each recipient's language when sent.
USE_PERIOD_ENDING = gettext_noop(
    "The use period of %(name)s ends on %(date)s. Changes, such as an extension, must be applied for before it ends."
)
REPORT_DUE = gettext_noop("The final report of %(name)s is due on %(date)s.")
REPORT_OVERDUE = gettext_noop(
    "The final report of %(name)s was due on %(date)s and has not arrived. Submit it in the system."
)
PAYMENT_WAITING = gettext_noop("A payment request waits for checking: %(name)s")
REPORT_WAITING = gettext_noop("A report waits for checking: %(name)s")
CHANGE_WAITING = gettext_noop("A change request waits for a decision: %(name)s")


def lead_staff(application):
    return User.objects.filter(
        is_active=True, memberships__role=Role.APPLICANT, memberships__organisation_id=application.lead_id
    ).distinct()


def officials():
    return User.objects.filter(is_active=True, memberships__role=Role.OFFICIAL).distinct()


class Command(BaseCommand):
    help = "Email reminders about follow-up deadlines and waiting work; sends each reminder only once."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=dt.date.fromisoformat, help="Pretend today is this date (YYYY-MM-DD)."
        )

    def handle(self, *args, today=None, **options):
        today = today or timezone.localdate()
        sent = 0
        # The 2022 projects were paid and reported outside this system: no reminders about them.
        projects = Application.objects.filter(
            status=Status.AWARDED, decision__status=DecisionStatus.APPROVED, is_historical=False
        ).select_related("call", "decision", "lead")
        for project in projects:
            end = project.decision.use_period_end
            has_final = project.reports.filter(kind=ReportKind.FINAL).exists()
            due = rules.report_due(end, project.call)
            messages = []
            if end and today <= end <= today + SOON:
                messages.append((f"use-period-ending:{project.pk}:{end}", USE_PERIOD_ENDING, end))
            if due and not has_final and today <= due <= today + SOON:
                messages.append((f"report-due:{project.pk}:{due}", REPORT_DUE, due))
            if rules.is_report_overdue(project, due=due, has_final_report=has_final, today=today):
                messages.append((f"report-overdue:{project.pk}:{due}", REPORT_OVERDUE, due))
            for key, text, date in messages:
                for user in lead_staff(project):
                    link = ("applications:project", {"pk": project.pk})
                    sent += self.remind(key, user, text, project, date, link=link)
        waiting = [
            *(
                (f"payment-waiting:{p.pk}", p.application, PAYMENT_WAITING)
                for p in PaymentRequest.objects.filter(status=PaymentStatus.SUBMITTED).select_related(
                    "application"
                )
            ),
            *(
                (f"report-waiting:{r.pk}", r.application, REPORT_WAITING)
                for r in Report.objects.filter(financial_checked_at__isnull=True).select_related(
                    "application"
                )
            ),
            *(
                (f"change-waiting:{c.pk}", c.application, CHANGE_WAITING)
                for c in ChangeRequest.objects.filter(status=ChangeStatus.PENDING).select_related(
                    "application"
                )
            ),
        ]
        for key, application, text in waiting:
            for user in officials():
                link = ("processing:project", {"pk": application.pk})
                sent += self.remind(key, user, text, application, None, link=link)
        self.stdout.write(f"Queued {sent} reminders.")

    def remind(self, key, user, text, application, date, *, link):
        """Records the reminder by its key and queues its mail in one transaction: a reminder already
        recorded is skipped, and one that is recorded is also on its way."""
        full_key = f"{key}:{user.email}"[:200]
        try:
            with transaction.atomic():
                SentReminder.objects.create(key=full_key, recipient=user.email)
                with translation.override(user.preferred_language):
                    name = f"{application.case_number or ''} {application.display_name}".strip()
                params = {"name": name, "date": formats.date_format(date, "j.n.Y") if date else ""}
                notifications.reminder(user, text=text, params=params, link=link)
        except IntegrityError:
            return 0
        return 1
