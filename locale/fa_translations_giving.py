# ruff: noqa: E501 -- a table of sentences
"""Persian wording of issue 14's last parts: participation for verified organisations, and the
360Giving file of money given by organisations (vocabulary of fa_translations_stats.py and
fa_translations_match.py: حامی، طرح، نهاد، صندوق همسان‌سازی). Merged by locale/compile.py."""

T = {
    "Who takes part, for the platform's staff and its verified organisations: backers whose money counts, by the home area they chose to give, against each area's population. Groups of fewer than 10 backers are never shown (“fewer than 10”), nor a second figure that would give one away. Nothing here is published.": "چه کسانی مشارکت می‌کنند، برای کارکنان سکو و نهادهای تأییدشدهٔ آن: حامیانی که پولشان به حساب می‌آید، بر پایهٔ منطقه‌ای که خودشان گفته‌اند، در برابر جمعیت هر منطقه. گروه‌های کمتر از ۱۰ حامی هرگز نمایش داده نمی‌شوند («کمتر از ۱۰»)، و نه رقم دومی که آن را لو بدهد. هیچ‌یک از این‌ها منتشر نمی‌شود.",
    "Participation (staff and verified organisations)": "مشارکت (کارکنان و نهادهای تأییدشده)",
    "Every public campaign, the decision log and the statistics of this platform, as CSV and JSON, updated daily, and the money organisations gave, in the 360Giving Data Standard. Nothing personal is published: no backer, no owner's name, and decisions by role only.": "همهٔ طرح\u200cهای عمومی، دفتر تصمیم\u200cها و آمار این سکو، به صورت CSV و JSON، با به\u200cروزرسانی روزانه، و پولی که نهادها داده\u200cاند، بر پایهٔ استاندارد دادهٔ 360Giving. هیچ دادهٔ شخصی منتشر نمی\u200cشود: نه حامیان، نه نام مجری، و تصمیم\u200cها تنها بر پایهٔ نقش.",
    "Money given by organisations (360Giving)": "پولی که نهادها داده\u200cاند (360Giving)",
    "Match funding and grants that organisations gave to projects here, one grant per pot and project, in the 360Giving Data Standard: a JSON data package and the flattened spreadsheet, with the standard's own column titles, checked against the standard's schemas.": "همسان\u200cسازی\u200cها و کمک\u200cهای بلاعوضی که نهادها به طرح\u200cهای این سکو داده\u200cاند، یک کمک برای هر صندوق و طرح، بر پایهٔ استاندارد دادهٔ 360Giving: یک بستهٔ دادهٔ JSON و صفحه\u200cگستردهٔ تخت آن با عنوان\u200cستون\u200cهای خود استاندارد، سنجیده با طرح\u200cواره\u200cهای (schema) همان استاندارد.",
    "About the 360Giving Data Standard": "دربارهٔ استاندارد دادهٔ 360Giving",
    "Identifiers start with this platform's 360Giving prefix, <code>%(prefix)s</code>. A project is published by its title as an unregistered group, never by its owner's name.": "شناسه\u200cها با پیشوند 360Giving این سکو، <code>%(prefix)s</code>، آغاز می\u200cشوند. هر طرح با عنوانش، همچون گروهی ثبت\u200cنشده، منتشر می\u200cشود و هرگز با نام مجری آن.",
    "No organisation has given money to a project here yet, so there is no 360Giving file.": "هنوز هیچ نهادی به طرحی در این سکو پول نداده است، پس پروندهٔ 360Giving وجود ندارد.",
    "Main fields of the 360Giving file": "فیلدهای اصلی پروندهٔ 360Giving",
    "The grant: <prefix>-match-<pot>-<campaign>, one per pot and project.": "کمک: <prefix>-match-<pot>-<campaign>، یکی برای هر صندوق و طرح.",
    "The campaign's title.": "عنوان طرح.",
    "What was given, by whom, from which pot, to which project (in English).": "چه چیزی، از سوی چه کسی، از کدام صندوق، به کدام طرح داده شد (به انگلیسی).",
    "ISO 4217 code; a toman platform's amounts are in rials (IRR), 1 toman = 10 rials.": "کد ISO 4217؛ مبلغ\u200cهای سکوهای تومانی به ریال (IRR) نوشته می\u200cشوند، هر تومان = ۱۰ ریال.",
    "Matches committed or paid, not returned to the pot, in the currency's main unit (12.50).": "همسان\u200cسازی\u200cهای تعهدشده یا پرداخت\u200cشده که به صندوق برنگشته\u200cاند، به واحد اصلی پول (12.50).",
    "The part of it already paid to the project, at the campaign's successful close.": "بخشی از آن که با بسته\u200cشدن موفق طرح به طرح پرداخت شده است.",
    "The day of the first match (YYYY-MM-DD, UTC).": "روز نخستین همسان\u200cسازی (YYYY-MM-DD، به وقت UTC).",
    "The project: <prefix>-project-<campaign>. Never the owner's name.": "طرح: <prefix>-project-<campaign>. هرگز نام مجری.",
    "The organisation: <prefix>-org-<number>, with its name.": "نهاد: <prefix>-org-<number>، همراه با نامش.",
    "The match-funding pot: <prefix>-pot-<number>, with its name.": "صندوق همسان\u200cسازی: <prefix>-pot-<number>، همراه با نامش.",
    "Yes when the project was approved in the call the pot funds.": "Yes اگر طرح در فراخوانی که این صندوق تأمین می\u200cکند پذیرفته شده باشد.",
    "The campaign's area, with the country's code.": "منطقهٔ طرح، همراه با کد کشور.",
    "The campaign's category (slug), with its name.": "دسته\u200cبندی طرح (نامک)، همراه با نامش.",
}
