"""In a real browser: a completed campaign's page (its report, spending against what was raised, receipts,
impact, upkeep and the timeline of decisions) and the platform's decision log, in English and Persian."""

from __future__ import annotations

import pytest

from projects.models import Campaign
from web.demo import demo_users
from web.demo_impact import demo_impact_load

from .conftest import axe_check, is_rtl, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def completed(site):
    demo_impact_load(demo_users())
    return {
        "en": Campaign.objects.get(title="Pocket park on Station Road"),
        "fa": Campaign.objects.get(title="کلاس تابستانی برای کودکان"),
    }


def _image_loaded(page) -> bool:
    # The pictures load lazily (loading="lazy"): below the fold, as on the longer Persian page, only once
    # scrolled to; then they must decode.
    page.locator(".attachments img").last.scroll_into_view_if_needed()
    loaded = "() => [...document.querySelectorAll('.attachments img')].every(i => i.complete && i.naturalWidth > 0)"
    try:
        page.wait_for_function(loaded, timeout=5_000)
    except Exception:  # noqa: BLE001 - the assertion that calls this says what failed
        return False
    return True


def test_a_completed_campaign_and_the_decision_log_in_english(page, site, completed):
    park = completed["en"]
    page.goto(f"{site.url}/civic/campaigns/{park.pk}/")
    assert not is_rtl(page)
    report = page.locator("section.report")
    assert "Spent £7,200.00 of £8,200.00 raised" in report.inner_text()
    assert page.locator(".attachments img").count() == 1 and _image_loaded(page)
    impact = page.locator("section.impact").inner_text()
    assert "20 trees" in impact and "22 trees" in impact and "Photos of each bench" in impact
    assert "Old Town Parks team" in page.locator("section.upkeep").inner_text()
    timeline = page.locator("section.decisions").inner_text()
    for step in (
        "Approved",
        "Funded at the deadline",
        "First payout made",
        "Final report approved",
        "Held part released",
    ):
        assert step in timeline
    assert "Decided by: Platform reviewer" in timeline
    axe_check(page, "completed campaign")
    shot(page, "completed-campaign-impact-en")

    page.goto(f"{site.url}/civic/")
    assert "across 1 project: 22 trees (trees planted)" in page.locator("main").inner_text()
    page.get_by_role("link", name="Decision log").click()
    page.wait_for_url("**/civic/decisions/")
    page.select_option("#id_kind", "report.approved")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**kind=report.approved**")
    entries = page.locator("ol.decisions > li")
    assert entries.count() == 1 and park.title in entries.first.inner_text()
    axe_check(page, "decision log")
    shot(page, "decision-log-en")


def test_a_completed_campaign_and_the_decision_log_in_persian(page, site, completed):
    classes = completed["fa"]
    page.goto(f"{site.url}/charity/campaigns/{classes.pk}/")
    assert is_rtl(page)
    assert "از" in page.locator("section.report p.spent").inner_text()  # "... از ... جمع‌شده هزینه شد"
    assert "هزینه شد" in page.locator("section.report p.spent").inner_text()
    assert "۱۳۵ کودک" in page.locator("section.impact").inner_text()
    timeline = page.locator("section.decisions").inner_text()
    assert "گاه‌شمار تصمیم‌ها" in timeline and "صورت وضعیت نهایی تأیید شد" in timeline
    assert "تصمیم‌گیرنده: بازبین سکو" in timeline
    assert _image_loaded(page)
    axe_check(page, "completed campaign (fa)")
    shot(page, "completed-campaign-impact-fa")

    page.goto(f"{site.url}/charity/decisions/")
    assert is_rtl(page)
    assert "دفتر تصمیم‌ها" in page.locator("h1").inner_text()
    assert page.locator("ol.decisions > li").count() >= 8
    axe_check(page, "decision log (fa)")
    shot(page, "decision-log-fa")
