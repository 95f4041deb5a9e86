"""The users of bench/load_test.py (Locust): read it there. Not run on its own.

FastHttpUser (geventhttpclient) rather than HttpUser (requests): the clients share the 2-core machine with
the server, and the lighter client leaves more of it to the site being measured.

The world (campaigns, users, tokens) comes from the JSON file named by CIVICFUND_LOAD_WORLD; every
pledge the site says it took (a 201 from the API, a redirect to a receipt from the website) is written
to CIVICFUND_LOAD_TOLD when the run stops, for the books' check afterwards.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
import uuid

from locust import FastHttpUser, between, events, task

WORLD = json.loads(open(os.environ["CIVICFUND_LOAD_WORLD"]).read())  # noqa: SIM115
TOLD: list[dict] = []  # {"id", "key", "via"}: pledges the site said it took
SENT: list[str] = []  # every pledge request's key, written before it is sent
_told_lock = threading.Lock()
_backers = itertools.count()
_owners = itertools.count()
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
RECEIPT = re.compile(r"/pledges/(\d+)/$")
# Every request says it came through the TLS proxy production expects (SECURE_PROXY_SSL_HEADER).
PROXY = {"X-Forwarded-Proto": "https"}
CLOSED = ("campaign_closed", "campaign_not_live")  # refusals with a reason once a campaign closed


def _referer(user: FastHttpUser, path: str) -> dict[str, str]:
    """The Referer a browser sends on the HTTPS site (Django's CSRF check compares it on HTTPS)."""
    return {"Referer": "https://" + user.host.split("://", 1)[1] + path}


def _told(pledge_id: int, key: str, via: str) -> None:
    with _told_lock:
        TOLD.append({"id": pledge_id, "key": key, "via": via})


@events.test_stop.add_listener
def _write_told(**kwargs) -> None:
    with open(os.environ["CIVICFUND_LOAD_TOLD"], "w") as out:
        json.dump({"told": TOLD, "sent": SENT}, out)


def _hidden(html: str) -> dict[str, str]:
    return dict(HIDDEN.findall(html))


class Anonymous(FastHttpUser):
    """A visitor: the home page, browsing, a campaign's page, the API's campaign list."""

    weight = 6
    wait_time = between(1, 4)
    default_headers = PROXY

    @task(3)
    def home(self) -> None:
        self.client.get("/", name="home /")

    @task(3)
    def browse(self) -> None:
        self.client.get("/browse/", name="browse /browse/")

    @task(4)
    def campaign(self) -> None:
        c = random.choice(WORLD["campaigns"])
        self.client.get(f"/{c['platform']}/campaigns/{c['id']}/", name="campaign page")

    @task(1)
    def platform(self) -> None:
        c = random.choice(WORLD["campaigns"])
        self.client.get(f"/{c['platform']}/", name="platform page")

    @task(2)
    def api_list(self) -> None:
        self.client.get("/api/v1/campaigns/", name="API campaigns list")


class Backer(FastHttpUser):
    """A signed-in backer: pledges by card and from the wallet on the website, cancels some, reads
    its dashboard; and the same backer's API client (token) pledging from its wallet."""

    weight = 3
    wait_time = between(1, 4)
    default_headers = PROXY

    def on_start(self) -> None:
        self.me = WORLD["backers"][next(_backers) % len(WORLD["backers"])]
        self.mine: list[int] = []
        self.sign_in()

    def sign_in(self) -> None:
        page = self.client.get("/accounts/login/", name="sign-in page")
        form = {**_hidden(page.text), "login": self.me["username"], "password": WORLD["password"]}
        with self.client.post(
            "/accounts/login/",
            data=form,
            name="sign-in POST",
            allow_redirects=False,
            catch_response=True,
            headers=_referer(self, "/accounts/login/"),
        ) as r:
            if r.status_code != 302:
                r.failure(f"sign-in answered {r.status_code}")

    @task(1)
    def sign_out_and_in(self) -> None:
        page = self.client.get("/accounts/logout/", name="sign-out page")
        self.client.post(
            "/accounts/logout/",
            data=_hidden(page.text),
            name="sign-out POST",
            headers=_referer(self, "/accounts/logout/"),
        )
        self.sign_in()

    def _pledge_web(self, campaign: dict, source: str) -> None:
        path = f"/{campaign['platform']}/campaigns/{campaign['id']}/pledge/"
        page = self.client.get(path, name="pledge page")
        if 'name="amount"' not in page.text:
            return  # the campaign closed meanwhile: the page says so
        referer = _referer(self, path)
        choice = {**_hidden(page.text), "tier": "", "amount": str(campaign["amount_major"]), "source": source}
        confirm = self.client.post(path, data=choice, name="pledge choose POST", headers=referer)
        fields = _hidden(confirm.text)
        if "request_key" not in fields:
            return  # refused (closed meanwhile): the form says why
        pay = {**fields, "step": "pay"}
        SENT.append(fields["request_key"])
        if source == "card":
            pay["card"] = "4242 4242 4242 4242"
        name = f"pledge pay POST ({source})"
        with self.client.post(
            path, data=pay, name=name, allow_redirects=False, catch_response=True, headers=referer
        ) as r:
            found = RECEIPT.search(r.headers.get("Location", ""))
            if r.status_code == 302 and found:
                self.mine.append(int(found.group(1)))
                _told(int(found.group(1)), fields["request_key"], f"web-{source}")
            elif r.status_code != 200:  # 200: the form again, with the reason (e.g. closed meanwhile)
                r.failure(f"pledge answered {r.status_code}")

    @task(3)
    def pledge_by_card(self) -> None:
        self._pledge_web(random.choice(WORLD["card_campaigns"]), "card")

    @task(3)
    def pledge_from_wallet(self) -> None:
        self._pledge_web(random.choice(WORLD["wallet_campaigns"]), "wallet")

    @task(1)
    def cancel(self) -> None:
        if not self.mine:
            return
        pledge_id = self.mine.pop(random.randrange(len(self.mine)))
        page = self.client.get(f"/pledges/{pledge_id}/", name="receipt page")
        if f"/pledges/{pledge_id}/cancel/" not in page.text:
            return  # no longer cancellable (its campaign closed)
        self.client.post(
            f"/pledges/{pledge_id}/cancel/",
            data=_hidden(page.text),
            name="cancel POST",
            headers=_referer(self, f"/pledges/{pledge_id}/"),
        )

    @task(2)
    def dashboard(self) -> None:
        self.client.get("/me/", name="my pledges /me/")

    @task(3)
    def api_pledge(self) -> None:
        c = random.choice(WORLD["wallet_campaigns"])
        key = uuid.uuid4().hex
        SENT.append(key)
        with self.client.post(
            f"/api/v1/campaigns/{c['id']}/pledges/",
            json={"amount": c["amount"], "source": "wallet"},
            headers={"Authorization": f"Token {self.me['token']}", "Idempotency-Key": key},
            name="API pledge POST",
            catch_response=True,
        ) as r:
            if r.status_code == 201:
                _told(r.json()["id"], key, "api")
            elif r.status_code == 422 and r.json().get("code") in CLOSED:
                r.success()  # refused with a reason: the campaign closed underneath
            elif r.status_code >= 400:
                r.failure(f"API pledge answered {r.status_code}: {r.text[:200]}")

    @task(1)
    def api_my_pledges(self) -> None:
        self.client.get(
            "/api/v1/pledges/", headers={"Authorization": f"Token {self.me['token']}"}, name="API my pledges"
        )


class Owner(FastHttpUser):
    """A campaign's owner: its management page, and now and then an update to its backers."""

    weight = 1
    wait_time = between(3, 8)
    default_headers = PROXY

    def on_start(self) -> None:
        self.me = WORLD["owners"][next(_owners) % len(WORLD["owners"])]
        page = self.client.get("/accounts/login/", name="sign-in page")
        form = {**_hidden(page.text), "login": self.me["username"], "password": WORLD["password"]}
        self.client.post("/accounts/login/", data=form, name="sign-in POST", headers=_referer(self, "/accounts/login/"))

    @task(4)
    def manage(self) -> None:
        self.client.get(f"/me/campaigns/{self.me['campaign']}/", name="owner campaign page")

    @task(1)
    def update(self) -> None:
        path = f"/me/campaigns/{self.me['campaign']}/"
        page = self.client.get(path, name="owner campaign page")
        form = {
            "csrfmiddlewaretoken": _hidden(page.text).get("csrfmiddlewaretoken", ""),
            "title": "News from the site",
            "body": "The work goes on; thank you.",
            "request_key": uuid.uuid4().hex,
        }
        self.client.post(f"{path}updates/", data=form, name="owner update POST", headers=_referer(self, path))
