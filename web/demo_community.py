"""Demo questions and followers (community): the civic garden and the Persian street-theatre festival each
get a few questions, one answered by the owner and one hidden with its reason, and some followers."""

from __future__ import annotations

from community.services import follow_set, question_answer, question_ask, question_hide, question_report
from projects.models import Campaign


def demo_community_load(users: dict, *, english: Campaign, persian: Campaign) -> None:
    owner = users["owner"]
    english, persian = (Campaign.objects.select_related("platform").get(pk=c.pk) for c in (english, persian))
    for campaign, lines in (
        (
            english,
            [
                ("backer", "Which fruit trees will you plant, and who waters them in August?"),
                ("backer2", "Can the primary school use a bed for its science classes?"),
                ("council-reviewer", "BUY CHEAP GARDEN FURNITURE at www.spam.example"),
            ],
        ),
        (
            persian,
            [
                ("backer", "اجراها در کدام میدان‌ها برگزار می‌شود؟ ساعت شروع چند است؟"),
                ("backer2", "آیا برای کودکان هم برنامه‌ای دارید؟"),
                ("council-reviewer", "فروش ارزان بلیت در www.spam.example"),
            ],
        ),
    ):
        asked = [question_ask(campaign=campaign, user=users[name], body=body) for name, body in lines]
        answer = (
            "Apples, pears and plums; neighbours on a rota water them, and the council's tap is free."
            if campaign is english
            else "در میدان‌های امام حسین، تجریش و هفت تیر، هر شب ساعت ۲۰."
        )
        question_answer(question=asked[0], user=owner, answer=answer)
        question_report(question=asked[2], user=users["backer"], reason="spam")
        question_hide(question=asked[2], user=owner, reason="Advertising" if campaign is english else "تبلیغ")
        follow_set(user=users["council"], campaign=campaign, follow=True)
