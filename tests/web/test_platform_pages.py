"""Each platform has its own about, FAQ, terms and privacy pages, in English and Persian, written by
staff (group "Editors") in the admin and linked from every page's footer of that platform; the reference
platforms start with default text that states their own rules. The footer links the API docs too."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from platforms.models import PlatformPage
from projects.models import Campaign
from tests.factories import PlatformFactory, StaffFactory

pytestmark = pytest.mark.django_db


def _page(client, slug, kind, **headers):
    response = client.get(reverse("platform-page", args=[slug, kind]), **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_every_page_of_a_platform_links_its_four_pages_and_the_api_docs_in_the_footer(client, civic):
    footer = client.get(reverse("platform", args=["civic"])).content.decode().split('class="site-footer"')[1]
    for kind in ("about", "faq", "terms", "privacy"):
        assert f'href="/civic/{kind}/"' in footer
    assert 'href="/api/v1/docs/"' in footer


def test_a_page_about_no_platform_links_only_the_api_docs(client, db):
    footer = client.get(reverse("home")).content.decode().split('class="site-footer"')[1]
    assert "/about/" not in footer and 'href="/api/v1/docs/"' in footer


def test_the_reference_platforms_start_with_pages_stating_their_own_rules(client, civic, arts):
    about = _page(client, "civic", "about")
    assert "<h1>About City Civic Portal</h1>" in about
    assert "This platform takes no fee." in about
    faq = _page(client, "arts", "faq")  # a Persian platform speaks Persian
    assert "پرسش‌های پرتکرار" in faq
    assert "دست‌کم ۲۵٪ مبلغ هدف" in faq and "۱۵ روز کاری" in faq
    assert PlatformPage.objects.filter(platform=arts).count() == 8  # four pages, two languages


def test_a_visitor_who_chose_english_reads_the_english_page_of_a_persian_platform(client, arts):
    client.cookies["django_language"] = "en"
    terms = _page(client, "arts", "terms")
    assert "<h1>Terms of use</h1>" in terms and "5% of what a successful campaign raised" in terms


def test_a_page_staff_changed_shows_their_text_sanitised(client, civic):
    PlatformPage.objects.filter(platform=civic, kind="about", language="en").update(
        title="About the portal", body="We are **Leeds**.\n\n<script>alert(1)</script>[x](javascript:alert(1))"
    )
    about = _page(client, "civic", "about")
    assert "<h1>About the portal</h1>" in about and "<strong>Leeds</strong>" in about
    assert "<script>alert" not in about and "javascript:" not in about


def test_a_new_platform_without_pages_shows_the_default_text(client, db):
    PlatformFactory(slug="town", name="Town Fund", language="en")
    assert "<h1>Privacy</h1>" in _page(client, "town", "privacy")
    assert client.get("/town/nonsense-page/").status_code == 404


def test_editors_edit_the_pages_in_the_admin_and_other_staff_do_not(client, civic):
    page = PlatformPage.objects.get(platform=civic, kind="faq", language="en")
    change = reverse("admin:platforms_platformpage_change", args=[page.pk])
    client.force_login(StaffFactory(groups=[]))
    assert client.get(change).status_code == 403
    client.force_login(StaffFactory(groups=["Editors"]))
    form = {"platform": civic.pk, "kind": "faq", "language": "en", "title": "Questions", "body": "## Ask us"}
    assert client.post(change, form).status_code == 302
    assert "<h2>Ask us</h2>" in _page(client, "civic", "faq")


def test_load_demo_stores_the_pages_of_a_flushed_database_and_names_the_demo_owner(client, db):
    PlatformPage.objects.all().delete()  # as a transactional test's flush leaves it
    call_command("load_demo", stdout=StringIO())
    assert PlatformPage.objects.filter(platform__slug="presale", language="fa").count() == 4
    campaign = Campaign.objects.filter(owner__username="owner", platform__slug="arts").first()
    page = client.get(reverse("campaign", args=["arts", campaign.pk])).content.decode()
    assert "<bdi>مریم رحیمی</bdi>" in page
