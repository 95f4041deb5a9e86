# ruff: noqa: E501 -- a table of sentences
"""Persian wording of issue 12's "bad input" part (refusals, error pages, image uploads, update limits)."""

T = {
    "Page not found": "صفحه پیدا نشد",
    "There is no page at this address. It may have moved, or the link may be mistyped.": "در این نشانی صفحه‌ای نیست. شاید جابه‌جا شده باشد یا پیوند اشتباه نوشته شده باشد.",
    "Back to the home page": "بازگشت به صفحهٔ اصلی",
    "Not allowed": "اجازه ندارید",
    "You do not have permission to see this page.": "اجازهٔ دیدن این صفحه را ندارید.",
    "Something went wrong": "مشکلی پیش آمد",
    "The server could not complete your request. Try again in a moment; the team has been told.": "سرور نتوانست درخواست شما را انجام دهد. کمی بعد دوباره تلاش کنید؛ به گروه پشتیبانی خبر داده شد.",
    "Bad request": "درخواست نادرست",
    "The server could not understand this request.": "سرور این درخواست را نفهمید.",
    "A title is one line: no line breaks, tabs or other control characters.": "عنوان یک خط است: بدون شکست خط، تب یا نویسه‌های کنترلی دیگر.",
    "A title cannot contain bidirectional override or isolate characters.": "عنوان نمی‌تواند نویسه‌های جهت‌نمای بازنویسی یا جداساز داشته باشد.",
    "A title needs visible characters, not only spaces or zero-width characters.": "عنوان باید نویسه‌های دیدنی داشته باشد، نه فقط فاصله یا نویسه‌های بی‌پهنا.",
    "A campaign starts within a year.": "پروژه باید ظرف یک سال آغاز شود.",
    "On this platform a campaign runs at most %(days)s days: choose an earlier deadline.": "در این سکو هر پروژه حداکثر %(days)s روز ادامه دارد: مهلت زودتری انتخاب کنید.",
    "Update posted, but not e-mailed: this campaign has e-mailed its backers %(n)s times in the last 7 days, the most its platform allows. Backers see it on the campaign's page.": "خبر منتشر شد، اما ایمیل نشد: این پروژه در ۷ روز گذشته %(n)s بار برای حامیانش ایمیل فرستاده است، بیشترین تعدادی که سکو اجازه می‌دهد. حامیان آن را در صفحهٔ پروژه می‌بینند.",
    "(picture)": "(تصویر)",
    "Picture": "تصویر",
    "What the picture shows (for readers who cannot see it)": "تصویر چه نشان می‌دهد (برای خوانندگانی که آن را نمی‌بینند)",
    "Picture uploaded. To show it, paste this into the story or an update: %(code)s": "تصویر بارگذاری شد. برای نمایش آن، این را در شرح پروژه یا یک خبر بگذارید: %(code)s",
    "Pictures for the story and updates": "تصویرهای شرح پروژه و خبرها",
    "Stories and updates show only pictures uploaded here (JPEG, PNG, WebP or GIF, at most 5 MB), each with its description; a picture from another site is shown as a link.": "شرح پروژه و خبرها فقط تصویرهایی را نشان می‌دهند که اینجا بارگذاری شده‌اند (JPEG، PNG، WebP یا GIF، حداکثر ۵ مگابایت)، هر کدام با توضیحش؛ تصویری از سایتی دیگر به صورت پیوند نشان داده می‌شود.",
    "Upload the picture": "بارگذاری تصویر",
    "Choose a picture to upload.": "تصویری برای بارگذاری انتخاب کنید.",
}
