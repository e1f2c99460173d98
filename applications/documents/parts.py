"""The parts every decision document shares, so that each holds what the Administrative Procedure Act
434/2003 § 44 requires, in the same words: the parties by name and Business ID, the legal basis, the
assessment a decision rests on (§ 45), the contact person, the presenter and the decision-maker, the
rectification instructions (§§ 46–47, 49 a–g) and the general terms of the grant.

Every function is called inside `translation.override(language)` by the document that uses it."""

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from core.translation import localized
from grants import legal

from ..models import ReviewStatus, Score
from .pdf import Section, date_text

REGISTRY = "kirjaamo.vm@gov.fi, PL 28, 00023 Valtioneuvosto / PB 28, 00023 Statsrådet"


def organisation_line(organisation, language):
    name = organisation.name_sv if language == "sv" and organisation.name_sv else organisation.name_fi
    if organisation.business_id:
        return _("%(name)s (Business ID %(id)s)") % {"name": name, "id": organisation.business_id}
    return _("%(name)s (Business ID not recorded)") % {"name": name}


def parties(application, language, *, heading=None):
    """The project administrator (the lead, who receives the grant, decree 893/2019 § 3) and the other
    municipalities carrying out the project."""
    partners = [
        organisation_line(p.organisation, language) for p in application.participants.all() if not p.is_lead
    ]
    return Section(
        heading or _("Recipient"),
        [
            _("Project administrator: %(lead)s") % {"lead": organisation_line(application.lead, language)},
            _("Other municipalities carrying out the project: %(names)s") % {"names": "; ".join(partners)}
            if partners
            else _("No other participating municipalities are recorded."),
        ],
    )


def project(application):
    return Section(
        _("Project"),
        [
            f"{application.display_name} ({application.case_number or '–'})",
            _("Emphasis area: %(area)s") % {"area": application.emphasis_area.name}
            if application.emphasis_area
            else "",
        ],
    )


def assessment(application, language):
    """The facts a decision on the application rests on: the call's criteria (decree 893/2019 § 2) and
    the application's mean score on each in the completed reviews."""
    scores = defaultdict(list)
    for score in Score.objects.filter(
        review__application=application, review__status=ReviewStatus.COMPLETED
    ).select_related("criterion"):
        scores[score.criterion].append(score.score)
    lines = [
        _(
            "The applications were assessed by their societal and economic impact and general significance "
            "(decree 893/2019 § 2), against the call's criteria."
        )
    ]
    for criterion in application.call.evaluation_criteria.all():
        values = scores.get(criterion)
        name = localized(criterion, "name", language)
        if values:
            mean = (Decimal(sum(values)) / Decimal(len(values))).quantize(Decimal("0.1"))
            lines.append(
                _("%(criterion)s: %(mean)s / 5 (mean of %(count)s reviews)")
                % {"criterion": name, "mean": f"{mean}".replace(".", ","), "count": len(values)}
            )
        else:
            lines.append(_("%(criterion)s: not scored") % {"criterion": name})
    return lines


def legal_basis(call, language, provisions=()):
    """The provisions applied: the programme's laws, the decree's sections and, for decisions on money
    to be returned or recovered, the State Aid Act's sections that apply."""
    return Section(
        _("Provisions applied"),
        [
            localized(call, "legal_basis", language)
            or localized(call.programme, "legal_basis", language)
            or _("State Aid Act (688/2001)."),
            str(legal.DECREE),
            *[str(provision) for provision in provisions],
        ],
    )


def contacts(call, language, fallback_user=None):
    """A named person who gives more information, with contact details (§ 44(1)(4)); a registry address
    alone is not enough (Chancellor of Justice)."""
    lines = []
    for contact in call.contacts.all():
        details = [contact.name, localized(contact, "title", language)]
        if contact.phone:
            details.append(_("tel. %(phone)s") % {"phone": contact.phone})
        details.append(contact.email)
        lines.append(", ".join(part for part in details if part))
    if not lines and fallback_user is not None:
        lines.append(f"{fallback_user.signature(language)}, {fallback_user.email}")
    return Section(_("More information"), lines)


def signatures(*, decision_maker, presenter, approved_on, language):
    """The decision-maker and the presenter by name and title, and the note of electronic approval."""
    lines = [_("Decided by: %(person)s") % {"person": decision_maker.signature(language)}]
    if presenter is not None and presenter != decision_maker:
        lines.append(_("Presented by: %(person)s") % {"person": presenter.signature(language)})
    lines.append(
        _(
            "The decision was approved electronically in the ministry's grant system on %(date)s and has no "
            "handwritten signature."
        )
        % {"date": date_text(approved_on)}
    )
    return Section(_("Decision-maker"), lines)


def rectification(application):
    """Instructions for requesting rectification (434/2003 §§ 46–47, 49 a–g; State Aid Act § 34), with
    how the notification day is determined for the way the case's decisions are notified: electronically
    with the applicant's consent, else by letter."""
    how = (
        _(
            "This decision is notified electronically with the applicant's consent: it is deemed received on "
            "the third day after the message was sent (13/2003 § 19), unless shown otherwise."
        )
        if application.electronic_notification
        else _(
            "This decision is notified by letter: it is deemed received on the seventh day after the letter "
            "was sent (434/2003 § 59), unless shown otherwise."
        )
    )
    return Section(
        _("Rectification instructions"),
        [
            _(
                "A party who is dissatisfied with this decision may request its rectification in writing from the "
                "Ministry of Finance. The decision cannot be appealed to an administrative court before a "
                "rectification request has been decided (Administrative Procedure Act 434/2003 §§ 49 a–49 g, "
                "State Aid Act 688/2001 § 34)."
            ),
            _(
                "The request must be made within 30 days of notification of the decision. The day of notification "
                "is not counted. If the last day is a Saturday, a Sunday or another public holiday, Independence "
                "Day, May Day, Christmas Eve or Midsummer Eve, the request may be made on the next working day."
            ),
            how,
            _(
                "The request must state the decision concerned, the part of it whose rectification is requested, "
                "the rectification requested and its grounds, and the requester's name and contact details; if a "
                "representative acts for the requester, also theirs. Attach the documents the request relies on, "
                "unless they have already been delivered to the ministry."
            ),
            _(
                "Submit the request in this system (My cases) or to the Ministry of Finance registry, "
                "%(registry)s, before the end of the period, within the registry's opening hours. A request sent "
                "by post or electronically is sent at the sender's own risk."
            )
            % {"registry": REGISTRY},
        ],
    )


def general_terms(call, language):
    """The general terms of the grant, attached to every decision (after OPH's general terms, sections
    3, 5 and 6; the procurement and publicity acts by number), then the call's own terms."""
    own = localized(call, "terms", language)
    return Section(
        _("Attachment: general terms of the state grant"),
        [
            _(
                "1. Use. The grant may be used only for the purpose stated in the decision and for eligible costs "
                "arising in the use period. Income the project earns is deducted from its costs before the grant "
                "is computed."
            ),
            _(
                "2. Agreement between the municipalities. The project administrator agrees in writing with the "
                "other municipalities carrying out the project on the use of the grant, its monitoring and the "
                "conditions of this decision (decree 893/2019 § 3), and answers to the ministry for the whole "
                "project."
            ),
            _(
                "3. Bookkeeping. The project's costs and income are booked on a cost centre or project code of "
                "their own, so that they can be told apart from other activities, and every cost is backed by a "
                "voucher."
            ),
            _(
                "4. Inspection. The ministry and the National Audit Office may inspect the use of the grant at "
                "the project administrator and at the other municipalities carrying out the project; they give "
                "the information and documents needed for it."
            ),
            _(
                "5. Procurement. The municipalities follow the Act on Public Procurement and Concession "
                "Contracts (1397/2016) in the project's purchases."
            ),
            _(
                "6. Keeping documents. Vouchers and other documents of the project are kept for at least six "
                "years after the end of the year in which the use period ended."
            ),
            _(
                "7. Publicity. Applications, decisions and reports are public documents under the Act on the "
                "Openness of Government Activities (621/1999); a business secret is kept secret when the "
                "applicant marks it and the ministry finds that § 24 of that Act applies."
            ),
            _(
                "8. Return and recovery. The State Aid Act's provisions on returning and recovering a grant, "
                "interest and time limits (688/2001 §§ 20–22, 24, 25 and 28) apply; they are quoted in the "
                "decision."
            ),
            *([_("9. Terms of this call.") + " " + own] if own else []),
        ],
    )


def appeal(court):
    """Appeal instructions for a decision on a rectification request: an appeal to the administrative
    court (Administrative Judicial Procedure Act 808/2019). The competent court depends on the case, so
    the official names it (§ 12 of that Act)."""
    return Section(
        _("Appeal instructions"),
        [
            _(
                "This decision may be appealed to %(court)s. The appeal must be made within 30 days of "
                "notification of the decision; the day of notification is not counted, and a period ending on a "
                "Saturday, a Sunday or a holiday ends on the next working day (Administrative Judicial Procedure "
                "Act 808/2019, Act on the Calculation of Time Limits 150/1930)."
            )
            % {"court": court},
            _(
                "The appeal must state the decision appealed against, the part of it appealed against and the "
                "change requested, the grounds, and the appellant's name, contact details and the address to "
                "which the court's documents may be sent. Attach the decision with these instructions, a "
                "statement of when it was received, and the documents the appeal relies on."
            ),
            _(
                "Submit the appeal to the administrative court through its e-service, by email, by post or in "
                "person before the end of the period, within the court's opening hours; it is sent at the "
                "sender's own risk. The court charges a court fee under the Court Fees Act (1455/2015) unless an "
                "exemption applies."
            ),
        ],
    )
