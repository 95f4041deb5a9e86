"""Open data (issue 14): each platform publishes its public campaigns, its decision log and its
statistics as CSV and JSON, daily, under its licence (default CC BY 4.0), linked from its
statistics page; nothing personal in them."""

import csv
import io
import json

import pytest

from impact.models import Indicator
from stats.models import Licence, OpenDataFile, OpenDataSettings
from stats.services.open_data import open_data_publish
from stats.tasks import open_data_publish_all

from ..factories import CampaignFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(civic, pledge, run_on_commit):
    owner = UserFactory(username="grace-hopper", email="grace@example.org")
    live = CampaignFactory(slug="civic", owner=owner, title="Benches for the park", goal=100_000)
    CampaignFactory(slug="civic", owner=owner, title="A secret draft", status="draft")
    backer = UserFactory(username="ada-lovelace", email="ada@example.org")
    with run_on_commit():
        pledge(live, backer, 2_500)
    Indicator.objects.create(campaign=live, name="benches installed", unit="benches", target=12)
    open_data_publish(civic)
    return live


def _get(client, civic, name):
    response = client.get(f"/{civic.slug}/open-data/{name}")
    assert response.status_code == 200
    return response


def test_campaigns_are_published_as_csv_and_json_with_the_documented_fields(client, civic, published):
    rows = list(csv.DictReader(io.StringIO(_get(client, civic, "campaigns.csv").content.decode("utf-8-sig"))))
    assert [r["title"] for r in rows] == ["Benches for the park"]  # the draft is not public
    assert (rows[0]["goal"], rows[0]["raised"], rows[0]["backers"], rows[0]["status"]) == (
        "100000",
        "2500",
        "1",
        "live",
    )
    document = json.loads(_get(client, civic, "campaigns.json").content)
    assert document["data"][0]["id"] == published.pk
    assert document["data"][0]["indicators"] == [
        {"name": "benches installed", "unit": "benches", "target": 12, "achieved": None}
    ]
    assert set(document["fields"]) == set(rows[0])  # every field documented
    page = client.get(f"/{civic.slug}/open-data/?lang=en").content.decode()
    for field in document["fields"]:
        assert f"<code>{field}</code>" in page


def test_nothing_personal_leaves_the_site(client, civic, published):
    for name in ("campaigns.csv", "campaigns.json", "decisions.csv", "decisions.json", "statistics.json"):
        body = _get(client, civic, name).content.decode("utf-8-sig")
        for personal in ("ada", "grace", "example.org"):
            assert personal not in body.lower()


def test_the_default_licence_is_cc_by_4_and_the_platform_may_choose_another(client, civic, published):
    response = _get(client, civic, "statistics.json")
    assert json.loads(response.content)["licence"]["id"] == "CC-BY-4.0"
    assert response["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    OpenDataSettings.objects.create(platform=civic, licence=Licence.OGL_UK_3)
    open_data_publish(civic)
    assert json.loads(_get(client, civic, "statistics.json").content)["licence"]["id"] == "OGL-UK-3.0"
    assert "Open Government Licence" in client.get(f"/{civic.slug}/open-data/?lang=en").content.decode()


def test_the_statistics_file_has_the_statistics_pages_figures(client, civic, published):
    rows = list(csv.DictReader(io.StringIO(_get(client, civic, "statistics.csv").content.decode("utf-8-sig"))))
    total = next(r for r in rows if r["dimension"] == "total")
    assert (total["raised"], total["backers"]) == ("2500", "1")
    assert {r["dimension"] for r in rows} == {"total", "category", "area", "month"}


def test_the_daily_job_publishes_every_platform(civic, charity):
    assert open_data_publish_all() >= 2
    assert OpenDataFile.objects.filter(platform=charity, name="decisions.json").exists()
    assert OpenDataFile.objects.filter(platform=civic).count() == 6


def test_every_statistics_page_and_platform_page_links_the_open_data(client, civic, charity):
    for platform in (civic, charity):
        assert f"/{platform.slug}/open-data/" in client.get(f"/{platform.slug}/statistics/").content.decode()
        assert f"/{platform.slug}/open-data/" in client.get(f"/{platform.slug}/").content.decode()


def test_an_unknown_file_is_not_found(client, civic):
    assert client.get(f"/{civic.slug}/open-data/passwords.csv").status_code == 404
