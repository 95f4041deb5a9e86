# ruff: noqa: E501 -- a table of sentences
"""Persian wording of the walkthrough's fixes (issue 16): rewards edited on a draft, declined cards'
reasons, a failed campaign's owner page, sign-up, dates, the admin's review buttons, the mobile menu.
Vocabulary of shared/source-report-fa.txt: مجری، حامی، پاداش، صورت وضعیت نهایی."""

T = {
    # rewards on a draft
    "A reward cannot cost more than the campaign's goal.": "مبلغ یک پاداش نمی‌تواند از هدف مالی پروژه بیشتر باشد.",
    "A reward costs more than this goal: lower or remove that reward first.": "مبلغ یکی از پاداش‌ها از این هدف بیشتر است: نخست آن پاداش را کم یا حذف کنید.",
    "At most the campaign's goal, %(goal)s.": "حداکثر به اندازهٔ هدف مالی پروژه، %(goal)s.",
    "Edit the reward": "ویرایش پاداش",
    "Save the reward": "ذخیرهٔ پاداش",
    "Cancel": "انصراف",
    "Reward saved.": "پاداش ذخیره شد.",
    "Reward “%(title)s” removed.": "پاداش «%(title)s» حذف شد.",
    'Edit <span class="visually-hidden">the reward “%(title)s”</span>': 'ویرایش <span class="visually-hidden">پاداش «%(title)s»</span>',
    'Remove <span class="visually-hidden">the reward “%(title)s”</span>': 'حذف <span class="visually-hidden">پاداش «%(title)s»</span>',
    # declined cards
    "Your bank declined this card. Try another card, or ask your bank why.": "بانک شما این کارت را نپذیرفت. با کارت دیگری امتحان کنید یا علت را از بانک بپرسید.",
    "Your card was declined: insufficient funds. Try another card.": "کارت شما پذیرفته نشد: موجودی کافی نیست. با کارت دیگری امتحان کنید.",
    "This card number is not valid: check it and type it again.": "شمارهٔ این کارت معتبر نیست: آن را بررسی کنید و دوباره وارد کنید.",
    "This card has expired. Try another card.": "تاریخ این کارت گذشته است. با کارت دیگری امتحان کنید.",
    "The card's security code is wrong: check it and try again.": "کد امنیتی کارت (CVV2) درست نیست: آن را بررسی کنید و دوباره امتحان کنید.",
    "The card's expiry date is wrong: check it and try again.": "تاریخ انقضای کارت درست نیست: آن را بررسی کنید و دوباره امتحان کنید.",
    "Your bank asks you to confirm this payment: try again and confirm it.": "بانک شما تأیید این پرداخت را می‌خواهد: دوباره امتحان کنید و آن را تأیید کنید.",
    "Nothing was charged.": "مبلغی کسر نشد.",
    "%(n)s declined card attempt (nothing was charged)": (
        "%(n)s تلاش پرداخت ناموفق با کارت (مبلغی کسر نشد)",
        "%(n)s تلاش پرداخت ناموفق با کارت (مبلغی کسر نشد)",
    ),
}
T.update(
    {
        # a failed campaign's owner page
        "This campaign was not funded": "این پروژه به هدف نرسید",
        "Each backer gets their whole pledge back in their wallet on this site, to back another campaign with.": "مبلغ کامل حمایت هر حامی به کیف پول او در همین سایت برمی‌گردد تا با آن از پروژهٔ دیگری حمایت کند.",
        "Each backer gets their whole pledge back on the card they paid with.": "مبلغ کامل حمایت هر حامی به کارتی که با آن پرداخت کرده بود برمی‌گردد.",
        "All refunds are done.": "همهٔ بازپرداخت‌ها انجام شده است.",
        "Refunds are under way; backers are e-mailed when theirs is made.": "بازپرداخت‌ها در جریان است؛ به هر حامی پس از بازپرداخت ایمیل زده می‌شود.",
        "Nothing is paid out to you, the platform keeps no fee, and you owe no final report.": "مبلغی به شما پرداخت نمی‌شود، سکو کارمزدی برنمی‌دارد و لازم نیست صورت وضعیت نهایی بدهید.",
        "What next": "گام بعدی",
        "Your campaign's page stays public with its story and updates, marked as not funded.": "صفحهٔ پروژهٔ شما با داستان و خبرهایش عمومی می‌ماند و «ناموفق» نشان داده می‌شود.",
        "You may start a new campaign: a smaller goal, a longer run or rewards closer to what backers asked for often help.": "می‌توانید پروژهٔ تازه‌ای آغاز کنید: هدف مالی کوچک‌تر، مهلت بلندتر یا پاداش‌هایی نزدیک‌تر به خواستهٔ حامیان اغلب کمک می‌کند.",
        "Start a new campaign": "آغاز پروژهٔ تازه",
    }
)
T.update({"Menu": "منو"})
T.update(
    {
        "Solar Hijri (Jalali) date and time, like %(example)s.": "تاریخ و ساعت شمسی، مانند %(example)s.",
        "Date and time, day first, like %(example)s.": "تاریخ و ساعت میلادی، روز پیش از ماه، مانند %(example)s.",
        "Date and time, month first, like %(example)s.": "تاریخ و ساعت میلادی، ماه پیش از روز، مانند %(example)s.",
    }
)
