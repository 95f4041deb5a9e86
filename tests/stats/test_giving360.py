"""Money given by organisations in the 360Giving Data Standard (issue 14): match funding and milestone
grants are published daily as a JSON data package and the flattened spreadsheet, valid against the
standard's own schemas (copied in stats/standards/360giving/, no network), amounts exact in the
currency's main unit, linked from the open-data page in both languages; nothing personal in them."""

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.utils import timezone
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from funding.services import campaign_close
from partners.models import Application, ApplicationStatus, Call, CallStatus, Match, MatchStatus
from partners.services.pots import pot_create, pot_pay_in
from projects.models import CampaignStatus
from stats.models import OpenDataFile, OpenDataSettings
from stats.services import giving360
from stats.tasks import open_data_publish_all
from tests.partners.conftest import organisation_make

from ..factories import CampaignFactory, StaffFactory, TierFactory, UserFactory

pytestmark = pytest.mark.django_db

# The package schema names the grant schema by its 1.4.2 address; the copy beside it is that schema.
GRANT_SCHEMA_URL = "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json"


def _validator() -> Draft202012Validator:
    grant = json.loads(giving360.GRANT_SCHEMA.read_text())
    package = json.loads(giving360.PACKAGE_SCHEMA.read_text())
    # Their "$schema" is draft 2020-12 by its http:// address, which `referencing` does not know: say it.
    resource = DRAFT202012.create_resource(grant)
    registry = Registry().with_resources([(GRANT_SCHEMA_URL, resource), (grant["$id"], resource)])
    return Draft202012Validator(package, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _errors(document) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in _validator().iter_errors(document)]


def _pot(organisation, admin, *, rule="linear", paid_in=100_000, **fields):
    now = timezone.now()
    pot = pot_create(
        organisation=organisation,
        user=admin,
        name=f"{organisation.name} {rule} fund",
        budget=paid_in,
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=30),
        rule=rule,
        ratio=fields.pop("ratio", 1) if rule == "linear" else None,
        **fields,
    )
    return pot_pay_in(pot=pot, staff=StaffFactory(), amount=paid_in, reference=f"BACS-{pot.pk}")


@pytest.fixture
def given(civic, make_backers, pledge):
    """On the civic portal (GBP): the council matches two pledges to the benches (£25.50 and £10.00,
    one to one); a trust's milestone grant of £250.00 goes to the library; the council's match to a
    garden that then fails goes back to the pot."""
    civic.match_counts_toward_goal = True
    civic.save(update_fields=["match_counts_toward_goal"])
    admin = UserFactory(username="council-admin", email="council-admin@example.org")
    council = organisation_make(civic, "Riverside Council", admin=admin)
    council.website = "https://riverside.example.org/"
    council.save()
    trust = organisation_make(civic, "Library Trust", admin=UserFactory())
    owner = UserFactory(username="grace-hopper", email="grace@example.org")
    benches = CampaignFactory(slug="civic", owner=owner, title="Benches for the park", goal=100_000)
    library = CampaignFactory(slug="civic", owner=owner, title="Open the library on Sundays", goal=100_000)
    garden = CampaignFactory(slug="civic", owner=owner, title="A garden", goal=100_000, funding_model="all_or_nothing")
    linear = _pot(council, admin, campaigns=[benches, garden])
    milestone = _pot(
        trust,
        trust.members.get().user,
        rule="milestone",
        paid_in=50_000,
        milestone_percent=10,
        milestone_backers=1,
        grant_amount=25_000,
        campaigns=[library],
    )
    one, two, three, four = make_backers(4)
    pledge(benches, one, 2_550)
    pledge(benches, two, 1_000)
    pledge(library, three, 12_000)
    pledge(garden, four, 500)
    assert campaign_close(campaign_id=garden.pk, now=garden.deadline) == CampaignStatus.REFUNDING
    assert Match.objects.filter(campaign=garden).get().status == MatchStatus.RETURNED
    return {"benches": benches, "library": library, "garden": garden, "linear": linear, "milestone": milestone,
            "council": council, "trust": trust, "backers": [one, two, three, four], "owner": owner}  # fmt: skip


def _file(client, platform, name):
    response = client.get(f"/{platform.slug}/open-data/{name}")
    assert response.status_code == 200
    return response


def test_match_grants_are_published_as_a_360giving_package_valid_against_the_standards_schemas(client, civic, given):
    open_data_publish_all()  # the daily open-data job writes them with the rest
    response = _file(client, civic, "grants-360giving.json")
    assert response["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    document = json.loads(response.content, parse_float=Decimal)
    assert _errors(document) == []
    grants = {g["title"]: g for g in document["grants"]}
    assert sorted(grants) == ["Benches for the park", "Open the library on Sundays"]  # not the failed garden
    benches, library = grants["Benches for the park"], grants["Open the library on Sundays"]
    prefix = f"360G-civicfund-{civic.slug}"
    assert benches["id"] == f"{prefix}-match-{given['linear'].pk}-{given['benches'].pk}"
    assert (benches["currency"], benches["amountAwarded"], benches["amountDisbursed"]) == (
        "GBP",
        Decimal("35.50"),  # 25.50 + 10.00, exactly, in pounds
        Decimal("0.00"),  # paid to the project only at a successful close
    )
    assert library["amountAwarded"] == Decimal("250.00")
    assert benches["fundingOrganization"] == [
        {
            "id": f"{prefix}-org-{given['council'].pk}",
            "name": "Riverside Council",
            "url": "https://riverside.example.org/",
        }
    ]
    assert library["fundingOrganization"][0]["name"] == "Library Trust"
    assert benches["recipientOrganization"][0]["id"] == f"{prefix}-project-{given['benches'].pk}"
    assert benches["recipientOrganization"][0]["name"] == "Benches for the park"
    assert benches["grantProgramme"] == [{"code": f"{prefix}-pot-{given['linear'].pk}", "title": given["linear"].name}]
    assert benches["awardDate"] == timezone.now().astimezone(dt.UTC).date().isoformat()
    assert (benches["fromOpenCall"], benches["beneficiaryLocation"][0]["countryCode"]) == ("No", "GB")
    assert document["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert b'"amountAwarded": 35.50' in response.content  # written as the exact decimal, not via a float


def test_the_money_paid_at_a_successful_close_is_disbursed(client, civic, given, make_backers, pledge):
    benches = given["benches"]
    for b in make_backers(2):
        pledge(benches, b, 50_000)  # citizens now 103,550 of a 100,000 goal
    assert campaign_close(campaign_id=benches.pk, now=benches.deadline) == CampaignStatus.SUCCEEDED
    grants = {g["title"]: g for g in giving360.grants(civic)}
    assert grants["Benches for the park"]["amountDisbursed"] == grants["Benches for the park"]["amountAwarded"]


def test_the_flattened_spreadsheet_has_the_standards_column_titles_and_the_same_figures(client, civic, given):
    open_data_publish_all()
    text = _file(client, civic, "grants-360giving.csv").content.decode("utf-8")
    assert not text.startswith("\ufeff")  # 360Giving's tools read the first title as "Identifier"
    rows = {r["Title"]: r for r in csv.DictReader(io.StringIO(text))}
    # Titles as in 360Giving's own spreadsheet template (flattentool's titles of the schema).
    for title in [
        "Identifier", "Title", "Description", "Currency", "Amount Awarded", "Amount Disbursed", "Award Date",
        "URL", "Recipient Org:Identifier", "Recipient Org:Name", "Funding Org:Identifier", "Funding Org:Name",
        "Grant Programme:Code", "Grant Programme:Title", "From An Open Call?", "Beneficiary Location:Name",
        "Beneficiary Location:Country Code", "Classifications:Vocabulary", "Classifications:Code",
        "Classifications:Title", "Last Modified", "Data Source",
    ]:  # fmt: skip
        assert title in rows["Benches for the park"], title
    document = json.loads(_file(client, civic, "grants-360giving.json").content, parse_float=Decimal)
    for grant in document["grants"]:
        row = rows[grant["title"]]
        assert Decimal(row["Amount Awarded"]) == grant["amountAwarded"]
        assert row["Identifier"] == grant["id"]
        assert row["Funding Org:Identifier"] == grant["fundingOrganization"][0]["id"]
        assert row["Recipient Org:Name"] == grant["title"]
    assert rows["Benches for the park"]["Amount Awarded"] == "35.50"


def test_nothing_personal_is_in_the_360giving_files(client, civic, given):
    open_data_publish_all()
    body = (
        _file(client, civic, "grants-360giving.json").content + _file(client, civic, "grants-360giving.csv").content
    ).decode()
    for person in [given["owner"], *given["backers"], given["council"].members.get().user]:
        assert person.username not in body and person.email not in body


def test_a_toman_platform_publishes_its_grants_in_rials(client, arts, pledge):
    """ISO 4217 (the standard's currency list) has no toman: 1 toman is written as 10 rials."""
    admin = UserFactory()
    fund = organisation_make(arts, "Tehran Arts Fund", admin=admin)
    campaign = CampaignFactory(slug="arts", title="تئاتر خیابانی", goal=10_000_000)
    _pot(fund, admin, paid_in=5_000_000, campaigns=[campaign])
    pledge(campaign, UserFactory(), 150_000, tier=TierFactory(campaign=campaign, amount=150_000))  # matched 1:1
    open_data_publish_all()
    document = json.loads(_file(client, arts, "grants-360giving.json").content, parse_float=Decimal)
    assert _errors(document) == []
    (grant,) = document["grants"]
    assert (grant["currency"], grant["amountAwarded"]) == ("IRR", 1_500_000)
    assert grant["beneficiaryLocation"][0]["countryCode"] == "IR"


def test_the_platforms_registered_prefix_starts_every_identifier(client, civic, given):
    OpenDataSettings.objects.create(platform=civic, giving_prefix="360G-riverside")
    ids = [
        value
        for g in giving360.grants(civic)
        for value in (g["id"], g["recipientOrganization"][0]["id"], g["fundingOrganization"][0]["id"])
    ]
    assert ids and all(i.startswith("360G-riverside-") for i in ids)
    assert OpenDataSettings._meta.get_field("giving_prefix").run_validators("360G-riverside") is None


def test_the_open_data_page_links_the_360giving_files_in_both_languages(client, civic, charity, given):
    open_data_publish_all()
    english = client.get(f"/{civic.slug}/open-data/?lang=en").content.decode()
    assert "Money given by organisations (360Giving)" in english
    assert f'href="/{civic.slug}/open-data/grants-360giving.json"' in english
    assert f'href="/{civic.slug}/open-data/grants-360giving.csv"' in english
    assert "<code>Recipient Org:Identifier</code>" in english
    persian = client.get(f"/{charity.slug}/open-data/").content.decode()  # nothing given there yet
    assert "۳۶۰" in persian or "360Giving" in persian
    assert "هنوز" in persian  # "no organisation has given money … yet", in Persian
    assert "grants-360giving.json" not in persian


def test_without_money_given_there_is_no_360giving_file(client, civic, given):
    open_data_publish_all()
    assert OpenDataFile.objects.filter(platform=civic, name="grants-360giving.json").exists()
    Match.objects.filter(pot__platform=civic).update(status=MatchStatus.RETURNED)  # e.g. every campaign failed
    open_data_publish_all()
    assert not OpenDataFile.objects.filter(platform=civic, name__startswith="grants-360giving").exists()
    assert client.get(f"/{civic.slug}/open-data/grants-360giving.json").status_code == 404


def test_a_grant_to_a_project_approved_in_the_pots_open_call_is_from_an_open_call(civic, given):
    now = timezone.now()
    call = Call.objects.create(
        organisation=given["trust"],
        platform=civic,
        title="Sunday openings",
        theme="Libraries",
        description="Open libraries on Sundays.",
        criteria="Local support.",
        pot=given["milestone"],
        applications_open_at=now - dt.timedelta(days=10),
        applications_close_at=now - dt.timedelta(days=1),
        campaigns_deadline=now + dt.timedelta(days=30),
        status=CallStatus.CLOSED,
    )
    Application.objects.create(call=call, campaign=given["library"], status=ApplicationStatus.APPROVED)
    assert {g["title"]: g["fromOpenCall"] for g in giving360.grants(civic)} == {
        "Benches for the park": "No",
        "Open the library on Sundays": "Yes",
    }
