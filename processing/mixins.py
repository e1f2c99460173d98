"""The back office's one idiom for access and actions.

`MinistryPage`: every page here answers 404 to anyone who does not process applications, signed in or
not, so that the officials' pages do not reveal themselves; `performer` narrows a page to one ministry
role (a workflow Performer), and other ministry staff get 403. `ActionView`: one small POST-only view per
action, which validates a form, calls one service and turns the workflow's refusal into a message: the
same idiom as the municipalities' pages (applications/views/actions.py)."""

import copy

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView

from accounts.permissions import can_process_applications, is_reviewer
from accounts.sessions import kept_action, kept_input
from applications.statemachine import holds
from applications.views import actions


@method_decorator(login_not_required, name="dispatch")
class MinistryPage:
    # Open to anonymous users only so that they get the same 404 as municipality staff; ministry staff
    # still pass their second factor first (accounts.middleware).
    ministry_only = True
    performer: str | None = None  # a workflow Performer the page needs, or any processing role

    def may_see(self, user) -> bool:
        return can_process_applications(user)

    def dispatch(self, request, *args, **kwargs):
        if not self.may_see(request.user):
            raise Http404("Not found")
        if self.performer is not None and not holds(request.user, self.performer, None):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ReviewerPage(MinistryPage):
    def may_see(self, user) -> bool:
        return is_reviewer(user)


class RestoresKeptAction:
    """A page holding the forms of several POST-only actions (the case page, the project page): a form
    posted to one of them after the session expired comes back on the page after signing in again, as
    typed, with its errors, as if the action had refused it (accounts/sessions.py)."""

    @classmethod
    def restores_input(cls, action: str) -> bool:
        return cls._action_of(action) is not None

    @classmethod
    def _action_of(cls, action: str):
        """(the action's view class, its URL match) when `action` is an action whose form is on this page."""
        try:
            match = resolve(action)
        except Resolver404:
            return None
        view_class = getattr(match.func, "view_class", None)
        if view_class and issubclass(view_class, ActionView) and issubclass(view_class, cls):
            return view_class, match
        return None

    def get(self, request, *args, **kwargs):
        return self.restored_action(request) or super().get(request, *args, **kwargs)

    def restored_action(self, request):
        data, action = kept_input(request), kept_action(request)
        found = self._action_of(action) if data is not None and action else None
        if found is None:
            return None
        view_class, match = found
        posted = copy.copy(request)
        posted.method, posted.POST = "POST", data
        action_view = view_class()
        action_view.setup(posted, *match.args, **match.kwargs)
        try:
            subject = action_view.get_subject()
        except Http404:
            return None  # what it acted on is gone
        form = action_view.get_form(subject)
        if form is None:
            return None
        form.is_valid()
        return action_view.form_invalid(subject, form)


class ActionView(actions.ActionView, MinistryPage):
    """An official's action: the back office's access rule on the one action idiom
    (applications/views/actions.py). By default an invalid form is said in messages on the page it
    returns to; most pages show it again with its errors beside the fields."""


class ConfirmedActionView(ActionView, TemplateView):
    """An irreversible action that first shows what it will do (GET, or a POST without `confirm`) and acts
    only on the confirming POST."""

    http_method_names = ["get", "post"]

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(subject=self.get_subject()))

    def post(self, request, *args, **kwargs):
        if request.POST.get("confirm") != "1":
            return self.get(request, *args, **kwargs)
        return super().post(request, *args, **kwargs)
