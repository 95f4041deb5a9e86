from django.urls import path

from payments import webhooks

from .views import payments as views

app_name = "payments"

urlpatterns = [
    path("stripe/webhook/", webhooks.stripe_webhook, name="stripe_webhook"),
    path("pledges/<int:pk>/pay/", views.pledge_retry, name="pledge_retry"),
    path("stripe/checkout/return/", views.pledge_checkout_return, name="pledge_checkout_return"),
    path("stripe/checkout/cancel/", views.pledge_checkout_cancel, name="pledge_checkout_cancel"),
    path("stripe/connect/", views.stripe_connect_start, name="stripe_connect"),
    path("stripe/connect/return/", views.stripe_connect_return, name="stripe_connect_return"),
]
