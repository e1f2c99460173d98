"""Generates realistic data at national scale for benchmarks and demos: many calls over the years, and
applications across the 309 municipalities with participants, budgets, reviews, decisions, payments and
journal events, in every status. bulk_create in batches, a progress bar, reproducible from --seed.

    python manage.py generate_demo_data --applications 100000 --seed 1

Run it after `loaddata organisations call_2022`. The generated calls are prefixed "gen-" and can be
removed with --delete. Never on production data."""

import datetime as dt
import random
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from accounts.models import Membership, Organisation, Role, User
from applications.models import (
    Application,
    BudgetLine,
    CaseEvent,
    Decision,
    DecisionStatus,
    EligibilityCheck,
    EventKind,
    Outcome,
    Participant,
    ParticipantRole,
    ParticipationStatus,
    PaymentRequest,
    PaymentStatus,
    ReviewAssignment,
    ReviewStatus,
    Score,
    Status,
)
from grants.models import Call, EmphasisArea, EvaluationCriterion, Programme

APPLICATIONS_PER_CALL = 2_500
BATCH = 2_000
WORDS = [
    "yhteinen",
    "tiedonhallinta",
    "asiakaspalvelu",
    "digitaalinen",
    "palvelu",
    "kehittäminen",
    "alusta",
    "rajapinta",
    "tietoturva",
    "varhaiskasvatus",
    "sote",
    "hyvinvointi",
    "asiointi",
    "automaatio",
    "kirjasto",
    "ympäristö",
    "rakennusvalvonta",
    "talous",
    "osaaminen",
    "tekoäly",
    "avoin",
    "data",
    "arkkitehtuuri",
    "kanava",
    "sähköinen",
    "yhteentoimivuus",
]
CATEGORIES = ["personnel", "purchased_services", "travel", "other"]
ITEMS = ["arrived_in_time", "municipalities", "emphasis_area", "max_share", "eligible_costs"]
GENERATED_PASSWORD = "generated-password-2026"


class Command(BaseCommand):
    help = "Generate calls and applications at national scale (benchmarks and demos, never production)."

    def add_arguments(self, parser):
        parser.add_argument("--applications", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--delete", action="store_true", help="Remove earlier generated data first.")
        parser.add_argument("--allow-without-debug", action="store_true")

    def handle(self, *args, applications, seed, delete, allow_without_debug, **options):
        if not settings.DEBUG and not allow_without_debug:
            raise CommandError("Generated data is for development and benchmarks only (DEBUG is off).")
        municipalities = list(Organisation.objects.municipalities().order_by("code"))
        ministry = Organisation.objects.filter(kind="ministry").first()
        if len(municipalities) < 10 or ministry is None:
            raise CommandError("Load the fixtures first: manage.py loaddata organisations call_2022")
        if delete:
            self.delete_generated()
        if Call.objects.filter(slug__startswith="gen-").exists():
            raise CommandError("Generated data exists already; add --delete to replace it.")
        self.random = random.Random(seed)
        self.now = timezone.now()
        people = self.people(ministry, municipalities)
        calls = self.calls(ministry, max(1, -(-applications // APPLICATIONS_PER_CALL)))
        self.stdout.write(f"{len(calls)} calls, {applications} applications (seed {seed})")
        bar = tqdm(total=applications, unit="application", disable=options.get("verbosity", 1) == 0)
        made = 0
        for call in calls:
            count = min(APPLICATIONS_PER_CALL, applications - made)
            for start in range(0, count, BATCH):
                self.batch(call, municipalities, people, first=start + 1, size=min(BATCH, count - start))
                bar.update(min(BATCH, count - start))
            made += count
        bar.close()
        self.stdout.write(self.style.SUCCESS(f"Generated {made} applications in {len(calls)} calls."))

    # --- People and calls -------------------------------------------------------------------------

    def people(self, ministry, municipalities):
        """One staff member per municipality and a few of each ministry role; the password is hashed once."""
        password = make_password(GENERATED_PASSWORD)
        emails = {m.pk: f"gen-staff-{m.code}@example.fi" for m in municipalities}
        existing = set(User.objects.filter(email__in=emails.values()).values_list("email", flat=True))
        new = [
            User(email=emails[m.pk], full_name=f"Kunnan työntekijä {m.code}", password=password)
            for m in municipalities
            if emails[m.pk] not in existing
        ]
        User.objects.bulk_create(new)
        by_email = {u.email: u for u in User.objects.filter(email__in=emails.values())}
        Membership.objects.bulk_create(
            [
                Membership(user=by_email[emails[m.pk]], organisation=m, role=Role.APPLICANT)
                for m in municipalities
            ],
            ignore_conflicts=True,
        )

        def ministry_user(email, name, role):
            person, created = User.objects.get_or_create(
                email=email, defaults={"full_name": name, "password": password}
            )
            if created:
                Membership.objects.create(user=person, organisation=ministry, role=role)  # syncs role groups
            return person

        return {
            "staff": {m.pk: by_email[emails[m.pk]] for m in municipalities},
            "officials": [
                ministry_user(f"gen-official-{n}@example.fi", f"Virkailija {n}", Role.OFFICIAL)
                for n in range(3)
            ],
            "reviewers": [
                ministry_user(f"gen-reviewer-{n}@example.fi", f"Arvioija {n}", Role.REVIEWER)
                for n in range(8)
            ],
            "deciders": [
                ministry_user(f"gen-decider-{n}@example.fi", f"Päättäjä {n}", Role.DECISION_MAKER)
                for n in range(2)
            ],
        }

    @transaction.atomic
    def calls(self, ministry, count):
        programme = Programme.objects.order_by("pk").first() or Programme.objects.create(
            authority=ministry, name_fi="Kuntien digitalisaatio", name_sv="Kommunernas digitalisering"
        )
        this_year = timezone.localdate().year
        calls = []
        for number in range(count):
            # The newest call is open; the rest closed in earlier months and years, most published.
            closes = self.now - dt.timedelta(
                days=45 * (count - 1 - number) + (0 if number == count - 1 else 30)
            )
            if number == count - 1:
                closes = self.now + dt.timedelta(days=30)
            year = closes.year if number < count - 1 else this_year
            call = Call.objects.create(
                programme=programme,
                slug=f"gen-{number + 1}",
                year=year,
                name_fi=f"Generoitu haku {number + 1}",
                name_sv=f"Genererad utlysning {number + 1}",
                purpose_fi="Kuntien yhteiset digitalisaatiohankkeet.",
                purpose_sv="Kommunernas gemensamma digitaliseringsprojekt.",
                appropriation=Decimal("200000000"),
                opens_at=closes - dt.timedelta(days=60),
                closes_at=closes,
                use_period_start=closes.date() + dt.timedelta(days=60),
                use_period_end=closes.date() + dt.timedelta(days=800),
                case_number_prefix=f"GEN{number + 1}",
                results_published_on=(closes + dt.timedelta(days=40)).date() if number < count - 2 else None,
            )
            EmphasisArea.objects.bulk_create(
                EmphasisArea(call=call, number=n, name_fi=f"Painopiste {n}", name_sv=f"Tyngdpunkt {n}")
                for n in (1, 2, 3)
            )
            EvaluationCriterion.objects.bulk_create(
                EvaluationCriterion(call=call, order=n, name_fi=f"Kriteeri {n}", name_sv=f"Kriterium {n}")
                for n in (1, 2, 3)
            )
            calls.append(call)
        return calls

    def delete_generated(self):
        calls = Call.objects.filter(slug__startswith="gen-")
        applications = Application.objects.filter(call__in=calls)
        with transaction.atomic():
            for model in (Score, ReviewAssignment, EligibilityCheck, PaymentRequest, CaseEvent, BudgetLine):
                model.objects.filter(
                    **{("review__" if model is Score else "") + "application__in": applications}
                ).delete()
            Decision.objects.filter(application__in=applications).delete()
            Participant.objects.filter(application__in=applications).delete()
            applications.delete()
            EmphasisArea.objects.filter(call__in=calls).delete()
            EvaluationCriterion.objects.filter(call__in=calls).delete()
            calls.delete()

    # --- Applications ------------------------------------------------------------------------------

    def status_for(self, call):
        r = self.random.random()
        if call.closes_at > self.now:
            return Status.DRAFT if r < 0.6 else Status.SUBMITTED
        if call.results_published_on is None:
            return Status.SUBMITTED if r < 0.9 else Status.WITHDRAWN
        if r < 0.05:
            return Status.WITHDRAWN
        if r < 0.45:
            return Status.AWARDED
        if r < 0.55:
            return Status.CLOSED
        return Status.REJECTED

    def text(self, words):
        return " ".join(self.random.choice(WORDS) for _ in range(words)).capitalize() + "."

    @transaction.atomic
    def batch(self, call, municipalities, people, *, first, size):
        rnd = self.random
        areas = list(call.emphasis_areas.all())
        criteria = list(call.evaluation_criteria.all())
        rows = []
        for offset in range(size):
            sequence = first + offset
            status = self.status_for(call)
            lead = rnd.choice(municipalities)
            total = Decimal(rnd.randrange(40, 800) * 1000)
            submitted = status != Status.DRAFT
            rows.append(
                Application(
                    call=call,
                    lead=lead,
                    project_name=f"{self.text(3)[:-1]} {sequence}",
                    summary=self.text(25),
                    objectives=self.text(15),
                    actions=self.text(15),
                    schedule=self.text(6),
                    expected_results=self.text(12),
                    dissemination=self.text(10),
                    emphasis_area=rnd.choice(areas),
                    start_date=call.use_period_start,
                    end_date=call.use_period_end,
                    requested_amount=(total * Decimal("0.85")).quantize(Decimal("1")),
                    own_financing=total - (total * Decimal("0.85")).quantize(Decimal("1")),
                    contact_name=f"Yhteyshenkilö {sequence}",
                    contact_email=f"hanke{sequence}@example.fi",
                    created_by=people["staff"][lead.pk],
                    status=status,
                    case_number=f"{call.case_number_prefix}/{sequence}/{call.year}" if submitted else None,
                    case_sequence=sequence if submitted else None,
                    submitted_at=call.closes_at - dt.timedelta(hours=rnd.randrange(1, 1000))
                    if submitted
                    else None,
                )
            )
        applications = Application.objects.bulk_create(rows, batch_size=BATCH)

        participants, budget, events, reviews, checks, decisions = [], [], [], [], [], []
        for application in applications:
            partners = rnd.sample(municipalities, rnd.randint(1, 4))
            partners = [m for m in partners if m.pk != application.lead_id] or [
                next(m for m in municipalities if m.pk != application.lead_id)
            ]
            share = Decimal(100) / (len(partners) + 1)
            submitted = application.status != Status.DRAFT
            participants.append(
                Participant(
                    application=application,
                    organisation_id=application.lead_id,
                    role=ParticipantRole.LEAD,
                    status=ParticipationStatus.CONFIRMED,
                    share_percent=share.quantize(Decimal("0.01")),
                    responded_at=application.submitted_at or self.now,
                )
            )
            for partner in partners:
                confirmed = submitted or rnd.random() < 0.5
                participants.append(
                    Participant(
                        application=application,
                        organisation=partner,
                        role=ParticipantRole.PARTNER,
                        status=ParticipationStatus.CONFIRMED if confirmed else ParticipationStatus.PENDING,
                        share_percent=share.quantize(Decimal("0.01")),
                        responded_at=(application.submitted_at or self.now) if confirmed else None,
                        responded_by=people["staff"][partner.pk] if confirmed else None,
                    )
                )
            total = application.requested_amount + application.own_financing
            first_line = (total * Decimal("0.7")).quantize(Decimal("1"))
            budget.append(
                BudgetLine(
                    application=application,
                    category="personnel",
                    description="Projektipäällikkö",
                    amount=first_line,
                )
            )
            budget.append(
                BudgetLine(
                    application=application,
                    category=rnd.choice(CATEGORIES[1:]),
                    description="Hankinnat",
                    amount=total - first_line,
                )
            )
            actor = people["staff"][application.lead_id]
            events.append(
                CaseEvent(
                    application=application, actor=actor, kind=EventKind.CREATED, to_status=Status.DRAFT
                )
            )
            if not submitted:
                continue
            events.append(
                CaseEvent(
                    application=application,
                    actor=actor,
                    kind=EventKind.SUBMITTED,
                    from_status=Status.DRAFT,
                    to_status=Status.SUBMITTED,
                    note=application.case_number,
                )
            )
            if application.status == Status.WITHDRAWN:
                events.append(
                    CaseEvent(
                        application=application,
                        actor=actor,
                        kind=EventKind.WITHDRAWN,
                        from_status=Status.SUBMITTED,
                        to_status=Status.WITHDRAWN,
                    )
                )
                continue
            official = rnd.choice(people["officials"])
            checks.append(
                EligibilityCheck(application=application, checked_by=official, **dict.fromkeys(ITEMS, True))
            )
            for reviewer in rnd.sample(people["reviewers"], 2):
                completed = application.status != Status.SUBMITTED or rnd.random() < 0.5
                reviews.append(
                    ReviewAssignment(
                        application=application,
                        reviewer=reviewer,
                        assigned_by=official,
                        status=ReviewStatus.COMPLETED if completed else ReviewStatus.ASSIGNED,
                        declared_at=self.now if completed else None,
                        completed_at=self.now if completed else None,
                    )
                )
            if application.status in (Status.AWARDED, Status.REJECTED, Status.CLOSED):
                positive = application.status != Status.REJECTED
                decisions.append(
                    Decision(
                        application=application,
                        status=DecisionStatus.APPROVED,
                        outcome=Outcome.POSITIVE if positive else Outcome.NEGATIVE,
                        requested_amount=application.requested_amount,
                        granted_amount=(
                            application.requested_amount * Decimal(rnd.choice([60, 80, 100])) / 100
                        ).quantize(Decimal("1"))
                        if positive
                        else None,
                        decision_date=call.results_published_on or self.now.date(),
                        use_period_start=call.use_period_start,
                        use_period_end=call.use_period_end,
                        language="fi",
                        grounds_fi="Perustelut.",
                        proposed_by=official,
                        approved_by=rnd.choice(people["deciders"]),
                        approved_at=self.now,
                    )
                )
                events.append(
                    CaseEvent(
                        application=application,
                        actor=official,
                        kind=EventKind.DECIDED,
                        from_status=Status.SUBMITTED,
                        to_status=application.status,
                    )
                )
        Participant.objects.bulk_create(participants, batch_size=BATCH)
        BudgetLine.objects.bulk_create(budget, batch_size=BATCH)
        EligibilityCheck.objects.bulk_create(checks, batch_size=BATCH)
        ReviewAssignment.objects.bulk_create(reviews, batch_size=BATCH)
        Score.objects.bulk_create(
            (
                Score(
                    review=review, criterion=criterion, score=rnd.randint(1, 5), justification="Perusteltu."
                )
                for review in reviews
                if review.status == ReviewStatus.COMPLETED
                for criterion in criteria
            ),
            batch_size=BATCH,
        )
        decisions = Decision.objects.bulk_create(decisions, batch_size=BATCH)
        PaymentRequest.objects.bulk_create(
            (
                PaymentRequest(
                    application_id=decision.application_id,
                    period_start=call.use_period_start,
                    period_end=call.use_period_start + dt.timedelta(days=180),
                    status=PaymentStatus.PAID,
                    submitted_by=people["staff"][decision.application.lead_id],
                    approved_amount=(decision.granted_amount / 2).quantize(Decimal("0.01")),
                    checked_by=decision.proposed_by,
                    checked_at=self.now,
                    paid_on=call.use_period_start + dt.timedelta(days=200),
                    payment_reference="RF18 0000",
                )
                for decision in decisions
                if decision.outcome == Outcome.POSITIVE
                and call.use_period_start + dt.timedelta(days=200) < self.now.date()
            ),
            batch_size=BATCH,
        )
        CaseEvent.objects.bulk_create(events, batch_size=BATCH)
