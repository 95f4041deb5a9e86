# ruff: noqa: E501 -- a table of sentences
"""Persian wording of accounts and security (issue 12): verification, tokens, limits."""

T = {
    "Verify your e-mail address first: follow the link we sent you when you signed up.": "نخست نشانی رایانامهٔ خود را تأیید کنید: پیوندی را که هنگام ثبت‌نام برایتان فرستادیم باز کنید.",
}
