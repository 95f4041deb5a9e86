# ruff: noqa: E501 -- a table of sentences
"""Persian wording of pre-sale trust (issue 15): bank guarantees, reward delivery and backers' claims.
Vocabulary of shared/source-report-fa.txt: ضمانت‌نامه بانکی، مجری، حامی، پاداش."""

T = {
    # guarantees: decisions and states
    "Bank guarantee verified": "ضمانت‌نامه بانکی تأیید شد",
    "Bank guarantee withdrawn by its issuer": "ضمانت‌نامه بانکی از سوی صادرکننده باطل شد",
    "Bank guarantee expired": "ضمانت‌نامه بانکی منقضی شد",
    "Waiting for staff to verify it": "در انتظار تأیید کارکنان",
    "Verified": "تأییدشده",
    "Withdrawn by its issuer": "باطل‌شده از سوی صادرکننده",
    "Expired": "منقضی‌شده",
    # guarantees: refusals
    "This guarantee cannot change that way now.": "وضعیت این ضمانت‌نامه اکنون این‌گونه تغییر نمی‌کند.",
    "Only the campaign's owner can do this.": "تنها مجری پروژه می‌تواند این کار را انجام دهد.",
    "This campaign no longer takes a guarantee.": "این پروژه دیگر ضمانت‌نامه نمی‌پذیرد.",
    "Name the bank or fund that issued the guarantee.": "نام بانک یا صندوق صادرکننده ضمانت‌نامه را بنویسید.",
    "Give the guarantee's reference.": "شماره ضمانت‌نامه را بنویسید.",
    "The guarantee must be in the campaign's currency.": "ضمانت‌نامه باید به واحد پول پروژه باشد.",
    "Enter the amount the guarantee covers.": "مبلغ ضمانت‌نامه را وارد کنید.",
    "The guarantee must last past the promised delivery plus the platform's grace and claim window.": "اعتبار ضمانت‌نامه باید تا پس از موعد تحویل وعده‌داده‌شده به‌علاوه مهلت تأخیر و مهلت ثبت شکایت سکو ادامه داشته باشد.",
    "Attach the scanned guarantee.": "تصویر اسکن‌شده ضمانت‌نامه را پیوست کنید.",
    "This campaign already has a guarantee in force or waiting for staff.": "این پروژه ضمانت‌نامه‌ای معتبر یا در انتظار تأیید دارد.",
    "Say why the guarantee was withdrawn.": "بنویسید چرا ضمانت‌نامه باطل شد.",
    "This platform requires a bank guarantee verified by its staff before submission.": "این سکو پیش از ارسال پروژه برای بررسی، ضمانت‌نامه بانکیِ تأییدشده به دست کارکنانش را لازم می‌داند.",
    # guarantees: e-mails
    "The owner of %(title)s filed a bank guarantee by %(issuer)s. Check the document with its issuer and verify it in the admin.": "مجری «%(title)s» ضمانت‌نامه بانکی %(issuer)s را ثبت کرد. سند را با صادرکننده بررسی و در پنل مدیریت تأیید کنید.",
    "Staff verified the bank guarantee by %(issuer)s for %(title)s. You can now submit the campaign for review.": "کارکنان سکو ضمانت‌نامه بانکی %(issuer)s را برای «%(title)s» تأیید کردند. اکنون می‌توانید پروژه را برای بررسی بفرستید.",
    "The bank guarantee by %(issuer)s that backed %(title)s was withdrawn by its issuer.": "ضمانت‌نامه بانکی %(issuer)s که پشتوانه «%(title)s» بود، از سوی صادرکننده باطل شد.",
    "The bank guarantee by %(issuer)s that backed %(title)s has expired.": "ضمانت‌نامه بانکی %(issuer)s که پشتوانه «%(title)s» بود، منقضی شد.",
    "Valid until": "معتبر تا",
    "A bank guarantee of %(title)s waits for verification": "ضمانت‌نامه بانکی «%(title)s» در انتظار تأیید است",
    "The bank guarantee of %(title)s is verified": "ضمانت‌نامه بانکی «%(title)s» تأیید شد",
    "The bank guarantee of %(title)s was withdrawn": "ضمانت‌نامه بانکی «%(title)s» باطل شد",
    "The bank guarantee of %(title)s has expired": "ضمانت‌نامه بانکی «%(title)s» منقضی شد",
    # guarantees: pages
    "Guaranteed by %(issuer)s up to %(amount)s until %(until)s": "با ضمانت %(issuer)s تا سقف %(amount)s، معتبر تا %(until)s",
    "The guarantee by %(issuer)s was withdrawn by its issuer on %(day)s.": "ضمانت‌نامه %(issuer)s در %(day)s از سوی صادرکننده باطل شد.",
    "The guarantee by %(issuer)s expired after %(day)s.": "ضمانت‌نامه %(issuer)s پس از %(day)s منقضی شد.",
    "No guarantee in force.": "ضمانت‌نامه معتبری ندارد.",
    "Bank guarantee": "ضمانت‌نامه بانکی",
    "This platform requires a bank guarantee, verified by its staff, before you submit the campaign.": "این سکو پیش از ارسال پروژه برای بررسی، ضمانت‌نامه بانکیِ تأییدشده به دست کارکنانش را لازم می‌داند.",
    "No guarantee filed yet.": "هنوز ضمانت‌نامه‌ای ثبت نشده است.",
    "File a guarantee": "ثبت ضمانت‌نامه",
    "File the guarantee": "ثبت ضمانت‌نامه",
    "Issuer (bank or fund)": "صادرکننده (بانک یا صندوق)",
    "Guarantee reference": "شماره ضمانت‌نامه",
    "Amount guaranteed": "مبلغ ضمانت",
    "Currency": "واحد پول",
    "Scanned guarantee (PDF or picture, seen by staff only)": "تصویر اسکن‌شده ضمانت‌نامه (PDF یا تصویر؛ فقط کارکنان سکو می‌بینند)",
    "Guarantee filed: staff will check it with its issuer.": "ضمانت‌نامه ثبت شد؛ کارکنان سکو آن را با صادرکننده بررسی می‌کنند.",
}
