"""The officials' side: the worklist of a call, its CSV export, and the case page with internal comments.

Every URL here answers 404 to anyone who does not process applications, signed in or not, so that
the officials' pages do not reveal themselves."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from accounts.permissions import can_process_applications, is_decision_maker, is_official, is_reviewer
from grants.models import Call
from grants.templatetags.money import format_euros

from . import decision_document, followup, selectors, services, workflow
from .downloads import decision_pdf
from .filters import MUNICIPALITY_LIST_SECONDS, PROCESSING_STATUSES, WorklistFilter
from .followup_forms import (
    ChangeDecisionForm,
    MarkPaidForm,
    PastPaymentForm,
    PaymentCheckForm,
    RepaymentForm,
    ReportCheckForm,
    ReturnDecisionForm,
)
from .models import (
    Application,
    Decision,
    DecisionStatus,
    EligibilityCheck,
    ReviewAssignment,
    ReviewStatus,
    Status,
)
from .processing_forms import (
    ITEM_LABELS,
    AssignReviewersForm,
    BulkAssignForm,
    CommentForm,
    EligibilityForm,
    InformationRequestForm,
    InterestsForm,
    ProposalForm,
    ReturnForm,
    ReviewForm,
)
from .services import WorkflowError

PAGE_SIZE = 50


@method_decorator(login_not_required, name="dispatch")
class ProcessingMixin:
    # Open to anonymous users only so that they get the same 404 as municipality staff; ministry staff
    # still pass their second factor first (accounts.middleware).
    ministry_only = True

    def dispatch(self, request, *args, **kwargs):
        if not can_process_applications(request.user):
            raise Http404("Not found")
        return super().dispatch(request, *args, **kwargs)


class CallsView(ProcessingMixin, TemplateView):
    template_name = "processing/calls.html"

    def get_context_data(self, **kwargs):
        calls = Call.objects.exclude(opens_at__isnull=True).order_by("-closes_at")
        return super().get_context_data(calls=calls, **kwargs)


class WorklistMixin(ProcessingMixin):
    def filterset(self):
        self.call = get_object_or_404(Call, slug=self.kwargs["slug"])
        return WorklistFilter(
            self.request.GET or None, queryset=selectors.worklist_queryset(self.call), call=self.call
        )


class WorklistView(WorklistMixin, TemplateView):
    template_name = "processing/worklist.html"

    def get_context_data(self, **kwargs):
        filterset = self.filterset()
        page = selectors.page_of(filterset.qs, PAGE_SIZE, self.request.GET.get("page"))
        for application in page:
            application.mean_score = selectors.mean_score(application)
        counts = selectors.status_counts(self.call)
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            call=self.call,
            filterset=filterset,
            page=page,
            query=query.urlencode(),
            status_counts=[(code, label, counts.get(code, 0)) for code, label in PROCESSING_STATUSES],
            total=sum(counts.values()),
            assign_form=AssignReviewersForm() if is_official(self.request.user) else None,
            is_official=is_official(self.request.user),
            # The filter form with its 309 municipalities is a fifth of the page: kept per query (the same
            # query gives the same form, errors included) for as long as the lists in it.
            filter_form_seconds=MUNICIPALITY_LIST_SECONDS,
            **kwargs,
        )


class Echo:
    def write(self, value):
        return value


class WorklistExportView(WorklistMixin, View):
    """The filtered worklist as CSV, streamed so that memory stays flat however many rows."""

    def get(self, request, *args, **kwargs):
        filterset = self.filterset()
        rows = filterset.qs.iterator(chunk_size=500)
        writer = csv.writer(Echo())
        header = [
            _("Case number"),
            _("Project name"),
            _("Lead applicant"),
            _("Municipality code"),
            _("Region"),
            _("Participating municipalities"),
            _("Emphasis area"),
            _("Requested grant (EUR)"),
            _("Status"),
            _("Submitted"),
        ]

        def lines():
            yield "\ufeff" + writer.writerow(header)
            for application in rows:
                yield writer.writerow(
                    [
                        application.case_number or "",
                        application.project_name,
                        application.lead.name,
                        application.lead.code,
                        application.lead.region,
                        application.partner_count,
                        application.emphasis_area.number if application.emphasis_area else "",
                        f"{application.requested_amount:.2f}"
                        if application.requested_amount is not None
                        else "",
                        application.get_status_display(),
                        timezone.localtime(application.submitted_at).strftime("%d.%m.%Y %H:%M")
                        if application.submitted_at
                        else "",
                    ]
                )

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.call.slug}-worklist.csv"'
        return response


def prefill_eligibility(application):
    """What the data already tells about each formal requirement."""
    checklist = {
        rule.code: rule.met for rule in workflow.submission_checklist(application, application.submitted_at)
    }
    arrived = application.submitted_at is not None and application.submitted_at < application.call.closes_at
    return {
        "arrived_in_time": "yes" if arrived else "no",
        "municipalities": "yes" if checklist["municipalities"] else "no",
        "emphasis_area": "yes" if checklist["emphasis_area"] else "no",
        "max_share": "yes" if checklist["max_share"] else "no",
    }


def ineligibility_grounds(eligibility):
    """The failed requirements and the official's notes, in Finnish and in Swedish."""
    grounds = {}
    for language in ("fi", "sv"):
        with translation.override(language):
            lines = [_("The application does not meet the call's formal requirements:")]
            lines += [f"- {ITEM_LABELS[item]} {note}".rstrip() for item, note in eligibility.failed_items()]
            grounds[f"grounds_{language}"] = "\n".join(lines)
    return grounds


class CaseView(ProcessingMixin, TemplateView):
    template_name = "processing/case.html"

    def get_application(self):
        if not hasattr(self, "_application"):
            application = selectors.case_for_officials(self.kwargs["pk"])
            if application is None:
                raise Http404("No such application")
            self._application = application
        return self._application

    def get_context_data(self, **forms):
        application = self.get_application()
        user = self.request.user
        official = is_official(user)
        processing = application.status == Status.SUBMITTED
        decision = getattr(application, "decision", None)
        eligibility = getattr(application, "eligibility", None)
        if eligibility is not None:
            initial = {item: "yes" if getattr(eligibility, item) else "no" for item in EligibilityCheck.ITEMS}
            initial.update(
                {f"{item}_note": getattr(eligibility, f"{item}_note") for item in EligibilityCheck.ITEMS}
            )
        else:
            initial = {}
        reviews = list(application.reviews.all())
        proposal_initial = {
            "language": decision.language if decision else application.lead.language,
            "granted_amount": decision.granted_amount if decision else None,
            "outcome": decision.outcome if decision else None,
        }
        if decision is None and eligibility is not None and not eligibility.is_eligible:
            # An ineligible application goes to a rejection, with the failed requirements as its grounds.
            proposal_initial.update(outcome="negative", **ineligibility_grounds(eligibility))
        defaults = {
            "comment_form": CommentForm(),
            "eligibility_form": EligibilityForm(initial=initial, prefill=prefill_eligibility(application)),
            "information_form": InformationRequestForm(),
            "assign_form": AssignReviewersForm(),
            "proposal_form": ProposalForm(initial=proposal_initial),
        }
        defaults.update(forms)
        return super().get_context_data(
            application=application,
            budget_total=workflow.budget_total(application),
            max_grant=workflow.max_grant(application),
            events=application.events.all(),
            comments=application.internal_comments.all(),
            requests=application.information_requests.all(),
            reviews=reviews,
            completed_reviews=[r for r in reviews if r.status == ReviewStatus.COMPLETED],
            eligibility=eligibility,
            decision=decision,
            can_act=official and processing,
            can_propose=official and processing and not (decision and decision.is_approved),
            **defaults,
        )

    def post(self, request, *args, **kwargs):
        application = self.get_application()
        form = CommentForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(comment_form=form))
        services.add_internal_comment(
            application=application, text=form.cleaned_data["text"], by=request.user
        )
        messages.success(request, _("The comment was saved."))
        return redirect("processing:case", pk=application.pk)


@method_decorator(login_not_required, name="dispatch")
class OfficialActionView(CaseView):
    """A POST-only action of an official on one case: validate the form, call one service, redirect."""

    http_method_names = ["post"]
    form_class = None
    form_name = ""

    def dispatch(self, request, *args, **kwargs):
        if not is_official(request.user):
            if can_process_applications(request.user):
                raise PermissionDenied
            raise Http404("Not found")
        return super().dispatch(request, *args, **kwargs)

    def make_form(self):
        return self.form_class(self.request.POST)

    def post(self, request, *args, **kwargs):
        application = self.get_application()
        form = self.make_form()
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(**{self.form_name: form}))
        try:
            message = self.act(application, form)
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, message)
        return redirect("processing:case", pk=application.pk)


class EligibilityView(OfficialActionView):
    form_name = "eligibility_form"

    def make_form(self):
        return EligibilityForm(self.request.POST)

    def act(self, application, form):
        check = services.record_eligibility(
            application=application, judgements=form.judgements(), notes=form.notes(), by=self.request.user
        )
        return (
            _("The eligibility check was saved: eligible.")
            if check.is_eligible
            else _(
                "The eligibility check was saved: not eligible. "
                "Propose a rejection with the failed items as grounds."
            )
        )


class InformationRequestView(OfficialActionView):
    form_class = InformationRequestForm
    form_name = "information_form"

    def act(self, application, form):
        services.request_information(application=application, by=self.request.user, **form.cleaned_data)
        return _("The request was sent to the lead applicant.")


class AssignReviewersView(OfficialActionView):
    form_class = AssignReviewersForm
    form_name = "assign_form"

    def act(self, application, form):
        count = services.assign_reviewers(
            applications=[application], reviewers=form.cleaned_data["reviewers"], by=self.request.user
        )
        return _("%(count)s reviewers were assigned.") % {"count": count}


class ProposalView(OfficialActionView):
    form_class = ProposalForm
    form_name = "proposal_form"

    def act(self, application, form):
        data = form.cleaned_data
        services.propose_decision(
            application=application,
            outcome=data["outcome"],
            granted_amount=data["granted_amount"],
            language=data["language"],
            grounds_fi=data["grounds_fi"],
            grounds_sv=data["grounds_sv"],
            conditions_fi=data["conditions_fi"],
            conditions_sv=data["conditions_sv"],
            by=self.request.user,
        )
        return _("The proposal was sent to the decision-maker.")


class BulkAssignView(WorklistMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if not is_official(request.user):
            raise PermissionDenied
        call = get_object_or_404(Call, slug=kwargs["slug"])
        queryset = Application.objects.filter(call=call, status=Status.SUBMITTED)
        form = BulkAssignForm(request.POST, queryset=queryset)
        if not form.is_valid():
            for field, errors in form.errors.items():
                for error in errors:
                    label = form.fields[field].label if field in form.fields else ""
                    messages.error(request, f"{label}: {error}" if label else error)
        else:
            try:
                count = services.assign_reviewers(
                    applications=form.cleaned_data["applications"],
                    reviewers=form.cleaned_data["reviewers"],
                    by=request.user,
                )
            except WorkflowError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("%(count)s reviewer assignments were made.") % {"count": count})
        return redirect("processing:worklist", slug=call.slug)


class RankingView(WorklistMixin, TemplateView):
    template_name = "processing/ranking.html"

    def get_context_data(self, **kwargs):
        call = get_object_or_404(Call, slug=self.kwargs["slug"])
        return super().get_context_data(
            call=call, rows=selectors.ranking(call), approved_total=services.approved_total(call), **kwargs
        )


class DecisionsView(ProcessingMixin, TemplateView):
    """The decision-maker's list of a call's proposals, to approve or return one by one or all at once."""

    template_name = "processing/decisions.html"

    def get_context_data(self, **kwargs):
        call = get_object_or_404(Call, slug=self.kwargs["slug"])
        decisions = list(
            Decision.objects.filter(application__call=call)
            .select_related("application__lead", "proposed_by", "approved_by")
            .order_by("status", "application__case_sequence")
        )
        proposed = [d for d in decisions if d.status == DecisionStatus.PROPOSED]
        proposed_total = sum((d.granted_amount or 0 for d in proposed), 0)
        approved_total = services.approved_total(call)
        return super().get_context_data(
            call=call,
            decisions=decisions,
            proposed=proposed,
            approved_total=approved_total,
            proposed_total=proposed_total,
            remaining=call.appropriation - approved_total,
            can_approve=is_decision_maker(self.request.user),
            can_publish=is_official(self.request.user) and not call.results_published,
            return_form=ReturnForm(),
            **kwargs,
        )


@method_decorator(login_not_required, name="dispatch")
class DecisionMakerMixin(ProcessingMixin):
    def dispatch(self, request, *args, **kwargs):
        if can_process_applications(request.user) and not is_decision_maker(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ApproveView(DecisionMakerMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        decision = get_object_or_404(Decision.objects.select_related("application__call"), pk=kwargs["pk"])
        call = decision.application.call
        try:
            services.approve_decisions(call=call, decision_ids=[decision.pk], by=request.user)
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The decision was approved and the applicant notified."))
        return redirect("processing:decisions", slug=call.slug)


class ApproveAllView(DecisionMakerMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        call = get_object_or_404(Call, slug=kwargs["slug"])
        ids = list(
            Decision.objects.filter(application__call=call, status=DecisionStatus.PROPOSED).values_list(
                "pk", flat=True
            )
        )
        if not ids:
            messages.error(request, _("There are no proposals waiting for approval."))
            return redirect("processing:decisions", slug=call.slug)
        try:
            approved = services.approve_decisions(call=call, decision_ids=ids, by=request.user)
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(count)s decisions were approved.") % {"count": len(approved)})
        return redirect("processing:decisions", slug=call.slug)


class ReturnView(DecisionMakerMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        decision = get_object_or_404(Decision.objects.select_related("application__call"), pk=kwargs["pk"])
        form = ReturnForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Say why the proposal is returned."))
        else:
            try:
                services.return_proposal(decision=decision, note=form.cleaned_data["note"], by=request.user)
            except WorkflowError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("The proposal was returned to the official."))
        return redirect("processing:decisions", slug=decision.application.call.slug)


class PublishView(ProcessingMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if not is_official(request.user):
            raise PermissionDenied
        call = get_object_or_404(Call, slug=kwargs["slug"])
        try:
            services.publish_results(call=call, by=request.user)
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The results were published."))
        return redirect("processing:decisions", slug=call.slug)


class DecisionDocumentView(ProcessingMixin, TemplateView):
    template_name = "decisions/page.html"

    def get(self, request, *args, **kwargs):
        decision = get_object_or_404(
            Decision.objects.select_related("application__call__programme", "application__lead"),
            pk=kwargs["pk"],
        )
        if kwargs.get("pdf", False):
            return decision_pdf(decision)
        html = decision.document_html if decision.is_approved and decision.document_html else None
        html = html or decision_document.render_html(decision)
        return self.render_to_response(self.get_context_data(decision=decision, document=html, back=None))


@method_decorator(login_not_required, name="dispatch")
class ReviewerMixin:
    ministry_only = True

    def dispatch(self, request, *args, **kwargs):
        if not is_reviewer(request.user):
            raise Http404("Not found")
        return super().dispatch(request, *args, **kwargs)


class MyReviewsView(ReviewerMixin, TemplateView):
    template_name = "processing/my_reviews.html"

    def get_context_data(self, **kwargs):
        reviews = (
            ReviewAssignment.objects.filter(reviewer=self.request.user)
            .select_related("application__call", "application__lead")
            .order_by("status", "application__case_sequence")
        )
        return super().get_context_data(reviews=reviews, **kwargs)


class ReviewView(ReviewerMixin, TemplateView):
    """A reviewer's own review: the declaration of interests first, then scores, saved as a draft or
    completed. Another reviewer's assignment is 404; with a conflict, no scores are shown."""

    template_name = "processing/review.html"

    def get_review(self):
        return get_object_or_404(
            ReviewAssignment.objects.select_related("application__call", "application__lead"),
            pk=self.kwargs["pk"],
            reviewer=self.request.user,
        )

    def get_context_data(self, review=None, interests_form=None, review_form=None, **kwargs):
        review = review or self.get_review()
        criteria = review.application.call.evaluation_criteria.all()
        existing = {score.criterion_id: score for score in review.scores.all()}
        application = selectors.case_for_officials(review.application_id)
        return super().get_context_data(
            review=review,
            application=application,
            budget_total=workflow.budget_total(application),
            max_grant=workflow.max_grant(application),
            interests_form=interests_form or InterestsForm(),
            review_form=review_form or ReviewForm(criteria=criteria, existing=existing),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        review = self.get_review()
        try:
            if "declare" in request.POST:
                form = InterestsForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(review=review, interests_form=form))
                services.declare_interests(
                    review=review,
                    has_conflict=form.cleaned_data["conflict"] == "yes",
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
                messages.success(request, _("Your declaration was saved."))
            else:
                form = ReviewForm(request.POST, criteria=review.application.call.evaluation_criteria.all())
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(review=review, review_form=form))
                complete = "complete" in request.POST
                services.save_review(review=review, scores=form.scores(), complete=complete, by=request.user)
                messages.success(
                    request, _("The review was completed.") if complete else _("The draft review was saved.")
                )
        except WorkflowError as error:
            messages.error(request, str(error))
        return redirect("processing:review", pk=review.pk)


# --- Follow-up of awarded projects ------------------------------------------------------------------


class FollowUpView(ProcessingMixin, TemplateView):
    """Every awarded project by state, overdue reports, and granted vs paid vs returned per call."""

    template_name = "processing/follow_up.html"

    def rows(self):
        today = timezone.localdate()
        rows = list(selectors.follow_up_queryset())
        for row in rows:
            row.report_due = selectors.report_due(row)
            # The 2022 projects reported outside this system: not "overdue", just not recorded.
            row.report_overdue = (
                row.status == Status.AWARDED
                and not row.is_historical
                and not row.has_final_report
                and row.report_due
                and row.report_due < today
            )
        return rows

    def get_context_data(self, **kwargs):
        rows = self.rows()
        return super().get_context_data(
            rows=rows,
            overdue=[row for row in rows if row.report_overdue],
            per_call=selectors.call_money(rows),
            **kwargs,
        )


class FollowUpExportView(FollowUpView):
    def get(self, request, *args, **kwargs):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="follow-up.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(
            [
                _("Call"),
                _("Case number"),
                _("Lead applicant"),
                _("Status"),
                _("Maximum grant (EUR)"),
                _("Paid (EUR)"),
                _("Returned (EUR)"),
                _("Use period ends"),
                _("Final report due"),
                _("Final report"),
            ]
        )
        for row in self.rows():
            writer.writerow(
                [
                    row.call.name,
                    row.case_number or "",
                    row.lead.name,
                    row.get_status_display(),
                    f"{row.decision.granted_amount:.2f}",
                    f"{row.paid_total:.2f}",
                    f"{row.returned_total:.2f}",
                    row.decision.use_period_end.strftime("%d.%m.%Y") if row.decision.use_period_end else "",
                    row.report_due.strftime("%d.%m.%Y") if row.report_due else "",
                    _("received") if row.has_final_report else (_("overdue") if row.report_overdue else ""),
                ]
            )
        return response


class ProjectCaseView(ProcessingMixin, TemplateView):
    """The officials' follow-up page of one awarded project, with every action they may take."""

    template_name = "processing/project.html"

    def get_project(self):
        project = selectors.project_for_page(self.kwargs["pk"])
        if project is None:
            raise Http404("Not an awarded project")
        return project

    def get_context_data(self, **bound):
        project = self.get_project()
        acting = is_official(self.request.user) and project.status == Status.AWARDED
        final = next((r for r in project.reports.all() if r.kind == "final"), None)
        until = timezone.localdate()
        try:
            to_return, interest = (
                followup.return_proposal(project, until) if final and final.is_checked else (None, None)
            )
        except WorkflowError as error:
            to_return, interest = None, None
            bound.setdefault("return_problem", str(error))
        payments = [
            (
                payment,
                bound.get(f"check_{payment.pk}")
                or PaymentCheckForm(lines=payment.cost_lines.all(), prefix=f"p{payment.pk}"),
            )
            for payment in project.payment_requests.all()
        ]
        return super().get_context_data(
            project=project,
            figures=followup.figures(project),
            payments=payments,
            paid_form=bound.get("paid_form") or MarkPaidForm(),
            change_form=bound.get("change_form") or ChangeDecisionForm(),
            repayment_form=bound.get("repayment_form") or RepaymentForm(),
            past_payment_form=bound.get("past-payment_form") or PastPaymentForm(),
            report_check_form=bound.get("report-check_form") or ReportCheckForm(),
            return_form=bound.get("return_form") or ReturnDecisionForm(initial={"until": until}),
            final_report=final,
            to_return=to_return,
            interest=interest,
            return_problem=bound.get("return_problem"),
            can_act=acting,
        )


@method_decorator(login_not_required, name="dispatch")
class ProjectActionView(ProjectCaseView):
    """One official's action on a project: validate, call one follow-up service, redirect."""

    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        if not is_official(request.user):
            if can_process_applications(request.user):
                raise PermissionDenied
            raise Http404("Not found")
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        project = self.get_project()
        action = kwargs["action"]
        target = int(kwargs["target"]) if kwargs.get("target") else None
        try:
            response = self.act(request, project, action, target)
        except WorkflowError as error:
            messages.error(request, str(error))
            response = None
        return response or redirect("processing:project", pk=project.pk)

    def invalid(self, **bound):
        return self.render_to_response(self.get_context_data(**bound))

    def act(self, request, project, action, target):
        user = request.user
        if action == "close":
            followup.close_case(application=project, by=user)
            messages.success(request, _("The case was closed."))
            return None
        if action in ("approve-payment", "reject-payment"):
            return self.check_payment(request, project, action, target)
        collection, form_class, form_name, service, done = PROJECT_ACTIONS[action]
        form = form_class(request.POST)
        if not form.is_valid():
            return self.invalid(**{form_name: form})
        subject = project
        if collection is not None:
            subject = next((item for item in getattr(project, collection).all() if item.pk == target), None)
            if subject is None:
                raise Http404("No such item")
        result = service(subject, user, form.cleaned_data)
        messages.success(
            request, str(done) % {"amount": format_euros(getattr(result, "approved_amount", None))}
        )
        return None

    def check_payment(self, request, project, action, target):
        payment = next((p for p in project.payment_requests.all() if p.pk == target), None)
        if payment is None:
            raise Http404("No such payment")
        form = PaymentCheckForm(request.POST, lines=payment.cost_lines.all(), prefix=f"p{payment.pk}")
        if not form.is_valid():
            return self.invalid(**{f"check_{payment.pk}": form})
        note = form.cleaned_data["note"]
        if action == "approve-payment":
            approved = followup.approve_payment(
                request=payment, rejections=form.rejections(), note=note, by=request.user
            )
            messages.success(
                request,
                _("A payment of %(amount)s was approved.")
                % {"amount": format_euros(approved.approved_amount)},
            )
        else:
            followup.reject_payment(request=payment, note=note, by=request.user)
            messages.success(request, _("The payment request was rejected."))
        return None


# action: (the project's collection holding the target, or None for the project itself; form; name of the
# form in the page's context; the follow-up service; the message when done)
PROJECT_ACTIONS = {
    "past-payment": (
        None,
        PastPaymentForm,
        "past-payment_form",
        lambda project, user, data: followup.record_past_payment(application=project, by=user, **data),
        gettext_lazy("The payment was recorded."),
    ),
    "return": (
        None,
        ReturnDecisionForm,
        "return_form",
        lambda project, user, data: followup.decide_return(application=project, by=user, **data),
        gettext_lazy("The return was decided."),
    ),
    "paid": (
        "payment_requests",
        MarkPaidForm,
        "paid_form",
        lambda payment, user, data: followup.mark_paid(request=payment, by=user, **data),
        gettext_lazy("The payment was marked as paid."),
    ),
    "change": (
        "change_requests",
        ChangeDecisionForm,
        "change_form",
        lambda change, user, data: followup.decide_change(change=change, by=user, **data),
        gettext_lazy("The change was decided."),
    ),
    "report-check": (
        "reports",
        ReportCheckForm,
        "report-check_form",
        lambda report, user, data: followup.check_report(report=report, by=user, **data),
        gettext_lazy("The report check was saved."),
    ),
    "repayment": (
        "returns",
        RepaymentForm,
        "repayment_form",
        lambda grant_return, user, data: followup.record_repayment(
            grant_return=grant_return, by=user, **data
        ),
        gettext_lazy("The repayment was recorded."),
    ),
}


class TreasuryExportView(WorklistMixin, View):
    """The call's decided applications for the State Treasury's grant data store, as CSV or XLSX."""

    def get(self, request, *args, **kwargs):
        from . import treasury

        call = get_object_or_404(Call, slug=kwargs["slug"])
        base_url = request.build_absolute_uri("/").rstrip("/")
        if kwargs["format"] == "xlsx":
            response = HttpResponse(
                treasury.as_xlsx(call, base_url),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        else:
            response = HttpResponse(treasury.as_csv(call, base_url), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{call.slug}-valtiokonttori.{kwargs["format"]}"'
        )
        return response
