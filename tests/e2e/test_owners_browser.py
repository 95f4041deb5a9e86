"""Owners' money out in the browser, in both languages: the bank details form refuses a wrong IBAN or
Sheba beside its field and keeps a right one (a Sheba may be typed in Persian digits)."""

from __future__ import annotations

import re

import pytest

from payouts.models import BankDetails
from tests.factories import GOOD_IBAN, GOOD_SHEBA, UserFactory
from tests.web.conftest import verified

from .conftest import axe_check, is_rtl

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
FA = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

CASES = {
    # lang: (platform whose language the page takes, field, a wrong number, the right one as typed)
    "en": ("civic", "iban", "GB82 WEST 1234 5698 7654 33", "GB82 WEST 1234 5698 7654 32"),
    "fa": ("arts", "sheba", "IR28 0170 0000 0010 0324 2000 01", "IR" + GOOD_SHEBA[2:].translate(FA)),
}


def log_in(page, site, username):
    page.goto(f"{site.url}/accounts/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", "secret")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/me/$"))


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_the_bank_details_form_refuses_a_wrong_number_and_keeps_a_right_one(page, site, lang):
    slug, field, wrong, right = CASES[lang]
    owner = verified(UserFactory(username=f"payee-{lang}", bank_details=False))
    log_in(page, site, owner.username)
    page.goto(f"{site.url}/{slug}/")
    if page.evaluate("() => document.documentElement.lang") != lang:
        with page.expect_navigation():
            page.select_option("#language-select", lang)
    page.goto(f"{site.url}/me/account/")
    with page.expect_navigation():  # read the bank page, not the account page it leaves
        page.click("a[href$='/me/account/bank/']")
    assert is_rtl(page) == (lang == "fa")
    page.fill("#id_holder_name", "Ana Payee")
    page.fill(f"#id_{field}", wrong)
    page.locator("main form button[type=submit]").last.click()
    error = page.locator(f"#id_{field}_error")
    error.wait_for(state="visible")  # the refused form's answer, awaited (not read the instant of the click)
    assert ("شبا" in error.inner_text()) if lang == "fa" else ("IBAN" in error.inner_text())
    assert not BankDetails.objects.filter(user=owner).exists()
    axe_check(page, f"bank details with an error {lang}")

    page.fill(f"#id_{field}", right)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    saved = BankDetails.objects.get(user=owner)
    assert getattr(saved, field) == (GOOD_IBAN if field == "iban" else GOOD_SHEBA)
    assert page.input_value(f"#id_{field}") == getattr(saved, field)
    axe_check(page, f"bank details saved {lang}")
