"""Each follow-up computation with worked numbers."""

import datetime as dt
from decimal import Decimal as D

import pytest

from applications.rules import (
    add_months,
    allocate_to_payments,
    interest,
    payable_amount,
    return_amount,
)
from applications.services import WorkflowError

SHARE = D("0.85")


@pytest.mark.parametrize(
    "eligible, already, expected",
    [
        # 100 000 € of eligible costs × 85 % = 85 000 €; nothing paid yet; grant 80 000 € caps it.
        (D("100000"), D("0"), D("80000")),
        # 50 000 € × 85 % = 42 500 €, below the grant.
        (D("50000"), D("0"), D("42500")),
        # Second instalment: 80 000 € × 85 % = 68 000 € − 42 500 € already = 25 500 €.
        (D("80000"), D("42500"), D("25500")),
        # Costs justify less than already paid: nothing more.
        (D("40000"), D("42500"), D("0")),
        # Grant used up: 80 000 € − 80 000 € = 0.
        (D("200000"), D("80000"), D("0")),
        # Cents are rounded down: 333.33 × 0.85 = 283.3305 → 283.33.
        (D("333.33"), D("0"), D("283.33")),
    ],
)
def test_payable_amount(eligible, already, expected):
    assert (
        payable_amount(granted=D("80000"), share=SHARE, eligible_costs=eligible, already_paid=already)
        == expected
    )


@pytest.mark.parametrize(
    "paid, accepted, expected",
    [
        # Paid 80 000 €, accepted costs 90 000 € × 85 % = 76 500 € → 3 500 € back.
        (D("80000"), D("90000"), D("3500")),
        # Excess exactly 100 € is not returned; 100.01 € is.
        (D("76600"), D("90000"), D("0")),
        (D("76600.01"), D("90000"), D("100.01")),
        # Costs above the grant: justified is capped at the grant, nothing back.
        (D("80000"), D("200000"), D("0")),
    ],
)
def test_return_amount_and_the_100_euro_rule(paid, accepted, expected):
    assert return_amount(paid=paid, accepted_costs=accepted, share=SHARE, granted=D("80000")) == expected


def test_excess_comes_from_the_latest_payments_first():
    payments = [(D("40000"), dt.date(2030, 3, 1)), (D("40000"), dt.date(2030, 9, 1))]
    assert allocate_to_payments(D("45000"), payments) == [
        (D("40000"), dt.date(2030, 9, 1)),
        (D("5000"), dt.date(2030, 3, 1)),
    ]


def test_interest_with_day_counts_over_a_rate_change():
    rates = [(dt.date(2030, 1, 1), D("2.00")), (dt.date(2030, 7, 1), D("3.00"))]
    result = interest([(D("10000"), dt.date(2030, 6, 1))], dt.date(2030, 8, 1), rates)
    # 1.6.–1.7.: 30 days at 2 + 3 = 5 %: 10 000 × 0.05 × 30/365 = 41.10
    # 1.7.–1.8.: 31 days at 3 + 3 = 6 %: 10 000 × 0.06 × 31/365 = 50.96
    assert [(line.days, line.rate, line.interest) for line in result.lines] == [
        (30, D("5.00"), D("41.10")),
        (31, D("6.00"), D("50.96")),
    ]
    assert result.total == D("92.06")


def test_interest_needs_a_rate_for_the_payment_date():
    with pytest.raises(WorkflowError, match="No reference rate"):
        interest([(D("100"), dt.date(2029, 12, 31))], dt.date(2030, 2, 1), [(dt.date(2030, 1, 1), D("2"))])
    with pytest.raises(WorkflowError, match="reference rates first"):
        interest([(D("100"), dt.date(2030, 1, 2))], dt.date(2030, 2, 1), [])


def test_report_deadline_months():
    assert add_months(dt.date(2024, 9, 30), 2) == dt.date(2024, 11, 30)
    assert add_months(dt.date(2024, 12, 31), 2) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2023, 12, 31), 2) == dt.date(2024, 2, 29)
