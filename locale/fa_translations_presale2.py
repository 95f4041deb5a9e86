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
T.update(
    {
        # a claim's card payment declined: paid to the wallet instead
        "Declined by the card: staff will pay it to the wallet": "کارت آن را نپذیرفت: کارکنان آن را به کیف پول می‌پردازند",
        "Declined by the card; paid to the wallet instead": "کارت آن را نپذیرفت؛ به‌جای آن به کیف پول پرداخت شد",
        "Only a claim payment the card declined can be paid to the wallet instead.": "فقط پرداختی از شکایت که کارت آن را نپذیرفته است می‌تواند به‌جای آن به کیف پول پرداخت شود.",
        "Paying your claim on %(title)s back to your card failed: the card's bank declined it. The money is still owed to you: the platform's staff will pay it to your wallet here instead, and you will get an e-mail once it is paid.": "بازپرداخت شکایت شما دربارهٔ «%(title)s» به کارتتان انجام نشد: بانک صادرکنندهٔ کارت آن را نپذیرفت. این مبلغ همچنان به شما بدهکار است: کارکنان سکو آن را به‌جای کارت به کیف پول شما در همین سکو می‌پردازند و پس از پرداخت، ایمیلی دریافت می‌کنید.",
        "Your claim on %(title)s: the card payment failed": "شکایت شما دربارهٔ «%(title)s»: پرداخت به کارت انجام نشد",
        "Payments to the backer": "پرداخت‌ها به حامی",
        "to the wallet": "به کیف پول",
        "to the card": "به کارت",
        "Pay to the backer's wallet instead": "به‌جای کارت، به کیف پول حامی بپردازید",
        "Paid to the backer's wallet; the backer is e-mailed.": "به کیف پول حامی پرداخت شد؛ به حامی ایمیل زده شد.",
    }
)
