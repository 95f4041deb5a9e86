"""The ledger's admin lists stay one page query however many rows they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pledges.services import pledge_create

from ..factories import CampaignFactory, StaffFactory, UserFactory, wallet_top_up

pytestmark = pytest.mark.django_db


def _queries(client, name: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(reverse(name))
    assert page.status_code == 200
    return len(ctx.captured_queries), len(page.context["cl"].result_list)


@pytest.mark.parametrize("name", ["admin:ledger_account_changelist", "admin:ledger_transaction_changelist"])
def test_the_ledger_lists_read_each_row_s_owner_with_the_page(client, name):
    """Wallets (a user's) and escrows (a campaign's); wallet pledges (a transaction of a campaign)."""
    client.force_login(StaffFactory(is_superuser=True))

    def more(n: int) -> None:
        for _ in range(n):
            campaign, backer = CampaignFactory(slug="charity"), UserFactory()
            wallet_top_up(backer, currency=campaign.currency, amount=50_000)
            pledge_create(campaign_id=campaign.pk, backer=backer, amount=10_000, source="wallet")

    more(1)
    few, rows_few = _queries(client, name)
    more(10)
    many, rows_many = _queries(client, name)
    assert rows_many > rows_few + 9
    assert many == few
