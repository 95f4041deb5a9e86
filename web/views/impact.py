"""Public pages of accountability: a platform's decision log (filters, Atom feed) with its overdue
reports, its funded assets by status, an owner's public profile, a final report's attachments, and
what a campaign's page adds (its dated timeline, indicators, spending against what was raised, upkeep)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from decisions.kinds import KINDS, kind_label
from decisions.models import ActorRole
from impact.models import AssetStatus, FollowUp, UpkeepPlan
from impact.reports import owner_record, owner_reports_summary, reports_overdue
from impact.selectors import decision_who, decisions_public, indicators_of
from impact.upkeep import assets_of
from partners.selectors import organisations_of_user
from platforms.selectors import platform_by_slug
from presale.selectors import owner_delivery_record
from projects.models import NOT_PUBLIC_STATUSES, Campaign, ReportAttachment, ReportStatus
from web.forms.impact import DecisionFilterForm

PAGE_SIZE = 50


def _platform(slug):
    platform = platform_by_slug(slug)
    if platform is None:
        raise Http404
    return platform


def _filters(request, platform):
    campaigns = (
        Campaign.objects.filter(platform=platform, decisions__isnull=False)
        .exclude(status__in=NOT_PUBLIC_STATUSES)
        .distinct()
        .order_by("title")
    )
    form = DecisionFilterForm(request.GET or None, kinds=sorted(KINDS), campaigns=campaigns)
    f = form.cleaned_data if form.is_valid() else {}
    qs = decisions_public(
        platform=platform,
        kind=f.get("kind") or "",
        campaign_id=f.get("campaign"),
        since=f.get("since"),
        until=f.get("until"),
    )
    return form, qs


def decision_log(request, slug):
    platform = _platform(slug)
    form, qs = _filters(request, platform)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "impact/decision_log.html",
        {"platform": platform, "form": form, "page": page, "overdue": list(reports_overdue(platform))},
    )


class DecisionFeed(Feed):
    """The platform's decision log as an Atom feed (the same filters as the page)."""

    feed_type = Atom1Feed

    def get_object(self, request, slug):
        self.request = request
        return _platform(slug)

    def title(self, platform):
        return _("Decision log") + f": {_(platform.name)}"

    def link(self, platform):
        return reverse("decision-log", args=[platform.slug])

    def subtitle(self, platform):
        return _("Every decision about the platform's campaigns and final reports, newest first.")

    def items(self, platform):
        return list(_filters(self.request, platform)[1][:PAGE_SIZE])

    def item_title(self, item):
        return f"{kind_label(item.kind)}: {item.campaign.title}" if item.campaign else kind_label(item.kind)

    def item_description(self, item):
        who = str(ActorRole(item.actor_role).label)
        if name := decision_who(item):
            who = f"{who} ({name})"
        return f"{who}. {item.reason}".strip()

    def item_link(self, item):
        if item.campaign_id:
            return reverse("campaign", args=[item.platform.slug, item.campaign_id]) + f"#decision-{item.pk}"
        return reverse("decision-log", args=[item.platform.slug]) + f"#decision-{item.pk}"

    def item_pubdate(self, item):
        return item.at

    def item_updateddate(self, item):
        return item.at


def assets(request, slug):
    platform = _platform(slug)
    status = request.GET.get("status", "")
    if status not in ("", "unknown", *AssetStatus.values):
        status = ""
    return render(
        request,
        "impact/assets.html",
        {
            "platform": platform,
            "rows": assets_of(platform, status=status),
            "status": status,
            "statuses": [("", _("All")), *AssetStatus.choices, ("unknown", _("No follow-up yet"))],
        },
    )


def owner_profile(request, username=None, pk=None):
    """An owner's public page: their display name, verified organisations, public campaigns with each
    final report's record, and their delivery record (reports on time and approved; pre-sale rewards
    delivered on time). A fixed number of queries whatever the number of campaigns."""
    lookup = {"pk": pk} if pk is not None else {"username": username}
    owner = get_object_or_404(get_user_model(), is_active=True, **lookup)
    record = owner_record(owner.pk)
    if not record:
        raise Http404
    organisations = [o for o in organisations_of_user(owner) if o.verified_at is not None]
    return render(
        request,
        "impact/owner_profile.html",
        {
            "owner": owner,
            "record": record,
            "reports": owner_reports_summary(record),
            "deliveries": owner_delivery_record(owner.pk),
            "organisations": organisations,
            "platforms": sorted({r.campaign.platform for r in record}, key=lambda p: p.pk),
        },
    )


def report_attachment(request, pk):
    """A report's file: to anyone once the report is approved; before, to its owner and staff only.
    Always a download of its checked type, never sniffed, never run as a page."""
    attachment = get_object_or_404(ReportAttachment.objects.select_related("report__campaign"), pk=pk)
    report = attachment.report
    allowed = report.status == ReportStatus.APPROVED or (
        request.user.is_authenticated and (request.user.is_staff or report.campaign.owner_id == request.user.pk)
    )
    if not allowed:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"report-{report.pk}-{attachment.pk}{_extension(attachment)}",
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600" if report.status != ReportStatus.APPROVED else "max-age=3600"
    return response


def _extension(attachment) -> str:
    name = attachment.file.name
    return name[name.rfind(".") :] if "." in name else ""


def campaign_accountability(campaign, report) -> dict:
    """What a campaign's page shows of accountability (its report, if public, is `report`)."""
    payout_total = (campaign.first_payout_amount or 0) + (campaign.held_amount or 0)
    spent = report.spending_total if report else 0
    raised = campaign.collected if campaign.collected is not None else campaign.raised_at_close
    return {
        "timeline": list(decisions_public(campaign=campaign).order_by("at", "id")),
        "indicators": indicators_of(campaign),
        "upkeep": UpkeepPlan.objects.filter(campaign=campaign).first(),
        "follow_ups": list(FollowUp.objects.filter(campaign=campaign, submitted_at__isnull=False)),
        "attachments": list(report.attachments.all()) if report else [],
        "spent": spent,
        "raised_total": raised or 0,
        "payout_total": payout_total,
        "over_payout": bool(report) and campaign.collected is not None and spent > payout_total,
    }
