"""Persian wording of the participation page's charts of first-time/returning backers and pledge sizes
(vocabulary of fa_translations_stats.py). Merged by locale/compile.py."""

T = {
    "First-time and returning backers, as a share of all backers": "حامیان تازه و بازگشته، به نسبت همهٔ حامیان",
    "Share of counting pledges, by size": "سهم حمایت‌های به‌حساب‌آمده، بر پایهٔ اندازه",
}
