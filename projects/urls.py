from django.urls import path

from payments.views import sandbox_callback

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("payments/sandbox/callback/", sandbox_callback, name="sandbox-callback"),
    path("pledges/<int:pk>/cancel/", views.pledge_cancel_view, name="pledge-cancel"),
    path("<slug:slug>/", views.platform_detail, name="platform"),
    path("<slug:slug>/campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
]
