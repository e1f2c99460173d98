"""The provisions of the State Aid Act (688/2001) that every call and decision of the programme cites, one
text each, so that the call page and each decision cite them in the same words.

Sources: the section contents as verified in the legal review of 2026-11 (OPH's general terms and
rectification instructions, aviavustukset.fi, KHO T 1260/2018); the decree's title from Finlex
(VNa 893/2019, fi and sv). Where a section's wording was not read, only its subject is stated."""

from django.utils.translation import gettext_lazy as _

DECREE = _(
    "Government Decree on the incentive system for the digitalisation of municipalities (893/2019): "
    "assessment by societal and economic impact and general significance (§ 2), the project administrator "
    "(§ 3), at most 85 per cent of the eligible costs (§ 4), eligible costs (§ 5)."
)

RETURN_DUTY = _(
    "§ 20: a grant received in error, in excess or without grounds, or that cannot be used as decided, must "
    "be returned without delay; a sum of 100 euros or less need not be returned."
)
MANDATORY_RECOVERY = _(
    "§ 21: the authority must stop payment and recover the grant if the recipient has not returned what § 20 "
    "requires, has used the grant essentially for another purpose than it was granted for, has given false "
    "or misleading information, or has otherwise essentially breached the terms."
)
DISCRETIONARY_RECOVERY = _(
    "§ 22: the authority may stop payment and recover all or part of the grant for other breaches of the "
    "terms of the decision or of the Act."
)
INTEREST = _(
    "§ 24: a sum returned or recovered carries yearly interest from the day the grant was paid at the "
    "reference rate of the Interest Act (633/1982) § 12 plus three percentage points."
)
LATE_INTEREST = _(
    "§ 25: if the sum is not paid by the due date the authority sets, late-payment interest is charged from "
    "the due date at the rate of the Interest Act § 4(1) (the reference rate plus seven percentage points)."
)
TIME_LIMIT = _(
    "§ 28: recovery is no longer possible ten years after the grant, or its last instalment, was paid."
)

STATE_AID_ACT_SECTIONS = (
    RETURN_DUTY,
    MANDATORY_RECOVERY,
    DISCRETIONARY_RECOVERY,
    INTEREST,
    LATE_INTEREST,
    TIME_LIMIT,
)
