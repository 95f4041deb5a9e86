"""The site's words for what the engine says: refusals by error code, refused lifecycle moves as whole
sentences, and the statuses' labels (declared, translated, once: on their TextChoices)."""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from core.errors import ApplicationError, InvalidTransition, PaymentDeclined
from core.text import digits
from platforms.models import FundingModel
from pledges.models import PledgeStatus
from projects.models import ALREADY_DONE, CANNOT_MOVE, MOVE_WORDS, STATE_WORDS, CampaignStatus

# The browse page's named states (pledges.selectors.STATES: the campaign statuses each covers).
STATE_LABELS = {"live": _("Live"), "funded": _("Funded"), "failed": _("Failed")}
# The preset platforms' names and descriptions (projects/presets.py), for the catalogue.
PRESET_TEXT = [
    gettext_noop("Arts & Games"),
    gettext_noop("Charity & Social Good"),
    gettext_noop("Product Pre-sale"),
    gettext_noop("City Civic Portal"),
    gettext_noop(
        "Reward-based crowdfunding for arts and games (like Hamijoo). Campaigns that raise 25% of "
        "their goal succeed; 90% is paid after 15 working days, 10% after the final report is approved."
    ),
    gettext_noop(
        "Donation-based charity (like Mehrabane): any amount, no reward, all or nothing; a cancelled "
        "project's money goes back to each backer's wallet."
    ),
    gettext_noop(
        "Pre-sale of products at the mass-production stage (like Nikstarter): free support of any "
        "amount or fixed support packages."
    ),
    gettext_noop("A municipality's civic crowdfunding portal: citizens fund local projects."),
]

# Why a card was declined, by the provider's decline code (Stripe's codes; the sandbox's test cards
# speak them too): what the backer can do about it. A code not listed reads as a decline by the bank.
DECLINED_BY_BANK = _("Your bank declined this card. Try another card, or ask your bank why.")
DECLINE_REASONS = {
    "insufficient_funds": _("Your card was declined: insufficient funds. Try another card."),
    "invalid_number": _("This card number is not valid: check it and type it again."),
    "incorrect_number": _("This card number is not valid: check it and type it again."),
    "expired_card": _("This card has expired. Try another card."),
    "incorrect_cvc": _("The card's security code is wrong: check it and try again."),
    "invalid_cvc": _("The card's security code is wrong: check it and try again."),
    "invalid_expiry_month": _("The card's expiry date is wrong: check it and try again."),
    "invalid_expiry_year": _("The card's expiry date is wrong: check it and try again."),
    "authentication_required": _("Your bank asks you to confirm this payment: try again and confirm it."),
    "lost_card": DECLINED_BY_BANK,
    "stolen_card": DECLINED_BY_BANK,
    "card_declined": DECLINED_BY_BANK,
    "generic_decline": DECLINED_BY_BANK,
    "do_not_honor": DECLINED_BY_BANK,
}

# What the engine's refusals say, in the visitor's language. Keyed by code; the engine's English
# message is the fallback for a code not listed here.
ERRORS = {
    "campaign_not_live": _("This campaign is not taking pledges."),
    "campaign_not_started": _("This campaign has not started yet."),
    "campaign_closed": _("This campaign has closed; it takes no more pledges and pledges can no longer be cancelled."),
    "own_campaign": _("You cannot back your own campaign."),
    "invalid_amount": _("Enter a valid amount."),
    "amount_too_small": _("The amount is below the smallest pledge of this platform."),
    "tier_required": _("Choose a reward: this platform takes no free amounts."),
    "unknown_tier": _("That reward is not part of this campaign."),
    "amount_below_tier": _("The amount is below the price of the chosen reward."),
    "tier_sold_out": _("Sorry, this reward has sold out."),
    "insufficient_funds": _("Your wallet does not hold enough for this pledge."),
    "payment_declined": _("The card was declined."),
    "payment_pending": _("This pledge's payment is still being confirmed; try again shortly."),
    "payment_confirmed": _(
        "Your bank confirmed this payment before it could be cancelled: your pledge is paid. "
        "While the campaign is live you can still cancel it; the money then comes back to you "
        "in full."
    ),
    "provider_unavailable": _("Stripe did not answer: your pledge is not cancelled yet. Please try again in a moment."),
    "not_retrying": _("This pledge can no longer be paid."),
    "not_draft": _("Only a draft can be changed."),
    "tiers_not_allowed": _("This platform takes no reward tiers."),
    "tier_above_goal": _("A reward cannot cost more than the campaign's goal."),
    "goal_below_tier": _("A reward costs more than this goal: lower or remove that reward first."),
    "tiers_required": _("Add at least one reward tier: this platform takes no free amounts."),
    "not_live": _("Updates are posted once the campaign is live."),
    "invalid_transition": _("This step is not possible in the campaign's current state."),
    "permission_denied": _("You may not do this."),
    "not_found": _("No such pledge of yours."),
    "deadline_passed": _("The deadline has passed."),
    "area_required": _("Choose the campaign's area before submitting it."),
    "title_control": _("A title is one line: no line breaks, tabs or other control characters."),
    "title_bidi": _("A title cannot contain bidirectional override or isolate characters."),
    "name_too_long": _("A display name has at most 80 characters."),
    "name_invalid": _("A display name is one line of visible text, without control characters."),
    "title_invisible": _("A title needs visible characters, not only spaces or zero-width characters."),
    "start_too_far": _("A campaign starts within a year."),
}
# Refusals that carry the default code, recognised by field.
FIELD_ERRORS = {
    "category": _("Choose a category of this platform."),
    "area": _("Choose an area of this platform."),
    "funding_model": _("This platform does not allow this funding model."),
    "goal": _("The goal must be a positive whole amount, not too large."),
    "deadline": _("The deadline must be in the future and after the start."),
    "title": _("Give the campaign a title."),
    "quantity_limit": _("A limited reward needs at least one unit."),
    "spending": _("Each spending line needs an item and a whole, non-negative amount."),
    "text": _("Describe what was done with the money."),
}


def campaign_status(status: str) -> str:
    return str(CampaignStatus(status).label) if status in CampaignStatus.values else status


def pledge_status(status: str) -> str:
    return str(PledgeStatus(status).label) if status in PledgeStatus.values else status


def funding_model(value: str) -> str:
    return str(FundingModel(value).label) if value in FundingModel.values else value


def transition_text(exc: InvalidTransition) -> str:
    """A refused lifecycle move in the visitor's language: "This campaign is already live.", or what
    the campaign is and what it cannot do."""
    if exc.from_status == exc.to_status:
        return gettext(ALREADY_DONE[exc.to_status])
    return gettext(CANNOT_MOVE) % {
        "state": gettext(STATE_WORDS[exc.from_status]),
        "move": gettext(MOVE_WORDS[exc.to_status]),
    }


def error_text(exc: ApplicationError) -> str:
    """The visitor-facing message of a domain error."""
    if isinstance(exc, InvalidTransition) and exc.to_status:
        return transition_text(exc)
    if exc.code == "deadline_too_far" and (days := "".join(filter(str.isdigit, exc.message))):
        return gettext("On this platform a campaign runs at most %(days)s days: choose an earlier deadline.") % {
            "days": digits(days)
        }
    if isinstance(exc, PaymentDeclined) and exc.reason:
        return str(DECLINE_REASONS.get(exc.reason, DECLINED_BY_BANK))
    if exc.code in ERRORS:
        return str(ERRORS[exc.code])
    if exc.code == "invalid" and exc.field in FIELD_ERRORS:
        return str(FIELD_ERRORS[exc.field])
    if exc.code == "invalid" and exc.field == "amount":
        return gettext("A reward's amount must be at least the platform's smallest pledge.")
    return gettext(exc.message)


def form_error(form, exc: ApplicationError, *, fields: dict[str, str] | None = None) -> None:
    """Put a domain error next to its field in `form` (or at the top when it has no such field).
    `fields` maps an engine field name to the form's (e.g. "tier" -> "tier")."""
    name = (fields or {}).get(exc.field or "", exc.field)
    form.add_error(name if name in form.fields else None, error_text(exc))
