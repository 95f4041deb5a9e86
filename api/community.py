"""REST API v1 of a campaign's questions and following: list and ask questions, the owner's public
answer, follow or stop following. Thin views over community.services; asking counts against the same
limits as the site's form (accounts.limits, ACCOUNT_RATE_LIMITS "community_post": 429 when reached)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import Throttled
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.limits import limit_consume
from accounts.profile import display_name
from community import services
from community.models import BODY_MAX, Question
from community.selectors import campaign_questions, follow_state, question_of
from pledges.selectors import campaigns_public
from projects.models import NOT_PUBLIC_STATUSES, Campaign


class QuestionSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField(help_text="The asker's public name; empty while hidden.")
    body = serializers.SerializerMethodField(help_text="Empty while hidden.")
    answer = serializers.SerializerMethodField(help_text="The owner's public answer; empty while hidden.")
    hidden = serializers.SerializerMethodField()
    hidden_by = serializers.CharField(read_only=True, help_text='Who hid it: "owner", "staff", or "" when shown.')

    class Meta:
        model = Question
        fields = [
            "id",
            "campaign",
            "author",
            "body",
            "created_at",
            "answer",
            "answered_at",
            "hidden",
            "hidden_by",
            "hidden_reason",
        ]
        read_only_fields = fields

    def get_author(self, obj: Question) -> str:
        return "" if obj.hidden else display_name(obj.author)

    def get_body(self, obj: Question) -> str:
        return "" if obj.hidden else obj.body

    def get_answer(self, obj: Question) -> str:
        return "" if obj.hidden else obj.answer

    def get_hidden(self, obj: Question) -> bool:
        return obj.hidden


class QuestionCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=BODY_MAX, trim_whitespace=False, help_text="Plain text; at most two links.")


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=BODY_MAX, trim_whitespace=False)


class FollowSerializer(serializers.Serializer):
    following = serializers.BooleanField(help_text="True to follow, false to stop (also a backer's default following).")


class FollowStateSerializer(serializers.Serializer):
    state = serializers.CharField(help_text='"following", "backer" (following as a backer), "left" or "".')


def _public_campaign(pk: int) -> Campaign:
    return get_object_or_404(campaigns_public().select_related("platform"), pk=pk)


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


@extend_schema(tags=["questions"])
class CampaignQuestionListView(generics.ListAPIView):
    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = QuestionSerializer

    def get_queryset(self):
        return campaign_questions(_public_campaign(self.kwargs["pk"]).pk)

    @extend_schema(summary="A campaign's questions and comments, newest first, with the owner's answers")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=QuestionCreateSerializer,
        responses={201: QuestionSerializer},
        summary="Ask a question or comment on a public campaign (a verified e-mail; rate limited)",
    )
    def post(self, request, pk: int):
        campaign = _public_campaign(pk)
        data = _valid(QuestionCreateSerializer, request)
        if not limit_consume(request, action="community_post"):
            raise Throttled()
        question = services.question_ask(campaign=campaign, user=request.user, body=data["body"])
        return Response(QuestionSerializer(question).data, status=status.HTTP_201_CREATED)


class QuestionAnswerView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["questions"],
        request=AnswerSerializer,
        responses=QuestionSerializer,
        summary="Owner: answer a question on your campaign publicly (again: replaces the answer)",
    )
    def post(self, request, pk: int):
        question = question_of(pk)
        if question is None or question.campaign.status in NOT_PUBLIC_STATUSES:
            raise Http404
        question = services.question_answer(question=question, user=request.user, **_valid(AnswerSerializer, request))
        return Response(QuestionSerializer(question).data)


class CampaignFollowView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["questions"], responses=FollowStateSerializer, summary="Whether you follow the campaign")
    def get(self, request, pk: int):
        return Response({"state": follow_state(request.user, _public_campaign(pk))})

    @extend_schema(
        tags=["questions"],
        request=FollowSerializer,
        responses=FollowStateSerializer,
        summary="Follow a campaign (milestone e-mails) or stop following it",
    )
    def post(self, request, pk: int):
        campaign = _public_campaign(pk)
        services.follow_set(user=request.user, campaign=campaign, follow=_valid(FollowSerializer, request)["following"])
        return Response({"state": follow_state(request.user, campaign)})
