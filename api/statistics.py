"""A platform's public statistics (the same figures as its statistics page)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from platforms.selectors import platform_by_slug
from stats.export import statistics_data
from stats.selectors import platform_statistics


class FiguresSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Category or area slug, or the month as YYYY-MM; empty for totals.")
    name = serializers.CharField(help_text="English name (for a month: YYYY-MM).")
    name_fa = serializers.CharField()
    raised = serializers.IntegerField(help_text="Money paid in less refunds, minor units.")
    backers = serializers.IntegerField(help_text="Distinct backers of each campaign, summed over campaigns.")
    funded = serializers.IntegerField(help_text="Campaigns closed as funded.")
    failed = serializers.IntegerField(help_text="Campaigns closed as not funded.")
    success_rate = serializers.IntegerField(allow_null=True, help_text="Percent of closed campaigns funded.")


class StatisticsSerializer(serializers.Serializer):
    platform = serializers.SlugField()
    currency = serializers.CharField()
    calendar = serializers.ChoiceField(choices=["jalali", "gregorian"])
    totals = FiguresSerializer()
    by_category = FiguresSerializer(many=True)
    by_area = FiguresSerializer(many=True)
    by_month = FiguresSerializer(many=True)


@extend_schema(tags=["platforms"], responses=StatisticsSerializer)
class PlatformStatisticsView(APIView):
    permission_classes = [AllowAny]

    def get(self, request, slug):
        platform = platform_by_slug(slug)
        if platform is None:
            raise Http404
        return Response(statistics_data(platform_statistics(platform)))
