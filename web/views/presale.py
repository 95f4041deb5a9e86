"""Pre-sale trust on the site: the owner files a guarantee; its scanned document is served to staff only.
Thin views over presale's services and selectors."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from pledges.models import Pledge
from pledges.selectors import pledge_of_backer
from presale.delivery import (
    ADDRESS_FIELDS,
    deliveries_ship_csv,
    delivery_confirm,
    delivery_problem_report,
    delivery_ship,
)
from presale.guarantees import guarantee_add
from presale.models import DeliveryStatus, Guarantee
from presale.selectors import delivery_summary, shipping_pledges
from web.forms.presale import GuaranteeForm, ShipCsvForm, ShipForm
from web.labels import error_text, form_error
from web.views import owner as owner_views


@login_required
@require_POST
def guarantee_file(request, pk):
    campaign = owner_views._own(request, pk)
    form = GuaranteeForm(request.POST, request.FILES, currency=campaign.currency)
    if form.is_valid():
        try:
            guarantee_add(campaign=campaign, user=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Guarantee filed: staff will check it with its issuer."))
            return redirect("owner-campaign", pk=pk)
    return owner_views.campaign_manage(request, pk, guarantee_form=form)


def guarantee_document(request, pk):
    """The scanned guarantee: to staff only (404 to anyone else, its owner included), as a download of
    its checked type."""
    if not (request.user.is_authenticated and request.user.is_staff):
        raise Http404
    guarantee = get_object_or_404(Guarantee, pk=pk)
    try:
        handle = guarantee.document.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=f"guarantee-{guarantee.pk}", content_type=guarantee.document_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# Delivery: the owner's page of shipped rewards, the addresses export, the backer's confirm / problem.


@login_required
def deliveries(request, pk, *, ship_form=None, csv_form=None, csv_report=None):
    """The owner's delivery page: each paid pledge whose reward ships, its address, status and tracking;
    mark one shipped, or upload a CSV file of pledge ids and tracking references."""
    campaign = owner_views._own(request, pk)
    pledges = shipping_pledges(campaign)
    return render(
        request,
        "presale/owner_deliveries.html",
        {
            "campaign": campaign,
            "platform": campaign.platform,
            "pledges": pledges,
            "summary": delivery_summary(campaign),
            "ship_form": ship_form or ShipForm(),
            "csv_form": csv_form or ShipCsvForm(),
            "csv_report": csv_report,
        },
    )


@login_required
@require_POST
def delivery_ship_view(request, pk):
    campaign = owner_views._own(request, pk)
    form = ShipForm(request.POST)
    if form.is_valid():
        pledge = Pledge.objects.filter(campaign=campaign, pk=form.cleaned_data["pledge"]).first()
        if pledge is None:
            raise Http404
        try:
            delivery_ship(pledge=pledge, user=request.user, tracking_reference=form.cleaned_data["tracking_reference"])
        except ApplicationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Marked as shipped: the backer is told by e-mail."))
        return redirect("owner-deliveries", pk=pk)
    return deliveries(request, pk, ship_form=form)


@login_required
@require_POST
def delivery_ship_csv_view(request, pk):
    campaign = owner_views._own(request, pk)
    form = ShipCsvForm(request.POST, request.FILES)
    if not form.is_valid():
        return deliveries(request, pk, csv_form=form)
    try:
        report = deliveries_ship_csv(campaign=campaign, user=request.user, content=form.cleaned_data["file"].read())
    except ApplicationError as exc:
        form.add_error("file", error_text(exc))
        return deliveries(request, pk, csv_form=form)
    if not report.ok:
        return deliveries(request, pk, csv_form=form, csv_report=report)
    messages.success(
        request, _("%(n)s rewards marked as shipped: their backers are told by e-mail.") % {"n": len(report.shipped)}
    )
    return redirect("owner-deliveries", pk=pk)


@login_required
def addresses_csv(request, pk):
    """The shipping addresses of the campaign's paid pledges whose reward ships, for its owner."""
    campaign = owner_views._own(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="campaign-{campaign.pk}-addresses.csv"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(["pledge_id", "reward", "status", "tracking_reference", *ADDRESS_FIELDS])
    for pledge in shipping_pledges(campaign):
        address = getattr(pledge, "shipping_address", None)
        delivery = getattr(pledge, "delivery", None)
        writer.writerow(
            [
                pledge.pk,
                owner_views._cell(pledge.tier.title),  # type: ignore[union-attr]
                delivery.status if delivery else DeliveryStatus.OUTSTANDING,
                owner_views._cell(delivery.tracking_reference if delivery else ""),
                *(owner_views._cell(getattr(address, f, "") if address else "") for f in ADDRESS_FIELDS),
            ]
        )
    return response


@login_required
@require_POST
def delivery_backer_view(request, pk):
    """The backer confirms receipt (`action=confirm`) or reports a problem (`action=problem`, `problem`)."""
    pledge = pledge_of_backer(request.user, pk)
    if pledge is None:
        raise Http404
    try:
        if request.POST.get("action") == "confirm":
            delivery_confirm(pledge=pledge, backer=request.user)
            messages.success(request, _("Thank you: the reward is marked as delivered."))
        else:
            delivery_problem_report(pledge=pledge, backer=request.user, text=request.POST.get("problem", ""))
            messages.success(request, _("Problem reported: the campaign's owner and the platform's staff are told."))
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    return redirect("pledge-receipt", pk=pk)
