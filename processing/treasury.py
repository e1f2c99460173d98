"""The State Treasury's grant data: one row per decided application of a call, positive and negative.

Since 2023 state aid authorities deliver data on calls, applications and decisions to the State Treasury's
grant data store (State Aid Act §§ 32 a–e, added by 1075/2022). The columns follow a practical working
template taken from the Finnish National Agency for Education's exporter. Headings and values stay in
Finnish whatever the page language: the file is read by the State Treasury's import, not by people in the
interface. Dates are DD.MM.YYYY and municipalities are given by name."""

import csv
import io
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.timezone import localdate
from openpyxl import Workbook

from applications.models import Decision, DecisionStatus, Outcome, Participant, PaymentRequest

COLUMNS = [
    "Valtionapuviranomainen",
    "Haun diaarinumero",
    "Haun nimi",
    "Avustuslaji",
    "Haun alkamispäivä",
    "Haun päättymispäivä",
    "Haun URL",
    "Hakemuksen diaarinumero",
    "Saapumispäivä",
    "Asiointikieli",
    "Hakijan henkilötunniste",
    "Hakijan nimi",
    "Hakijaorganisaation Y-tunnus",
    "Hakijaorganisaation nimi",
    "Haettu käyttötarkoitus",
    "Haettu summa",
    "Kunnat",
    "Maakunnat",
    "Hyvinvointialueet",
    "Maat",
    "Päätöspäivä",
    "Päätöksen perustelut",
    "Päätöksen laji",
    "Myönnetty summa",
    "Hyväksytty käyttötarkoitus",
    "Käyttöajan alku",
    "Käyttöajan loppu",
    "Maksettu summa",
    "Käyttötarkoitus salassa",
    "Hakija salassa",
    "Tiedot poistettava",
    "EU-rahoitus",
    "Saajan sektori",
    "Ulkomainen saaja",
]


def _date(value):
    return value.strftime("%d.%m.%Y") if value else ""


def _amount(value):
    return f"{value:.2f}".replace(".", ",") if value is not None else ""


def decided(call):
    return (
        Decision.objects.filter(application__call=call, status=DecisionStatus.APPROVED)
        .select_related("application__call__programme__authority", "application__lead")
        .prefetch_related(
            Prefetch(
                "application__participants",
                queryset=Participant.objects.select_related("organisation").order_by(
                    "role", "organisation__name_fi"
                ),
            ),
            Prefetch("application__payment_requests", queryset=PaymentRequest.objects.filter(status="paid")),
        )
        .order_by("application__case_sequence", "application__lead__name_fi", "pk")
    )


def rows(call, base_url):
    for decision in decided(call):
        application = decision.application
        lead = application.lead
        organisations = [p.organisation for p in application.participants.all()] or [lead]
        paid = sum((p.approved_amount for p in application.payment_requests.all()), Decimal("0"))
        purpose = ". ".join(x for x in [application.project_name, application.summary] if x)
        yield [
            call.programme.authority.name_fi,
            "",
            call.name_fi,
            "Harkinnanvarainen valtionavustus",
            _date(localdate(call.opens_at) if call.opens_at else None),
            _date(call.closes_on),
            f"{base_url}{call.get_absolute_url()}",
            application.case_number or "",
            _date(localdate(application.submitted_at) if application.submitted_at else None),
            decision.language,
            "",
            application.contact_name,
            lead.business_id,
            lead.name_fi,
            purpose,
            _amount(application.requested_amount),
            "; ".join(org.name_fi for org in organisations),
            "; ".join(sorted({org.region_fi for org in organisations if org.region_fi})),
            "",
            "Suomi",
            _date(decision.decision_date),
            decision.grounds(),
            "Myönteinen" if decision.outcome == Outcome.POSITIVE else "Kielteinen",
            _amount(decision.granted_amount),
            application.project_name if decision.outcome == Outcome.POSITIVE else "",
            _date(decision.use_period_start),
            _date(decision.use_period_end),
            _amount(paid) if application.payment_requests.all() else "",
            "Ei",
            "Ei",
            "Ei",
            "Ei",
            "Kunta",
            "Ei",
        ]


def as_csv(call, base_url) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(COLUMNS)
    writer.writerows(rows(call, base_url))
    return buffer.getvalue()


def as_xlsx(call, base_url) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Avustuspäätökset")
    sheet.append(COLUMNS)
    for row in rows(call, base_url):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
