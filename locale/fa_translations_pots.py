# ruff: noqa: E501 -- a table of sentences
"""Persian wording of the rest of the match-funding pots (issue 13): changing a pot's terms, its bounds,
a match refused on another platform, the backer's dashboard. Vocabulary as fa_translations_match.py:
صندوق همسان‌سازی (match-funding pot), نهاد (organisation), حامی (backer), حمایت (pledge)."""

T = {
    "A pot's name takes at most 200 characters.": "نام صندوق حداکثر ۲۰۰ نویسه است.",
    "At most 1,000 pledges of a backer can be matched; leave it empty for no limit.": "حداکثر ۱٬۰۰۰ حمایت هر حامی همسان‌سازی می‌شود؛ برای بی‌حد بودن، آن را خالی بگذارید.",
    "A milestone takes at most 1,000,000 backers.": "یک نقطهٔ عطف حداکثر ۱٬۰۰۰٬۰۰۰ حامی می‌خواهد.",
    "A pot's rule cannot change; close it and open another.": "قاعدهٔ صندوق تغییر نمی‌کند؛ آن را ببندید و صندوق دیگری باز کنید.",
    "The budget cannot be less than what was paid in already.": "بودجه نمی‌تواند کمتر از مبلغی باشد که تاکنون واریز شده است.",
    "This pot belongs to another platform than the campaign: it cannot match it.": "این صندوق به سکوی دیگری جز سکوی این پروژه تعلق دارد و نمی‌تواند آن را همسان‌سازی کند.",
    "+%(m)s matched": "+%(m)s همسان‌سازی",
}
