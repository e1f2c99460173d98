"""The applicant's pages, shared: loading a case the user may see, My cases, and starting a draft."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from accounts.models import Organisation
from accounts.permissions import municipality_ids
from core.pagination import page_of
from grants.models import Call

from .. import permissions, selectors, services, workflow
from ..exceptions import WorkflowError
from ..forms import StartApplicationForm
from .actions import ActionView


class ApplicationMixin:
    """Loads the application in the URL if the user may see it; anybody else gets 404."""

    def _read(self, attribute, selector):
        """The application read by `selector` for this user, once a request; 404 if they may not see it."""
        if not hasattr(self, attribute):
            application = selector(self.request.user, self.kwargs["pk"])
            if application is None:
                raise Http404("No such application")
            setattr(self, attribute, application)
        return getattr(self, attribute)

    def get_application(self):
        return self._read("_application", selectors.application_for_page)

    def get_case(self):
        """The same application without what its pages show (404 alike), for an action about to call its
        service: the page's read is a third of a submission's work, and the service reads the case again
        under a lock anyway. The page's application is used where it is loaded already."""
        if hasattr(self, "_application"):
            return self._application
        return self._read("_case", selectors.application_for_action)

    def case_item(self, related: str, key: str):
        """The case's `related` object whose pk is the URL's `key` (404 when the case has none such), linked
        to the case as read, without another query."""
        application = self.get_application()
        item = next((x for x in getattr(application, related).all() if x.pk == self.kwargs[key]), None)
        if item is None:
            raise Http404(f"No such {related}")
        item.application = application
        return item

    def require(self, allowed):
        if not allowed:
            raise PermissionDenied

    def page_context(self, **extra):
        application = self.get_application()
        user = self.request.user
        return {
            "application": application,
            "can_edit": workflow.allows(application, "edit", user),
            "can_withdraw": workflow.allows(application, "withdraw", user),
            "is_lead_staff": permissions.is_lead_staff(user, application),
            **extra,
        }


class ApplicantAction(ActionView, ApplicationMixin):
    """An action of a municipality's staff on their case, put before the page that shows its form.

    `action` is the workflow's step on the subject (the application unless `get_subject` says otherwise):
    the workflow answers 403 to anyone who never takes it and says its reason to one who may but not now
    (`refuse`). An invalid form shows the page again, its errors beside the fields
    (`form_name` is the page's context name for it)."""

    action = ""
    form_name = "form"
    page = ""  # the applicant's page the action returns to (a URL name), else the case's page

    def get_subject(self):
        return self.get_application()

    def refuse(self, subject):
        """Asks the workflow before a form is even read: 403 for a user who never takes `action` on the
        subject; one who may but not now (a submitted application, say) is told the workflow's reason the
        same way as when the service refuses, and nothing changes."""
        if not self.action:
            return None
        user = self.request.user
        self.require(workflow.performs(subject, self.action, user))
        reason = workflow.refusal(subject, self.action, user)
        return self.refused(subject, None, WorkflowError(reason)) if reason else None

    def form_invalid(self, subject, form):
        return self.render_to_response(self.get_context_data(**{self.form_name: form}))

    def redirect_to(self, subject) -> str:
        if self.page:
            return reverse(f"applications:{self.page}", kwargs={"pk": self.get_application().pk})
        return self.get_application().get_absolute_url()


CASES_PER_PAGE = 50


class MyCasesView(TemplateView):
    template_name = "applications/my_cases.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        page = page_of(
            selectors.cases_for_municipality_staff(user), CASES_PER_PAGE, self.request.GET.get("page")
        )
        return super().get_context_data(
            page=page,
            rows=selectors.case_rows(page, user),
            open_calls=list(Call.objects.open().order_by("closes_at")) if municipality_ids(user) else [],
            **kwargs,
        )


class StartApplicationView(ActionView, TemplateView):
    """A municipality's staff start a draft for a call that is open, as its lead or for one of theirs."""

    template_name = "applications/start.html"
    http_method_names = ["get", "post"]

    def dispatch(self, request, *args, **kwargs):
        own = municipality_ids(request.user)
        if not own:
            raise PermissionDenied
        self.call = get_object_or_404(Call.objects.public(), slug=kwargs["slug"])
        if not self.call.is_open():
            messages.error(request, _("The call is not open for applications."))
            return redirect(self.call.get_absolute_url())
        self.municipalities = Organisation.objects.filter(pk__in=own)
        self.started = None
        return super().dispatch(request, *args, **kwargs)

    def get_subject(self):
        return self.call

    def get_form(self, call):
        return StartApplicationForm(self.request.POST, municipalities=self.municipalities)

    def get_context_data(self, form=None, **kwargs):
        form = form or StartApplicationForm(municipalities=self.municipalities)
        return super().get_context_data(form=form, call=self.call, **kwargs)

    def form_invalid(self, call, form):
        return self.render_to_response(self.get_context_data(form=form))

    def refused(self, call, form, error):
        messages.error(self.request, str(error))
        return redirect(call.get_absolute_url())

    def act(self, call, form):
        self.started = services.start_application(
            call=call,
            lead=form.cleaned_data["lead"],
            project_name=form.cleaned_data["project_name"],
            by=self.request.user,
        )
        return _("The draft was created. Fill in the application and save as you go.")

    def redirect_to(self, call):
        return reverse("applications:edit", kwargs={"pk": self.started.pk})
