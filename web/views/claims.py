"""Backers' claims on the site: the backer files one from their receipt, the owner answers it, staff
decide it (here or in the admin); evidence files are served to those three only. Thin views over
presale.claims and presale.selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from platforms.middleware import platform_locale_activate
from presale.claim_money import RECORD_GUARANTEE_CALL, claim_payment_to_wallet
from presale.claims import DECIDE_CLAIM, claim_answer, claim_decide, claim_file
from presale.models import ClaimEvidence, ClaimPayment
from presale.selectors import claim_of_pledge, claim_visible
from web.forms.presale import ClaimAnswerForm, ClaimDecisionForm, ClaimForm
from web.labels import error_text, form_error
from web.views.pledges import _own_pledge


@login_required
def claim_new(request, pk):
    """The backer's claim form for their pledge `pk` (a claim already filed: its page)."""
    pledge = _own_pledge(request, pk)
    platform_locale_activate(request, pledge.campaign.platform)
    if (existing := claim_of_pledge(pledge.pk)) is not None:
        return redirect("claim", pk=existing.pk)
    form = ClaimForm(request.POST or None, request.FILES or None, currency=pledge.currency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            claim = claim_file(
                pledge=pledge,
                user=request.user,
                ground=data["ground"],
                description=data["description"],
                amount=data["amount"],
                evidence=data["evidence"],
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Claim filed. The owner can answer it; then staff decide."))
            return redirect("claim", pk=claim.pk)
    return render(
        request,
        "presale/claim_new.html",
        {"pledge": pledge, "campaign": pledge.campaign, "platform": pledge.campaign.platform, "form": form},
    )


def _claim_page(request, claim, *, answer_form=None, decision_form=None, status=200):
    user = request.user
    is_owner = user.pk == claim.campaign.owner_id
    can_decide = user.has_perm(DECIDE_CLAIM) and claim.undecided
    return render(
        request,
        "presale/claim.html",
        {
            "claim": claim,
            "campaign": claim.campaign,
            "platform": claim.campaign.platform,
            "is_backer": user.pk == claim.backer_id,
            "is_owner": is_owner,
            "answer_form": answer_form or (ClaimAnswerForm() if is_owner and claim.status == "filed" else None),
            "decision_form": decision_form or (ClaimDecisionForm(currency=claim.currency) if can_decide else None),
            "evidence": list(claim.evidence.all()),
            "payments": list(claim.payments.all()),
            "can_pay_to_wallet": user.has_perm(RECORD_GUARANTEE_CALL),
        },
        status=status,
    )


@login_required
def claim_page(request, pk):
    """A claim, to its backer, the campaign's owner and staff (404 to anyone else)."""
    claim = claim_visible(pk, request.user)
    if claim is None:
        raise Http404
    platform_locale_activate(request, claim.campaign.platform)
    return _claim_page(request, claim)


@login_required
@require_POST
def claim_answer_view(request, pk):
    claim = claim_visible(pk, request.user)
    if claim is None:
        raise Http404
    platform_locale_activate(request, claim.campaign.platform)
    form = ClaimAnswerForm(request.POST)
    if form.is_valid():
        try:
            claim_answer(claim=claim, user=request.user, answer=form.cleaned_data["answer"])
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Answer sent. Staff will now decide the claim."))
            return redirect("claim", pk=claim.pk)
    return _claim_page(request, claim, answer_form=form, status=400)


@login_required
@require_POST
def claim_decide_view(request, pk):
    """Staff's decision on the claim's page (the admin's action asks the same service)."""
    claim = claim_visible(pk, request.user)
    if claim is None:
        raise Http404
    platform_locale_activate(request, claim.campaign.platform)
    form = ClaimDecisionForm(request.POST, currency=claim.currency)
    if form.is_valid():
        data = form.cleaned_data
        amount = {"accept": claim.amount, "reject": 0}.get(data["outcome"], data["accepted_amount"])
        if amount is None:
            form.add_error("accepted_amount", _("Enter the amount accepted."))
        else:
            try:
                claim_decide(claim=claim, staff=request.user, accepted_amount=amount, reason=data["reason"])
            except ApplicationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Decision recorded; the backer and the owner are e-mailed."))
                return redirect("claim", pk=claim.pk)
    return _claim_page(request, claim, decision_form=form, status=400)


@login_required
def claim_evidence(request, pk):
    """An evidence file: to the claim's backer, the campaign's owner and staff, as a download of its
    checked type (404 to anyone else)."""
    item = get_object_or_404(ClaimEvidence, pk=pk)
    if claim_visible(item.claim_id, request.user) is None:
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=f"evidence-{item.pk}", content_type=item.file_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def claim_payment_to_wallet_view(request, pk):
    """Staff pay a claim's payment the card declined to the backer's wallet instead (the admin's action
    asks the same service)."""
    payment = get_object_or_404(ClaimPayment.objects.select_related("claim"), pk=pk)
    claim = claim_visible(payment.claim_id, request.user)
    if claim is None:
        raise Http404
    platform_locale_activate(request, claim.campaign.platform)
    try:
        claim_payment_to_wallet(payment_id=payment.pk, staff=request.user)
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Paid to the backer's wallet; the backer is e-mailed."))
    return redirect("claim", pk=claim.pk)
