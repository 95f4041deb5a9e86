from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.static import serve

from accounts.views import admin_login
from web.views.account import confirm_email

urlpatterns = [
    # The admin's login, limited per client address, before the admin's own URLs (docs/security.md).
    path(f"{settings.CIVICFUND_ADMIN_URL}login/", admin_login, name="admin_login_limited"),
    path(settings.CIVICFUND_ADMIN_URL, admin.site.urls),
    path("payments/", include("web.urls_payments")),
    # allauth's confirmation page, speaking the language of the platform its link names (same address).
    re_path(r"^accounts/confirm-email/(?P<key>[-:\w]+)/$", confirm_email),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("api.urls")),
    path("health/", include("ops.urls")),
    # Browsers ask for /favicon.ico whatever the page says; before web.urls takes it for a platform.
    path("favicon.ico", lambda request: redirect(static("img/favicon.svg"), permanent=True)),
    path("", include("web.urls")),
]
if settings.CIVICFUND_SERVE_MEDIA:
    # Before web.urls would see /media/ as a platform's slug (it is reserved in the middleware).
    urlpatterns.insert(0, re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}))

handler400 = "civicfund.handlers.bad_request"
handler403 = "civicfund.handlers.permission_denied"
handler404 = "civicfund.handlers.page_not_found"
handler500 = "civicfund.handlers.server_error"
