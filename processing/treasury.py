"""The State Treasury's grant data: one row per decided application of a call, positive and negative.

Since 2023 state aid authorities deliver data on calls, applications and decisions to the State Treasury's
grant data store (State Aid Act §§ 32 a–e, added by 1075/2022). The columns carry the technical keys of
the established export format of the state's grant systems (the Finnish National Agency for Education's
`hallinnoiavustuksia` export, Opetushallitus/valtionavustus `export.clj`): the same 34 keys in the same
order, the sheet named "VA". Values stay in Finnish whatever the page language, dates are Helsinki dates
as DD.MM.YYYY, amounts are numbers (numeric cells in the workbook, a plain 280500.00 in the CSV), and a
municipality's sector is the code of Statistics Finland's sector classification (S.1313, local
government). The State Treasury's own field specification was not available to verify against."""

import csv
import io
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.timezone import localdate

from accounts.models import OrganisationKind
from applications.models import Decision, DecisionStatus, Outcome, Participant, PaymentRequest
from core import spreadsheets
from core.spreadsheets import csv_row, xlsx_row

COLUMNS = [
    "valtionapuviranomainen",
    "avustushakuAsianumero",
    "avustushakuNimi",
    "avustushakuAvustuslaji",
    "avustushakuAlkaaPvm",
    "avustushakuPaattyyPvm",
    "avustushakuURL",
    "avustusasiaAsianumero",
    "avustusasiaVireilletuloPvm",
    "avustusasiaKieli",
    "avustusasiaVireillepanijaHenkiloTunnus",
    "avustusasiaVireillepanijaHenkiloNimi",
    "avustusasiaVireillepanijaYhteisoTunnus",
    "avustusasiaVireillepanijaYhteisoNimi",
    "avustushakemusHaettuKayttotarkoitus",
    "avustushakemusHaettuAvustus",
    "avustushakemusAlueKunnat",
    "avustushakemusAlueMaakunnat",
    "avustushakemusAlueHyvinvointialueet",
    "avustushakemusAlueValtiot",
    "avustuspaatosPvm",
    "avustuspaatosPerustelu",
    "avustuspaatosTyyppi",
    "avustuspaatosMyonnettyAvustus",
    "avustuspaatosHyvaksyttyKayttotarkoitus",
    "avustuspaatosKayttoaikaAlkaaPvm",
    "avustuspaatosKayttoaikaPaattyyPvm",
    "avustuspaatosMaksettuAvustus",
    "piilotaKayttotarkoitus",
    "piilotaVireillepanija",
    "poistaTiedot",
    "euVarat",
    "saajanSektoriluokitus",
    "ulkomainenSaaja",
]
SHEET = "VA"

# Statistics Finland, sector classification 2012 (ESA 2010): S.1313 local government (municipalities and
# joint municipal authorities).
SECTORS = {OrganisationKind.MUNICIPALITY: "S.1313"}


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
    """Each row's values: strings, Helsinki dates, amounts as Decimal (None when not known)."""
    for decision in decided(call):
        application = decision.application
        lead = application.lead
        organisations = [p.organisation for p in application.participants.all()] or [lead]
        payments = list(application.payment_requests.all())
        paid = sum((p.approved_amount for p in payments), Decimal("0"))
        purpose = ". ".join(x for x in [application.project_name, application.summary] if x)
        positive = decision.outcome == Outcome.POSITIVE
        yield [
            call.programme.authority.name_fi,
            call.diary_number,
            call.name_fi,
            "Harkinnanvarainen valtionavustus",
            localdate(call.opens_at) if call.opens_at else None,
            call.closes_on,
            f"{base_url}{call.get_absolute_url()}",
            application.diary_number or application.case_number or "",
            localdate(application.submitted_at) if application.submitted_at else None,
            application.language or decision.language,
            "",
            application.contact_name,
            lead.business_id,
            lead.name_fi,
            purpose,
            application.requested_amount,
            "; ".join(org.name_fi for org in organisations),
            "; ".join(sorted({org.region_fi for org in organisations if org.region_fi})),
            "",
            "Suomi",
            decision.decision_date,
            decision.grounds(),
            "Myönteinen" if positive else "Kielteinen",
            decision.granted_amount,
            application.project_name if positive else "",
            decision.use_period_start,
            decision.use_period_end,
            paid if payments else None,
            "Ei",
            "Ei",
            "Ei",
            "Ei",
            SECTORS.get(lead.kind, ""),
            "Ei",
        ]


def as_csv(call, base_url) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(COLUMNS)
    writer.writerows(csv_row(row) for row in rows(call, base_url))
    return buffer.getvalue()


def as_xlsx(call, base_url) -> bytes:
    workbook = spreadsheets.workbook()
    sheet = workbook.create_sheet(SHEET)
    sheet.append(COLUMNS)
    for row in rows(call, base_url):
        sheet.append(xlsx_row(sheet, row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
