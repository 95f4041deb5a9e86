"""`pledge_wallet_commit` again: the wallet's balance is its credits less the debits its row keeps
(ledger.Account.debited), and the spend adds itself there; every rule of the pledge is checked again on
the locked rows, and a campaign read before a change of it or its platform is answered 'stale' (a new
argument, the version read); a new argument `p_go`, false when an upper layer's hooks may have work for
the pledge, is answered 'guarded'. PostgreSQL only."""

from django.db import migrations

# The function as it was before this migration, for going back.
PREVIOUS = r"""CREATE OR REPLACE FUNCTION pledge_wallet_commit(
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
    IF p_amount < 1 OR p_amount > 1000000000000000 THEN RETURN QUERY SELECT 'amount'::text, NULL::bigint; RETURN; END IF;
    -- Campaign.accepts_pledges(p_check_at), under the share lock the close waits for.
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
    VALUES (p_campaign, p_backer, p_tier, p_amount, p_currency, 'wallet', 'paid', '', p_request_key,
            p_at, p_at)
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
$$;"""


UNVERSIONED = "pledge_wallet_commit(bigint, bigint, bigint, bigint, text, text, timestamptz, timestamptz, text, text)"
CURRENT = UNVERSIONED[:-1] + ", text, boolean)"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from pledges.wallet_sql import function_sql  # the function as the code of this release renders it

        schema_editor.execute(f"DROP FUNCTION IF EXISTS {UNVERSIONED}")
        schema_editor.execute(function_sql())


def back(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {CURRENT}")
        schema_editor.execute(PREVIOUS)


class Migration(migrations.Migration):
    dependencies = [("pledges", "0010_backer_visibility"), ("ledger", "0011_wallet_debited")]

    operations = [migrations.RunPython(create, back)]
