import pytest

from core import money
from core.money import Money, basis_points_of, percent_of


def test_toman_and_rial_have_no_minor_unit_and_pounds_have_two():
    assert money.exponent("IRT") == 0
    assert money.exponent("IRR") == 0
    assert money.exponent("GBP") == 2


def test_unknown_currency_is_refused():
    with pytest.raises(ValueError):
        money.exponent("XYZ")
    with pytest.raises(ValueError):
        Money(1, "XYZ")


def test_percent_of_rounds_down_to_the_unit():
    assert percent_of(950_003, 90) == 855_002  # 855,002.7
    assert percent_of(999, 90) == 899  # 899.1
    assert percent_of(1, 90) == 0
    assert percent_of(1_000, 100) == 1_000


def test_basis_points_of_rounds_down_to_the_unit():
    assert basis_points_of(1_000_003, 500) == 50_000  # 50,000.15
    assert basis_points_of(19, 500) == 0  # 0.95
    assert basis_points_of(20, 500) == 1
    assert basis_points_of(1_000, 0) == 0


def test_money_is_whole_minor_units_only():
    with pytest.raises(TypeError):
        Money(10.5, "GBP")
    with pytest.raises(TypeError):
        Money(True, "GBP")


@pytest.mark.parametrize(
    "amount, currency, text",
    [
        (15_000, "IRT", "15,000 toman"),
        (1_234_567, "IRR", "1,234,567 rial"),
        (123_456, "GBP", "£1,234.56"),
        (5, "GBP", "£0.05"),
        (-250, "GBP", "-£2.50"),
        (-15_000, "IRT", "-15,000 toman"),
    ],
)
def test_money_prints_in_its_currency(amount, currency, text):
    assert str(Money(amount, currency)) == text
