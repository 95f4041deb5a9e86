"""Searching in Persian finds a campaign however its kaf and yeh were typed: "كتاب" from an Arabic
keyboard (ك U+0643, ي U+064A) finds "کتاب" written with Persian ک (U+06A9) and ی (U+06CC), and the other
way round, on the browse page and in the API's list."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db

ARABIC_KAF, ARABIC_YEH, PERSIAN_KAF, PERSIAN_YEH = "\u0643", "\u064a", "\u06a9", "\u06cc"


@pytest.fixture
def books(site_owner):
    """A Persian campaign about children's books, written with Persian letters."""
    title = f"{PERSIAN_KAF}تاب برای {PERSIAN_KAF}ود{PERSIAN_KAF}{PERSIAN_YEH}"  # کتاب برای کودکی
    return CampaignFactory(slug="charity", owner=site_owner, title=title, story="Reading corner.")


@pytest.fixture
def arabic_spelled(site_owner):
    """A campaign whose story was typed on an Arabic keyboard."""
    return CampaignFactory(
        slug="charity", owner=site_owner, title="Library", story=f"{ARABIC_KAF}تابخانه مدرسه"
    )  # كتابخانه


def browse(client, q) -> str:
    response = client.get(reverse("browse"), {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def api_titles(search) -> list[str]:
    response = APIClient().get("/api/v1/campaigns/", {"search": search})
    assert response.status_code == 200
    return [c["title"] for c in response.json()["results"]]


def test_browse_finds_persian_letters_from_arabic_keyboard_letters(client, books):
    assert books.title in browse(client, f"{ARABIC_KAF}تاب")
    assert books.title in browse(client, f"{ARABIC_KAF}ود{ARABIC_KAF}{ARABIC_YEH}")


def test_browse_finds_arabic_keyboard_letters_from_persian_letters(client, arabic_spelled):
    assert "Library" in browse(client, f"{PERSIAN_KAF}تابخانه")


def test_browse_search_still_finds_nothing_for_a_word_not_there(client, books):
    assert books.title not in browse(client, "باغ")


def test_api_search_finds_persian_letters_from_arabic_keyboard_letters(books):
    assert api_titles(f"{ARABIC_KAF}تاب {ARABIC_KAF}ود{ARABIC_KAF}{ARABIC_YEH}") == [books.title]


def test_api_search_finds_arabic_keyboard_letters_from_persian_letters(arabic_spelled):
    assert api_titles(f"{PERSIAN_KAF}تابخانه") == ["Library"]


def test_api_search_needs_every_word(books):
    assert api_titles(f"{ARABIC_KAF}تاب باغ") == []


def test_browse_finds_a_word_whatever_joins_its_parts(client, site_owner):
    """ "مدرسه‌ای" is written with a zero-width non-joiner; people also type a space, and the other way round."""
    zwnj = CampaignFactory(slug="charity", owner=site_owner, title="Zwnj", story="کتابخانه\u200cای برای مدرسه")
    spaced = CampaignFactory(slug="charity", owner=site_owner, title="Spaced", story="یک کتابخانه ای کوچک")
    assert zwnj.title in browse(client, "کتابخانه ای")
    assert spaced.title in browse(client, "کتابخانه\u200cای")
