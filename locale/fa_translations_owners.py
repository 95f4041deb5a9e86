# ruff: noqa: E501 -- a table of sentences
"""Persian wording of owners' money out (issue 16): bank details (IBAN, Sheba), wallet withdrawals.
Vocabulary of shared/source-report-fa.txt: مجری، حامی، کیف پول، شماره شبا."""

T = {
    # bank details
    "Bank details": "اطلاعات بانکی",
    "Account holder's name": "نام صاحب حساب",
    "IBAN": "شماره IBAN",
    "Sheba number": "شماره شبا",
    "For platforms in pounds, e.g. GB82 WEST 1234 5698 7654 32.": "برای سکوهایی که با پوند کار می‌کنند، مثلاً GB82 WEST 1234 5698 7654 32.",
    "For the Iranian platforms: IR followed by 24 digits.": "برای سکوهای ایرانی: IR و پس از آن ۲۴ رقم.",
    "Your campaigns' payouts and your wallet withdrawals are paid to this account. Only you and the platform's finance staff see it.": "پرداخت‌های پروژه‌های شما و برداشت‌های کیف پولتان به این حساب واریز می‌شود. تنها شما و کارکنان مالی سکو آن را می‌بینند.",
    "Save bank details": "ذخیرهٔ اطلاعات بانکی",
    "Your bank details are saved.": "اطلاعات بانکی شما ذخیره شد.",
    "This is not a valid Sheba number: IR followed by 24 digits, as on your bank card.": "این شماره شبای معتبری نیست: IR و پس از آن ۲۴ رقم، همان‌گونه که بانکتان داده است.",
    "This is not a valid IBAN: check it against your bank statement.": "این شماره IBAN معتبر نیست: آن را با صورت‌حساب بانکی‌تان مقایسه کنید.",
    "A Sheba number starts with IR: put a foreign account in the IBAN field.": "شماره شبا با IR آغاز می‌شود: حساب خارجی را در خانهٔ IBAN بنویسید.",
    "This is an Iranian account: put it in the Sheba field.": "این یک حساب ایرانی است: آن را در خانهٔ شماره شبا بنویسید.",
    "Give the account holder's name.": "نام صاحب حساب را بنویسید.",
    "The holder's name is too long.": "نام صاحب حساب بیش از اندازه بلند است.",
    "Give an IBAN or a Sheba number.": "یک شماره IBAN یا شماره شبا وارد کنید.",
    "Add your Sheba number (on My account) before submitting: the money is paid to it.": "پیش از ارسال، شماره شبای خود را (در «حساب من») وارد کنید: پول به آن واریز می‌شود.",
    "Add your IBAN (on My account) before submitting: the money is paid to it.": "پیش از ارسال، شماره IBAN خود را (در «حساب من») وارد کنید: پول به آن واریز می‌شود.",
}
T.update(
    {
        # wallet withdrawals
        "Withdraw to my bank": "برداشت به حساب بانکی من",
        "Amount to withdraw": "مبلغ برداشت",
        "Ask to withdraw": "درخواست برداشت",
        "Paid to": "واریز به",
        "My withdrawals": "برداشت‌های من",
        "Withdrawal to your bank": "برداشت به حساب بانکی شما",
        "Requested: the platform's finance staff will pay it": "درخواست‌شده: کارکنان مالی سکو آن را واریز می‌کنند",
        "Paid to your bank": "به حساب بانکی شما واریز شد",
        "Enter an amount above zero.": "مبلغی بیشتر از صفر وارد کنید.",
        "Add your bank details first: the money is paid to that account.": "نخست اطلاعات بانکی خود را وارد کنید: پول به آن حساب واریز می‌شود.",
        "Your wallet holds less than this amount.": "موجودی کیف پول شما کمتر از این مبلغ است.",
        "Withdrawal asked: the platform's finance staff will pay it to your bank.": "درخواست برداشت ثبت شد: کارکنان مالی سکو آن را به حساب بانکی شما واریز می‌کنند.",
    }
)
