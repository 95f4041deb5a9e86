"""Template filters of accountability: a decision's wording, its role and (where the platform shows
names) who decided; an indicator's name and unit in the page's language."""

from __future__ import annotations

from django import template

from core.text import is_fa
from decisions.kinds import kind_label
from decisions.models import ActorRole
from impact.models import StandardIndicator
from impact.selectors import decision_who

register = template.Library()


@register.filter
def decision_kind(code: str) -> str:
    return kind_label(code)


@register.filter
def decision_role(role: str) -> str:
    try:
        return str(ActorRole(role).label)
    except ValueError:
        return role


@register.filter
def decision_name(decision) -> str:
    return decision_who(decision)


def _standard(indicator):
    return indicator if isinstance(indicator, StandardIndicator) else getattr(indicator, "standard", None)


@register.filter
def indicator_name(indicator) -> str:
    standard = _standard(indicator)
    if standard is not None and is_fa() and standard.name_fa:
        return standard.name_fa
    return indicator.name


@register.filter
def indicator_unit(indicator) -> str:
    standard = _standard(indicator)
    if standard is not None and is_fa() and standard.unit_fa:
        return standard.unit_fa
    return indicator.unit
