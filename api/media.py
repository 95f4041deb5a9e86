"""A campaign's gallery upload and its public backers list (by name or anonymous, no amounts)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from pledges.selectors import campaign_backers_public, campaign_backers_public_count, campaigns_public
from projects.gallery import campaign_picture_add, campaign_picture_move, campaign_picture_remove

from .campaign_serializers import GalleryPictureCreateSerializer, GalleryPictureMoveSerializer, GalleryPictureSerializer
from .campaigns import _valid, campaign_for


class PublicBackerSerializer(serializers.Serializer):
    name = serializers.CharField(
        allow_null=True, help_text="The backer's name if they chose to be shown by name; null: anonymous."
    )
    since = serializers.DateTimeField(help_text="When they first backed the campaign.")


class _Backers:
    """The campaign's public backers as a sequence the paginator slices: one count, then two queries
    for the page whatever its size."""

    def __init__(self, campaign_id: int):
        self.campaign_id = campaign_id

    def count(self) -> int:
        return campaign_backers_public_count(self.campaign_id)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, part: slice):
        start = part.start or 0
        return campaign_backers_public(self.campaign_id, limit=(part.stop or start) - start, offset=start)


@extend_schema(tags=["campaigns"], summary="A public campaign's backers, newest first (names or anonymous)")
class CampaignBackerListView(generics.ListAPIView):
    """Each backer chose whether they are shown by name (`show_name` when pledging, or later on their
    pledge's page); anonymous is the default. Amounts are never shown."""

    permission_classes = [AllowAny]
    serializer_class = PublicBackerSerializer

    def get_queryset(self):
        campaign = get_object_or_404(campaigns_public(), pk=self.kwargs["pk"])
        return _Backers(campaign.pk)


class GalleryPictureCreateView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["campaigns"],
        request={"multipart/form-data": GalleryPictureCreateSerializer},
        responses={201: GalleryPictureSerializer},
        summary="Add a picture to your campaign's gallery",
    )
    def post(self, request, pk: int):
        campaign = campaign_for(request, pk)
        picture = campaign_picture_add(
            campaign=campaign, user=request.user, **_valid(GalleryPictureCreateSerializer, request)
        )
        return Response(GalleryPictureSerializer(picture).data, status=status.HTTP_201_CREATED)


def _own_picture(request, pk: int, picture_pk: int):
    campaign = campaign_for(request, pk)
    return get_object_or_404(campaign.gallery.select_related("campaign"), pk=picture_pk)


class GalleryPictureDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["campaigns"], request=None, responses={204: None}, summary="Remove a picture from your campaign's gallery"
    )
    def delete(self, request, pk: int, picture_pk: int):
        campaign_picture_remove(picture=_own_picture(request, pk, picture_pk), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class GalleryPictureMoveView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["campaigns"],
        request=GalleryPictureMoveSerializer,
        responses={200: GalleryPictureSerializer(many=True)},
        summary="Move a picture one place earlier or later in your campaign's gallery",
    )
    def post(self, request, pk: int, picture_pk: int):
        picture = _own_picture(request, pk, picture_pk)
        step = -1 if _valid(GalleryPictureMoveSerializer, request)["direction"] == "up" else 1
        campaign_picture_move(picture=picture, user=request.user, step=step)
        return Response(GalleryPictureSerializer(picture.campaign.gallery.all(), many=True).data)
