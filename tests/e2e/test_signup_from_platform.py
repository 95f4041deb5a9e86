"""Signing up from a platform in the browser, in both languages, axe-core clean: the "Sign up" link
carries the platform; a refused password is shown under the Password field (the walkthrough read it as
the username's); the confirmation e-mail is in the platform's language and its link, opened in another
browser, speaks that language; confirmed in the same browser, the new account lands on the platform."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from tests.factories import mail_clear

from .conftest import axe_check, is_rtl

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
CASES = {"en": ("civic", "Hello from civicfund!"), "fa": ("arts", "سلام از سیویک‌فاند!")}


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_a_visitor_signs_up_from_a_platform_and_lands_back_on_it(browser, page, site, lang):
    slug, greeting = CASES[lang]
    page.goto(f"{site.url}/{slug}/")
    assert page.evaluate("() => document.documentElement.lang") == lang
    with page.expect_navigation():
        page.locator("header a[href^='/accounts/signup/']").click()
    assert f"next=/{slug}/" in page.url
    page.fill("#id_email", f"nava-{lang}@example.org")
    page.fill("#id_username", f"nava-{lang}")
    page.fill("#id_password1", "a1b2")
    page.fill("#id_password2", "a1b2")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    error = page.locator("#id_password1_error")
    assert error.is_visible()
    # Under the password's own label and input, not above it where it read as the username's.
    label_y = page.locator("label[for=id_password1]").bounding_box()["y"]
    assert error.bounding_box()["y"] > label_y > page.locator("#id_username").bounding_box()["y"]
    assert is_rtl(page) == (lang == "fa")
    axe_check(page, f"sign-up refused password {lang}")

    mail_clear()
    page.fill("#id_password1", "a-long-pass-phrase-9")
    page.fill("#id_password2", "a-long-pass-phrase-9")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    (message,) = mail.outbox
    assert message.body.startswith(greeting)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", message.body).group(0)
    assert link.endswith(f"?platform={slug}")
    path = link[link.index("/accounts/") :]

    page.goto(f"{site.url}{path}")  # the same browser: confirmed, signed in, back on the platform
    assert page.url == f"{site.url}/{slug}/"
    assert page.locator("header form[action$='/accounts/logout/']").count() == 1  # signed in
    axe_check(page, f"after confirming {lang}")

    elsewhere = browser.new_context(locale="en-GB")  # the link opened on a phone that never saw the platform
    other = elsewhere.new_page()
    other.goto(f"{site.url}{path}")
    assert other.evaluate("() => document.documentElement.lang") == lang
    elsewhere.close()
