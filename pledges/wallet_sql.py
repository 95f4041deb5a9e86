"""`pledge_wallet_commit`, the write half of a wallet pledge in one round trip (PostgreSQL only), built
from the Python constants it must agree with: the statuses, kinds and keys below come from the models
and the money rules, never from literals typed twice.

The rules are checked in Python first (pledges.services.intake.pledge_refusal, on a campaign the process
may have read a moment earlier); the function checks them again under the same locks as the Python path: the
campaign accepting pledges (`Campaign.accepts_pledges`: live, started, before its deadline; FOR SHARE,
so the close waits), not the backer's own, in the pledge's currency, the amount within MAX_AMOUNT and
at least the platform's smallest pledge, a tier where the platform takes no free amounts, the tier's
amount and remaining units, and the wallet's balance (FOR NO KEY UPDATE: its credits summed in a fresh
snapshot, less the debits its row keeps, as `ledger.services.wallet_spendable` reads it; the spend adds
itself there). Outcomes: 'ok' (written), 'exists' (the backer's earlier pledge of this request key),
'guarded' (`p_go` false: an upper layer's hooks may have work for this pledge, see pledges.hooks),
'stale' (the campaign or its platform changed since the caller read them at `p_version`: it reads them
again and retries, so what it derived from them, such as the match pots the campaign qualifies for,
is never older than the rows the pledge commits against); anything else writes nothing and the caller
takes the Python path, which gives the backer the precise reason.

A migration installs the function as `function_sql()` renders it; tests/pledges/test_wallet_sql.py fails
when the installed function and this rendering disagree (a constant changed without a migration that
installs the function again), and a migration that changes the tables it writes must install it again.
"""

from __future__ import annotations

from core.models import OutboxMail
from core.money import MAX_AMOUNT
from ledger.models import Account, AccountKind, Entry, Transaction, TransactionKind
from platforms.models import Platform
from projects.models import Campaign, CampaignStatus, RewardTier
from projects.selectors import ROW_VERSION

from .models import PaymentSource, Pledge, PledgeStatus

RECEIPT = "pledge_receipt"  # the outbox kind of the receipt (pledges.mails)

BODY = r"""
DECLARE
    v_version text;
    v_wallet bigint;
    v_debited bigint;
    v_escrow bigint;
    v_pledge bigint;
    v_txn bigint;
BEGIN
    IF p_request_key IS NOT NULL THEN  -- a retried request: answer its first pledge
        SELECT id INTO v_pledge FROM {pledge} WHERE backer_id = p_backer AND request_key = p_request_key;
        IF v_pledge IS NOT NULL THEN RETURN QUERY SELECT 'exists'::text, v_pledge; RETURN; END IF;
    END IF;
    -- An upper layer's SQL said its hooks may have work for this pledge (pledges.hooks: sql_guard).
    IF NOT p_go THEN RETURN QUERY SELECT 'guarded'::text, NULL::bigint; RETURN; END IF;
    IF p_amount < 1 OR p_amount > {max_amount} THEN RETURN QUERY SELECT 'amount'::text, NULL::bigint; RETURN; END IF;
    -- pledge_refusal's rules, under the share lock the close waits for: Campaign.accepts_pledges(p_check_at),
    -- not the owner's, the campaign's currency, the platform's smallest pledge and free amounts.
    SELECT {row_version} INTO v_version FROM {campaign} c JOIN {platform} p ON p.id = c.platform_id
     WHERE c.id = p_campaign AND c.status = '{live}' AND c.starts_at <= p_check_at AND c.deadline > p_check_at
       AND c.owner_id <> p_backer AND c.currency = p_currency AND p_amount >= p.min_pledge
       AND (p_tier IS NOT NULL OR p.allow_free_amounts)
       FOR SHARE OF c;
    IF NOT FOUND THEN RETURN QUERY SELECT 'campaign'::text, NULL::bigint; RETURN; END IF;
    -- The caller read the campaign or its platform before a change: it reads them again and retries.
    IF p_version IS NOT NULL AND v_version <> p_version THEN
        RETURN QUERY SELECT 'stale'::text, NULL::bigint; RETURN;
    END IF;
    SELECT id, debited INTO v_wallet, v_debited FROM {account}
     WHERE owner_key = p_wallet_key AND kind = '{wallet}' AND currency = p_currency FOR NO KEY UPDATE;
    IF v_wallet IS NULL THEN RETURN QUERY SELECT 'wallet'::text, NULL::bigint; RETURN; END IF;
    SELECT id INTO v_escrow FROM {account}
     WHERE owner_key = p_escrow_key AND kind = '{escrow}' AND currency = p_currency;
    IF v_escrow IS NULL THEN RETURN QUERY SELECT 'escrow'::text, NULL::bigint; RETURN; END IF;
    -- Credits in a new statement, so a new snapshot (every one committed so far); debits as the lock read them.
    IF (SELECT COALESCE(SUM(amount), 0) FROM {entry} WHERE account_id = v_wallet AND amount > 0) - v_debited
       < p_amount THEN
        RETURN QUERY SELECT 'funds'::text, NULL::bigint; RETURN;
    END IF;
    IF p_tier IS NOT NULL THEN
        UPDATE {tier} SET quantity_claimed = quantity_claimed + 1
         WHERE id = p_tier AND campaign_id = p_campaign AND amount <= p_amount
           AND (quantity_limit IS NULL OR quantity_claimed < quantity_limit);
        IF NOT FOUND THEN RETURN QUERY SELECT 'tier'::text, NULL::bigint; RETURN; END IF;
    END IF;
    INSERT INTO {pledge} (campaign_id, backer_id, tier_id, amount, currency, source, status,
                          payment_method, request_key, created_at, paid_at)
    VALUES (p_campaign, p_backer, p_tier, p_amount, p_currency, '{source_wallet}', '{paid}', '', p_request_key,
            p_at, p_at)
    RETURNING id INTO v_pledge;
    INSERT INTO {transaction} (kind, key, campaign_id, memo, created_at)
    VALUES ('{wallet_spend}', 'pledge-' || v_pledge || '-paid', p_campaign, '', p_at)
    RETURNING id INTO v_txn;
    INSERT INTO {entry} (transaction_id, account_id, amount, pledge_id)
    VALUES (v_txn, v_wallet, -p_amount, v_pledge), (v_txn, v_escrow, p_amount, v_pledge);
    UPDATE {account} SET debited = debited + p_amount WHERE id = v_wallet;
    INSERT INTO {outbox} (kind, ids, created_at, attempts)
    VALUES ('{receipt}', json_build_object('pledge_id', v_pledge), p_at, 0);
    RETURN QUERY SELECT 'ok'::text, v_pledge;
END
"""


def function_body() -> str:
    """The function's PL/pgSQL body with today's constants."""
    return BODY.format(
        pledge=Pledge._meta.db_table,
        campaign=Campaign._meta.db_table,
        platform=Platform._meta.db_table,
        tier=RewardTier._meta.db_table,
        account=Account._meta.db_table,
        entry=Entry._meta.db_table,
        transaction=Transaction._meta.db_table,
        outbox=OutboxMail._meta.db_table,
        live=CampaignStatus.LIVE,
        wallet=AccountKind.WALLET,
        escrow=AccountKind.ESCROW,
        source_wallet=PaymentSource.WALLET,
        paid=PledgeStatus.PAID,
        wallet_spend=TransactionKind.WALLET_SPEND,
        receipt=RECEIPT,
        max_amount=MAX_AMOUNT,
        row_version=ROW_VERSION,
    )


def function_sql() -> str:
    """CREATE OR REPLACE the function."""
    return (
        "CREATE OR REPLACE FUNCTION pledge_wallet_commit(\n"
        "    p_campaign bigint, p_backer bigint, p_tier bigint, p_amount bigint, p_currency text,\n"
        "    p_request_key text, p_check_at timestamptz, p_at timestamptz, p_wallet_key text, p_escrow_key text,\n"
        "    p_version text, p_go boolean)\n"
        "RETURNS TABLE (outcome text, pledge_id bigint) LANGUAGE plpgsql VOLATILE AS $$" + function_body() + "$$;"
    )
