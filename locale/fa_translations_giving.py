# ruff: noqa: E501 -- a table of sentences
"""Persian wording of issue 14's last parts: participation for verified organisations, and the
360Giving file of money given by organisations (vocabulary of fa_translations_stats.py and
fa_translations_match.py: حامی، طرح، نهاد، صندوق همسان‌سازی). Merged by locale/compile.py."""

T = {
    "Who takes part, for the platform's staff and its verified organisations: backers whose money counts, by the home area they chose to give, against each area's population. Groups of fewer than 10 backers are never shown (“fewer than 10”), nor a second figure that would give one away. Nothing here is published.": "چه کسانی مشارکت می‌کنند، برای کارکنان سکو و نهادهای تأییدشدهٔ آن: حامیانی که پولشان به حساب می‌آید، بر پایهٔ منطقه‌ای که خودشان گفته‌اند، در برابر جمعیت هر منطقه. گروه‌های کمتر از ۱۰ حامی هرگز نمایش داده نمی‌شوند («کمتر از ۱۰»)، و نه رقم دومی که آن را لو بدهد. هیچ‌یک از این‌ها منتشر نمی‌شود.",
    "Participation (staff and verified organisations)": "مشارکت (کارکنان و نهادهای تأییدشده)",
}
