"""Wallet withdrawals: a backer asks for the money of a wallet to be paid to their bank; staff with the
Finance permission pay it by bank transfer and record it. The ledger moves the money wallet →
withdrawal_payable (asked) → bank_out (paid)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from core.errors import ApplicationError
from core.money import MAX_AMOUNT
from ledger import services as ledger
from ledger.models import Account, AccountKind, TransactionKind
from projects.services import check_permission

from .details import account_field, bank_details_of
from .models import Withdrawal, WithdrawalStatus

RECORD_WITHDRAWAL = "payouts.record_payout"  # the Finance staff who record payouts record withdrawals too


def _wallet_lock(user: Any, currency: str) -> Account:
    """The user's wallet in `currency`, row-locked FOR NO KEY UPDATE as pledges lock it (lock order:
    the wallet before anything else), so a spend and a withdrawal never both take the same money."""
    ledger.wallet_account(user, currency)
    return Account.objects.select_for_update(no_key=True).get(
        kind=AccountKind.WALLET, currency=currency, owner_key=Account.key_for(user=user)
    )


def withdrawal_request(*, user: Any, currency: str, amount: int, request_key: str) -> Withdrawal:
    """Ask for `amount` (minor units) of the user's wallet in `currency` to be paid to their bank account
    (the IBAN or Sheba of their bank details that fits the currency). Under the wallet's row lock the
    balance is read afresh, so neither a double click nor two requests at once can take more than it
    holds; a `request_key` already used returns that request."""
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= MAX_AMOUNT:
        raise ApplicationError(gettext_noop("Enter an amount above zero."), field="amount")
    details = bank_details_of(user)
    number = getattr(details, account_field(currency)) if details else ""
    if details is None or not number:
        raise ApplicationError(
            gettext_noop("Add your bank details first: the money is paid to that account."),
            code="bank_details_required",
        )
    with transaction.atomic():
        wallet = _wallet_lock(user, currency)
        if done := Withdrawal.objects.filter(request_key=request_key, user=user).first():
            return done
        balance = ledger.wallet_spendable(wallet)
        if amount > balance:
            raise ApplicationError(
                gettext_noop("Your wallet holds less than this amount."), code="wallet_too_low", field="amount"
            )
        withdrawal = Withdrawal.objects.create(
            user=user,
            currency=currency,
            amount=amount,
            holder_name=details.holder_name,
            account_number=number,
            request_key=request_key,
        )
        payable = ledger.account_get(kind=AccountKind.WITHDRAWAL_PAYABLE, currency=currency, user=user)
        ledger.transaction_record(
            kind=TransactionKind.WITHDRAWAL,
            key=f"withdrawal-{withdrawal.pk}",
            legs=[ledger.Leg(wallet, -amount), ledger.Leg(payable, amount)],
            memo=f"Withdrawal {withdrawal.pk} asked",
        )
        return withdrawal


def withdrawal_pay(*, withdrawal_id: int, reference: str, actor: Any) -> Withdrawal:
    """Record that staff paid a requested withdrawal by bank transfer (`reference`): the money leaves
    the platform for the bank. Needs the Finance permission; recording it twice changes nothing."""
    check_permission(actor, RECORD_WITHDRAWAL)
    if not reference.strip():
        raise ApplicationError("Give the transfer's reference.", field="reference")
    with transaction.atomic():
        withdrawal = Withdrawal.objects.select_for_update().get(pk=withdrawal_id)
        if withdrawal.status == WithdrawalStatus.PAID:
            return withdrawal
        payable = ledger.account_get(
            kind=AccountKind.WITHDRAWAL_PAYABLE, currency=withdrawal.currency, user=withdrawal.user
        )
        bank = ledger.account_get(kind=AccountKind.BANK_OUT, currency=withdrawal.currency, user=withdrawal.user)
        ledger.transaction_record(
            kind=TransactionKind.WITHDRAWAL_PAID,
            key=f"withdrawal-{withdrawal.pk}-paid",
            legs=[ledger.Leg(payable, -withdrawal.amount), ledger.Leg(bank, withdrawal.amount)],
            memo=f"Withdrawal {withdrawal.pk} paid: {reference.strip()[:120]}",
        )
        withdrawal.status = WithdrawalStatus.PAID
        withdrawal.reference = reference.strip()[:120]
        withdrawal.recorded_by = actor
        withdrawal.paid_at = timezone.now()
        withdrawal.save(update_fields=["status", "reference", "recorded_by", "paid_at"])
        return withdrawal


def withdrawals_of(user: Any) -> list[Withdrawal]:
    return list(Withdrawal.objects.filter(user=user)[:50])
