# ruff: noqa: E501 -- a table of sentences
"""Persian wording of issue 12's "bad input" part (refusals, error pages, image uploads, update limits)."""

T = {
    "Page not found": "صفحه پیدا نشد",
    "There is no page at this address. It may have moved, or the link may be mistyped.": "در این نشانی صفحه‌ای نیست. شاید جابه‌جا شده باشد یا پیوند اشتباه نوشته شده باشد.",
    "Back to the home page": "بازگشت به صفحهٔ اصلی",
    "Not allowed": "اجازه ندارید",
    "You do not have permission to see this page.": "اجازهٔ دیدن این صفحه را ندارید.",
    "Something went wrong": "مشکلی پیش آمد",
    "The server could not complete your request. Try again in a moment; the team has been told.": "سرور نتوانست درخواست شما را انجام دهد. کمی بعد دوباره تلاش کنید؛ به گروه پشتیبانی خبر داده شد.",
    "Bad request": "درخواست نادرست",
    "The server could not understand this request.": "سرور این درخواست را نفهمید.",
}
