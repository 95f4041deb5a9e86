"""Sharing a campaign: its Open Graph / Twitter card tags and share links (plain links to each network's
own share page: no third-party script runs on ours), and a QR code of its address for posters (segno,
pure Python: an SVG drawn on the server, nothing sent elsewhere)."""

from __future__ import annotations

import io
from html import unescape
from urllib.parse import quote, urlencode

import segno
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.views.decorators.http import require_GET

from pledges.selectors import campaigns_public
from web.templatetags.civic import markdown_filter

SUMMARY_CHARS = 200


def story_summary(story: str) -> str:
    """A story's first words as plain text (its Markdown read, tags dropped), for previews."""
    text = " ".join(unescape(strip_tags(markdown_filter(story))).split())
    return Truncator(text).chars(SUMMARY_CHARS)


def share_context(request, campaign) -> dict:
    """What a campaign page's head and share box need: its canonical absolute address, title, summary,
    absolute picture address (or ""), and the share links."""
    url = request.build_absolute_uri(reverse("campaign", args=[campaign.platform.slug, campaign.pk]))
    title = campaign.title
    text = f"{title} {url}"
    links = [
        ("email", "E-mail", "mailto:?" + urlencode({"subject": title, "body": url}, quote_via=quote)),
        ("x", "X (Twitter)", "https://twitter.com/intent/tweet?" + urlencode({"text": title, "url": url})),
        ("facebook", "Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})),
        ("whatsapp", "WhatsApp", "https://wa.me/?" + urlencode({"text": text})),
        ("telegram", "Telegram", "https://t.me/share/url?" + urlencode({"url": url, "text": title})),
    ]
    return {
        "share_url": url,
        "share_title": title,
        "share_summary": story_summary(campaign.story),
        "share_image": request.build_absolute_uri(campaign.image.url) if campaign.image else "",
        "share_links": links,
    }


def _public_campaign(slug: str, pk: int):
    campaign = campaigns_public().filter(platform__slug=slug, pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


def campaign_qr_svg(url: str, *, title: str = "", scale: int = 8) -> bytes:
    """The QR code of `url` as an SVG (error correction level M: a poster may get a little dirty)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=scale, border=4, title=title or None)
    return out.getvalue()


@require_GET
def campaign_qr(request, slug, pk):
    """The campaign's address as a QR code (SVG), to print or to put on a poster."""
    campaign = _public_campaign(slug, pk)
    url = request.build_absolute_uri(reverse("campaign", args=[slug, pk]))
    response = HttpResponse(campaign_qr_svg(url, title=campaign.title), content_type="image/svg+xml")
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="campaign-{pk}-qr.svg"'
    return response


@require_GET
def campaign_poster(request, slug, pk):
    """A printable poster: the title, the summary, the goal and deadline, the QR code and the address."""
    campaign = _public_campaign(slug, pk)
    return render(
        request,
        "projects/poster.html",
        {"campaign": campaign, "platform": campaign.platform, **share_context(request, campaign)},
    )
