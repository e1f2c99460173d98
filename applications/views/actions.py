"""The one idiom for an action, on both sides of the house.

`ActionView` is the action half of a page: POST only, it loads what the action is on (`get_subject`, 404
when missing), lets the workflow refuse first (`refuse`), validates the form (`form_invalid` when it does
not hold), calls one service (`act`, which returns the success message) and turns the workflow's refusal
(a WorkflowError) into a message. The back office adds its access rule to it (`processing.mixins`); the
municipalities' pages add theirs (`base.ApplicantAction`). Only this module catches WorkflowError."""

from django.contrib import messages
from django.shortcuts import redirect

from ..exceptions import WorkflowError


class ActionView:
    http_method_names = ["post"]
    form_class = None

    def get_subject(self):
        raise NotImplementedError

    def refuse(self, subject):
        """A response when the action may not even be tried (nothing read from the form), else None."""
        return None

    def get_form(self, subject):
        return self.form_class(self.request.POST, self.request.FILES) if self.form_class else None

    def act(self, subject, form) -> str:
        """Call one service; the success message (empty: none)."""
        raise NotImplementedError

    def redirect_to(self, subject) -> str:
        raise NotImplementedError

    def form_invalid(self, subject, form):
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(self.request, f"{label}: {error}" if label else error)
        return redirect(self.redirect_to(subject))

    def refused(self, subject, form, error: WorkflowError):
        """The workflow said no (nothing changed): its reason at the top of the page, and a form comes
        back as typed."""
        messages.error(self.request, str(error))
        if form is not None:
            return self.form_invalid(subject, form)
        return redirect(self.redirect_to(subject))

    def done(self, subject, form, message: str):
        if message:
            messages.success(self.request, message)
        return redirect(self.redirect_to(subject))

    def post(self, request, *args, **kwargs):
        subject = self.get_subject()
        response = self.refuse(subject)
        if response is not None:
            return response
        form = self.get_form(subject)
        if form is not None and not form.is_valid():
            return self.form_invalid(subject, form)
        try:
            message = self.act(subject, form)
        except WorkflowError as error:
            return self.refused(subject, form, error)
        return self.done(subject, form, message)
