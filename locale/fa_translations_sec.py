# ruff: noqa: E501 -- a table of sentences
"""Persian wording of accounts and security (issue 12): verification, tokens, limits."""

T = {
    "Verify your e-mail address first: follow the link we sent you when you signed up.": "نخست نشانی رایانامهٔ خود را تأیید کنید: پیوندی را که هنگام ثبت‌نام برایتان فرستادیم باز کنید.",
    "This token has expired: ask for a new one with your password.": "این توکن منقضی شده است: با گذرواژهٔ خود توکن تازه‌ای بگیرید.",
    "Your API tokens are revoked: apps using them must sign in again.": "توکن‌های API شما باطل شد: برنامه‌هایی که از آن‌ها استفاده می‌کردند باید دوباره وارد شوند.",
    "My account": "حساب من",
    "Change password": "تغییر گذرواژه",
    "E-mail addresses": "نشانی‌های رایانامه",
    "API tokens": "توکن‌های API",
    "Apps that act for you through the API use a token. A token stops working when it expires, when you revoke it here, or when your password changes.": "برنامه‌هایی که از راه API به جای شما کار می‌کنند توکن به کار می‌برند. توکن وقتی منقضی شود، وقتی آن را این‌جا باطل کنید یا وقتی گذرواژه‌تان عوض شود دیگر کار نمی‌کند.",
    "Token": "توکن",
    "Issued": "صادر شده",
    "Expires": "انقضا",
    "expired": "منقضی‌شده",
    "Revoke all API tokens": "باطل کردن همهٔ توکن‌های API",
    "You have no API token.": "شما توکن API ندارید.",
}
