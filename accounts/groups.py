"""The staff groups and what each may do (docs/security.md). Being staff (`is_staff`) only opens the
admin; acting needs a named permission, held through a group (or by a superuser)."""

from __future__ import annotations

from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes

# Group name -> permissions ("app_label.codename"): the actions, and the views their admin lists need.
STAFF_GROUPS: dict[str, list[str]] = {
    "Reviewers": [
        "projects.review_campaign",  # approve or send back submitted campaigns
        "projects.review_report",  # approve (releases the held part) or reject final reports
        "projects.view_campaign",
        "projects.view_finalreport",
        "projects.view_rewardtier",
        "projects.view_campaignupdate",
        "projects.view_reportattachment",
        "presale.decide_claim",  # decide backers' pre-sale claims (accept in full or in part, or reject)
        "presale.view_claim",
        "presale.view_claimevidence",
        "presale.view_guarantee",
    ],
    "Finance": [
        "payouts.record_payout",  # record the bank transfer of a payout (first payout and held part)
        "payouts.view_payout",
        "payouts.view_stripeconnectaccount",
        "payouts.view_withdrawal",  # backers' wallet withdrawals, paid with the same record_payout
        "projects.view_campaign",
        "pledges.view_pledge",
        "ledger.view_account",
        "ledger.view_transaction",
        "ledger.view_entry",
        "presale.record_guarantee_call",  # record a call on a guarantee and the issuer's payment
        "presale.view_guaranteecall",
        "presale.view_claim",
        "presale.view_claimpayment",
        "presale.view_guarantee",
    ],
    "Editors": [
        # the platforms' about, FAQ, terms and privacy pages (Markdown, shown sanitised)
        "platforms.view_platformpage",
        "platforms.add_platformpage",
        "platforms.change_platformpage",
    ],
    "Analysts": [
        "stats.view_participation",  # the participation page and its CSV (who takes part, by area)
        "stats.upload_populations",  # the areas' populations, on the same page
    ],
}


def staff_groups_ensure(*, apps: Any = global_apps, using: str = "default", **kwargs: Any) -> None:
    """Create the groups with their permissions (idempotent; after every migrate and test flush).
    Permissions of apps not migrated yet are created first, so the order of apps does not matter."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for label in {name.split(".")[0] for names in STAFF_GROUPS.values() for name in names}:
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        create_contenttypes(config, verbosity=0, using=using, apps=apps)
        create_permissions(config, verbosity=0, using=using, apps=apps)
    for name, wanted in STAFF_GROUPS.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        for dotted in wanted:
            app_label, codename = dotted.split(".")
            permission = (
                Permission.objects.using(using).filter(content_type__app_label=app_label, codename=codename).first()
            )
            if permission is not None:
                group.permissions.add(permission)
