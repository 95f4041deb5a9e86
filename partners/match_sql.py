"""`pot_match_commit`, DOMAIN.md's linear match of one counting pledge in one round trip (PostgreSQL
only), rendered from the Python constants it must agree with (statuses, kinds, keys, the low-pot share).

It does in the database what `partners.services.pots.pledge_match` does in Python, in the pledge's
transaction and with the same lock order (the pot last, `FOR UPDATE`): match = min(floor(amount ×
ratio), per-pledge cap, pot available, per-campaign cap − already committed on the campaign), none once
the backer has the per-backer number of matched pledges on the campaign; it writes the match, its ledger
transaction pot → campaign escrow, the pot's new `available`, and the outbox rows of the e-mails
(`match_committed`, and `pot_low` when this match takes the pot below LOW_PERCENT of what was paid in).
It answers (match id, amount): (NULL, 0) for no match, (NULL, -1) when an account it books on does not
exist yet (the caller then takes the Python path, which creates it).

A migration installs the function as `function_sql()` renders it; tests/partners/test_match_sql.py fails
when the installed function and this rendering disagree.
"""

from __future__ import annotations

from core.models import OutboxMail
from ledger.models import Account, AccountKind, Entry, Transaction, TransactionKind

from .models import Match, MatchStatus, Organisation, Pot, PotStatus

LOW_PERCENT = 10  # partners.services.pots.LOW_PERCENT (asserted equal there)

BODY = r"""
DECLARE
    v_pot record;
    v_amount bigint;
    v_had integer;
    v_cap bigint;
    v_pot_account bigint;
    v_escrow bigint;
    v_match bigint;
    v_txn bigint;
    v_memo text;
BEGIN
    SELECT id, status, available, paid_in, ratio, cap_per_pledge, cap_per_campaign, cap_per_campaign_percent,
           matched_pledges_per_backer, currency, organisation_id
      INTO v_pot FROM {pot} WHERE id = p_pot FOR UPDATE;
    IF NOT FOUND OR v_pot.status <> '{open}' OR v_pot.available <= 0 OR v_pot.ratio IS NULL THEN
        RETURN QUERY SELECT NULL::bigint, 0::bigint; RETURN;
    END IF;
    IF v_pot.matched_pledges_per_backer IS NOT NULL THEN
        SELECT count(*) INTO v_had FROM {match}
         WHERE pot_id = p_pot AND campaign_id = p_campaign AND backer_id = p_backer AND status = '{committed}';
        IF v_had >= v_pot.matched_pledges_per_backer THEN RETURN QUERY SELECT NULL::bigint, 0::bigint; RETURN; END IF;
    END IF;
    v_amount := floor(p_amount * v_pot.ratio)::bigint;
    IF v_pot.cap_per_pledge IS NOT NULL THEN v_amount := LEAST(v_amount, v_pot.cap_per_pledge); END IF;
    v_amount := LEAST(v_amount, v_pot.available);
    -- LEAST skips NULLs: the amount cap and/or the share of the goal, NULL when neither is set.
    v_cap := LEAST(v_pot.cap_per_campaign, p_goal * v_pot.cap_per_campaign_percent / 100);
    IF v_cap IS NOT NULL THEN
        v_amount := LEAST(v_amount, v_cap - (SELECT COALESCE(SUM(amount), 0) FROM {match}
                                             WHERE pot_id = p_pot AND campaign_id = p_campaign
                                               AND status = '{committed}'));
    END IF;
    IF v_amount <= 0 THEN RETURN QUERY SELECT NULL::bigint, 0::bigint; RETURN; END IF;
    SELECT id INTO v_pot_account FROM {account}
     WHERE owner_key = 'pot:' || p_pot AND kind = '{pot_kind}' AND currency = v_pot.currency;
    SELECT id INTO v_escrow FROM {account}
     WHERE owner_key = p_escrow_key AND kind = '{escrow}' AND currency = v_pot.currency;
    IF v_pot_account IS NULL OR v_escrow IS NULL THEN RETURN QUERY SELECT NULL::bigint, -1::bigint; RETURN; END IF;
    SELECT left('Matched by ' || name, 200) INTO v_memo FROM {organisation} WHERE id = v_pot.organisation_id;
    INSERT INTO {match} (pot_id, campaign_id, pledge_id, backer_id, amount, currency, status, created_at)
    VALUES (p_pot, p_campaign, p_pledge, p_backer, v_amount, v_pot.currency, '{committed}', p_at)
    RETURNING id INTO v_match;
    INSERT INTO {transaction} (kind, key, campaign_id, memo, created_at)
    VALUES ('{match_kind}', 'match-' || v_match, p_campaign, v_memo, p_at)
    RETURNING id INTO v_txn;
    INSERT INTO {entry} (transaction_id, account_id, amount, pledge_id)
    VALUES (v_txn, v_pot_account, -v_amount, p_pledge), (v_txn, v_escrow, v_amount, p_pledge);
    UPDATE {pot} SET available = available - v_amount WHERE id = p_pot;
    INSERT INTO {outbox} (kind, ids, created_at, attempts)
    VALUES ('match_committed', json_build_object('match_id', v_match), p_at, 0);
    IF v_pot.available * 100 > v_pot.paid_in * {low}
       AND (v_pot.available - v_amount) * 100 <= v_pot.paid_in * {low} THEN
        INSERT INTO {outbox} (kind, ids, created_at, attempts)
        VALUES ('pot_low', json_build_object('pot_id', p_pot), p_at, 0);
    END IF;
    RETURN QUERY SELECT v_match, v_amount;
END
"""


def function_body() -> str:
    """The function's PL/pgSQL body with today's constants."""
    return BODY.format(
        pot=Pot._meta.db_table,
        match=Match._meta.db_table,
        organisation=Organisation._meta.db_table,
        account=Account._meta.db_table,
        entry=Entry._meta.db_table,
        transaction=Transaction._meta.db_table,
        outbox=OutboxMail._meta.db_table,
        open=PotStatus.OPEN,
        committed=MatchStatus.COMMITTED,
        pot_kind=AccountKind.POT,
        escrow=AccountKind.ESCROW,
        match_kind=TransactionKind.MATCH,
        low=LOW_PERCENT,
    )


def function_sql() -> str:
    """CREATE OR REPLACE the function."""
    return (
        "CREATE OR REPLACE FUNCTION pot_match_commit(\n"
        "    p_pot bigint, p_campaign bigint, p_pledge bigint, p_backer bigint, p_amount bigint, p_goal bigint,\n"
        "    p_at timestamptz, p_escrow_key text)\n"
        "RETURNS TABLE (match_id bigint, matched bigint) LANGUAGE plpgsql VOLATILE AS $$" + function_body() + "$$;"
    )
