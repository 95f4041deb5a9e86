from django.urls import path, re_path

from payments.views import sandbox_callback
from web.views import pledges as pledge_views

from .views import account as account_views
from .views import calls as call_views
from .views import claims as claim_views
from .views import impact as impact_views
from .views import owner as owner_views
from .views import owner_impact
from .views import pages as page_views
from .views import partners as partner_views
from .views import pictures as picture_views
from .views import presale as presale_views
from .views import public as views
from .views import share as share_views
from .views import statistics as statistics_views

urlpatterns = [
    path("", views.home, name="home"),
    path("browse/", views.browse, name="browse"),
    path("payments/sandbox/callback/", sandbox_callback, name="sandbox-callback"),
    path("pledges/<int:pk>/", pledge_views.pledge_receipt, name="pledge-receipt"),
    path("pledges/<int:pk>/cancel/", pledge_views.pledge_cancel_view, name="pledge-cancel"),
    path("me/", pledge_views.dashboard, name="dashboard"),
    path("me/account/", account_views.account_page, name="my-account"),
    path("me/account/bank/", account_views.bank_details_page, name="my-bank-details"),
    path("me/wallet/withdraw/", account_views.wallet_withdraw, name="my-withdrawals"),
    path("me/campaigns/", owner_views.owner_dashboard, name="owner-dashboard"),
    path("me/campaigns/new/<slug:slug>/", owner_views.campaign_new, name="owner-campaign-new"),
    path("me/campaigns/<int:pk>/", owner_views.campaign_manage, name="owner-campaign"),
    path("me/campaigns/<int:pk>/edit/", owner_views.campaign_edit, name="owner-campaign-edit"),
    path("me/campaigns/<int:pk>/tiers/", owner_views.tier_add, name="owner-tier-add"),
    path("me/campaigns/<int:pk>/tiers/<int:tier_pk>/edit/", owner_views.tier_edit, name="owner-tier-edit"),
    path("me/campaigns/<int:pk>/tiers/<int:tier_pk>/delete/", owner_views.tier_delete, name="owner-tier-delete"),
    path("me/campaigns/<int:pk>/submit/", owner_views.campaign_submit, name="owner-campaign-submit"),
    path("me/campaigns/<int:pk>/updates/", owner_views.update_post, name="owner-update-post"),
    path("me/campaigns/<int:pk>/images/", owner_views.story_image_upload, name="owner-story-image"),
    path("me/campaigns/<int:pk>/gallery/", owner_views.gallery_add, name="owner-gallery-add"),
    path(
        "me/campaigns/<int:pk>/gallery/<int:picture_pk>/remove/",
        picture_views.gallery_remove,
        name="owner-gallery-remove",
    ),
    path("me/campaigns/<int:pk>/gallery/<int:picture_pk>/move/", picture_views.gallery_move, name="owner-gallery-move"),
    path("pledges/<int:pk>/visibility/", picture_views.pledge_visibility, name="pledge-visibility"),
    path("me/campaigns/<int:pk>/report/", owner_views.report_submit, name="owner-report-submit"),
    path("me/campaigns/<int:pk>/indicators/", owner_impact.indicator_add_view, name="owner-indicator-add"),
    path(
        "me/campaigns/<int:pk>/indicators/<int:indicator_pk>/remove/",
        owner_impact.indicator_remove_view,
        name="owner-indicator-remove",
    ),
    path("me/campaigns/<int:pk>/upkeep/", owner_impact.upkeep_view, name="owner-upkeep"),
    path("me/campaigns/<int:pk>/follow-ups/<int:follow_up_pk>/", owner_impact.follow_up_view, name="owner-follow-up"),
    path("me/campaigns/<int:pk>/backers.csv", owner_views.backers_csv, name="owner-backers-csv"),
    path("me/campaigns/<int:pk>/guarantee/", presale_views.guarantee_file, name="owner-guarantee-file"),
    path("guarantees/<int:pk>/document/", presale_views.guarantee_document, name="guarantee-document"),
    path("pledges/<int:pk>/claim/", claim_views.claim_new, name="claim-new"),
    path("claims/<int:pk>/", claim_views.claim_page, name="claim"),
    path("claims/<int:pk>/answer/", claim_views.claim_answer_view, name="claim-answer"),
    path("claims/<int:pk>/decide/", claim_views.claim_decide_view, name="claim-decide"),
    path(
        "claims/payments/<int:pk>/to-wallet/", claim_views.claim_payment_to_wallet_view, name="claim-payment-to-wallet"
    ),
    path("claims/files/<int:pk>/", claim_views.claim_evidence, name="claim-evidence"),
    path("me/campaigns/<int:pk>/deliveries/", presale_views.deliveries, name="owner-deliveries"),
    path("me/campaigns/<int:pk>/deliveries/ship/", presale_views.delivery_ship_view, name="owner-delivery-ship"),
    path("me/campaigns/<int:pk>/deliveries/csv/", presale_views.delivery_ship_csv_view, name="owner-delivery-csv"),
    path("me/campaigns/<int:pk>/addresses.csv", presale_views.addresses_csv, name="owner-addresses-csv"),
    path("pledges/<int:pk>/delivery/", presale_views.delivery_backer_view, name="pledge-delivery"),
    path("endorsements/<int:pk>/withdraw/", partner_views.endorsement_withdraw, name="endorsement-withdraw"),
    path("<slug:slug>/", views.platform_detail, name="platform"),
    re_path(
        r"^(?P<slug>[-a-zA-Z0-9_]+)/(?P<kind>about|faq|terms|privacy)/$",
        page_views.platform_page_view,
        name="platform-page",
    ),
    path("<slug:slug>/organisations/", partner_views.organisations_list, name="organisations"),
    path("<slug:slug>/organisations/<slug:org_slug>/", partner_views.organisation_detail, name="organisation"),
    path("<slug:slug>/calls/", call_views.calls_list, name="calls"),
    path("<slug:slug>/calls/<int:pk>/", call_views.call_detail, name="call"),
    path("<slug:slug>/calls/<int:pk>/apply/", call_views.call_apply, name="call-apply"),
    path("<slug:slug>/calls/<int:pk>/review/", call_views.call_review, name="call-review"),
    path(
        "applications/<int:pk>/<slug:action>/",
        call_views.application_decide,
        name="application-decide",
    ),
    path("<slug:slug>/campaigns/<int:pk>/endorse/", partner_views.endorse, name="campaign-endorse"),
    path("u/<str:username>/", impact_views.owner_profile, name="owner-profile"),
    path("u/id/<int:pk>/", impact_views.owner_profile, name="owner-profile-id"),
    path("reports/files/<int:pk>/", impact_views.report_attachment, name="report-attachment"),
    path("<slug:slug>/decisions/", impact_views.decision_log, name="decision-log"),
    path("<slug:slug>/decisions/feed/", impact_views.DecisionFeed(), name="decision-feed"),
    path("<slug:slug>/assets/", impact_views.assets, name="assets"),
    path("<slug:slug>/browse/", views.browse, name="platform-browse"),
    path("<slug:slug>/statistics/", statistics_views.platform_statistics_page, name="platform-statistics"),
    path("<slug:slug>/open-data/", statistics_views.open_data_page, name="platform-open-data"),
    path("<slug:slug>/participation/", statistics_views.participation_page, name="platform-participation"),
    path("<slug:slug>/participation.csv", statistics_views.participation_csv, name="platform-participation-csv"),
    path("<slug:slug>/home-area/", statistics_views.home_area_answer, name="platform-home-area"),
    path("<slug:slug>/open-data/<str:name>", statistics_views.open_data_file, name="platform-open-data-file"),
    path("<slug:slug>/campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("<slug:slug>/campaigns/<int:pk>/backers/", picture_views.campaign_backers_page, name="campaign-backers"),
    path("<slug:slug>/campaigns/<int:pk>/pledge/", pledge_views.pledge_start, name="pledge"),
    path("<slug:slug>/campaigns/<int:pk>/qr.svg", share_views.campaign_qr, name="campaign-qr"),
    path("<slug:slug>/campaigns/<int:pk>/poster/", share_views.campaign_poster, name="campaign-poster"),
]
