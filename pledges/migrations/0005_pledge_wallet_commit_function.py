"""PostgreSQL only: `pledge_wallet_commit`, the write half of a wallet pledge in one round trip.

The rules are checked in Python first (pledges.services._check_pledge); this function re-checks,
under the same locks as the Python path, only what a concurrent change can falsify in between:
the campaign still live before its deadline (FOR SHARE, so the close waits), the wallet's balance
(FOR NO KEY UPDATE, then summed in a fresh snapshot) and the tier's remaining units. Outcomes:
'ok' (written), 'exists' (the backer's earlier pledge of this request key), anything else writes
nothing and the caller takes the Python path, which gives the backer the precise reason.
A migration that changes the tables this function writes must replace it.
"""
from django.db import migrations

CREATE = r"""
CREATE OR REPLACE FUNCTION pledge_wallet_commit(
    p_campaign bigint, p_backer bigint, p_tier bigint, p_amount bigint, p_currency text,
    p_request_key text, p_check_at timestamptz, p_at timestamptz, p_wallet_key text, p_escrow_key text)
RETURNS TABLE (outcome text, pledge_id bigint) LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_wallet bigint;
    v_escrow bigint;
    v_pledge bigint;
    v_txn bigint;
BEGIN
    IF p_request_key IS NOT NULL THEN  -- a retried request: answer its first pledge
        SELECT id INTO v_pledge FROM pledges_pledge WHERE backer_id = p_backer AND request_key = p_request_key;
        IF v_pledge IS NOT NULL THEN RETURN QUERY SELECT 'exists'::text, v_pledge; RETURN; END IF;
    END IF;
    PERFORM 1 FROM projects_campaign
     WHERE id = p_campaign AND status = 'live' AND starts_at <= p_check_at AND deadline > p_check_at
       FOR SHARE;
    IF NOT FOUND THEN RETURN QUERY SELECT 'campaign'::text, NULL::bigint; RETURN; END IF;
    SELECT id INTO v_wallet FROM ledger_account
     WHERE owner_key = p_wallet_key AND kind = 'wallet' AND currency = p_currency FOR NO KEY UPDATE;
    IF v_wallet IS NULL THEN RETURN QUERY SELECT 'wallet'::text, NULL::bigint; RETURN; END IF;
    SELECT id INTO v_escrow FROM ledger_account
     WHERE owner_key = p_escrow_key AND kind = 'escrow' AND currency = p_currency;
    IF v_escrow IS NULL THEN RETURN QUERY SELECT 'escrow'::text, NULL::bigint; RETURN; END IF;
    -- A new statement, so a new snapshot: it sees every spend committed before the lock was ours.
    IF (SELECT COALESCE(SUM(amount), 0) FROM ledger_entry WHERE account_id = v_wallet) < p_amount THEN
        RETURN QUERY SELECT 'funds'::text, NULL::bigint; RETURN;
    END IF;
    IF p_tier IS NOT NULL THEN
        UPDATE projects_rewardtier SET quantity_claimed = quantity_claimed + 1
         WHERE id = p_tier AND campaign_id = p_campaign
           AND (quantity_limit IS NULL OR quantity_claimed < quantity_limit);
        IF NOT FOUND THEN RETURN QUERY SELECT 'tier'::text, NULL::bigint; RETURN; END IF;
    END IF;
    INSERT INTO pledges_pledge (campaign_id, backer_id, tier_id, amount, currency, source, status,
                                payment_method, request_key, created_at, paid_at)
    VALUES (p_campaign, p_backer, p_tier, p_amount, p_currency, 'wallet', 'paid', '', p_request_key, p_at, p_at)
    RETURNING id INTO v_pledge;
    INSERT INTO ledger_transaction (kind, key, campaign_id, memo, created_at)
    VALUES ('wallet_spend', 'pledge-' || v_pledge || '-paid', p_campaign, '', p_at)
    RETURNING id INTO v_txn;
    INSERT INTO ledger_entry (transaction_id, account_id, amount, pledge_id)
    VALUES (v_txn, v_wallet, -p_amount, v_pledge), (v_txn, v_escrow, p_amount, v_pledge);
    INSERT INTO civicfund_outboxmail (kind, ids, created_at, attempts)
    VALUES ('pledge_receipt', json_build_object('pledge_id', v_pledge), p_at, 0);
    RETURN QUERY SELECT 'ok'::text, v_pledge;
END
$$;
"""
DROP = "DROP FUNCTION IF EXISTS pledge_wallet_commit(bigint, bigint, bigint, bigint, text, text, timestamptz, " \
       "timestamptz, text, text);"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("pledges", "0004_campaign_status_id_index"),
        ("ledger", "0004_owner_key_first"),
        ("projects", "0004_campaign_image"),
        ("civicfund", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
