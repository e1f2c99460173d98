"""The applicant's pages, shared: loading a case the user may see, My cases, and starting a draft."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.models import Organisation
from accounts.permissions import municipality_ids
from core.pagination import page_of
from grants.models import Call

from .. import permissions, selectors, services, workflow
from ..exceptions import WorkflowError
from ..forms import (
    StartApplicationForm,
)


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

    def require(self, allowed):
        if not allowed:
            raise PermissionDenied

    def refuse_unless(self, action, obj=None):
        """Asks the workflow before a form is even read: 403 for a user who never takes `action` on `obj`
        (the application by default); for one who may but not now (a submitted application, say), nothing
        changes and the workflow's reason is shown on the case's page. None when the action may go on."""
        obj = self.get_application() if obj is None else obj
        self.require(workflow.performs(obj, action, self.request.user))
        reason = workflow.refusal(obj, action, self.request.user)
        if reason:
            messages.error(self.request, reason)
            return redirect(self.get_application().get_absolute_url())
        return None

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


class StartApplicationView(View):
    template_name = "applications/start.html"

    def dispatch(self, request, *args, **kwargs):
        own = municipality_ids(request.user)
        if not own:
            raise PermissionDenied
        self.call = get_object_or_404(Call.objects.public(), slug=kwargs["slug"])
        if not self.call.is_open():
            messages.error(request, _("The call is not open for applications."))
            return redirect(self.call.get_absolute_url())
        self.municipalities = Organisation.objects.filter(pk__in=own)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render(StartApplicationForm(municipalities=self.municipalities))

    def post(self, request, *args, **kwargs):
        form = StartApplicationForm(request.POST, municipalities=self.municipalities)
        if not form.is_valid():
            return self.render(form)
        try:
            application = services.start_application(
                call=self.call,
                lead=form.cleaned_data["lead"],
                project_name=form.cleaned_data["project_name"],
                by=request.user,
            )
        except WorkflowError as error:
            messages.error(request, str(error))
            return redirect(self.call.get_absolute_url())
        messages.success(request, _("The draft was created. Fill in the application and save as you go."))
        return redirect("applications:edit", pk=application.pk)

    def render(self, form, status=200):

        return render(self.request, self.template_name, {"form": form, "call": self.call}, status=status)
