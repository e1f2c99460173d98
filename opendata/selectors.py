"""Reads of what is published: a call's results (page, CSV) and the cached version its page is keyed on."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from applications.models import Application, Decision, Participant
from core.translation import nordic_sort_key
from grants.models import Call


@dataclass(frozen=True)
class Share:
    label: str
    amount: Decimal
    projects: int
    percent: Decimal
    bar: Decimal  # width of the bar: the largest group fills it


@dataclass(frozen=True)
class CallResults:
    call: Call
    awards: list[Decision]
    total_awarded: Decimal
    applications_received: int

    @property
    def project_count(self):
        return len(self.awards)

    @property
    def project_names_published(self):
        """False for a historical call whose project names were not published (2022): the page then says
        so once instead of in every row."""
        return any(decision.application.project_name for decision in self.awards)

    @property
    def emphasis_areas_published(self):
        return any(decision.application.emphasis_area_id for decision in self.awards)

    def _shares(self, key):
        groups: dict[str, tuple[Decimal, int]] = {}
        for decision in self.awards:
            label = key(decision)
            amount, projects = groups.get(label, (Decimal("0"), 0))
            groups[label] = (amount + decision.granted_amount, projects + 1)
        total = self.total_awarded or Decimal("1")
        largest = max((amount for amount, _projects in groups.values()), default=Decimal("1")) or Decimal("1")
        rows = [
            Share(
                label,
                amount,
                projects,
                (amount * 100 / total).quantize(Decimal("0.1")),
                (amount * 100 / largest).quantize(Decimal("0.1")),
            )
            for label, (amount, projects) in groups.items()
        ]
        return sorted(rows, key=lambda row: (-row.amount, nordic_sort_key(row.label)))

    def by_region(self):
        """Awarded amounts by the lead municipality's region, in the page's language."""
        return self._shares(lambda decision: decision.application.lead.region or "–")

    def by_emphasis_area(self):
        return self._shares(
            lambda decision: (
                decision.application.emphasis_area.name
                if decision.application.emphasis_area
                else str(_("Not published"))
            )
        )

    def municipalities(self):
        """Every municipality taking part, as lead or confirmed partner, with its number of projects."""
        counts: dict[int, dict] = {}
        for decision in self.awards:
            application = decision.application
            members = [(application.lead, "lead")]
            if application.participants_published:
                members += [
                    (p.organisation, "partner") for p in getattr(application, "published_partners", [])
                ]
            for organisation, role in members:
                entry = counts.setdefault(
                    organisation.pk, {"organisation": organisation, "lead": 0, "partner": 0}
                )
                entry[role] += 1
        return sorted(counts.values(), key=lambda entry: nordic_sort_key(entry["organisation"].name))


def call_results(call: Call) -> CallResults:
    """The published awards of a call, ordered by the lead's name in the active language."""
    awards = list(
        Decision.objects.published_awards()
        .filter(application__call=call)
        .select_related("application__lead", "application__emphasis_area")
        .prefetch_related(
            Prefetch(
                "application__participants",
                queryset=Participant.objects.confirmed_partners().select_related("organisation"),
                to_attr="published_partners",
            )
        )
        .order_by("application__lead__name_fi", "-granted_amount", "pk")
    )
    # Stable sort on the displayed name keeps Lahti's two projects in amount order.
    awards.sort(key=lambda decision: nordic_sort_key(decision.application.lead.name))
    total = sum((decision.granted_amount for decision in awards), Decimal("0"))
    received = call.applications_received
    if received is None:
        received = Application.objects.filter(call=call).submitted().count()
    return CallResults(call=call, awards=awards, total_awarded=total, applications_received=received)


# How long a process may go on using a call's results version that it read. Every change to the results
# deletes the key at once (opendata/signals.py); with a cache shared by all processes (CACHE_URL=redis://…)
# that reaches them all, with each process's own cache (the default) the others see it within this time.
RESULTS_VERSION_SECONDS = 10


def results_version_key(slug):
    return f"results-version:{slug}"


# The open data's Last-Modified (opendata.caching.last_change), forgotten with every results version.
LAST_CHANGE_KEY = "results-last-change"


def published_results_version(slug):
    """(pk, results_published_on, results_version) of a call with published results, or None; from the
    cache when it can, so that a cached results page costs no query at all."""
    key = results_version_key(slug)
    version = cache.get(key)
    if version is None:
        version = (
            Call.objects.filter(slug=slug, results_published_on__isnull=False)
            .values_list("pk", "results_published_on", "results_version")
            .first()
        )
        if version is not None:  # an unpublished call is asked again: its publication shows at once
            cache.set(key, version, RESULTS_VERSION_SECONDS)
    return version
