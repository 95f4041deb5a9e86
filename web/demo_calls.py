"""Demo open call for `./run`: on the civic portal, Riverside Council (verified; found or made by its slug,
so the demo's other partners — its linear pot — add to the same organisation) runs an open call with a
quadratic round. Two projects were approved by the council's reviewer and by the platform, and have
backers; one application is shortlisted, one declined with its public reason. The round's pot closes a
few minutes after the start, so a visitor sees the beat-scheduled round share it out on the call's page.

Sign in as `council-reviewer` (password the same) to see the reviewers' screen."""

from __future__ import annotations

import datetime as dt

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from partners.models import Call, MemberRole, Membership, Organisation, OrganisationKind
from partners.services import calls as call_services
from partners.services import organisations as org_services
from partners.services import pots as pot_services
from platforms.models import Platform
from pledges.services import pledge_create
from projects import services as campaign_services

COUNCIL_SLUG = "riverside-council"
CALL_TITLE = "Riverside neighbourhood ideas 2026"
CARD = "4242424242424242"


def _user(username: str):
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.org"}
    )
    if created:
        user.set_password(username)
        user.save()
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    return user


def council_of(civic: Platform, staff) -> Organisation:
    council, _created = Organisation.objects.get_or_create(
        platform=civic,
        slug=COUNCIL_SLUG,
        defaults={
            "name": "Riverside Council",
            "kind": OrganisationKind.PUBLIC_BODY,
            "description": "The local authority of the Riverside wards. It matches citizens' pledges to local "
            "projects and runs open calls for neighbourhood ideas.",
            "website": "https://riverside.example.org",
        },
    )
    if not council.is_verified:
        council = org_services.organisation_verify(organisation=council, staff=staff)
    return council


def _draft(owner, civic: Platform, *, title: str, story: str, goal: int, deadline: dt.datetime):
    return campaign_services.campaign_create(
        owner=owner,
        platform=civic,
        category=civic.categories.all()[0],
        title=title,
        story=story,
        goal=goal,
        deadline=deadline,
        funding_model="all_or_nothing",
        area=civic.areas.get(slug="riverside"),
    )


def calls_demo_load(users: dict, *, round_minutes: int = 5) -> Call | None:
    """The council's open call with its quadratic pot (£10,000 paid in, no project above 25%), its
    applications and decisions, pledges to its live projects. Once: a second load changes nothing."""
    civic = Platform.objects.get(slug="civic")
    staff, owner = users["admin"], users["owner"]
    council = council_of(civic, staff)
    if Call.objects.filter(organisation=council, title=CALL_TITLE).exists():
        return None
    admin, reviewer = _user("council"), _user("council-reviewer")
    Membership.objects.get_or_create(organisation=council, user=admin, defaults={"role": MemberRole.ADMIN})
    Membership.objects.get_or_create(organisation=council, user=reviewer, defaults={"role": MemberRole.REVIEWER})
    now = timezone.now()
    closes = now + dt.timedelta(minutes=round_minutes)
    pot = pot_services.pot_create(
        organisation=council,
        user=admin,
        name="Neighbourhood ideas round",
        budget=1_000_000,
        opens_at=now - dt.timedelta(days=7),
        closes_at=closes,
        rule="quadratic",
        cap_percent=25,
    )
    pot_services.pot_pay_in(pot=pot, staff=staff, amount=1_000_000, reference="BACS-RC-2026-QF1")
    call = call_services.call_create(
        organisation=council,
        user=admin,
        title=CALL_TITLE,
        theme="Small projects that make the wards greener, safer and friendlier",
        description="Riverside Council invites residents' projects for the wards: planting, play, safe routes, "
        "places to meet. Approved projects share the **£10,000** round by quadratic funding: the more "
        "neighbours back a project, the larger its share, so many small pledges count for more than one "
        "large one.",
        criteria="- Backed by neighbours in the ward\n- A plan to look after what is built\n- Value for money",
        applications_open_at=now - dt.timedelta(days=7),
        applications_close_at=closes - dt.timedelta(minutes=1),
        campaigns_deadline=now + dt.timedelta(days=45),
        pot=pot,
        areas=[civic.areas.get(slug="riverside")],
    )
    ideas = [
        ("Bee corridor along the towpath", "Wildflower strips and bee hotels along the towpath.", 400_000),
        ("Safe crossing at Station Road", "A painted school crossing with volunteer patrols.", 300_000),
        ("Riverside tool library", "Borrow a drill instead of buying one: a shed of shared tools.", 250_000),
        ("Late-night skate park lights", "Floodlights for the skate park until 10 pm.", 900_000),
    ]
    applications = []
    for title, story, goal in ideas:
        draft = _draft(owner, civic, title=title, story=story, goal=goal, deadline=call.campaigns_deadline)
        applications.append(call_services.application_submit(call=call, campaign=draft, user=owner))
    bees, crossing, tools, lights = applications
    for application, note in ((bees, "Strong support from two ward forums."), (crossing, "A clear safety case.")):
        call_services.application_approve(application=application, user=reviewer, note=note)
        campaign_services.campaign_approve(campaign=application.campaign, admin=staff)
    call_services.application_shortlist(application=tools, user=reviewer)
    call_services.application_decline(
        application=lights,
        user=reviewer,
        reason="Lighting the skate park is in the council's own parks budget for next year.",
    )
    backers = [users["backer"], users["backer2"], *(_user(f"neighbour{i}") for i in range(1, 5))]
    for backer, amount in zip(backers, (2_000, 1_500, 1_000, 1_000, 500, 500), strict=True):
        pledge_create(campaign_id=bees.campaign_id, backer=backer, amount=amount, card=CARD)
    pledge_create(campaign_id=crossing.campaign_id, backer=users["backer"], amount=20_000, card=CARD)
    pledge_create(campaign_id=crossing.campaign_id, backer=users["backer2"], amount=2_500, card=CARD)
    return call
