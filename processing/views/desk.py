"""What needs me now: the page where ministry staff land after signing in, each role's waiting work."""

from django.utils import timezone
from django.views.generic import TemplateView

from accounts.permissions import is_ministry_staff

from .. import selectors
from ..mixins import MinistryPage


class DeskView(MinistryPage, TemplateView):
    template_name = "processing/desk.html"

    def may_see(self, user) -> bool:
        return is_ministry_staff(user)

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        page = selectors.desk(self.request.user, today)
        if "official" in page:
            page["overdue_count"] = len(page["overdue_requests"]) + len(page["overdue_reports"])
        return super().get_context_data(today=today, **page, **kwargs)
