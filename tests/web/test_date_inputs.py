"""Dates typed in the owner's forms follow the page's language, as the campaign's deadline does: the
reward's delivery month and the guarantee's expiry are text boxes (not the browser's pickers, which
write mm/dd/yyyy whatever the platform) taking Jalali dates on a Persian page and day-first dates on
an English one; their examples show this year."""

from __future__ import annotations

import datetime as dt

import jdatetime
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from projects.models import CampaignStatus
from tests.factories import CampaignFactory
from web.forms.campaigns import TierForm
from web.forms.presale import GuaranteeForm

pytestmark = pytest.mark.django_db


def test_a_persian_owner_types_the_delivery_month_in_the_solar_hijri_calendar(client, site_owner):
    draft = CampaignFactory(slug="presale", owner=site_owner, status=CampaignStatus.DRAFT, goal=30_000_000)
    client.force_login(site_owner)
    page = client.get(reverse("owner-campaign", args=[draft.pk])).content.decode()
    this_month = jdatetime.date.today().strftime("%Y/%m").translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert 'name="estimated_delivery"' in page and 'type="month"' not in page
    assert f'placeholder="{this_month}"' in page  # this year's month, not 1404's
    url = reverse("owner-tier-add", args=[draft.pk])
    client.post(url, {"title": "چراغ", "amount": "1500000", "ships": "on", "estimated_delivery": "۱۴۰۵/۱۲"})
    tier = draft.tiers.get()
    assert tier.estimated_delivery == dt.date(2027, 3, 1)  # Esfand 1405 ends on 20 March 2027
    edit = client.get(reverse("owner-tier-edit", args=[draft.pk, tier.pk])).content.decode()
    assert 'value="۱۴۰۵/۱۲"' in edit  # shown back as typed


def test_an_english_owner_types_month_and_year_and_a_bad_month_is_refused_with_an_example(client, site_owner):
    draft = CampaignFactory(slug="civic", owner=site_owner, status=CampaignStatus.DRAFT, goal=30_000_000)
    client.force_login(site_owner)
    url = reverse("owner-tier-add", args=[draft.pk])
    refused = client.post(url, {"title": "Mug", "amount": "15", "ships": "on", "estimated_delivery": "13/2027"})
    example = timezone.localdate().strftime("%m/%Y")
    assert f"Enter a month like {example}." in refused.content.decode()
    assert not draft.tiers.exists()
    client.post(url, {"title": "Mug", "amount": "15", "ships": "on", "estimated_delivery": "03/2027"})
    assert draft.tiers.get().estimated_delivery == dt.date(2027, 3, 1)


def _guarantee(data):
    return GuaranteeForm(
        {"issuer": "Bank", "reference": "G-1", "amount": "300000", "currency": "IRT", **data},
        {},
        currency="IRT",
    )


def test_the_guarantee_expiry_is_a_jalali_date_in_persian_and_day_first_in_english(db):
    with translation.override("fa"):
        form = _guarantee({"expires_on": "۱۴۰۶/۰۱/۱۵"})
        assert 'type="date"' not in str(form["expires_on"])
        form.is_valid()
        assert form.cleaned_data["expires_on"] == dt.date(2027, 4, 4)
        this_year = str(jdatetime.date.today().year).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
        assert this_year in form.fields["expires_on"].help_text
    with translation.override("en"):
        form = _guarantee({"expires_on": "04/03/2027"})
        form.is_valid()
        assert form.cleaned_data["expires_on"] == dt.date(2027, 3, 4)  # 4 March: day first
        bad = _guarantee({"expires_on": "2027-02-30"})
        assert not bad.is_valid() and "Enter a date like" in str(bad.errors["expires_on"])


def test_a_tier_form_shows_a_saved_month_back_in_the_page_s_calendar(db):
    tier_month = dt.date(2026, 10, 1)
    with translation.override("fa"):
        form = TierForm(currency="IRT", initial={"estimated_delivery": tier_month})
        assert 'value="۱۴۰۵/۰۷"' in str(form["estimated_delivery"])  # Mehr 1405 ends in October
    with translation.override("en"):
        form = TierForm(currency="GBP", initial={"estimated_delivery": tier_month})
        assert 'value="10/2026"' in str(form["estimated_delivery"])
