# ruff: noqa: E501 -- a table of sentences
"""Persian wording of the ops app (/health/, the admin's warning when the close job is late)."""

T = {
    "Operations": "عملیات",
    "task": "کار",
    "last started": "آخرین شروع",
    "last succeeded": "آخرین اجرای موفق",
    "last failed": "آخرین شکست",
    "last error": "آخرین خطا",
    "runs": "دفعات اجرا",
    "job run": "اجرای کار زمان‌بندی‌شده",
    "job runs": "اجراهای کارهای زمان‌بندی‌شده",
    "Campaigns are not being closed.": "پروژه‌ها بسته نمی‌شوند.",
    "The close job last ran %(minutes)s minute ago (%(when)s)": (
        "کار بستن پروژه‌ها آخرین بار %(minutes)s دقیقه پیش اجرا شد (%(when)s)",
        "کار بستن پروژه‌ها آخرین بار %(minutes)s دقیقه پیش اجرا شد (%(when)s)",
    ),
    "The close job has never run.": "کار بستن پروژه‌ها هرگز اجرا نشده است.",
    "It should run every %(seconds)s seconds: is the Celery worker with its beat running? No deadline is closed, no refund runs and no e-mail goes out without it.": "این کار باید هر %(seconds)s ثانیه اجرا شود: آیا کارگر Celery همراه با زمان‌بند آن در حال اجراست؟ بدون آن هیچ مهلتی بسته نمی‌شود، هیچ بازپرداختی انجام نمی‌شود و هیچ ایمیلی فرستاده نمی‌شود.",
    "Health report": "گزارش سلامت",
}
