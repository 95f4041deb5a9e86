# ruff: noqa: E501 -- a table of sentences
"""Persian wording of the site (vocabulary of shared/source-report-fa.txt: حامی، مجری، حمایت، پاداش،
صورت وضعیت نهایی). `python locale/compile.py` merges these into django.po and writes django.mo."""
T = {
    "Enter an amount.": "مبلغ را وارد کنید.",
    "Enter the amount as a number, like %(example)s.": "مبلغ را به صورت عدد وارد کنید، مثلاً %(example)s.",
    "The amount cannot be negative.": "مبلغ نمی‌تواند منفی باشد.",
    "The amount must be more than zero.": "مبلغ باید بیشتر از صفر باشد.",
    "Use at most %(n)s decimal places.": "حداکثر %(n)s رقم اعشار مجاز است.",
    "This currency has no fractions: enter a whole amount.": "این واحد پول اعشار ندارد؛ مبلغ را به صورت عدد صحیح وارد کنید.",
    "This amount is too large.": "این مبلغ بیش از حد بزرگ است.",
    "English": "انگلیسی", "Persian": "فارسی",
    "Reward": "پاداش", "Amount": "مبلغ", "Pay with": "روش پرداخت", "Card": "کارت بانکی", "My wallet": "کیف پول من",
    "At least %(min)s.": "دست‌کم %(min)s.",
    "No reward, just support": "بدون پاداش، فقط حمایت",
    "Wallet balance: %(balance)s": "موجودی کیف پول: %(balance)s",
    "That reward is not part of this campaign.": "این پاداش متعلق به این پروژه نیست.",
    "Sorry, this reward has sold out.": "متأسفیم، ظرفیت این پاداش تمام شده است.",
    "This reward needs a pledge of at least %(amount)s.": "این پاداش دست‌کم %(amount)s حمایت لازم دارد.",
    "The smallest pledge here is %(amount)s.": "کمترین مبلغ حمایت در اینجا %(amount)s است.",
    "Card number": "شماره کارت",
    "Sandbox: 4242 4242 4242 4242 pays, 4000 0000 0000 0002 is declined.":
        "محیط آزمایشی: کارت 4242 4242 4242 4242 پرداخت می‌شود و 4000 0000 0000 0002 رد می‌شود.",
    "Enter your card number.": "شماره کارت خود را وارد کنید.",
    "Your pledge is cancelled; the money comes back to you in full.": "حمایت شما لغو شد؛ تمام مبلغ به شما بازمی‌گردد.",
    "Search": "جستجو", "Platform": "سکو", "Category": "دسته‌بندی", "Region or province": "منطقه یا استان",
    "State": "وضعیت", "Funding model": "مدل تأمین مالی", "Sort by": "مرتب‌سازی", "Newest": "جدیدترین",
    "Ending soon": "رو به پایان", "Most funded": "بیشترین تأمین", "Any": "همه", "Title": "عنوان", "Story": "شرح پروژه",
    "Markdown: **bold**, *italic*, lists and links. HTML is shown as text.":
        "مارک‌داون: **پررنگ**، *مورب*، فهرست و پیوند. کد HTML به صورت متن نمایش داده می‌شود.",
    "Goal": "مبلغ هدف", "Deadline": "مهلت", "In %(currency)s.": "به %(currency)s.",
    "The deadline must be in the future.": "مهلت باید در آینده باشد.",
    "Pledge amount": "مبلغ حمایت", "What the backer gets": "آنچه حامی دریافت می‌کند",
    "How many (empty: unlimited)": "تعداد (خالی: نامحدود)", "Estimated delivery": "زمان تقریبی تحویل",
    "Text": "متن", "What was done with the money": "با این پول چه کاری انجام شد",
    "Spending, one line each: item: amount": "هزینه‌ها، هر کدام در یک سطر: مورد: مبلغ",
    "Line %(n)s: write it as “item: amount”.": "سطر %(n)s: به صورت «مورد: مبلغ» بنویسید.",
    "Line %(n)s: %(error)s": "سطر %(n)s: %(error)s", "Reason": "دلیل",
    "Draft": "پیش‌نویس", "Submitted for review": "ارسال‌شده برای بررسی", "Live": "در حال جذب حمایت",
    "Funded": "تأمین‌شده", "Failed": "ناموفق", "Failed: refunding": "ناموفق: در حال بازپرداخت",
    "Failed: refunded": "ناموفق: بازپرداخت شد", "Funded: first payout paid": "تأمین‌شده: پرداخت اول انجام شد",
    "Final report submitted": "صورت وضعیت نهایی ارسال شد", "Final report rejected": "صورت وضعیت نهایی رد شد",
    "Completed": "تکمیل‌شده", "Awaiting payment": "در انتظار پرداخت",
    "Card saved, charged if the campaign succeeds": "کارت ثبت شد؛ در صورت موفقیت پروژه برداشت می‌شود",
    "Paid": "پرداخت‌شده", "Payment declined": "پرداخت رد شد", "Cancelled": "لغوشده",
    "Refund in progress": "در حال بازپرداخت", "Refunded": "بازپرداخت‌شده",
    "Released (campaign failed, card never charged)": "آزاد شد (پروژه ناموفق بود و برداشتی انجام نشد)",
    "Dropped (charge failed after success)": "حذف شد (برداشت پس از موفقیت انجام نشد)",
    "All or nothing": "همه یا هیچ", "Threshold": "حد نصاب", "First payout": "پرداخت اول",
    "Held part (after the final report)": "سهم نگه‌داشته (پس از صورت وضعیت نهایی)",
    "Waiting for the final report's approval": "در انتظار تأیید صورت وضعیت نهایی", "Scheduled": "زمان‌بندی‌شده",
    "Transfer sent": "حواله ارسال شد", "Pledge paid by card": "حمایت با کارت", "Pledge paid from the wallet": "حمایت از کیف پول",
    "Refund": "بازپرداخت", "Wallet top-up": "شارژ کیف پول",
    "Arts & Games": "هنر و بازی", "Charity & Social Good": "خیریه و مسئولیت اجتماعی",
    "Product Pre-sale": "پیش‌فروش محصول", "City Civic Portal": "درگاه مشارکت شهری",
    "Reward-based crowdfunding for arts and games (like Hamijoo). Campaigns that raise 25% of their goal succeed; "
    "90% is paid after 15 working days, 10% after the final report is approved.":
        "تأمین مالی جمعی پاداش‌محور برای هنر و بازی (مانند حامی‌جو). پروژه‌ای که ۲۵٪ هدف خود را جذب کند موفق است؛ "
        "۹۰٪ مبلغ پس از ۱۵ روز کاری و ۱۰٪ پس از تأیید صورت وضعیت نهایی پرداخت می‌شود.",
    "Donation-based charity (like Mehrabane): any amount, no reward, all or nothing; a cancelled project's money "
    "goes back to each backer's wallet.":
        "خیریه‌ی اهدایی (مانند مهربانه): هر مبلغی، بدون پاداش، همه یا هیچ؛ پول پروژه‌ی لغوشده به کیف پول هر حامی بازمی‌گردد.",
    "Pre-sale of products at the mass-production stage (like Nikstarter): free support of any amount or fixed "
    "support packages.":
        "پیش‌فروش محصولات در مرحله‌ی تولید انبوه (مانند نیک‌استارتر): حمایت آزاد با هر مبلغ یا بسته‌های حمایتی ثابت.",
    "A municipality's civic crowdfunding portal: citizens fund local projects.":
        "درگاه تأمین مالی جمعی شهروندی شهرداری: شهروندان پروژه‌های محلی را تأمین مالی می‌کنند.",
    "This campaign is not taking pledges.": "این پروژه حمایت نمی‌پذیرد.",
    "This campaign has not started yet.": "این پروژه هنوز آغاز نشده است.",
    "This campaign has closed; it takes no more pledges and pledges can no longer be cancelled.":
        "مهلت این پروژه به پایان رسیده است؛ حمایت تازه پذیرفته نمی‌شود و حمایت‌ها دیگر لغو نمی‌شوند.",
    "You cannot back your own campaign.": "نمی‌توانید از پروژه‌ی خودتان حمایت کنید.",
    "This is your campaign: manage it": "این پروژه‌ی شماست: مدیریتش کنید",
    "Enter a valid amount.": "مبلغ معتبری وارد کنید.",
    "The amount is below the smallest pledge of this platform.": "مبلغ از کمترین حمایت مجاز این سکو کمتر است.",
    "Choose a reward: this platform takes no free amounts.": "یک پاداش انتخاب کنید: این سکو حمایت آزاد نمی‌پذیرد.",
    "The amount is below the price of the chosen reward.": "مبلغ از قیمت پاداش انتخاب‌شده کمتر است.",
    "Your wallet does not hold enough for this pledge.": "موجودی کیف پول شما برای این حمایت کافی نیست.",
    "The card was declined.": "کارت رد شد.",
    "Try again with another card": "دوباره با کارتی دیگر امتحان کنید",
    "Equipment: %(amount)s": "تجهیزات: %(amount)s",
    "The payment service has not confirmed this payment yet. Nothing more is needed from you: we follow it up and e-mail you the receipt once it is confirmed. If it is refused, the pledge is cancelled and nothing is charged.":
        "درگاه پرداخت هنوز این پرداخت را تأیید نکرده است. کار دیگری لازم نیست: آن را پیگیری می‌کنیم و پس از تأیید، رسید را برایتان ایمیل می‌کنیم. اگر پرداخت رد شود، حمایت لغو می‌شود و مبلغی کسر نمی‌شود.",
    "This pledge's payment is still being confirmed; try again shortly.": "پرداخت این حمایت هنوز در حال تأیید است؛ کمی بعد دوباره امتحان کنید.",
    "This pledge cannot be cancelled any more.": "این حمایت دیگر قابل لغو نیست.",
    "Only a draft can be changed.": "فقط پیش‌نویس قابل تغییر است.",
    "This platform takes no reward tiers.": "این سکو پاداش نمی‌پذیرد.",
    "Add at least one reward tier: this platform takes no free amounts.": "دست‌کم یک پاداش اضافه کنید: این سکو حمایت آزاد نمی‌پذیرد.",
    "Updates are posted once the campaign is live.": "اخبار پروژه پس از انتشار آن قابل ارسال است.",
    "This step is not possible in the campaign's current state.": "این کار در وضعیت کنونی پروژه ممکن نیست.",
    "You may not do this.": "اجازه‌ی این کار را ندارید.", "No such pledge of yours.": "چنین حمایتی از شما وجود ندارد.",
    "The deadline has passed.": "مهلت گذشته است.", "Choose a category of this platform.": "یکی از دسته‌بندی‌های این سکو را انتخاب کنید.",
    "This platform does not allow this funding model.": "این سکو این مدل تأمین مالی را نمی‌پذیرد.",
    "The goal must be a positive whole amount, not too large.": "مبلغ هدف باید عددی صحیح، مثبت و نه بیش از حد بزرگ باشد.",
    "The deadline must be in the future and after the start.": "مهلت باید در آینده و پس از زمان شروع باشد.",
    "Give the campaign a title.": "برای پروژه عنوانی بنویسید.",
    "A limited reward needs at least one unit.": "پاداش محدود دست‌کم یک عدد لازم دارد.",
    "Each spending line needs an item and a whole, non-negative amount.": "هر سطر هزینه یک مورد و مبلغی صحیح و نامنفی لازم دارد.",
    "Describe what was done with the money.": "شرح دهید با این پول چه کاری انجام شد.",
    "A reward's amount must be at least the platform's smallest pledge.": "مبلغ پاداش باید دست‌کم برابر کمترین حمایت این سکو باشد.",
    "Draft saved. Next: reward tiers, then submit it for review.": "پیش‌نویس ذخیره شد. گام بعد: پاداش‌ها، سپس ارسال برای بررسی.",
    "Changes saved.": "تغییرات ذخیره شد.", "Reward added.": "پاداش افزوده شد.",
    "Submitted for review. You will see the result here.": "برای بررسی ارسال شد. نتیجه را همین‌جا خواهید دید.",
    "Update posted; backers are e-mailed.": "خبر منتشر شد و برای حامیان ایمیل شد.",
    "Final report submitted for review.": "صورت وضعیت نهایی برای بررسی ارسال شد.",
    "Your final report is waiting for review: you can file it again only if it is rejected.":
        "صورت وضعیت نهایی شما در انتظار بررسی است: تنها اگر رد شود می‌توانید دوباره آن را ارسال کنید.",
    "ended": "پایان‌یافته",
    "%(n)d day left": ("%(n)d روز مانده", "%(n)d روز مانده"),
    "%(n)d hour left": ("%(n)d ساعت مانده", "%(n)d ساعت مانده"),
    "%(n)d minute left": ("%(n)d دقیقه مانده", "%(n)d دقیقه مانده"),
    "If less than %(pct)s%% of the goal is raised by %(date)s, everyone is refunded in full; otherwise the campaign is funded.":
        "اگر تا %(date)s کمتر از %(pct)s٪ مبلغ هدف جذب شود، تمام مبلغ همه حامیان بازگردانده می‌شود؛ در غیر این صورت پروژه تأمین‌شده است.",
    "If the whole goal is not raised by %(date)s, everyone is refunded in full.":
        "اگر تا %(date)s تمام مبلغ هدف جذب نشود، تمام مبلغ همه حامیان بازگردانده می‌شود.",
    "Skip to content": "رفتن به محتوا", "Main": "اصلی", "Browse": "مرور پروژه‌ها", "My pledges": "حمایت‌های من",
    "My campaigns": "پروژه‌های من", "Log out": "خروج", "Log in": "ورود", "Sign up": "ثبت‌نام", "Language": "زبان",
    "Change": "تغییر", "civicfund: civic crowdfunding for citizens, owners and cities.":
        "سیویک‌فاند: تأمین مالی جمعی شهروندی برای شهروندان، مجریان و شهرها.",
    "%(title)s did not reach its funding target by the deadline. Every backer is refunded in full, with no fee deducted.":
        "پروژه‌ی %(title)s تا پایان مهلت به هدف خود نرسید. تمام مبلغ همه حامیان بدون کسر کارمزد بازگردانده می‌شود.",
    "Raised": "جذب‌شده", "%(title)s did not reach its target": "پروژه‌ی %(title)s به هدف نرسید",
    "Good news: %(title)s reached its funding target.": "خبر خوب: پروژه‌ی %(title)s به هدف مالی خود رسید.",
    "%(title)s is funded": "پروژه‌ی %(title)s تأمین شد", "Thank you for backing %(title)s.": "از حمایت شما از %(title)s سپاسگزاریم.",
    "Status": "وضعیت", "Date": "تاریخ", "Pledge number": "شماره حمایت", "Your receipt": "رسید شما",
    "Receipt: your pledge to %(title)s": "رسید حمایت شما از %(title)s",
    "Your pledge to %(title)s has been refunded in full.": "تمام مبلغ حمایت شما از %(title)s بازگردانده شد.",
    "Your pledges and wallet": "حمایت‌ها و کیف پول شما", "Refund of your pledge to %(title)s": "بازپرداخت حمایت شما از %(title)s",
    "The final report of %(title)s has been approved and is now public.": "صورت وضعیت نهایی %(title)s تأیید و منتشر شد.",
    "Final report of %(title)s approved": "صورت وضعیت نهایی %(title)s تأیید شد", "News from %(title)s": "خبر تازه از %(title)s",
    "Wallet": "کیف پول", "Balance": "موجودی", "Your wallet is empty.": "کیف پول شما خالی است.",
    "Wallet history": "گردش کیف پول", "What": "شرح", "Campaign": "پروژه", "Pledges": "حمایت‌ها",
    "You have not backed any campaign yet.": "هنوز از هیچ پروژه‌ای حمایت نکرده‌اید.", "Browse campaigns": "مرور پروژه‌ها",
    "Back this campaign": "حمایت از این پروژه", "Steps": "مراحل", "Choose": "انتخاب", "Confirm and pay": "تأیید و پرداخت",
    "Receipt": "رسید", "Continue": "ادامه", "Pay %(amount)s": "پرداخت %(amount)s",
    "Thank you for backing %(title)s. A receipt has been e-mailed to you.": "از حمایت شما از %(title)s سپاسگزاریم. رسید برایتان ایمیل شد.",
    "Paid with": "روش پرداخت", "Cancel this pledge? The money comes back to you in full.": "این حمایت لغو شود؟ تمام مبلغ به شما بازمی‌گردد.",
    "Cancel this pledge": "لغو این حمایت", "All my pledges and my wallet": "همه حمایت‌ها و کیف پول من", "of": "از",
    "%(n)s backer": ("%(n)s حامی", "%(n)s حامی"), "%(p)s%% funded": "%(p)s٪ تأمین‌شده", "threshold %(t)s%%": "حد نصاب %(t)s٪",
    "Show": "نمایش", "%(n)s campaign": ("%(n)s پروژه", "%(n)s پروژه"), "No campaign matches.": "پروژه‌ای یافت نشد.",
    "Pages": "صفحه‌ها", "Previous": "قبلی", "Page %(n)s of %(total)s": "صفحه %(n)s از %(total)s", "Next": "بعدی", "by": "مجری:",
    "Final report": "صورت وضعیت نهایی", "Approved on": "تأییدشده در", "Spending": "هزینه‌ها", "Item": "مورد",
    "Updates": "اخبار پروژه", "No updates yet.": "هنوز خبری منتشر نشده است.", "Backers": "حامیان", "Rewards": "پاداش‌ها",
    "Sold out": "تمام شد", "%(n)s of %(total)s left": "%(n)s از %(total)s باقی مانده", "Choose this reward": "انتخاب این پاداش",
    "Civic crowdfunding": "تأمین مالی جمعی شهروندی",
    "Back projects in your city and your culture, follow what they do with the money, and get your money back in full if they do not reach their target.":
        "از پروژه‌های شهر و فرهنگ خود حمایت کنید، کار انجام‌شده با پول را دنبال کنید و اگر پروژه به هدف نرسد، تمام مبلغ را پس بگیرید.",
    "Platforms": "سکوها", "Browse all campaigns": "مرور همه پروژه‌ها", "Public page": "صفحه عمومی",
    "Sent back by the reviewers": "بازگردانده‌شده توسط بررسی‌کنندگان",
    "Your campaign is waiting for review by the platform's staff.": "پروژه‌ی شما در انتظار بررسی کارشناسان سکو است.",
    "Finish your draft": "پیش‌نویس را کامل کنید", "Story and terms": "شرح و شرایط", "Submit for review": "ارسال برای بررسی",
    "Story preview": "پیش‌نمایش شرح", "No rewards yet.": "هنوز پاداشی تعریف نشده است.", "Add a reward": "افزودن پاداش",
    "Add the reward": "افزودن پاداش", "Post the update": "انتشار خبر", "Fulfilment": "ارسال پاداش‌ها",
    "Download backers and rewards (CSV)": "دریافت فهرست حامیان و پاداش‌ها (CSV)", "Payouts": "پرداخت‌ها به مجری",
    "Collected": "جمع‌آوری‌شده", "Platform fee": "کارمزد سکو", "due": "سررسید",
    "Held until the final report is approved": "نگه‌داشته تا تأیید صورت وضعیت نهایی", "Payout": "پرداخت", "Due": "سررسید",
    "Payouts are scheduled when the campaign is funded.": "پرداخت‌ها پس از تأمین پروژه زمان‌بندی می‌شوند.",
    "This campaign was not funded: its backers are refunded and there is no payout.":
        "این پروژه تأمین مالی نشد: مبلغ حامیان بازگردانده می‌شود و پرداختی به مجری انجام نمی‌شود.",
    "Approved": "تأییدشده", "Rejected": "ردشده", "Waiting for review": "در انتظار بررسی",
    "Submit the final report": "ارسال صورت وضعیت نهایی",
    "You can file the final report once the first payout has been paid.": "پس از انجام پرداخت اول می‌توانید صورت وضعیت نهایی را ارسال کنید.",
    "Edit the draft": "ویرایش پیش‌نویس", "Start a campaign": "ایجاد پروژه", "Platform: %(name)s.": "سکو: %(name)s.",
    "Times are in the platform's time zone": "زمان‌ها به وقت سکو هستند", "Save the draft": "ذخیره پیش‌نویس",
    "You have no campaign yet.": "هنوز پروژه‌ای ندارید.", "On %(name)s": "در %(name)s", "Funded campaigns": "پروژه‌های تأمین‌شده",
    "Featured": "پروژه‌های برگزیده", "No live campaigns yet.": "هنوز پروژه‌ی فعالی نیست.", "Categories": "دسته‌بندی‌ها",
    # Campaign pictures and dates typed in the page's calendar (issue 4).
    "Enter a date and time like %(example)s.": "تاریخ و ساعت را مانند %(example)s وارد کنید.",
    "There is no such date or time: %(text)s.": "چنین تاریخ یا ساعتی وجود ندارد: %(text)s.",
    "There is no %(time)s on %(date)s in %(zone)s: the clocks go forward then. Choose another time, such as %(instead)s.":
        "ساعت %(time)s در روز %(date)s در منطقه‌ی زمانی %(zone)s وجود ندارد: در آن ساعت، ساعت‌ها جلو کشیده می‌شوند. زمان دیگری انتخاب کنید، مثلاً %(instead)s.",
    "%(time)s on %(date)s happens twice in %(zone)s, as the clocks go back: it was taken as the first (%(this)s), not the second (%(other)s).":
        "ساعت %(time)s در روز %(date)s در منطقه‌ی زمانی %(zone)s دو بار می‌آید، چون ساعت‌ها عقب کشیده می‌شوند: نخستین آن (%(this)s) در نظر گرفته شد، نه دومی (%(other)s).",
    "%(time)s on %(date)s happens twice in %(zone)s, as the clocks go back: it was taken as the second (%(this)s), not the first (%(other)s).":
        "ساعت %(time)s در روز %(date)s در منطقه‌ی زمانی %(zone)s دو بار می‌آید، چون ساعت‌ها عقب کشیده می‌شوند: دومین آن (%(this)s) در نظر گرفته شد، نه نخستین (%(other)s).",
    "Solar Hijri (Jalali) date and time, like ۱۴۰۴/۰۵/۲۰ ۱۸:۰۰.": "تاریخ و ساعت شمسی، مانند ۱۴۰۴/۰۵/۲۰ ۱۸:۰۰.",
    "Date and time, like 2025-08-11 18:00.": "تاریخ و ساعت میلادی، مانند 2025-08-11 18:00.",
    "Upload a picture in JPEG, PNG, WebP or GIF format; this file is not one.":
        "تصویری با قالب JPEG، PNG، WebP یا GIF بارگذاری کنید؛ این پرونده تصویر نیست.",
    "The picture is too large: at most 5 MB.": "حجم تصویر زیاد است: حداکثر ۵ مگابایت.",
    "The picture has too many pixels: at most 40 megapixels.": "ابعاد تصویر بیش از حد بزرگ است: حداکثر ۴۰ مگاپیکسل.",
    "Picture": "تصویر", "JPEG, PNG, WebP or GIF, at most 5 MB.": "JPEG، PNG، WebP یا GIF، حداکثر ۵ مگابایت.",
    "What the picture shows": "توضیح تصویر",
    "Read out to people who cannot see the picture.": "برای کسانی که تصویر را نمی‌بینند خوانده می‌شود.",
    "Start": "شروع", "Empty: as soon as the campaign is approved.": "خالی: بلافاصله پس از تأیید پروژه.",
    "The deadline must come after the start.": "مهلت باید پس از زمان شروع باشد.",
    "Describe the picture in a few words, for people who cannot see it.":
        "تصویر را در چند کلمه برای کسانی که آن را نمی‌بینند توصیف کنید.",
    "Pledged on": "تاریخ حمایت",
    # Stripe: the confirm/retry payment page, the Checkout return and cancel, Connect.
    "Complete your pledge": "تکمیل حمایت", "Complete your pledge to %(title)s": "تکمیل حمایت شما از %(title)s",
    "Thank you: your pledge of %(amount)s is paid.": "سپاس‌گزاریم: حمایت %(amount)s شما پرداخت شد.",
    "Your bank asks you to confirm this payment (3-D Secure).":
        "بانک شما تأیید این پرداخت را از شما خواسته است (3-D Secure).",
    "Confirm %(amount)s before %(until)s, or your pledge is cancelled and its reward released.":
        "پرداخت %(amount)s را پیش از %(until)s تأیید کنید، وگرنه حمایت شما لغو و پاداش آن آزاد می‌شود.",
    "Your bank asks you to confirm this payment. Confirm it before %(until)s, or your pledge is cancelled and its reward released.":
        "بانک شما تأیید این پرداخت را از شما خواسته است. آن را پیش از %(until)s تأیید کنید، وگرنه حمایت شما لغو و پاداش آن آزاد می‌شود.",
    "%(title)s reached its goal, but we could not charge your card.":
        "پروژه‌ی %(title)s به هدف خود رسید، اما برداشت از کارت شما ممکن نشد.",
    "Pay %(amount)s before %(until)s, or your pledge and its reward are dropped.":
        "مبلغ %(amount)s را پیش از %(until)s پرداخت کنید، وگرنه حمایت شما و پاداش آن حذف می‌شود.",
    "Confirm %(amount)s with my bank": "تأیید پرداخت %(amount)s نزد بانک من",
    "Or pay with another card": "یا با کارت دیگری پرداخت کنید",
    "This pledge can no longer be paid (%(status)s).": "این حمایت دیگر قابل پرداخت نیست (%(status)s).",
    "This pledge can no longer be paid.": "این حمایت دیگر قابل پرداخت نیست.",
    "Charge failed: you may still pay": "برداشت انجام نشد؛ هنوز می‌توانید پرداخت کنید",
    "Confirm the payment": "تأیید پرداخت",
    "Please confirm your payment: your pledge to %(title)s": "لطفاً پرداخت خود را تأیید کنید: حمایت شما از %(title)s",
    "You enter your card on Stripe's secure payment page next; then you come back here for your receipt.":
        "در گام بعد کارت خود را در صفحه‌ی پرداخت امن Stripe وارد می‌کنید؛ سپس برای دریافت رسید به اینجا بازمی‌گردید.",
    "Stripe has not confirmed your card yet: your pledge is pending until it does.":
        "Stripe هنوز کارت شما را تأیید نکرده است؛ تا آن زمان حمایت شما در انتظار می‌ماند.",
    "Your card was declined; nothing was charged.": "کارت شما پذیرفته نشد؛ مبلغی برداشت نشد.",
    "Your card could not be saved; nothing was charged.": "کارت شما ثبت نشد؛ مبلغی برداشت نشد.",
    "You left Stripe's card page: your pledge was not made and nothing was charged.":
        "از صفحه‌ی کارت Stripe خارج شدید؛ حمایت شما ثبت نشد و مبلغی برداشت نشد.",
    "Stripe did not answer: the pledge you left is cancelled within half an hour.":
        "Stripe پاسخ نداد؛ حمایتی که نیمه‌کاره رها کردید ظرف نیم ساعت لغو می‌شود.",
    "Your payouts are sent to your Stripe account.": "پرداخت‌های شما به حساب Stripe شما واریز می‌شود.",
    "Your Stripe account is not ready to receive payouts yet; your payouts wait until it is.":
        "حساب Stripe شما هنوز آماده‌ی دریافت پرداخت نیست؛ پرداخت‌های شما تا آماده شدن آن منتظر می‌مانند.",
    "Continue setting up your Stripe account": "ادامه‌ی راه‌اندازی حساب Stripe",
    "Connect a Stripe account to receive your payouts by Stripe transfer; without one you are paid by bank transfer.":
        "برای دریافت پرداخت‌ها از طریق Stripe یک حساب Stripe متصل کنید؛ در غیر این صورت پرداخت‌ها با حواله‌ی بانکی انجام می‌شود.",
    "Connect a Stripe account": "اتصال حساب Stripe",
    "Your Stripe account is connected: your payouts are sent to it.":
        "حساب Stripe شما متصل شد؛ پرداخت‌های شما به این حساب واریز می‌شود.",
    "Stripe has not finished setting up your account yet; your payouts wait until it has. You can continue the set-up from your campaign page.":
        "راه‌اندازی حساب شما در Stripe هنوز تمام نشده است؛ پرداخت‌های شما تا پایان آن منتظر می‌مانند. می‌توانید راه‌اندازی را از صفحه‌ی پروژه‌تان ادامه دهید.",
    "Stripe did not answer. Please try again in a moment: you will not be charged twice.":
        "Stripe پاسخ نداد. لطفاً کمی بعد دوباره امتحان کنید؛ مبلغی دو بار از شما برداشت نمی‌شود.",
    "Stripe did not answer; your account's state is updated when it does.":
        "Stripe پاسخ نداد؛ وضعیت حساب شما پس از پاسخ آن به‌روز می‌شود.",
    # Cancelling a pledge whose payment waits for the bank; Stripe objects gone (404); the retry e-mail.
    "Your pledge is cancelled; nothing was charged.": "حمایت شما لغو شد؛ مبلغی برداشت نشد.",
    "Cancel this pledge? Nothing is charged and its reward is released.":
        "این حمایت لغو شود؟ مبلغی برداشت نمی‌شود و پاداش آن آزاد می‌شود.",
    "Your bank confirmed this payment before it could be cancelled: your pledge is paid. While the campaign is live you can still cancel it; the money then comes back to you in full.":
        "بانک شما پیش از لغو، این پرداخت را تأیید کرد؛ حمایت شما پرداخت شده است. تا وقتی پروژه در حال جذب حمایت است همچنان می‌توانید آن را لغو کنید؛ در این صورت تمام مبلغ به شما بازمی‌گردد.",
    "Stripe did not answer: your pledge is not cancelled yet. Please try again in a moment.":
        "Stripe پاسخ نداد؛ حمایت شما هنوز لغو نشده است. لطفاً کمی بعد دوباره امتحان کنید.",
    "Stripe could not find this payment, so it cannot be confirmed with your bank. You can pay with another card below; otherwise your pledge ends when its time runs out, and nothing is charged.":
        "Stripe این پرداخت را پیدا نکرد، بنابراین تأیید آن نزد بانک شما ممکن نیست. می‌توانید در پایین با کارت دیگری پرداخت کنید؛ در غیر این صورت حمایت شما با پایان مهلتش به پایان می‌رسد و مبلغی برداشت نمی‌شود.",
    "Stripe could not find this payment: nothing is charged, and your pledge ends shortly.":
        "Stripe این پرداخت را پیدا نکرد؛ مبلغی برداشت نمی‌شود و حمایت شما به‌زودی به پایان می‌رسد.",
    "Stripe could not find your card page, so your card could not be checked. Your pledge stays pending for now: unless Stripe confirms your card, it is cancelled within half an hour and nothing is charged.":
        "Stripe صفحه‌ی کارت شما را پیدا نکرد، بنابراین بررسی کارت شما ممکن نشد. حمایت شما فعلاً در انتظار می‌ماند: اگر Stripe کارت شما را تأیید نکند، ظرف نیم ساعت لغو می‌شود و مبلغی برداشت نمی‌شود.",
    "Your pledge to %(title)s: please complete your payment": "حمایت شما از %(title)s: لطفاً پرداخت خود را تکمیل کنید",
    "Confirm the payment with your bank, or pay with another card":
        "پرداخت را نزد بانک خود تأیید کنید یا با کارت دیگری بپردازید",
    # API token authentication (civicfund/api_auth.py; DRF's own wording)
    "Invalid token.": "توکن نامعتبر است.",
    "User inactive or deleted.": "کاربر غیرفعال است یا حذف شده است.",
    # After the deadline: what happened (projects/templatetags/civic.py funding_rule)
    "By %(date)s this campaign had raised at least %(pct)s%% of its goal, so it was funded.":
        "این پروژه تا %(date)s دست‌کم %(pct)s٪ از مبلغ هدف خود را جذب کرد و تأمین مالی شد.",
    "By %(date)s this campaign had raised its whole goal, so it was funded.":
        "این پروژه تا %(date)s تمام مبلغ هدف خود را جذب کرد و تأمین مالی شد.",
    "By %(date)s this campaign had raised less than %(pct)s%% of its goal, so it was not funded and everyone was refunded in full.":
        "این پروژه تا %(date)s کمتر از %(pct)s٪ از مبلغ هدف خود را جذب کرد و تأمین مالی نشد؛ تمام مبلغ همه حامیان بازگردانده شد.",
    "By %(date)s this campaign had not raised its whole goal, so it was not funded and everyone was refunded in full.":
        "این پروژه تا %(date)s تمام مبلغ هدف خود را جذب نکرد و تأمین مالی نشد؛ تمام مبلغ همه حامیان بازگردانده شد.",
    "By %(date)s this campaign had raised less than %(pct)s%% of its goal, so it was not funded; everyone is being refunded in full.":
        "این پروژه تا %(date)s کمتر از %(pct)s٪ از مبلغ هدف خود را جذب کرد و تأمین مالی نشد؛ بازپرداخت تمام مبلغ همه حامیان در جریان است.",
    "By %(date)s this campaign had not raised its whole goal, so it was not funded; everyone is being refunded in full.":
        "این پروژه تا %(date)s تمام مبلغ هدف خود را جذب نکرد و تأمین مالی نشد؛ بازپرداخت تمام مبلغ همه حامیان در جریان است.",
    "This campaign ended on %(date)s; its result will be announced shortly.":
        "مهلت این پروژه در %(date)s به پایان رسید؛ نتیجه‌ی آن به‌زودی اعلام می‌شود.",
    "Good news: %(title)s reached its threshold of %(pct)s%% of its goal and is funded.":
        "خبر خوب: پروژه‌ی %(title)s به حد نصاب %(pct)s٪ مبلغ هدف خود رسید و تأمین مالی شد.",
    "%(title)s did not reach its threshold of %(pct)s%% of its goal by the deadline. Every backer is refunded in full, with no fee deducted.":
        "پروژه‌ی %(title)s تا پایان مهلت به حد نصاب %(pct)s٪ مبلغ هدف خود نرسید. تمام مبلغ همه حامیان بدون کسر کارمزد بازگردانده می‌شود.",
    # Refused moves and cancellations (projects/models.py ALREADY_DONE, STATE_WORDS, MOVE_WORDS; pledges/services.py)
    "This campaign is already a draft.": "این پروژه هم‌اکنون پیش‌نویس است.",
    "This campaign has already been submitted for review.": "این پروژه پیش‌تر برای بررسی ارسال شده است.",
    "This campaign is already live.": "این پروژه پیش‌تر تأیید شده و در حال جذب حمایت است.",
    "This campaign has already been closed as funded.": "این پروژه پیش‌تر به‌عنوان تأمین‌شده بسته شده است.",
    "This campaign has already been closed as not funded.": "این پروژه پیش‌تر به‌عنوان تأمین‌نشده بسته شده است.",
    "This campaign's backers are already being refunded.": "بازپرداخت به حامیان این پروژه پیش‌تر آغاز شده است.",
    "This campaign's backers have already been refunded.": "مبلغ حامیان این پروژه پیش‌تر بازپرداخت شده است.",
    "This campaign's first payout has already been paid.": "پرداخت اول این پروژه پیش‌تر انجام شده است.",
    "This campaign's final report has already been submitted.": "صورت وضعیت نهایی این پروژه پیش‌تر ارسال شده است.",
    "This campaign's final report has already been rejected.": "صورت وضعیت نهایی این پروژه پیش‌تر رد شده است.",
    "This campaign is already completed.": "این پروژه پیش‌تر تکمیل شده است.",
    "This campaign is %(state)s, so it cannot %(move)s.": "این پروژه %(state)s است و نمی‌تواند %(move)s.",
    "a draft": "پیش‌نویس", "waiting for review": "در انتظار بررسی", "live": "در حال جذب حمایت",
    "funded": "تأمین‌شده", "not funded": "تأمین‌نشده", "refunding its backers": "در حال بازپرداخت به حامیان",
    "closed and its backers refunded": "بسته‌شده و مبلغ حامیانش بازپرداخت‌شده",
    "funded and its first payout paid": "تأمین‌شده و پرداخت اول آن انجام‌شده",
    "waiting for its final report to be reviewed": "در انتظار بررسی صورت وضعیت نهایی",
    "waiting for a revised final report": "در انتظار صورت وضعیت نهایی اصلاح‌شده", "completed": "تکمیل‌شده",
    "go back to its owner as a draft": "به‌صورت پیش‌نویس به مجری بازگردانده شود",
    "be submitted for review": "برای بررسی ارسال شود", "be approved": "تأیید شود",
    "be closed as funded": "به‌عنوان تأمین‌شده بسته شود", "be closed as not funded": "به‌عنوان تأمین‌نشده بسته شود",
    "start refunding its backers": "بازپرداخت به حامیان را آغاز کند", "be marked as refunded": "بازپرداخت‌شده اعلام شود",
    "have its first payout paid": "پرداخت اول خود را دریافت کند", "take a final report": "صورت وضعیت نهایی بپذیرد",
    "have its final report rejected": "صورت وضعیت نهایی‌اش رد شود", "be completed": "تکمیل شود",
    "This pledge has already been cancelled.": "این حمایت پیش‌تر لغو شده است.",
    "This pledge is already being refunded.": "این حمایت هم‌اکنون در حال بازپرداخت است.",
    "This pledge has already been refunded.": "مبلغ این حمایت پیش‌تر بازپرداخت شده است.",
    "This pledge's payment was declined: there is nothing to cancel.": "پرداخت این حمایت رد شد؛ چیزی برای لغو وجود ندارد.",
    "This pledge has already ended: the campaign was not funded and the card was never charged.":
        "این حمایت پیش‌تر پایان یافته است: پروژه تأمین مالی نشد و مبلغی از کارت برداشت نشد.",
    "This pledge has already ended: its payment failed after the campaign was funded.":
        "این حمایت پیش‌تر پایان یافته است: پرداخت آن پس از تأمین مالی پروژه ناموفق بود.",
    # allauth's and Django's account pages, formal and in Persian digits (civicfund/account_wording.py)
    "If you have not created an account yet, then please %(link)ssign up%(end_link)s first.":
        "اگر هنوز حساب کاربری ندارید، لطفاً نخست %(link)sثبت‌نام%(end_link)s کنید.",
    "Already have an account? Then please %(link)ssign in%(end_link)s.":
        "حساب کاربری دارید؟ لطفاً %(link)sوارد شوید%(end_link)s.",
    "Sign Up": "ثبت‌نام",
    # allauth's login field is a username or an e-mail ("Login" in the "field label" context).
    "Login": "نام کاربری یا ایمیل",
    "We have sent you an email. If you have not received it please check your spam folder. Otherwise contact us if you do not receive it in a few minutes.":
        "ایمیلی برایتان فرستادیم. اگر آن را نمی‌بینید، لطفاً پوشه‌ی هرزنامه را هم ببینید؛ اگر تا چند دقیقه‌ی دیگر نرسید، با ما تماس بگیرید.",
    "Hello from %(site_name)s!": "سلام از %(site_name)s!",
    "civicfund": "سیویک‌فاند",
    "Thank you for using %(site_name)s!\n%(site_domain)s": "از اینکه از %(site_name)s استفاده می‌کنید سپاسگزاریم!\n%(site_domain)s",
    "Forgot your password?": "گذرواژه خود را فراموش کرده‌اید؟", "Forgot Password?": "گذرواژه خود را فراموش کرده‌اید؟",
    "Please contact us if you have any trouble resetting your password.":
        "اگر در بازنشانی گذرواژه با مشکلی روبه‌رو شدید، لطفاً با ما تماس بگیرید.",
    "You must type the same password each time.": "گذرواژه را هر دو بار یکسان وارد کنید.",
    "Please type your current password.": "لطفاً گذرواژه کنونی خود را وارد کنید.",
    "Your password is now changed.": "گذرواژه شما تغییر کرد.",
    "Are you sure you want to sign out?": "آیا مطمئن هستید که می‌خواهید از حساب خود خارج شوید؟",
    "Confirmation email sent to %(email)s.": "ایمیل تأیید به %(email)s فرستاده شد.",
    "In case you forgot, your username is %(username)s.": "در صورتی که فراموش کرده‌اید، نام کاربری شما %(username)s است.",
    "The following email addresses are associated with your account:": "نشانی‌های ایمیل زیر به حساب شما متصل است:",
    "Do you really want to remove the selected email address?": "آیا واقعاً می‌خواهید نشانی ایمیل انتخاب‌شده را حذف کنید؟",
    "You cannot remove your primary email address (%(email)s).": "نمی‌توانید نشانی ایمیل اصلی خود (%(email)s) را حذف کنید.",
    "Your password can’t be too similar to your other personal information.":
        "گذرواژه شما نباید به دیگر اطلاعات شخصی‌تان شبیه باشد.",
    "Your password can’t be a commonly used password.": "گذرواژه شما نباید از گذرواژه‌های رایج باشد.",
    "Your password can’t be entirely numeric.": "گذرواژه شما نباید فقط از عدد تشکیل شده باشد.",
    "This password is too common.": "این گذرواژه بیش از حد رایج است.",
    "This password is entirely numeric.": "این گذرواژه فقط از عدد تشکیل شده است.",
    "Your password must contain at least %(min_length)d character.":
        ("گذرواژه شما باید دست‌کم %(min_length)d نویسه داشته باشد.", "گذرواژه شما باید دست‌کم %(min_length)d نویسه داشته باشد."),
    "This password is too short. It must contain at least %d character.":
        ("این گذرواژه بیش از حد کوتاه است و باید دست‌کم %d نویسه داشته باشد.",
         "این گذرواژه بیش از حد کوتاه است و باید دست‌کم %d نویسه داشته باشد."),
}
