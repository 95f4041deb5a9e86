# ruff: noqa: E501 -- a table of sentences
"""Persian wording of the front pages, sharing, the poster and the countdown (issue 16, "front").
Vocabulary of shared/source-report-fa.txt: پروژه، حامی، حمایت، فراخوان، همسان‌سازی."""

T = {
    # front pages
    "No campaign is taking pledges right now.": "اکنون هیچ پروژه‌ای حمایت نمی‌پذیرد.",
    "Here is what was funded lately.": "پروژه‌هایی که به‌تازگی تأمین شدند:",
    "Matched by partners": "حمایت‌های همسان‌شده",
    "An organisation adds money to every pledge to these campaigns while its pot lasts.": "تا وقتی صندوق یک سازمان موجودی دارد، آن سازمان به هر حمایت از این پروژه‌ها مبلغی می‌افزاید.",
    "Matched: %(m)s from a partner's pot": "همسان‌سازی: %(m)s از صندوق یک حامی سازمانی",
    "Funded lately": "تأمین‌شده‌های اخیر",
    "Staff pick": "برگزیده",
    "No campaign has been funded yet.": "هنوز هیچ پروژه‌ای تأمین نشده است.",
    "Applications close": "پایان دریافت درخواست‌ها",
    "No call is taking applications now.": "اکنون هیچ فراخوانی درخواست نمی‌پذیرد.",
    # countdown and the deadline
    "{d} day and {hms} left": "{d} روز و {hms} مانده",
    "{d} days and {hms} left": "{d} روز و {hms} مانده",
    "{hms} left": "{hms} مانده",
    "ended: no more pledges": "پایان یافته: دیگر حمایتی پذیرفته نمی‌شود",
    "This campaign closed on %(d)s; it takes no more pledges.": "مهلت این پروژه در %(d)s به پایان رسید؛ دیگر حمایتی پذیرفته نمی‌شود.",
    "This campaign closed on %(d)s; it takes no more pledges. Its result is being counted.": "مهلت این پروژه در %(d)s به پایان رسید؛ دیگر حمایتی پذیرفته نمی‌شود. نتیجه در حال محاسبه است.",
    # sharing and the poster
    "Share this campaign": "هم‌رسانی این پروژه",
    "E-mail": "ایمیل",
    "(opens in a new tab)": "(در زبانهٔ تازه باز می‌شود)",
    "Poster with a QR code": "پوستر با کد QR",
    "QR code (SVG)": "کد QR (SVG)",
    "Poster": "پوستر",
    "Goal: %(g)s": "هدف: %(g)s",
    "QR code of the campaign page": "کد QR صفحهٔ پروژه",
    "Scan the code to back this campaign, or visit:": "برای حمایت از این پروژه کد را اسکن کنید یا به این نشانی بروید:",
    "Print": "چاپ",
}
