"""Pre-sale trust on the site: the owner files a guarantee; its scanned document is served to staff only.
Thin views over presale's services and selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from presale.guarantees import guarantee_add
from presale.models import Guarantee
from web.forms.presale import GuaranteeForm
from web.labels import form_error
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
