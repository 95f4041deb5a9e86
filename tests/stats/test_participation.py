"""Participation equity (issue 14): for staff and verified organisations, who takes part by home area
against population, first-time and returning backers, pledge sizes, campaigns per area; no group under
10 backers is ever shown, and nothing personal leaves the site."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from partners.models import MemberRole, Membership, Organisation, OrganisationKind
from platforms.models import Area
from stats.equity import participation, suppressed
from stats.models import HomeArea

from ..factories import CampaignFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def ANALYST():  # noqa: N802 -- reads as a role
    """Staff in the group holding the participation permissions ("Analysts")."""
    return StaffFactory(groups=["Analysts"])


def test_a_group_under_ten_backers_is_never_shown_nor_given_away_by_a_total():
    assert suppressed([12, 9, 30]) == [None, None, 30]  # 9 hidden, and 12 too: 51 − 12 − 30 would tell
    assert suppressed([10, 0, 25]) == [10, 0, 25]
    assert suppressed([3, 4, 40]) == [None, None, 40]


@pytest.fixture
def civic_backers(civic, make_backers, pledge, run_on_commit):
    """On the civic portal: 12 backers living in one ward, 3 in another, all backing one campaign;
    2 of them back a second campaign too."""
    wards = list(Area.objects.filter(platform=civic)[:2])
    wards[0].population, wards[1].population = 30_000, 10_000
    for w in wards:
        w.save()
    first = CampaignFactory(slug="civic", goal=100_000, area=wards[0])
    second = CampaignFactory(slug="civic", goal=100_000, area=wards[1])
    backers = make_backers(15)
    with run_on_commit():
        for i, b in enumerate(backers):
            HomeArea.objects.create(user=b, platform=civic, area=wards[0] if i < 12 else wards[1])
            pledge(first, b, 1_000 if i % 2 else 25_000)
        for b in backers[:2]:
            pledge(second, b, 500)
    return {"wards": wards, "backers": backers}


def test_backers_by_home_area_against_population(civic, civic_backers):
    p = participation(civic)
    big, small = civic_backers["wards"]
    rows = {r.area.pk if r.area else None: r for r in p.areas}
    assert p.backers == 15
    assert rows[small.pk].backers is None  # 3 backers: suppressed
    assert rows[big.pk].backers is None  # and the other one, which with the total would give it away
    assert rows[big.pk].population_share == 75.0
    assert (rows[big.pk].campaigns, rows[small.pk].campaigns) == (1, 1)
    assert (p.first_time, p.returning) == (None, None)  # 13 and 2: both hidden


def test_the_page_is_not_for_everyone_and_says_fewer_than_10(client, civic, civic_backers):
    url = f"/{civic.slug}/participation/?lang=en"
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(ANALYST())
    page = client.get(url).content.decode()
    assert "fewer than 10" in page
    assert 'id="areas"' in page and 'id="sizes"' in page


def test_the_csv_export_marks_suppressed_cells_and_names_no_one(client, civic, civic_backers):
    client.force_login(ANALYST())
    body = client.get(f"/{civic.slug}/participation.csv").content.decode("utf-8-sig")
    assert "backers,all,15" in body
    assert ",yes" in body
    for b in civic_backers["backers"]:
        assert b.username not in body and b.email not in body


def test_the_home_area_is_asked_once_with_its_use_explained(client, civic, pledge, run_on_commit):
    backer = UserFactory()
    campaign = CampaignFactory(slug="civic", goal=100_000)
    with run_on_commit():
        p = pledge(campaign, backer, 1_000)
    client.force_login(backer)
    receipt = client.get(f"/pledges/{p.pk}/?lang=en").content.decode()
    assert "Where do you live? (optional)" in receipt
    assert "never shown with your name" in receipt
    ward = Area.objects.filter(platform=civic).first()
    client.post(f"/{civic.slug}/home-area/", {"area": ward.slug, "next": f"/pledges/{p.pk}/"})
    assert HomeArea.objects.get(user=backer, platform=civic).area == ward
    assert "Where do you live?" not in client.get(f"/pledges/{p.pk}/?lang=en").content.decode()


def test_prefer_not_to_say_is_an_answer_too(client, civic):
    backer = UserFactory()
    client.force_login(backer)
    client.post(f"/{civic.slug}/home-area/", {"area": ""})
    assert HomeArea.objects.get(user=backer, platform=civic).area is None


def test_an_unknown_home_area_is_refused_and_nothing_written(client, civic):
    backer = UserFactory()
    client.force_login(backer)
    client.post(f"/{civic.slug}/home-area/", {"area": "atlantis"})
    assert not HomeArea.objects.filter(user=backer).exists()


def _upload_response(client, civic, text, **kwargs):
    f = SimpleUploadedFile("pop.csv", text.encode(), content_type="text/csv")
    return client.post(f"/{civic.slug}/participation/?lang=en", {"file": f}, **kwargs)


def _upload(client, civic, text):
    return _upload_response(client, civic, text, follow=True).content.decode()


def test_analysts_upload_area_populations_as_csv(client, civic):
    client.force_login(ANALYST())
    a, b = list(Area.objects.filter(platform=civic)[:2])
    page = _upload(client, civic, f'area,population\n{a.slug},"12,500"\n{b.name},۳۰۰۰\n')
    assert "2 areas" in page
    a.refresh_from_db(), b.refresh_from_db()
    assert (a.population, b.population) == (12_500, 3_000)


def test_a_bad_population_file_says_which_lines_and_saves_nothing(client, civic):
    client.force_login(ANALYST())
    a = Area.objects.filter(platform=civic).first()
    page = _upload(client, civic, f"area,population\n{a.slug},100\natlantis,5\n{a.slug},lots\n")
    assert "line 3" in page and "atlantis" in page and "line 4" in page
    a.refresh_from_db()
    assert a.population is None


def test_the_persian_page_is_translated(client, charity):
    client.force_login(ANALYST())
    page = client.get(f"/{charity.slug}/participation/").content.decode()
    assert "مشارکت" in page


def _member_of(platform, *, verified: bool):
    member = UserFactory()
    organisation = Organisation.objects.create(
        platform=platform,
        name=f"Org {member.pk}",
        slug=f"org-{member.pk}",
        kind=OrganisationKind.PUBLIC_BODY,
        verified_at=timezone.now() if verified else None,
    )
    Membership.objects.create(organisation=organisation, user=member, role=MemberRole.REVIEWER)
    return member


def _sees(client, user, platform) -> tuple[int, int]:
    client.force_login(user)
    page = client.get(f"/{platform.slug}/participation/?lang=en")
    export = client.get(f"/{platform.slug}/participation.csv")
    return page.status_code, export.status_code


def test_a_member_of_an_organisation_verified_on_the_platform_sees_the_page_and_the_csv(client, civic, civic_backers):
    member = _member_of(civic, verified=True)
    assert _sees(client, member, civic) == (200, 200)
    page = client.get(f"/{civic.slug}/participation/?lang=en").content.decode()
    assert "fewer than 10" in page
    assert "Upload populations" not in page  # populations are the platform's to upload
    statistics = client.get(f"/{civic.slug}/statistics/?lang=en").content.decode()
    assert f"/{civic.slug}/participation/" in statistics


def test_an_organisation_member_cannot_upload_populations(client, civic):
    client.force_login(_member_of(civic, verified=True))
    area = Area.objects.filter(platform=civic).first()
    assert _upload_response(client, civic, f"area,population\n{area.slug},100\n").status_code == 403
    area.refresh_from_db()
    assert area.population is None


def test_an_unverified_organisations_member_is_refused(client, civic, civic_backers):
    assert _sees(client, _member_of(civic, verified=False), civic) == (403, 403)


def test_a_member_of_an_organisation_verified_on_another_platform_is_refused(client, civic, arts, civic_backers):
    assert _sees(client, _member_of(arts, verified=True), civic) == (403, 403)
    statistics = client.get(f"/{civic.slug}/statistics/?lang=en").content.decode()
    assert f"/{civic.slug}/participation/" not in statistics


def test_staff_without_the_named_permission_are_refused(client, civic, civic_backers):
    """Being staff opens the admin; the figures need `stats.view_participation` (group "Analysts")."""
    assert _sees(client, StaffFactory(), civic) == (403, 403)  # Reviewers and Finance
    assert _sees(client, StaffFactory(groups=[]), civic) == (403, 403)
    assert _sees(client, ANALYST(), civic) == (200, 200)


def test_a_plain_user_is_refused_the_page_and_the_csv(client, civic, civic_backers):
    assert _sees(client, UserFactory(), civic) == (403, 403)


def test_pledge_sizes_and_first_time_backers_are_charted_beside_their_tables(
    client, civic, make_backers, pledge, run_on_commit
):
    campaign = CampaignFactory(slug="civic", goal=1_000_000)
    backers = make_backers(24)
    with run_on_commit():
        for i, b in enumerate(backers):
            pledge(campaign, b, 1_000 if i < 10 else 25_000)  # 10 small, 14 large
    p = participation(civic)
    assert [(s.pledges, s.share) for s in p.sizes] == [(10, 41.7), (14, 58.3)]
    assert (p.first_time_share, p.returning_share) == (100.0, 0.0)
    client.force_login(ANALYST())
    page = client.get(f"/{civic.slug}/participation/?lang=en").content.decode()
    sizes_chart = page.split('id="sizes-chart"')[1].split("</figure>")[0]
    assert 'style="width: 42%"' in sizes_chart and 'style="width: 58%"' in sizes_chart
    returning_chart = page.split('id="returning-chart"')[1].split("</figure>")[0]
    assert 'style="width: 100%"' in returning_chart and 'style="width: 0%"' in returning_chart
