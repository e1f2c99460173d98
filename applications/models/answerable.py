"""What the ministry asks of the lead municipality and waits for: a request for additional information
while the application is processed, and a hearing before a return or recovery decision (Administrative
Procedure Act 434/2003 §§ 31, 34). Both have a deadline and one answer, given once, with who gave it and
when; the workflow (`AnswerState`) and one service (`services.answer`) serve both."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Answerable(models.Model):
    deadline = models.DateField(_("answer by"))
    answer = models.TextField(_("answer"), blank=True, max_length=10000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(answer="", answered_at__isnull=True)
                | (~Q(answer="") & Q(answered_at__isnull=False)),
                name="%(class)s_answer_with_time",
                violation_error_message=_("An answer records when it was given."),
            ),
        ]

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None
