"""Typed cell values of data tables: each keeps its unit and knows how to print itself."""

from __future__ import annotations

from dataclasses import dataclass

CURRENCY_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}
EN_DASH = "\u2013"


def format_number(value: float | int) -> str:
    """Return a number with thousands separators and no needless decimals: 120000 -> '120,000'."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{int(value):,}"


def format_money(amount: float | int, currency: str) -> str:
    """Return an amount with its currency: '$120,000', or '120,000 CHF' without a known sign."""
    sign = CURRENCY_SIGNS.get(currency)
    return f"{sign}{format_number(amount)}" if sign else f"{format_number(amount)} {currency}"


@dataclass(frozen=True)
class Money:
    """An amount of money in one currency."""

    amount: float | int
    currency: str

    def __str__(self) -> str:
        return format_money(self.amount, self.currency)


@dataclass(frozen=True)
class Percent:
    """A percentage, stored as written: 32 means 32%."""

    value: float | int

    def __str__(self) -> str:
        return f"{format_number(self.value)}%"


@dataclass(frozen=True)
class Range:
    """A range of numbers or money; `max` is None for an open range such as '$180,000+'."""

    min: float | int
    max: float | int | None
    currency: str = ""  # set for a range of money

    def show(self, value: float | int) -> str:
        """Format one end of the range."""
        return format_money(value, self.currency) if self.currency else format_number(value)

    def __str__(self) -> str:
        if self.max is None:
            return f"{self.show(self.min)}+"
        return f"{self.show(self.min)} {EN_DASH} {self.show(self.max)}"


@dataclass(frozen=True)
class YearSpan:
    """A span of years of experience: 0-2, or open-ended as '5+ years'."""

    min: int
    max: int | None

    def __str__(self) -> str:
        if self.max is None:
            return f"{self.min}+ years"
        return f"{self.min}{EN_DASH}{self.max} years"


@dataclass(frozen=True)
class Ref:
    """A reference to the row of another table whose key is `key`."""

    table: str
    key: str

    def __str__(self) -> str:
        return self.key


def format_value(value) -> str:
    """Return a cell's text: typed values print themselves, numbers get separators."""
    if value is None:
        return ""
    if isinstance(value, tuple | list):
        return ", ".join(map(str, value))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value)
    return str(value)
