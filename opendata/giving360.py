"""Published awards as open data: the 360Giving Data Standard 1.4 package.

Identifiers: an organisation is `FI-PRO-<business id>` when its Business ID is recorded. FI-PRO is the
org-id register's list for the Finnish Patent and Registration Office's Business Information System
(YTJ), which gives every Finnish company and public body its Business ID (lists/fi/fi-pro.json in
github.com/org-id/register: "registerType": "primary", example identifiers in the Y-tunnus form). Where
the Business ID is not recorded (20 municipalities whose sources disagree, and the ministry until an
administrator records it), a stable `360G-VM-` identifier from the municipality code stands in. A grant
is `360G-VM-KUNTADIGI-<decision id>`.

The recipient is the project administrator (the lead municipality), which receives the grant and answers
for it (decree 893/2019 § 3); the other municipalities carrying out the project are named in the
description and are beneficiary locations, so that a joint project counts as one recipient, not five.

Only awards of calls whose results are published appear; partners only where they were published."""

import gc
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind
from applications.models import (
    Decision,
    Participant,
    PaymentRequest,
)

PREFIX = "360G-VM"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"


# Awards read from the database at a time while streaming (each with its prefetched partners and payments).
STREAM_CHUNK = 500


def organisation_id(organisation):
    if organisation.business_id:
        return f"FI-PRO-{organisation.business_id}"
    if organisation.code:
        return f"{PREFIX}-KUNTA-{organisation.code}"
    return f"{PREFIX}-ORG-{organisation.pk}"


def publisher_id():
    """The publisher's identifier: the ministry's, when an administrator has recorded its Business ID."""
    ministry = Organisation.objects.filter(kind=OrganisationKind.MINISTRY).exclude(business_id="").first()
    return {"identifier": organisation_id(ministry)} if ministry else {}


def published_awards(call=None):
    awards = (
        Decision.objects.published_awards()
        .select_related(
            "application__call__programme__authority", "application__lead", "application__emphasis_area"
        )
        .prefetch_related(
            Prefetch(
                "application__participants",
                queryset=Participant.objects.confirmed_partners()
                .select_related("organisation")
                .order_by("organisation__name_fi"),
                to_attr="published_partners",
            ),
            Prefetch(
                "application__payment_requests",
                queryset=PaymentRequest.objects.filter(status="paid"),
                to_attr="paid_payments",
            ),
        )
        .order_by("application__call__year", "application__lead__name_fi", "pk")
    )
    return awards.filter(application__call=call) if call is not None else awards


def _location(organisation):
    return {"name": organisation.name_fi, "countryCode": "FI", "geoCode": organisation.code}


def _organisation(organisation):
    record = {"id": organisation_id(organisation), "name": organisation.name_fi, "addressCountry": "FI"}
    if organisation.code:
        record["location"] = [_location(organisation)]
    return record


def grant_record(decision, base_url):
    application = decision.application
    call = application.call
    programme = call.programme
    municipalities = [application.lead]
    if application.participants_published:
        municipalities += [p.organisation for p in application.published_partners]
    title = application.project_name or f"{call.name_fi}: {application.lead.name_fi}"
    description = application.summary or call.purpose_fi
    if len(municipalities) > 1:
        description += (
            " Hankkeen toteuttavat yhdessä: " + ", ".join(org.name_fi for org in municipalities) + "."
        )
    record = {
        "id": f"{PREFIX}-KUNTADIGI-{decision.pk}",
        "title": title,
        "description": description,
        "currency": "EUR",
        "amountAwarded": float(decision.granted_amount),
        "awardDate": decision.decision_date.isoformat(),
        "recipientOrganization": [_organisation(application.lead)],
        "fundingOrganization": [_organisation(programme.authority)],
        "grantProgramme": [
            {"code": call.slug, "title": call.name_fi, "url": f"{base_url}{call.get_absolute_url()}"}
        ],
        "beneficiaryLocation": [_location(org) for org in municipalities if org.code],
        "fromOpenCall": "Yes",
        "locationScope": "GLS050",  # local authority
        "dateModified": (application.updated_at or timezone.now()).isoformat(),
        "dataSource": f"{base_url}/open-data/calls/{call.slug}/360giving.json",
    }
    if decision.requested_amount is not None:
        record["amountAppliedFor"] = float(decision.requested_amount)
    if application.paid_payments:
        record["amountDisbursed"] = float(
            sum((p.approved_amount for p in application.paid_payments), Decimal("0"))
        )
    start, end = decision.use_period_start, decision.use_period_end
    if start and end:
        record["plannedDates"] = [{"startDate": start.isoformat(), "endDate": end.isoformat()}]
    elif end:
        record["plannedDates"] = [{"endDate": end.isoformat()}]
    return record


def stream_package(awards, *, base_url, title):
    """The same package as `package`, written piece by piece: the awards are read from the database in
    chunks and each is written as soon as it is ready, so memory stays flat however many there are."""
    encode = DjangoJSONEncoder(ensure_ascii=False).encode
    yield '{"grants": ['
    # The ids first (small), then the awards a chunk at a time in that order: memory stays flat whether or
    # not the database driver holds a whole result set in memory.
    ids = list(awards.values_list("pk", flat=True))
    number = 0
    for start in range(0, len(ids), STREAM_CHUNK):
        chunk = ids[start : start + STREAM_CHUNK]
        by_id = {decision.pk: decision for decision in awards.filter(pk__in=chunk)}
        for pk in chunk:
            yield ("\n" if number == 0 else ",\n") + encode(grant_record(by_id[pk], base_url))
            number += 1
        # Prefetched awards refer to each other (decision <-> application caches): only the cyclic
        # collector frees them, and it seldom runs a full collection on its own.
        del by_id
        gc.collect()
    rest = package([], base_url=base_url, title=title)
    del rest["grants"]
    yield "\n], " + encode(rest)[1:]


def package(awards, *, base_url, title):
    return {
        "grants": [grant_record(decision, base_url) for decision in awards],
        "version": "1.4",
        "title": title,
        "license": LICENSE,
        "issued": timezone.localdate().isoformat(),
        "publisher": {
            "name": "Valtiovarainministeriö – Finansministeriet",
            "website": base_url,
            **publisher_id(),
        },
    }
