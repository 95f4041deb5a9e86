# ruff: noqa: E501 -- a table of sentences
"""Persian wording of owners' profiles, e-mails and the platforms' own pages (issue 16).
Vocabulary of shared/source-report-fa.txt: مجری، حامی، پروژه، صورت وضعیت نهایی، سکو."""

T = {
    # owner e-mails
    "%(title)s is approved": "پروژه‌ی %(title)s تأیید شد",
    "Your campaign %(title)s has been approved by the platform's staff.": "پروژه‌ی شما، %(title)s، را کارکنان سکو تأیید کردند.",
    "It is live: people can back it now. Share its page.": "پروژه اکنون فعال است و مردم می‌توانند از آن حمایت کنند. صفحه‌اش را با دیگران به اشتراک بگذارید.",
    "It goes live at its start time.": "پروژه در زمان آغازش فعال می‌شود.",
    "Starts": "آغاز",
    "%(title)s was sent back for changes": "پروژه‌ی %(title)s برای اصلاح برگشت داده شد",
    "The platform's staff sent your campaign %(title)s back to you as a draft. Change what they ask, then submit it again.": "کارکنان سکو پروژه‌ی شما، %(title)s، را به صورت پیش‌نویس به شما برگرداندند. آنچه خواسته‌اند را اصلاح کنید و دوباره آن را بفرستید.",
    "Note for you (not shown publicly)": "یادداشت برای شما (به‌طور عمومی نشان داده نمی‌شود)",
    "Final report of %(title)s not approved": "صورت وضعیت نهایی %(title)s تأیید نشد",
    "The platform's staff did not approve the final report of %(title)s. Revise it and file it again: the held part is paid once it is approved.": "کارکنان سکو صورت وضعیت نهایی %(title)s را تأیید نکردند. آن را اصلاح کنید و دوباره بفرستید: سهم نگه‌داشته‌شده پس از تأیید آن پرداخت می‌شود.",
    "Reviewed on": "تاریخ بررسی",
    "%(amount)s paid to you for %(title)s": "%(amount)s بابت %(title)s به شما پرداخت شد",
    "The first payout of %(title)s has been paid to you.": "نخستین پرداخت پروژه‌ی %(title)s به شما واریز شد.",
    "Your final report is due next: say what was done with the money.": "گام بعدی صورت وضعیت نهایی است: بگویید با این پول چه کردید.",
    "The held part of %(title)s has been paid to you. Your campaign is complete.": "سهم نگه‌داشته‌شده‌ی %(title)s به شما واریز شد. پروژه‌ی شما کامل شده است.",
    "Transfer reference": "شماره پیگیری واریز",
    "Paid on": "تاریخ پرداخت",
    "Final report due on": "سررسید صورت وضعیت نهایی",
}
