"""Public pages: the calls, one call, and pages of fixed text."""

from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, ListView, TemplateView

from . import legal
from .selectors import call_for_page, calls_for_home


@method_decorator(login_not_required, name="dispatch")
class HomeView(ListView):
    template_name = "grants/home.html"
    context_object_name = "calls"

    def get_queryset(self):
        return calls_for_home()


@method_decorator(login_not_required, name="dispatch")
class CallDetailView(DetailView):
    template_name = "grants/call_detail.html"
    context_object_name = "call"

    def get_queryset(self):
        return call_for_page(self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            decree=legal.DECREE, state_aid_act=legal.STATE_AID_ACT_SECTIONS, **kwargs
        )


def page(template_name):
    """A public page of fixed text (privacy notice, accessibility statement)."""
    return login_not_required(TemplateView.as_view(template_name=template_name))
