"""Template filters of the citizen site: money, numbers and dates in the visitor's language
(Persian digits and Jalali dates in Persian), sanitised Markdown, and translated labels."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re

import jdatetime
import markdown as md  # type: ignore[import-untyped,unused-ignore]  # untyped where no stubs are installed
import nh3
from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext

from accounts.profile import display_name as _display_name
from core.money import major_units, money_text, percent_reached
from core.text import FA_DIGITS, digits, is_fa
from decisions.kinds import kind_label
from projects.models import FAILED_STATUSES, FUNDED_STATUSES, CampaignStatus
from stats.periods import period_label
from web import labels

register = template.Library()

JALALI_MONTHS = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"]


@register.filter
def display_name(user) -> str:
    """A person's public name (accounts.profile): never their e-mail address."""
    return _display_name(user) if user else ""


@register.filter
def owner_url(user) -> str:
    """The link to a person's public profile: by username, or by id when the username holds an "@"
    (it may be an e-mail address, which a link would show)."""
    username = user.get_username()
    if "@" in username:
        return reverse("owner-profile-id", args=[user.pk])
    return reverse("owner-profile", args=[username])


@register.filter
def fa_digits(value: object) -> str:
    return digits(value)


@register.filter
def num(value: object) -> str:
    """A whole number with thousands separators, in the page's digits."""
    if value in (None, ""):
        value = 0
    text = f"{int(value):,}"  # type: ignore[call-overload]
    return text.replace(",", "٬").translate(FA_DIGITS) if is_fa() else text


@register.filter
def money(amount: int | None, currency: str) -> str:
    """Minor units shown as the currency is written: "15,000 toman", "£25.00", "۱۵٬۰۰۰ تومان"."""
    return money_text(amount, currency)


@register.filter(name="major_units")
def major_units_filter(amount: int | None, currency: str) -> str:
    """Minor units as a person would type them in a form: 2550 GBP -> "25.50"."""
    return major_units(amount, currency)


def jalali(value: dt.date | dt.datetime, *, with_time: bool = False) -> str:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        j = jdatetime.datetime.fromgregorian(datetime=value)
    else:
        j = jdatetime.date.fromgregorian(date=value)
    text = f"{j.day} {JALALI_MONTHS[j.month - 1]} {j.year}"
    if with_time and isinstance(value, dt.datetime):
        text += f"، ساعت {value.hour:02d}:{value.minute:02d}"
    return text.translate(FA_DIGITS)


@register.filter
def campaign_date(value, campaign):
    """`jdate` in the time zone of the campaign's platform (a page such as the backer's dashboard
    lists things of several platforms); the active time zone when there is no campaign."""
    if campaign is None:
        return jdate(value)
    with timezone.override(campaign.platform.tz):
        return jdate(value)


@register.filter
def jdate(value, arg: str = ""):
    """A date (Jalali in Persian, Gregorian otherwise) in the active time zone; "time" adds the hour."""
    if not value:
        return ""
    with_time = arg == "time"
    if is_fa():
        return jalali(value, with_time=with_time)
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "j M Y, H:i" if with_time and isinstance(value, dt.datetime) else "j M Y")


@register.filter
def delivery_month(value):
    """A reward's estimated delivery month: "March 2027"; in Persian, by the month's last day as a Jalali
    date (a Gregorian month spans two Jalali months, so the promise is said as the day it ends)."""
    if not value:
        return ""
    last = value.replace(day=calendar.monthrange(value.year, value.month)[1])
    if is_fa():
        return "تا " + jalali(last)
    return formats.date_format(value, "F Y")


@register.filter
def time_left(deadline):
    """ "3 days left", "5 hours left", or "ended"."""
    if not deadline:
        return ""
    seconds = (deadline - timezone.now()).total_seconds()
    if seconds <= 0:
        return gettext("ended")
    days = int(seconds // 86400)
    if days >= 1:
        return digits(ngettext("%(n)d day left", "%(n)d days left", days) % {"n": days})
    hours = int(seconds // 3600)
    if hours >= 1:
        return digits(ngettext("%(n)d hour left", "%(n)d hours left", hours) % {"n": hours})
    minutes = max(1, int(seconds // 60))
    return digits(ngettext("%(n)d minute left", "%(n)d minutes left", minutes) % {"n": minutes})


@register.filter(name="percent_reached")
def percent_reached_filter(raised: int | None, goal: int | None) -> int:
    """Whole percent raised of the goal, rounded down (may pass 100): core.money.percent_reached."""
    return percent_reached(raised, goal)


@register.filter
def bar_width(raised: int | None, goal: int | None) -> int:
    return min(100, percent_reached(raised, goal))


@register.filter
def failed(status: str) -> bool:
    """A campaign status of the failed group (not funded, refunding or refunded)."""
    return status in FAILED_STATUSES


ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "code",
    "pre",
    "h2",
    "h3",
    "h4",
    "img",
    "hr",
}


_IMG = re.compile(r"<img\b([^>]*)>")
_ATTR = re.compile(r'([a-z]+)="([^"]*)"')


def _site_images_only(html: str) -> str:
    """Keep only pictures uploaded to the site for stories (projects.StoryImage), with alt text; any
    other image (an external tracker, a picture without alt text) becomes a link to it, so a page never
    loads anything from elsewhere. `html` is nh3's output: attributes double-quoted and escaped."""
    uploaded = f"{settings.MEDIA_URL}story-images/"

    def replace(match: re.Match) -> str:
        attrs = dict(_ATTR.findall(match.group(1)))
        src, alt = attrs.get("src", ""), attrs.get("alt", "").strip()
        if src.startswith(uploaded) and "//" not in src and ".." not in src and alt:
            return f'<img src="{src}" alt="{alt}" loading="lazy">'
        if not src:
            return alt
        return f'<a href="{src}" rel="nofollow noopener">{alt or gettext("(picture)")}</a>'

    return _IMG.sub(replace, html)


@functools.lru_cache(maxsize=512)
def _markdown_html(text: str, language: str | None, media_url: str) -> str:
    """The sanitised HTML of `text` (a pure function of the text, the language of the "(picture)" link
    text and MEDIA_URL: kept per process, since a campaign page renders the same story and updates for
    every visitor and Markdown's parser is the page's costliest filter)."""
    html = md.markdown(text, extensions=["sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "img": {"src", "alt"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener",
    )
    return _site_images_only(clean)


@register.filter(name="markdown")
def markdown_filter(text):
    """A campaign story or update: Markdown to HTML, then sanitised (scripts and handlers never survive);
    only pictures uploaded to the site, with alt text, are shown (others become links)."""
    html = _markdown_html(str(text or ""), get_language(), str(settings.MEDIA_URL))
    return mark_safe(html)  # noqa: S308 -- sanitised by nh3 in _markdown_html


@register.filter
def decision_kind(code):
    """A decision's kind in words (decisions.kinds, registered by the app that decides)."""
    return kind_label(code)


@register.filter
def status_label(status):
    return labels.campaign_status(status)


@register.filter
def pledge_status_label(status):
    return labels.pledge_status(status)


@register.filter
def category_name(category):
    if category is None:
        return ""
    return category.name_fa if is_fa() and category.name_fa else category.name


@register.filter
def area_name(area):
    """An area's name in the page's language."""
    if area is None:
        return ""
    return area.name_fa if is_fa() and area.name_fa else area.name


@register.filter
def platform_text(value):
    """A preset platform's name or description in the page's language (catalogue lookup)."""
    return gettext(value) if value else ""


@register.filter
def funding_model_label(value):
    return labels.funding_model(value)


@register.simple_tag
def funding_rule(campaign):
    """The funding rule in plain words, with the deadline in the page's calendar: what will happen while
    the campaign runs, what happened once it closed (funded, or not and its backers refunded), and that
    the result is on its way when the deadline has passed but the close has not run yet."""
    when = jdate(campaign.deadline, "time")
    threshold = campaign.funding_model == "threshold"
    values = {"pct": digits(campaign.platform.success_threshold_percent), "date": when}
    if campaign.status in FUNDED_STATUSES:
        if threshold:
            return (
                gettext("By %(date)s this campaign had raised at least %(pct)s%% of its goal, so it was funded.")
                % values
            )
        return gettext("By %(date)s this campaign had raised its whole goal, so it was funded.") % values
    if campaign.status in FAILED_STATUSES:
        if campaign.status == CampaignStatus.REFUNDED:
            if threshold:
                return (
                    gettext(
                        "By %(date)s this campaign had raised less than %(pct)s%% of its goal, so it was "
                        "not funded and everyone was refunded in full."
                    )
                    % values
                )
            return (
                gettext(
                    "By %(date)s this campaign had not raised its whole goal, so it was not funded and "
                    "everyone was refunded in full."
                )
                % values
            )
        if threshold:
            return (
                gettext(
                    "By %(date)s this campaign had raised less than %(pct)s%% of its goal, so it was not "
                    "funded; everyone is being refunded in full."
                )
                % values
            )
        return (
            gettext(
                "By %(date)s this campaign had not raised its whole goal, so it was not funded; everyone "
                "is being refunded in full."
            )
            % values
        )
    if campaign.status == "live" and campaign.deadline <= timezone.now():
        return gettext("This campaign ended on %(date)s; its result will be announced shortly.") % values
    if threshold:
        return (
            gettext(
                "If less than %(pct)s%% of the goal is raised by %(date)s, everyone is refunded in full; "
                "otherwise the campaign is funded."
            )
            % values
        )
    return gettext("If the whole goal is not raised by %(date)s, everyone is refunded in full.") % values


@register.simple_tag
def site_url(name, *args):
    """An absolute link to a page of the site (e-mails): CIVICFUND_SITE_URL and the reversed URL."""
    return settings.CIVICFUND_SITE_URL.rstrip("/") + reverse(name, args=args)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters changed (pagination and sorting links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode() if params else "?"


@register.filter
def stat_month(period, platform):
    """A statistics month (year × 100 + month in the platform's calendar) in the page's language:
    "Azar 1403", "آذر ۱۴۰۳", "November 2026"."""
    return digits(period_label(platform, int(period), persian=is_fa()))


@register.filter
def rate(value):
    """A whole percent in the page's digits ("75%", "۷۵٪"), or "—" when there is none."""
    if value is None:
        return "—"
    return f"{value}".translate(FA_DIGITS) + "٪" if is_fa() else f"{value}%"
