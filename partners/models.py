"""Partners of a platform: organisations (public bodies, company sponsors, charitable funds) with their
members, endorsements and sponsorships; match-funding pots and their matches; open calls and the
applications to them (docs/architecture.md, "Partners: organisations, pots and calls").

Money is in the ledger: a pot's balance is its own ledger account (`pot:<id>`, kind `pot`); the
`available` column is kept in step with it under the pot's row lock so a match is decided without
summing entries, and `audit_ledger` checks the two agree."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    PUBLIC_BODY = "public_body", _("Public body")
    COMPANY = "company", _("Company")
    CHARITABLE_FUND = "charitable_fund", _("Charitable fund")


class Organisation(models.Model):
    """An organisation taking part in one platform. It may act (endorse, fund, run calls) only once
    platform staff have verified it (`verified_at`)."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="organisations")
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=80)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    logo = models.ImageField(_("logo"), upload_to="organisations/%Y/", blank=True)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["platform_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "slug"], name="organisation_unique_slug_per_platform"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class MemberRole(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    REVIEWER = "reviewer", _("Reviewer")


class Membership(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=MemberRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation_id", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="membership_unique_user")]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) of {self.organisation}"


class Endorsement(models.Model):
    """A public endorsement of a campaign by an organisation; withdrawn (with a public reason), it stays
    on record. At most one standing endorsement per organisation and campaign."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="endorsements")
    campaign = models.ForeignKey("projects.Campaign", on_delete=models.PROTECT, related_name="endorsements")
    endorsed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=280)
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "campaign"],
                condition=Q(withdrawn_at__isnull=True),
                name="endorsement_one_standing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} endorses {self.campaign_id}"


class Sponsorship(models.Model):
    """An organisation shown, with its logo, as a sponsor of a platform or of one of its campaigns."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="sponsorships")
    platform = models.ForeignKey("platforms.Platform", on_delete=models.CASCADE, related_name="sponsorships")
    campaign = models.ForeignKey(
        "projects.Campaign", null=True, blank=True, on_delete=models.CASCADE, related_name="sponsorships"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "platform"],
                condition=Q(campaign__isnull=True),
                name="sponsor_once_per_platform",
            ),
            models.UniqueConstraint(fields=["organisation", "campaign"], name="sponsor_once_per_campaign"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} sponsors {self.campaign_id or self.platform_id}"


class PotRule(models.TextChoices):
    LINEAR = "linear", _("Matched pledge by pledge")
    MILESTONE = "milestone", _("Grant at a milestone")
    QUADRATIC = "quadratic", _("Quadratic funding round")


class PotStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Pot(models.Model):
    """A match-funding budget of an organisation on a platform, in the platform's currency."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="pots")
    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="pots")
    name = models.CharField(_("name"), max_length=200)
    currency = models.CharField(max_length=3)
    budget = models.BigIntegerField(_("budget"), help_text="Minor units: what the organisation means to pay in.")
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    rule = models.CharField(_("rule"), max_length=10, choices=PotRule.choices)
    status = models.CharField(max_length=10, choices=PotStatus.choices, default=PotStatus.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Eligibility: a campaign qualifies if it is one the organisation picked, or (when any is given)
    # in one of the categories and one of the areas, or approved in the pot's call.
    categories = models.ManyToManyField("platforms.Category", blank=True, related_name="+")
    areas = models.ManyToManyField("platforms.Area", blank=True, related_name="+")
    campaigns = models.ManyToManyField("projects.Campaign", blank=True, related_name="+")
    # linear: match = floor(amount × ratio), within the caps
    ratio = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    cap_per_pledge = models.BigIntegerField(null=True, blank=True)
    cap_per_campaign = models.BigIntegerField(null=True, blank=True)
    cap_per_campaign_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    matched_pledges_per_backer = models.PositiveSmallIntegerField(null=True, blank=True, default=1)
    # milestone: once citizen money reaches milestone_percent of the goal from milestone_backers backers
    milestone_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    milestone_backers = models.PositiveIntegerField(null=True, blank=True)
    grant_amount = models.BigIntegerField(null=True, blank=True)
    grant_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    # quadratic: no campaign gets more than cap_percent of the pot
    cap_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    # Kept in step with the pot's ledger account under the pot's row lock (audited).
    paid_in = models.BigIntegerField(default=0)
    available = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "-id"]
        indexes = [models.Index(fields=["platform", "status", "closes_at"], name="pot_platform_open")]
        constraints = [
            models.CheckConstraint(condition=Q(available__gte=0), name="pot_never_overspent"),
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="pot_window_forward"),
            models.CheckConstraint(condition=Q(budget__gt=0), name="pot_budget_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class MatchStatus(models.TextChoices):
    COMMITTED = "committed", _("Committed")
    COLLECTED = "collected", _("Paid to the project")
    RETURNED = "returned", _("Returned to the pot")


class Match(models.Model):
    """Money of a pot committed to a campaign: for one pledge (linear), once (milestone) or at a
    round's close (quadratic). Its ledger movement pot → campaign escrow is written with it."""

    pot = models.ForeignKey(Pot, on_delete=models.PROTECT, related_name="matches")
    campaign = models.ForeignKey("projects.Campaign", on_delete=models.PROTECT, related_name="matches")
    pledge = models.ForeignKey(
        "pledges.Pledge", null=True, blank=True, on_delete=models.PROTECT, related_name="matches"
    )
    backer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=10, choices=MatchStatus.choices, default=MatchStatus.COMMITTED)
    created_at = models.DateTimeField(auto_now_add=True)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "matches"
        indexes = [models.Index(fields=["campaign", "status"], name="match_campaign_status")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="match_amount_positive"),
            models.UniqueConstraint(fields=["pot", "pledge"], name="match_once_per_pledge"),
            models.UniqueConstraint(
                fields=["pot", "campaign"], condition=Q(pledge__isnull=True), name="match_grant_once_per_campaign"
            ),
        ]

    def __str__(self) -> str:
        return f"match {self.amount} {self.currency} from pot {self.pot_id} to {self.campaign_id}"


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Open for applications")
    CLOSED = "closed", _("Closed")


class Call(models.Model):
    """An open call of an organisation on a platform: owners apply with a draft campaign; the
    organisation's reviewers shortlist, approve or decline. Its budget is a pot (`Pot.call`)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="calls")
    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="calls")
    title = models.CharField(_("title"), max_length=200)
    theme = models.CharField(_("theme"), max_length=200)
    description = models.TextField(_("description"))
    criteria = models.TextField(_("selection criteria"))
    areas = models.ManyToManyField("platforms.Area", blank=True, related_name="+")
    categories = models.ManyToManyField("platforms.Category", blank=True, related_name="+")
    pot = models.OneToOneField(Pot, null=True, blank=True, on_delete=models.PROTECT, related_name="call")
    applications_open_at = models.DateTimeField(_("applications open"))
    applications_close_at = models.DateTimeField(_("applications close"))
    campaigns_deadline = models.DateTimeField(_("campaigns' deadline"))
    status = models.CharField(max_length=10, choices=CallStatus.choices, default=CallStatus.DRAFT)
    round_closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-applications_open_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(applications_close_at__gt=models.F("applications_open_at")), name="call_window_forward"
            ),
            models.CheckConstraint(
                condition=Q(campaigns_deadline__gt=models.F("applications_close_at")), name="call_deadline_after_window"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class Application(models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    campaign = models.OneToOneField("projects.Campaign", on_delete=models.PROTECT, related_name="call_application")
    status = models.CharField(max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED)
    reason = models.TextField(blank=True)  # public, for a decline
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["submitted_at", "id"]

    def __str__(self) -> str:
        return f"{self.campaign_id} in call {self.call_id}"


class PayInMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    CARD = "card", _("Card")


class PayInStatus(models.TextChoices):
    STARTED = "started", _("Started")
    PENDING = "pending", _("Waiting for the card's bank")
    SUCCEEDED = "succeeded", _("Paid in")
    DECLINED = "declined", _("Declined")


class PotPayIn(models.Model):
    """Money an organisation pays into a pot by card through the payment gateway. The row is written
    (and committed) before the gateway is called, with the key the gateway gets, so a retry never
    charges twice; the pot is credited (a ledger movement organisation → pot) only once the gateway
    says the charge succeeded, and only once (`credited_at`)."""

    pot = models.ForeignKey(Pot, on_delete=models.PROTECT, related_name="pay_ins")
    method = models.CharField(max_length=16, choices=PayInMethod.choices, default=PayInMethod.CARD)
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    gateway = models.CharField(max_length=20)
    idempotency_key = models.CharField(max_length=120, unique=True)
    status = models.CharField(max_length=10, choices=PayInStatus.choices, default=PayInStatus.STARTED)
    reference = models.CharField(max_length=120, blank=True)  # the gateway's charge
    message = models.CharField(max_length=300, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    credited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="pot_pay_in_positive")]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} into pot {self.pot_id} ({self.status})"
