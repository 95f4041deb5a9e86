"""The default text of a platform's own pages (about, FAQ, terms, privacy), in English and Persian,
filled in with the platform's rules (fee, threshold, payout split and delay, report due days). Staff
replace it in the admin (PlatformPage); until then a page shows this text. Works on a migration's
historical Platform too (plain fields only), so migration platforms 0008 stores it for the presets."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from core.text import FA_DIGITS

KINDS = ("about", "faq", "terms", "privacy")

_EN = {
    "about": (
        "About {name}",
        """{name} is a crowdfunding platform: people with a project ask the public to fund it, and
citizens, companies and public bodies back it.

## How a campaign works
- The owner describes the project, sets a goal and a deadline, and the platform's staff review it
  before it goes live.
- {rule}
- {fee}
- {split}
- The owner files a final report on what was done with the money; it is public once approved.

## Who we are
The platform is run by its staff, who review campaigns and final reports, handle refunds and
disputes, and answer questions. Every decision is listed publicly in the decision log.
""",
    ),
    "faq": (
        "Frequently asked questions",
        """## What happens if a campaign does not reach its goal?
{rule} When a campaign fails, every backer gets back exactly what they paid ({refund}), and no fee
is taken.

## When does the owner get the money?
{split}

## How do I know the money was spent as promised?
The owner must file a final report within {report_days} days of the first payout, line by line, with
receipts. It is public once the platform approves it, and the owner's profile shows whether their
reports were on time.

## Can I back a campaign without an account?
No: you need an account with a confirmed e-mail address, so that we can send your receipt and tell
you what happens to the campaign.

## Can I cancel my pledge?
Yes, while the campaign is live, from your dashboard.
""",
    ),
    "terms": (
        "Terms of use",
        """## Backers
- A pledge is a contribution to a project, not a purchase from the platform. Rewards, where offered,
  are the owner's promise.
- {rule}

## Owners
- You are responsible for what your campaign says and for doing what it promises.
- {fee}
- {split}
- You file a final report within {report_days} days of the first payout. A report the platform does
  not approve can be revised and filed again.

## The platform
- Staff may send a campaign back, or refuse it, when it breaks these terms or the law.
- These terms may change; the version on this page is the one in force.
""",
    ),
    "privacy": (
        "Privacy",
        """## What we keep
- Your account: username, display name, e-mail address and password (stored hashed).
- Your pledges and what you paid; card details stay with the payment provider.
- For owners: bank details, visible only to you and the platform's finance staff.
- A shipping address, where a reward ships, deleted after delivery.

## What is public
- Campaigns, their owners' display names, updates and approved final reports.
- Never your e-mail address, your bank details or what an individual backer gave.

## Your rights
You can change your display name and e-mail address on My account, and ask the platform's staff
for a copy of your data or for its deletion (money records are kept as the law requires).
""",
    ),
}

_FA = {
    "about": (
        "دربارهٔ {name}",
        """{name} یک سکوی تأمین مالی جمعی است: مجریانی که پروژه‌ای دارند از مردم برای آن پول جمع می‌کنند، و
شهروندان، شرکت‌ها و نهادهای عمومی از آن حمایت می‌کنند.

## یک پروژه چگونه پیش می‌رود
- مجری پروژه را شرح می‌دهد، مبلغ هدف و مهلت را تعیین می‌کند، و کارکنان سکو پیش از انتشار آن را بررسی می‌کنند.
- {rule}
- {fee}
- {split}
- مجری صورت وضعیت نهایی را دربارهٔ اینکه با پول چه شد می‌فرستد؛ پس از تأیید، عمومی می‌شود.

## ما که هستیم
کارکنان سکو پروژه‌ها و صورت وضعیت‌های نهایی را بررسی می‌کنند، بازپرداخت‌ها و اختلاف‌ها را پیگیری
می‌کنند و به پرسش‌ها پاسخ می‌دهند. همهٔ تصمیم‌ها در گزارش تصمیم‌ها به‌طور عمومی فهرست می‌شود.
""",
    ),
    "faq": (
        "پرسش‌های پرتکرار",
        """## اگر پروژه به هدفش نرسد چه می‌شود؟
{rule} وقتی پروژه‌ای شکست بخورد، هر حامی دقیقاً همان مبلغی را که پرداخته پس می‌گیرد ({refund}) و هیچ
کارمزدی کسر نمی‌شود.

## مجری چه زمانی پول را دریافت می‌کند؟
{split}

## از کجا بدانم پول همان‌طور که وعده داده شده خرج شده است؟
مجری باید تا {report_days} روز پس از نخستین پرداخت، صورت وضعیت نهایی را ردیف به ردیف و همراه با رسیدها
بفرستد. پس از تأیید سکو عمومی می‌شود، و نمایهٔ مجری نشان می‌دهد گزارش‌هایش به‌موقع بوده یا نه.

## آیا بدون حساب کاربری می‌توانم حمایت کنم؟
نه: به حسابی با نشانی رایانامهٔ تأییدشده نیاز دارید تا رسید شما و خبرهای پروژه را برایتان بفرستیم.

## آیا می‌توانم حمایتم را لغو کنم؟
بله، تا زمانی که پروژه فعال است، از پیشخوان خودتان.
""",
    ),
    "terms": (
        "شرایط استفاده",
        """## حامیان
- حمایت، کمک به یک پروژه است، نه خرید از سکو. پاداش‌ها، هر جا باشند، تعهد مجری‌اند.
- {rule}

## مجریان
- مسئولیت آنچه پروژه‌تان می‌گوید و انجام آنچه وعده می‌دهد با شماست.
- {fee}
- {split}
- صورت وضعیت نهایی را تا {report_days} روز پس از نخستین پرداخت می‌فرستید. گزارشی که سکو تأیید نکند،
  قابل اصلاح و ارسال دوباره است.

## سکو
- کارکنان سکو می‌توانند پروژه‌ای را که خلاف این شرایط یا قانون باشد برگردانند یا نپذیرند.
- این شرایط ممکن است تغییر کند؛ نسخهٔ این صفحه نسخهٔ معتبر است.
""",
    ),
    "privacy": (
        "حریم خصوصی",
        """## آنچه نگه می‌داریم
- حساب شما: نام کاربری، نام نمایشی، نشانی رایانامه و گذرواژه (به‌صورت درهم‌سازی‌شده).
- حمایت‌های شما و مبلغ پرداختی؛ اطلاعات کارت نزد درگاه پرداخت می‌ماند.
- برای مجریان: اطلاعات بانکی، که تنها خودتان و کارکنان مالی سکو می‌بینند.
- نشانی ارسال، اگر پاداش ارسالی باشد، که پس از تحویل پاک می‌شود.

## آنچه عمومی است
- پروژه‌ها، نام نمایشی مجریان، به‌روزرسانی‌ها و صورت وضعیت‌های نهایی تأییدشده.
- هرگز نشانی رایانامه، اطلاعات بانکی یا مبلغ حمایت یک حامی.

## حقوق شما
می‌توانید نام نمایشی و نشانی رایانامه‌تان را در «حساب من» تغییر دهید، و از کارکنان سکو رونوشتی از
داده‌هایتان یا پاک کردن آن‌ها را بخواهید (سوابق مالی تا جایی که قانون می‌خواهد نگه داشته می‌شود).
""",
    ),
}


def _percent(basis_points: int) -> str:
    whole, part = divmod(basis_points, 100)
    return f"{whole}" if not part else f"{whole}.{part:02d}".rstrip("0")


def _facts(platform: Any, language: str) -> dict[str, str]:
    fee = _percent(platform.fee_basis_points)
    threshold = platform.success_threshold_percent
    first = platform.first_payout_percent
    days = platform.payout_delay_working_days
    models = set(platform.funding_models)
    rule_kind = "both" if len(models) > 1 else ("threshold" if models == {"threshold"} else "all")
    wallet = platform.refund_destination == "wallet"
    with translation.override(language):
        name = translation.gettext(platform.name)
    if language == "fa":
        rule = {
            "threshold": f"پروژه‌ای که تا مهلتش دست‌کم {threshold}٪ مبلغ هدف را جمع کند موفق است؛ "
            "کمتر از آن، شکست می‌خورد.",
            "all": "همه یا هیچ: پروژه‌ای که تا مهلتش به مبلغ هدف برسد موفق است؛ وگرنه شکست می‌خورد.",
            "both": "هر پروژه قاعده‌اش را اعلام می‌کند: همه یا هیچ (رسیدن به مبلغ هدف تا مهلت)، "
            f"یا دست‌کم {threshold}٪ مبلغ هدف.",
        }[rule_kind]
        facts = {
            "name": name,
            "rule": rule,
            "fee": f"کارمزد سکو {fee}٪ از مبلغ جمع‌شدهٔ پروژه‌های موفق است."
            if platform.fee_basis_points
            else "این سکو کارمزدی نمی‌گیرد.",
            "split": f"{first}٪ مبلغ پس از کسر کارمزد، {days} روز کاری پس از پایان پروژه به مجری پرداخت می‌شود؛ "
            "باقی پس از تأیید صورت وضعیت نهایی."
            if first < 100
            else f"همهٔ مبلغ پس از کسر کارمزد، {days} روز کاری پس از پایان پروژه به مجری پرداخت می‌شود.",
            "refund": "به کیف پول او در سکو، برای حمایت از پروژه‌ای دیگر"
            if wallet
            else "به همان کارتی که با آن پرداخت کرده",
            "report_days": str(platform.report_due_days),
        }
        return {k: v.translate(FA_DIGITS) if k != "name" else v for k, v in facts.items()}
    rule = {
        "threshold": f"A campaign that raises at least {threshold}% of its goal by its deadline succeeds; below "
        "that it fails.",
        "all": "All or nothing: a campaign that reaches its goal by its deadline succeeds; otherwise it fails.",
        "both": "Each campaign states its rule: all or nothing (its goal reached by the deadline), or at least "
        f"{threshold}% of its goal.",
    }[rule_kind]
    return {
        "name": name,
        "rule": rule,
        "fee": f"The platform's fee is {fee}% of what a successful campaign raised."
        if platform.fee_basis_points
        else "This platform takes no fee.",
        "split": f"{first}% of what remains after the fee is paid to the owner {days} working days after the "
        "campaign ends; the rest once the platform approves the final report."
        if first < 100
        else f"Everything after the fee is paid to the owner {days} working days after the campaign ends.",
        "refund": "to their wallet on the platform, to back another campaign"
        if wallet
        else "to the card they paid with",
        "report_days": str(platform.report_due_days),
    }


def page_default(*, platform: Any, kind: str, language: str) -> tuple[str, str]:
    """The built-in (title, Markdown body) of `platform`'s `kind` page in `language` ("en" or "fa")."""
    texts = _FA if language == "fa" else _EN
    title, body = texts[kind]
    facts = _facts(platform, "fa" if language == "fa" else "en")
    return title.format(**facts), body.format(**facts)


def pages_default_store(platform: Any, page_model: Any) -> int:
    """Store the default pages the platform lacks, in English and Persian (a migration passes its
    historical PlatformPage). Returns how many were written."""
    have = set(page_model.objects.filter(platform_id=platform.pk).values_list("kind", "language"))
    new = []
    for kind in KINDS:
        for language in ("en", "fa"):
            if (kind, language) not in have:
                title, body = page_default(platform=platform, kind=kind, language=language)
                new.append(page_model(platform_id=platform.pk, kind=kind, language=language, title=title, body=body))
    page_model.objects.bulk_create(new)
    return len(new)
