"""REST API v1, mounted at /api/v1/."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from api import calls as calls_api
from api import campaigns as projects_api
from api import claims as claims_api
from api import community as community_api
from api import deliveries as deliveries_api
from api import impact as impact_api
from api import media as media_api
from api import partners as partners_api
from api import payouts as payouts_api
from api import pledges as pledges_api
from api import pots as pots_api
from api import statistics as statistics_api

from .base import PingView, TokenObtainView
from .docs import RedocView
from .errors import api_not_found

app_name = "api"

urlpatterns = [
    # The hottest write first: Django tries the patterns in order (about 50 µs a request from here).
    path("campaigns/<int:pk>/pledges/", pledges_api.PledgeCreateView.as_view(), name="campaign-pledge"),
    path("ping/", PingView.as_view(), name="ping"),
    # pre-sale claims
    path("claims/", claims_api.ClaimListView.as_view(), name="claims"),
    path("claims/<int:pk>/", claims_api.ClaimDetailView.as_view(), name="claim"),
    path("claims/<int:pk>/answer/", claims_api.ClaimAnswerView.as_view(), name="claim-answer"),
    path("claims/<int:pk>/decide/", claims_api.ClaimDecideView.as_view(), name="claim-decide"),
    path("pledges/<int:pk>/claim/", claims_api.ClaimCreateView.as_view(), name="pledge-claim"),
    path("auth/token/", TokenObtainView.as_view(), name="token"),
    # platforms and campaigns
    path("platforms/", projects_api.PlatformListView.as_view(), name="platforms"),
    path("platforms/<slug:slug>/", projects_api.PlatformDetailView.as_view(), name="platform"),
    path(
        "platforms/<slug:slug>/statistics/", statistics_api.PlatformStatisticsView.as_view(), name="platform-statistics"
    ),
    path("platforms/<slug:slug>/decisions/", impact_api.PlatformDecisionListView.as_view(), name="platform-decisions"),
    path("platforms/<slug:slug>/indicators/", impact_api.IndicatorSumListView.as_view(), name="platform-indicators"),
    path("categories/", projects_api.CategoryListView.as_view(), name="categories"),
    path("areas/", projects_api.AreaListView.as_view(), name="areas"),
    path("campaigns/", projects_api.CampaignListView.as_view(), name="campaigns"),
    path("campaigns/<int:pk>/", projects_api.CampaignDetailView.as_view(), name="campaign"),
    path("campaigns/<int:pk>/tiers/", projects_api.TierCreateView.as_view(), name="campaign-tiers"),
    path("campaigns/<int:pk>/tiers/<int:tier_pk>/", projects_api.TierDetailView.as_view(), name="campaign-tier"),
    path("campaigns/<int:pk>/images/", projects_api.StoryImageCreateView.as_view(), name="campaign-images"),
    path("campaigns/<int:pk>/gallery/", media_api.GalleryPictureCreateView.as_view(), name="campaign-gallery"),
    path(
        "campaigns/<int:pk>/gallery/<int:picture_pk>/",
        media_api.GalleryPictureDetailView.as_view(),
        name="campaign-gallery-picture",
    ),
    path(
        "campaigns/<int:pk>/gallery/<int:picture_pk>/move/",
        media_api.GalleryPictureMoveView.as_view(),
        name="campaign-gallery-move",
    ),
    path("campaigns/<int:pk>/backers/", media_api.CampaignBackerListView.as_view(), name="campaign-backers"),
    path("campaigns/<int:pk>/submit/", projects_api.CampaignSubmitView.as_view(), name="campaign-submit"),
    path("campaigns/<int:pk>/approve/", projects_api.CampaignApproveView.as_view(), name="campaign-approve"),
    path("campaigns/<int:pk>/send-back/", projects_api.CampaignSendBackView.as_view(), name="campaign-send-back"),
    path("campaigns/<int:pk>/updates/", projects_api.UpdateListCreateView.as_view(), name="campaign-updates"),
    path("campaigns/<int:pk>/report/", projects_api.ReportSubmitView.as_view(), name="campaign-report"),
    path("campaigns/<int:pk>/impact/", impact_api.CampaignImpactView.as_view(), name="campaign-impact"),
    path("campaigns/<int:pk>/decisions/", impact_api.CampaignDecisionListView.as_view(), name="campaign-decisions"),
    path("campaigns/<int:pk>/questions/", community_api.CampaignQuestionListView.as_view(), name="campaign-questions"),
    path("campaigns/<int:pk>/follow/", community_api.CampaignFollowView.as_view(), name="campaign-follow"),
    path("questions/<int:pk>/answer/", community_api.QuestionAnswerView.as_view(), name="question-answer"),
    path(
        "campaigns/<int:pk>/delivery/",
        deliveries_api.CampaignDeliverySummaryView.as_view(),
        name="campaign-delivery-summary",
    ),
    path(
        "campaigns/<int:pk>/deliveries/", deliveries_api.CampaignDeliveryListView.as_view(), name="campaign-deliveries"
    ),
    path(
        "campaigns/<int:pk>/deliveries/csv/",
        deliveries_api.DeliveryShipCsvView.as_view(),
        name="campaign-deliveries-csv",
    ),
    path("pledges/<int:pk>/ship/", deliveries_api.DeliveryShipView.as_view(), name="pledge-ship"),
    path(
        "pledges/<int:pk>/delivery/confirm/",
        deliveries_api.DeliveryConfirmView.as_view(),
        name="pledge-delivery-confirm",
    ),
    path(
        "pledges/<int:pk>/delivery/problem/",
        deliveries_api.DeliveryProblemView.as_view(),
        name="pledge-delivery-problem",
    ),
    path("campaigns/<int:pk>/matches/", pots_api.CampaignMatchListView.as_view(), name="campaign-matches"),
    path("reports/", projects_api.ReportListView.as_view(), name="reports"),
    path("reports/<int:pk>/approve/", projects_api.ReportApproveView.as_view(), name="report-approve"),
    path("reports/<int:pk>/reject/", projects_api.ReportRejectView.as_view(), name="report-reject"),
    # the signed-in user's own things
    path("pledges/", pledges_api.MyPledgeListView.as_view(), name="pledges"),
    path("pledges/<int:pk>/", pledges_api.MyPledgeDetailView.as_view(), name="pledge"),
    path("pledges/<int:pk>/cancel/", pledges_api.PledgeCancelView.as_view(), name="pledge-cancel"),
    path("wallet/", pledges_api.WalletView.as_view(), name="wallet"),
    path("wallet/entries/", pledges_api.WalletEntryListView.as_view(), name="wallet-entries"),
    path("payouts/", payouts_api.MyPayoutListView.as_view(), name="payouts"),
    path("me/bank-details/", payouts_api.MyBankDetailsView.as_view(), name="my-bank-details"),
    # match-funding pots and their matches (api/pots.py)
    path("pots/", pots_api.PotListView.as_view(), name="pots"),
    path("pots/<int:pk>/", pots_api.PotDetailView.as_view(), name="pot"),
    path("pots/<int:pk>/matches/", pots_api.PotMatchListView.as_view(), name="pot-matches"),
    path("pots/<int:pk>/pay-in/", pots_api.PotPayInView.as_view(), name="pot-pay-in"),
    path("pots/<int:pk>/pay-in/card/", pots_api.PotCardPayInView.as_view(), name="pot-pay-in-card"),
    path("pots/<int:pk>/close/", pots_api.PotCloseView.as_view(), name="pot-close"),
    # partners: organisations, endorsements, pots, matches and calls
    path("organisations/", partners_api.OrganisationListView.as_view(), name="organisations"),
    path("organisations/<int:pk>/", partners_api.OrganisationDetailView.as_view(), name="organisation"),
    path("organisations/<int:pk>/verify/", partners_api.OrganisationVerifyView.as_view(), name="organisation-verify"),
    path("organisations/<int:pk>/endorse/", partners_api.EndorseView.as_view(), name="organisation-endorse"),
    path("endorsements/", partners_api.EndorsementListView.as_view(), name="endorsements"),
    path(
        "endorsements/<int:pk>/withdraw/", partners_api.EndorsementWithdrawView.as_view(), name="endorsement-withdraw"
    ),
    path("calls/", calls_api.CallListView.as_view(), name="calls"),
    path("calls/<int:pk>/", calls_api.CallDetailView.as_view(), name="call"),
    path("calls/<int:pk>/applications/", calls_api.CallApplicationListView.as_view(), name="call-applications"),
    path("calls/<int:pk>/apply/", calls_api.CallApplyView.as_view(), name="call-apply"),
    path(
        "applications/<int:pk>/shortlist/", calls_api.ApplicationShortlistView.as_view(), name="application-shortlist"
    ),
    path("applications/<int:pk>/approve/", calls_api.ApplicationApproveView.as_view(), name="application-approve"),
    path("applications/<int:pk>/decline/", calls_api.ApplicationDeclineView.as_view(), name="application-decline"),
    # the schema and its viewers (assets served locally by drf-spectacular-sidecar)
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", RedocView.as_view(url_name="api:schema"), name="redoc"),
    re_path(r"^.*$", api_not_found),
]
