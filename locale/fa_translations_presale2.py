# ruff: noqa: E501 -- a table of sentences
"""Persian wording of issue 15's follow-ups: delivery updates, a claim's card payment declined and paid to
the wallet instead, pending provider refunds. Vocabulary of shared/source-report-fa.txt: مجری، حامی،
پاداش، تحویل، کیف پول."""

T = {
    # delivery updates
    "News": "خبر",
    "Kind of update": "نوع خبر",
    "Delivery news (making, shipping, delays) is marked as such and e-mailed to the backers of rewards that ship.": "خبر تحویل (ساخت، ارسال، تأخیر) با برچسب «تحویل» نشان داده می‌شود و برای حامیانِ پاداش‌های ارسالی ایمیل می‌شود.",
    "Choose news or delivery.": "«خبر» یا «تحویل» را انتخاب کنید.",
    "Delivery updates are for campaigns with rewards that ship.": "خبر تحویل مخصوص پروژه‌هایی است که پاداش ارسالی دارند.",
    "Which updates": "کدام خبرها",
    "All updates": "همه خبرها",
    "Delivery news only": "فقط خبرهای تحویل",
    "Delivery news from %(title)s": "خبر تحویل از «%(title)s»",
}
