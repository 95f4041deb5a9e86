"""Platforms, categories and campaigns: reading, and the owner's and admin's lifecycle."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pledges.services import pledge_create
from projects.models import Campaign, CampaignStatus, CampaignUpdate, FinalReport
from tests.factories import GOOD_CARD, CampaignFactory, TierFactory, UserFactory, area, guarantee_verified

from .conftest import assert_error

pytestmark = pytest.mark.django_db

URL = "/api/v1/campaigns/"


def draft_body(platform_slug="presale", category=None, **over):
    from platforms.models import Platform

    platform = Platform.objects.get(slug=platform_slug)
    now = timezone.now()
    body = {
        "platform": platform_slug,
        "category": category or platform.categories.first().pk,
        "title": "A bench for the park",
        "story": "We build a bench.",
        "goal": 2_000_000,
        "starts_at": (now + dt.timedelta(hours=1)).isoformat(),
        "deadline": (now + dt.timedelta(days=30)).isoformat(),
        "funding_model": platform.funding_models[0],
    }
    body.update(over)
    return body


def test_campaigns_are_filtered_by_area_slug_and_platforms_list_their_areas(anon):
    tehran = CampaignFactory(slug="arts", title="Street theatre", area=area("arts", "tehran"))
    CampaignFactory(slug="arts", title="A film in Yazd", area=area("arts", "yazd"))
    body = anon.get(URL, {"area": "tehran"}).json()
    assert [row["id"] for row in body["results"]] == [tehran.pk]
    assert body["results"][0]["area"] == "tehran"
    areas = anon.get("/api/v1/platforms/arts/").json()["areas"]
    tehran_area = next(a for a in areas if a["slug"] == "tehran")
    assert len(areas) == 31 and (tehran_area["name"], tehran_area["name_fa"]) == ("Tehran", "تهران")
    wards = anon.get("/api/v1/areas/", {"platform": "civic"}).json()
    assert {w["kind"] for w in wards} == {"ward"} and "riverside" in {w["slug"] for w in wards}


def test_platforms_and_categories_are_public(anon):
    platforms = anon.get("/api/v1/platforms/").json()
    assert {p["slug"] for p in platforms} >= {"arts", "charity", "presale", "civic"}
    arts = anon.get("/api/v1/platforms/arts/").json()
    assert arts["currency"] == "IRT" and arts["min_pledge"] == 5_000 and arts["categories"]
    cats = anon.get("/api/v1/categories/", {"platform": "charity"}).json()
    assert cats and all(c["platform"] == "charity" for c in cats)
    assert_error(anon.get("/api/v1/platforms/nope/"), 404, "not_found")


def test_campaign_list_shows_totals_and_hides_drafts(anon, live, backer, tier):
    pledge_create(campaign_id=live.pk, backer=backer, amount=20_000, tier_id=tier.pk, card=GOOD_CARD)
    CampaignFactory(slug="presale", status=CampaignStatus.DRAFT, title="Secret draft")
    body = anon.get(URL).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["id"] == live.pk and row["raised"] == 20_000 and row["backers"] == 1
    assert row["currency"] == "IRT" and row["goal"] == 1_000_000 and isinstance(row["goal"], int)


def test_campaign_list_filters_search_ordering_and_pagination(anon, presale, civic):
    a = CampaignFactory(slug="presale", title="Solar lamps", goal=500_000, area=area("presale", "east-azerbaijan"))
    b = CampaignFactory(slug="presale", title="Library books", goal=900_000)
    c = CampaignFactory(slug="civic", title="Solar roof for the school", goal=700_000)
    ids = lambda r: [x["id"] for x in r.json()["results"]]  # noqa: E731
    assert set(ids(anon.get(URL, {"platform": "presale"}))) == {a.pk, b.pk}
    assert set(ids(anon.get(URL, {"search": "solar"}))) == {a.pk, c.pk}
    assert ids(anon.get(URL, {"search": "azerbaijan"})) == [a.pk]
    assert ids(anon.get(URL, {"ordering": "goal"})) == [a.pk, c.pk, b.pk]
    assert ids(anon.get(URL, {"ordering": "-goal"})) == [b.pk, c.pk, a.pk]
    assert ids(anon.get(URL, {"status": "draft"})) == []
    page = anon.get(URL, {"page_size": 2, "ordering": "goal"}).json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
    assert_error(anon.get(URL, {"ordering": "password"}), 400, "invalid", "ordering")
    assert_error(anon.get(URL, {"status": "bogus"}), 400, "invalid", "status")
    assert_error(anon.get(URL, {"page": 99}), 404, "not_found")


def _queries(client, path) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_campaign_list_query_count_does_not_grow(anon, presale, django_assert_max_num_queries):
    for _ in range(3):
        TierFactory(campaign=CampaignFactory(slug="presale"))
    few = _queries(anon, URL)
    for _ in range(15):
        c = CampaignFactory(slug="presale")
        TierFactory(campaign=c)
        TierFactory(campaign=c)
    with django_assert_max_num_queries(few):  # the page's count and the page itself, whatever the rows
        assert len(anon.get(URL).json()["results"]) == 18
    assert few <= 4


def test_campaign_detail_query_count_is_bounded(anon, live, django_assert_max_num_queries):
    few = _queries(anon, f"{URL}{live.pk}/")
    for _ in range(5):
        TierFactory(campaign=live)
        CampaignUpdate.objects.create(campaign=live, title="t", body="b")
    with django_assert_max_num_queries(few):
        body = anon.get(f"{URL}{live.pk}/").json()
    assert len(body["tiers"]) == 6 and len(body["updates"]) == 5


def test_campaign_detail_shows_tiers_remaining_updates_and_public_report(anon, live, tier, backer):
    pledge_create(campaign_id=live.pk, backer=backer, amount=15_000, tier_id=tier.pk, card=GOOD_CARD)
    CampaignUpdate.objects.create(campaign=live, title="Week 1", body="Going well")
    FinalReport.objects.create(campaign=live, text="draft report", status="submitted")
    body = anon.get(f"{URL}{live.pk}/").json()
    assert body["raised"] == 15_000 and body["backers"] == 1
    assert body["tiers"] == [
        {
            "id": tier.pk,
            "amount": 15_000,
            "title": "Early bird",
            "description": "",
            "quantity_limit": 2,
            "quantity_claimed": 1,
            "remaining": 1,
            "estimated_delivery": None,
            "ships": False,
        }
    ]
    assert [u["title"] for u in body["updates"]] == ["Week 1"]
    assert body["final_report"] is None  # a report under review is not public
    FinalReport.objects.create(
        campaign=live, text="All done", status="approved", spending=[{"item": "wood", "amount": 10_000}]
    )
    report = anon.get(f"{URL}{live.pk}/").json()["final_report"]
    assert report["text"] == "All done" and report["spending_total"] == 10_000


def test_a_draft_may_leave_its_start_out_as_on_the_website(as_owner, presale):
    body = draft_body()
    del body["starts_at"]
    created = as_owner.post(URL, body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["starts_at"] is not None


def test_owner_creates_edits_adds_tier_and_submits_then_admin_approves(as_owner, as_admin, presale):
    created = as_owner.post(URL, draft_body(), format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    pk = body["id"]
    assert body["status"] == "draft" and body["currency"] == "IRT" and body["goal"] == 2_000_000
    edited = as_owner.patch(f"{URL}{pk}/", {"goal": 3_000_000, "title": "Two benches"}, format="json")
    assert edited.status_code == 200 and edited.json()["goal"] == 3_000_000
    tier = as_owner.post(
        f"{URL}{pk}/tiers/", {"amount": 50_000, "title": "A plaque", "quantity_limit": 10}, format="json"
    )
    assert tier.status_code == 201 and tier.json()["remaining"] == 10
    assert as_owner.get(URL, {"mine": "true"}).json()["count"] == 1
    assert_error(as_owner.post(f"{URL}{pk}/submit/"), 400, "area_required")
    placed = as_owner.patch(f"{URL}{pk}/", {"area": "isfahan"}, format="json")
    assert placed.status_code == 200 and placed.json()["area"] == "isfahan" and placed.json()["area_name"] == "Isfahan"
    assert_error(as_owner.post(f"{URL}{pk}/submit/"), 400, "guarantee_required")  # the pre-sale preset's rule
    guarantee_verified(Campaign.objects.get(pk=pk))
    submitted = as_owner.post(f"{URL}{pk}/submit/")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert_error(as_owner.patch(f"{URL}{pk}/", {"goal": 1}, format="json"), 409, "not_draft")
    approved = as_admin.post(f"{URL}{pk}/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "live"
    assert_error(as_admin.post(f"{URL}{pk}/approve/"), 409, "invalid_transition")


def test_admin_sends_back_with_reason(as_owner, as_admin, presale):
    pk = as_owner.post(URL, draft_body(area="tehran"), format="json").json()["id"]
    guarantee_verified(Campaign.objects.get(pk=pk))
    as_owner.post(f"{URL}{pk}/submit/")
    assert_error(as_admin.post(f"{URL}{pk}/send-back/", {"reason": "  "}, format="json"), 400, "invalid", "reason")
    back = as_admin.post(f"{URL}{pk}/send-back/", {"reason": "Add photos"}, format="json")
    assert back.status_code == 200
    assert back.json()["status"] == "draft" and back.json()["review_note"] == "Add photos"


@pytest.mark.parametrize(
    "over, field",
    [
        ({"goal": -5}, "goal"),
        ({"goal": 0}, "goal"),
        ({"goal": 10**30}, "goal"),
        ({"goal": "lots"}, "goal"),
        ({"goal": 12.5}, "goal"),
        ({"funding_model": "threshold"}, "funding_model"),  # charity is all-or-nothing only
        ({"deadline": "2001-01-01T00:00:00Z"}, "deadline"),
        ({"category": 999_999}, "category"),
        ({"platform": "nowhere"}, "platform"),
        ({"title": "x" * 201}, "title"),
        ({"area": "riverside"}, "area"),  # a ward of the civic portal, not a province of charity's
        ({"area": "no such place"}, "area"),
    ],
)
def test_campaign_create_refuses_bad_input(as_owner, charity, over, field):
    body = draft_body("charity", **over)
    assert_error(as_owner.post(URL, body, format="json"), 400, None, field)
    assert not Campaign.objects.exists()


def test_campaign_create_refuses_other_platforms_category(as_owner, charity, arts):
    body = draft_body("charity", category=arts.categories.first().pk)
    assert_error(as_owner.post(URL, body, format="json"), 400, "invalid", "category")


def test_tier_refused_on_charity_and_below_minimum(as_owner, owner, presale, charity):
    draft = CampaignFactory(slug="charity", owner=owner, status=CampaignStatus.DRAFT)
    assert_error(
        as_owner.post(f"{URL}{draft.pk}/tiers/", {"amount": 50_000, "title": "x"}, format="json"),
        400,
        "tiers_not_allowed",
    )
    draft2 = CampaignFactory(slug="presale", owner=owner, status=CampaignStatus.DRAFT)
    assert_error(
        as_owner.post(f"{URL}{draft2.pk}/tiers/", {"amount": 1, "title": "x"}, format="json"), 400, "invalid", "amount"
    )
    assert_error(
        as_owner.post(f"{URL}{draft2.pk}/tiers/", {"amount": 10**20, "title": "x"}, format="json"),
        400,
        "invalid",
        "amount",
    )


def test_owner_posts_updates_once_live(as_owner, anon, live, owner):
    posted = as_owner.post(f"{URL}{live.pk}/updates/", {"title": "Progress", "body": "Half done"}, format="json")
    assert posted.status_code == 201
    assert [u["title"] for u in anon.get(f"{URL}{live.pk}/updates/").json()["results"]] == ["Progress"]
    draft = CampaignFactory(slug="presale", owner=owner, status=CampaignStatus.DRAFT)
    assert_error(
        as_owner.post(f"{URL}{draft.pk}/updates/", {"title": "t", "body": "b"}, format="json"), 409, "not_live"
    )


def test_final_report_submit_approve_and_reject(as_owner, as_admin, owner, presale, run_on_commit):
    campaign = CampaignFactory(slug="presale", owner=owner, status=CampaignStatus.PAID)
    body = {"text": "We built it", "spending": [{"item": "wood", "amount": 40_000}]}
    assert_error(
        as_owner.post(
            f"{URL}{campaign.pk}/report/", {"text": "x", "spending": [{"item": "a", "amount": "lots"}]}, format="json"
        ),
        400,
        "invalid",
        "spending",
    )
    filed = as_owner.post(f"{URL}{campaign.pk}/report/", body, format="json")
    assert filed.status_code == 201 and filed.json()["spending_total"] == 40_000
    report_id = filed.json()["id"]
    assert [r["id"] for r in as_admin.get("/api/v1/reports/", {"status": "submitted"}).json()["results"]] == [report_id]
    rejected = as_admin.post(f"/api/v1/reports/{report_id}/reject/", {"reason": "No receipts"}, format="json")
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert_error(as_admin.post(f"/api/v1/reports/{report_id}/approve/"), 409, "already_reviewed")
    again = as_owner.post(f"{URL}{campaign.pk}/report/", body, format="json").json()["id"]
    with run_on_commit():
        approved = as_admin.post(f"/api/v1/reports/{again}/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.COMPLETED


def test_another_users_draft_is_invisible(as_backer, anon, owner, presale):
    draft = CampaignFactory(slug="presale", owner=owner, status=CampaignStatus.DRAFT)
    assert_error(anon.get(f"{URL}{draft.pk}/"), 404, "not_found")
    assert_error(as_backer.get(f"{URL}{draft.pk}/"), 404, "not_found")
    assert_error(as_backer.patch(f"{URL}{draft.pk}/", {"title": "mine now"}, format="json"), 404)
    assert_error(as_backer.post(f"{URL}{draft.pk}/submit/"), 404)
    assert_error(as_backer.post(f"{URL}{draft.pk}/tiers/", {"amount": 5_000, "title": "x"}, format="json"), 404)
    draft.refresh_from_db()
    assert draft.status == CampaignStatus.DRAFT and draft.title != "mine now"


def test_non_owner_cannot_change_a_public_campaign(as_backer, live):
    assert_error(
        as_backer.post(f"{URL}{live.pk}/updates/", {"title": "spam", "body": "spam"}, format="json"),
        403,
        "permission_denied",
    )
    assert_error(as_backer.patch(f"{URL}{live.pk}/", {"title": "hijack"}, format="json"), 403, "permission_denied")
    assert_error(
        as_backer.post(f"{URL}{live.pk}/report/", {"text": "x", "spending": []}, format="json"),
        403,
        "permission_denied",
    )


def test_only_staff_approve_or_send_back(as_owner, owner, presale):
    campaign = CampaignFactory(slug="presale", owner=owner, status=CampaignStatus.SUBMITTED)
    assert_error(as_owner.post(f"{URL}{campaign.pk}/approve/"), 403, "permission_denied")
    assert_error(
        as_owner.post(f"{URL}{campaign.pk}/send-back/", {"reason": "x"}, format="json"), 403, "permission_denied"
    )
    other = UserFactory()
    from .conftest import client_for

    assert_error(client_for(other).post(f"{URL}{campaign.pk}/approve/"), 404)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SUBMITTED


def test_only_staff_review_reports(as_owner, as_backer, owner, presale):
    campaign = CampaignFactory(slug="presale", owner=owner, status=CampaignStatus.REPORT_SUBMITTED)
    report = FinalReport.objects.create(campaign=campaign, text="done")
    assert_error(as_owner.post(f"/api/v1/reports/{report.pk}/approve/"), 403, "permission_denied")
    assert_error(as_backer.post(f"/api/v1/reports/{report.pk}/approve/"), 404)
    assert_error(as_backer.post(f"/api/v1/reports/{report.pk}/reject/", {"reason": "x"}, format="json"), 404)
    assert as_backer.get("/api/v1/reports/").json()["count"] == 0
    report.refresh_from_db()
    assert report.status == "submitted"


def test_writes_need_authentication(anon, live):
    assert_error(anon.post(URL, {}, format="json"), 401, "not_authenticated")
    assert_error(anon.post(f"{URL}{live.pk}/pledges/", {"amount": 20_000}, format="json"), 401, "not_authenticated")
    for path in (
        "/api/v1/pledges/",
        "/api/v1/wallet/",
        "/api/v1/wallet/entries/",
        "/api/v1/payouts/",
        "/api/v1/reports/",
    ):
        response = anon.get(path)
        assert_error(response, 401, "not_authenticated")
        assert response["WWW-Authenticate"].startswith("Token")


# --- times without an offset are the platform's local time ---------------------------------------


def _last_sunday(year: int, month: int) -> dt.date:
    day = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return day - dt.timedelta(days=(day.weekday() - 6) % 7)


def london_clock_change(month: int) -> dt.date:
    """The next day London's clocks change in `month` (3: forward at 01:00, 10: back at 02:00) that is
    still some days ahead, so a deadline on it is in the future."""
    today = timezone.now().date()
    year = today.year
    while _last_sunday(year, month) <= today + dt.timedelta(days=3):
        year += 1
    return _last_sunday(year, month)


def test_a_deadline_without_an_offset_is_the_platforms_local_time_as_on_the_owners_form(as_owner, arts):
    from web.forms.dates import local_datetime_parse

    year = timezone.now().year + 1
    created = as_owner.post(
        URL, draft_body("arts", starts_at=f"{year}-03-01T09:00:00", deadline=f"{year}-03-28T12:00:00"), format="json"
    )
    assert created.status_code == 201, created.json()
    campaign = Campaign.objects.get(pk=created.json()["id"])
    assert campaign.deadline == dt.datetime(year, 3, 28, 8, 30, tzinfo=dt.UTC)  # 12:00 in Tehran (+03:30)
    assert campaign.starts_at == dt.datetime(year, 3, 1, 5, 30, tzinfo=dt.UTC)
    assert campaign.deadline == local_datetime_parse(f"{year}-03-28 12:00", arts.tz, jalali=False)
    assert created.json()["deadline"] == f"{year}-03-28T08:30:00Z"
    assert created.json()["notices"] == []
    # With an offset, the instant is the one given; an edit reads local time the same way.
    edited = as_owner.patch(f"{URL}{campaign.pk}/", {"deadline": f"{year}-03-28T12:00:00Z"}, format="json")
    assert edited.status_code == 200 and edited.json()["deadline"] == f"{year}-03-28T12:00:00Z"
    edited = as_owner.patch(f"{URL}{campaign.pk}/", {"deadline": f"{year}-03-29T12:00:00"}, format="json")
    assert edited.status_code == 200 and edited.json()["deadline"] == f"{year}-03-29T08:30:00Z"


def test_a_local_deadline_in_the_hour_the_clocks_skip_is_refused_with_the_reason(as_owner, owner, civic):
    day = london_clock_change(3)
    body = draft_body("civic", starts_at=None, deadline=f"{day}T01:30:00")
    del body["starts_at"]
    refused = as_owner.post(URL, body, format="json")
    error = assert_error(refused, 400, "nonexistent_time", "deadline")
    assert error["fields"]["deadline"] == [
        f"There is no 01:30 on {day} in Europe/London: the clocks go forward then. Choose another time, such as 02:30."
    ]
    assert not Campaign.objects.exists()
    draft = CampaignFactory(slug="civic", owner=owner, status=CampaignStatus.DRAFT)
    assert_error(
        as_owner.patch(f"{URL}{draft.pk}/", {"deadline": f"{day}T01:30:00"}, format="json"),
        400,
        "nonexistent_time",
        "deadline",
    )


def test_a_local_deadline_in_the_hour_the_clocks_repeat_takes_the_first_and_says_so(as_owner, civic):
    day = london_clock_change(10)
    body = draft_body("civic", deadline=f"{day}T01:30:00")
    del body["starts_at"]
    created = as_owner.post(URL, body, format="json")
    assert created.status_code == 201, created.json()
    assert Campaign.objects.get().deadline == dt.datetime(day.year, day.month, day.day, 0, 30, tzinfo=dt.UTC)
    assert created.json()["notices"] == [
        f"Deadline: 01:30 on {day} happens twice in Europe/London, as the clocks go back: it was taken as the "
        "first (BST, UTC+01:00), not the second (GMT, UTC+00:00)."
    ]
    # The second one, asked for by its offset, is taken as asked, and nothing needs saying.
    second = as_owner.post(URL, {**body, "deadline": f"{day}T01:30:00+00:00"}, format="json")
    assert second.status_code == 201 and second.json()["notices"] == []
    assert second.json()["deadline"] == f"{day}T01:30:00Z"
