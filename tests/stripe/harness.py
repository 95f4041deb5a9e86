"""A local Stripe for the tests: localstripe's aiohttp app served on 127.0.0.1 from a thread.

localstripe is a stateful fake Stripe server (Customers, PaymentMethods, SetupIntents, PaymentIntents,
Refunds, signed webhooks). Its command line binds every interface; here its `app` runs on loopback
only, on a free port, in a thread with its own event loop. Nothing is fetched from the internet.

What the harness adds around it, for what localstripe does not do:

- a request log (method, path, idempotency key, form data), so tests assert the keys we send;
- fault injection per route: `down` (503 before the request runs), `rate_limited` (429), `lost`
  (the request runs, then the answer is lost as a 500), to test outages and resumption;
- idempotency replay as Stripe does it (the first answer for a key is returned again), switchable
  off (`honour_keys = False`) to show that our own guards hold without it;
- a charge's `amount_refunded` without its failed refunds, as Stripe counts it;
- the events localstripe never sends (setup_intent.*, charge.refunded, refund.updated), and a real
  Stripe's 402 `authentication_required` for an off-session charge that needs 3-D Secure (localstripe
  answers `requires_action`), built from a recorded Stripe response;
- small routes serving recorded Stripe responses for Checkout Sessions (setup mode; `expires_at`
  checked against Stripe's bounds; expiring an open session), Connect Express accounts, account links
  and transfers, with the events they trigger; PaymentIntent cancels take Stripe's
  `cancellation_reason` and send `payment_intent.canceled`;
- a webhook inbox: localstripe signs and delivers events to it, and tests hand the raw, signed
  deliveries to Django's webhook view (in any order, any number of times);
- PaymentIntent listing as Stripe does it (localstripe refuses every filter): `created[gt|gte|lt|lte]`
  and `customer`, newest first, paged with `limit`/`starting_after`; and the Search API
  (`/v1/payment_intents/search`) for the clauses civicfund sends (`metadata['k']:'v'`, `created>=N`,
  `created<N`, ... joined by AND), paged with `page`/`next_page`.
"""

from __future__ import annotations

import asyncio
import copy
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

RECORDED = Path(__file__).with_name("recorded")


def recorded(name: str) -> dict:
    return json.loads((RECORDED / f"{name}.json").read_text())


@dataclass
class Fault:
    method: str
    path: str  # regular expression on the path
    mode: str  # down | rate_limited | lost
    times: int = 1
    after: int = 0  # let this many matching requests through first


class _Obj:
    """A harness-made Stripe object that localstripe's Event can carry."""

    def __init__(self, data: dict):
        self.data = data

    def _export(self, expand=None):
        return copy.deepcopy(self.data)


class LocalStripe:
    def __init__(self, webhook_secret: str = "whsec_civicfund_test"):
        self.webhook_secret = webhook_secret
        self.requests: list[dict] = []
        self.inbox: list[dict] = []
        self.faults: list[Fault] = []
        self.idempotent: dict[str, tuple[int, bytes]] = {}
        self.honour_keys = True
        self.real_auth_errors = True
        self.accounts: dict[str, dict] = {}
        self.transfers: dict[str, dict] = {}
        self.sessions: dict[str, dict] = {}
        self._overrides: dict[tuple[str, str], object] = {}  # (method, path) served here, not by localstripe
        self._lock = threading.Lock()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.port = 0

    # --- life cycle -----------------------------------------------------------------------------

    def start(self) -> None:
        from localstripe import resources, server

        resources.Store.dump_to_disk = lambda store: None  # no /tmp pickle shared between runs
        self._patch_localstripe(resources)
        app = server.app
        app.middlewares.insert(0, self._middleware)
        self._add_routes(app)
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="localstripe", daemon=True)
        self._thread.start()
        self._runner = web.AppRunner(app, access_log=None)
        self._run(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        self._run(site.start())
        self.port = site._server.sockets[0].getsockname()[1]
        self._run(self._register_webhook())

    def stop(self) -> None:
        if self.loop is None:
            return

        async def cancel_pending():  # webhook deliveries still sleeping
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        self._run(cancel_pending())
        self._run(self._runner.cleanup())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)
        self.loop.close()
        self.loop = None

    def _run(self, coro, timeout: float = 30):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _register_webhook(self):
        from localstripe.webhooks import register_webhook

        register_webhook("civicfund-tests", f"{self.base}/_config/harness-inbox", self.webhook_secret, None)

    def reset(self) -> None:
        from localstripe.resources import store

        async def clear():
            store.clear()

        self._run(clear())
        with self._lock:
            self.requests.clear()
            self.inbox.clear()
            self.faults.clear()
            self.idempotent.clear()
            self.accounts.clear()
            self.transfers.clear()
            self.sessions.clear()
        self.honour_keys = True
        self.real_auth_errors = True

    # --- what tests look at -----------------------------------------------------------------------

    def fault(self, method: str, path: str, mode: str, times: int = 1, after: int = 0) -> None:
        with self._lock:
            self.faults.append(Fault(method, path, mode, times, after))

    def calls(self, method: str, path: str) -> list[dict]:
        with self._lock:
            return [r for r in self.requests if r["method"] == method and re.fullmatch(path, r["path"])]

    def objects(self, kind: str) -> list:
        """localstripe's stored objects of one kind ("refund", "payment_intent", ...)."""
        from localstripe.resources import store

        async def read():
            return [v for k, v in list(store.items()) if k.startswith(kind + ":")]

        return self._run(read())

    def wait_events(self, *types: str, count: int = 1, timeout: float = 10.0) -> list[dict]:
        """Deliveries received so far of these event types, waiting until there are `count`."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                found = [d for d in self.inbox if not types or d["type"] in types]
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.05)

    def wait_event(self, type: str, about: str, timeout: float = 10.0) -> dict:
        """The first delivery of an event of `type` whose object mentions `about` (an id)."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                found = [d for d in self.inbox if d["type"] == type and about in d["body"].decode()]
            if found:
                return found[0]
            if time.monotonic() > deadline:
                raise AssertionError(f"no {type} event about {about} within {timeout}s")
            time.sleep(0.05)

    # --- harness actions standing for the backer / Stripe ----------------------------------------

    def emit(self, type: str, data: dict) -> None:
        """Have localstripe sign and deliver an event about a harness object."""
        from localstripe.resources import Event
        from localstripe.webhooks import schedule_webhook

        async def go():
            schedule_webhook(Event(type, _Obj(data)))

        self._run(go())

    def authenticate_setup(self, setup_intent_id: str) -> None:
        """The backer passes 3-D Secure for a card being saved (localstripe has no route for it)."""
        from localstripe.resources import Event, SetupIntent
        from localstripe.webhooks import schedule_webhook

        async def go():
            si = SetupIntent._api_retrieve(setup_intent_id)
            si.status, si.next_action = "succeeded", None
            schedule_webhook(Event("setup_intent.succeeded", si))

        self._run(go())

    def complete_checkout(self, session_id: str, payment_method_id: str) -> None:
        """The backer enters a card on Checkout's page: a SetupIntent succeeds for it. Only an open
        session's page takes a card (an expired one shows Stripe's "expired" page)."""
        from localstripe.resources import SetupIntent

        session = self.sessions[session_id]
        if session["status"] != "open":
            raise AssertionError(f"Checkout Session {session_id} is {session['status']}: its page takes no card")

        async def go():
            si = SetupIntent(
                customer=session["customer"], usage="off_session", metadata=dict(session.get("metadata") or {})
            )
            si.payment_method, si.status = payment_method_id, "succeeded"
            return si.id

        session.update(status="complete", setup_intent=self._run(go()))
        self.emit("checkout.session.completed", session)

    def expire_checkout(self, session_id: str) -> None:
        self.sessions[session_id].update(status="expired")
        self.emit("checkout.session.expired", self.sessions[session_id])

    def authenticate_payment(self, payment_intent_id: str, success: bool = True) -> None:
        """The backer answers their bank's 3-D Secure check on a PaymentIntent in `requires_action`
        (what Stripe.js `confirmCardPayment` does in the browser): localstripe's own route."""
        import requests
        from localstripe.resources import PaymentIntent

        async def secret():
            return PaymentIntent._api_retrieve(payment_intent_id).client_secret

        answer = requests.post(
            f"{self.base}/v1/payment_intents/{payment_intent_id}/_authenticate",
            data={"client_secret": self._run(secret()), "success": str(success).lower(), "key": "pk_test_civicfund"},
            timeout=10,
        )
        answer.raise_for_status()

    def account_update(self, account_id: str, **fields) -> None:
        self.accounts[account_id].update(fields)
        self.emit("account.updated", self.accounts[account_id])

    def fail_refund(self, refund_id: str) -> None:
        """The card's bank sends a booked refund back (Stripe: `refund.failed`)."""
        from localstripe.resources import Event, Refund
        from localstripe.webhooks import schedule_webhook

        async def go():
            refund = Refund._api_retrieve(refund_id)
            refund.status = "failed"
            schedule_webhook(Event("refund.failed", refund))

        self._run(go())

    def backdate(self, kind: str, object_id: str, seconds: int) -> None:
        """Make a stored object (e.g. "payment_intent") look `seconds` older to Stripe's `created`."""
        from localstripe.resources import store

        async def go():
            store[f"{kind}:{object_id}"].created -= seconds

        self._run(go())

    def forget(self, kind: str, object_id: str) -> None:
        """Stripe no longer has an object (test data deleted from the dashboard): it answers 404.
        `kind` as localstripe stores it ("payment_intent", "setup_intent", ...), or "checkout_session"
        (served by the harness's own routes)."""
        from localstripe.resources import store

        if kind == "checkout_session":
            with self._lock:
                del self.sessions[object_id]
            return

        async def go():
            del store[f"{kind}:{object_id}"]

        self._run(go())

    def reverse_transfer(self, transfer_id: str) -> None:
        transfer = self.transfers[transfer_id]
        transfer.update(amount_reversed=transfer["amount"], reversed=True)
        self.emit("transfer.reversed", transfer)

    # --- plumbing -------------------------------------------------------------------------------

    def _take_fault(self, method: str, path: str) -> Fault | None:
        chosen = None
        with self._lock:
            for f in self.faults:
                if f.times <= 0 or f.method != method or not re.fullmatch(f.path, path):
                    continue
                if f.after > 0:
                    f.after -= 1
                elif chosen is None:
                    f.times -= 1
                    chosen = f
        return chosen

    @web.middleware
    async def _middleware(self, request, handler):
        if request.path.startswith("/_config/"):
            return await handler(request)
        body = await request.read()
        key = request.headers.get("Idempotency-Key", "")
        with self._lock:
            self.requests.append(
                {
                    "method": request.method,
                    "path": request.path,
                    "key": key,
                    "body": body.decode(errors="replace"),
                    "query": dict(request.query),
                }
            )
        fault = self._take_fault(request.method, request.path)
        if fault and fault.mode == "down":
            return web.json_response({"error": {"type": "api_error", "message": "harness: down"}}, status=503)
        if fault and fault.mode == "rate_limited":
            return web.json_response(
                {
                    "error": {
                        "type": "invalid_request_error",
                        "code": "rate_limit",
                        "message": "harness: too many requests",
                    }
                },
                status=429,
            )
        if request.method == "POST" and key and self.honour_keys:
            with self._lock:
                replay = self.idempotent.get(key)
            if replay is not None:
                return web.Response(
                    status=replay[0],
                    body=replay[1],
                    content_type="application/json",
                    headers={"Idempotent-Replayed": "true"},
                )
        handler = self._overrides.get((request.method, request.path), handler)
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            response = exc
        if request.method == "POST" and key and response.status < 500 and response.status != 409:
            with self._lock:
                self.idempotent.setdefault(key, (response.status, response.body))
        if request.method == "POST":
            self._events_after(request.path, response)
        if fault and fault.mode == "lost":
            return web.json_response({"error": {"type": "api_error", "message": "harness: answer lost"}}, status=500)
        return response

    def _events_after(self, path: str, response) -> None:
        """The events Stripe sends and localstripe does not: card setups and refunds."""
        from localstripe.resources import Charge, Event, PaymentIntent, Refund, SetupIntent
        from localstripe.webhooks import schedule_webhook

        if match := re.fullmatch(r"/v1/setup_intents/(seti_\w+)/confirm", path):
            setup = SetupIntent._api_retrieve(match.group(1))
            if response.status == 200 and setup.status == "succeeded":
                schedule_webhook(Event("setup_intent.succeeded", setup))
            elif response.status == 402:
                schedule_webhook(Event("setup_intent.setup_failed", setup))
        elif (match := re.fullmatch(r"/v1/payment_intents/(pi_\w+)/cancel", path)) and response.status == 200:
            schedule_webhook(Event("payment_intent.canceled", PaymentIntent._api_retrieve(match.group(1))))
        elif path == "/v1/refunds" and response.status == 200:
            refund = Refund._api_retrieve(json.loads(response.body)["id"])
            schedule_webhook(Event("refund.updated", refund))
            schedule_webhook(Event("charge.refunded", Charge._api_retrieve(refund.charge)))

    def _patch_localstripe(self, resources) -> None:
        from localstripe.errors import UserError
        from localstripe.webhooks import schedule_webhook

        Event, PaymentIntent, PaymentMethod = resources.Event, resources.PaymentIntent, resources.PaymentMethod
        harness = self

        # Stripe takes these PaymentIntent parameters; localstripe does not know them.
        original_pi_init = PaymentIntent.__init__

        def pi_init(self, *args, transfer_group=None, description=None, **kwargs):
            original_pi_init(self, *args, **kwargs)
            self.transfer_group = transfer_group

        PaymentIntent.__init__ = pi_init

        original_pi_create = PaymentIntent._api_create.__func__

        def pi_create(cls, confirm=None, off_session=None, **data):
            obj = original_pi_create(cls, confirm=confirm, off_session=off_session, **data)
            off = str(off_session).lower() == "true"
            if off and obj.status == "requires_action" and harness.real_auth_errors:
                # Real Stripe: 402 authentication_required, the intent in the error (recorded body).
                body = recorded("card_error_authentication_required")["error"]
                body["payment_intent"] = obj._export()
                body["payment_method"] = PaymentMethod._api_retrieve(obj.payment_method)._export()
                schedule_webhook(Event("payment_intent.payment_failed", obj))
                raise UserError(402, body.pop("message"), body)
            return obj

        PaymentIntent._api_create = classmethod(pi_create)

        # Stripe gives a failed or cancelled refund's money back to the charge; localstripe counts it.
        resources.Charge.amount_refunded = property(
            lambda charge: sum(r.amount for r in charge.refunds._list if r.status not in ("failed", "canceled"))
        )

        # Stripe takes a cancellation reason; localstripe refuses any parameter of a cancel. Its extra
        # routes hold the functions they were made with, so the route's handler is replaced.
        from localstripe.server import api_extra, app

        original_pi_cancel = PaymentIntent._api_cancel

        def pi_cancel(id, cancellation_reason=None, **kwargs):
            if cancellation_reason not in (None, "duplicate", "fraudulent", "requested_by_customer", "abandoned"):
                raise UserError(400, "Invalid cancellation_reason")
            return original_pi_cancel(id, **kwargs)

        url = "/v1/payment_intents/{id}/cancel"
        (route,) = [r for r in app.router.routes() if r.method == "POST" and r.resource.canonical == url]
        route._handler = api_extra(pi_cancel, url)

    def _add_routes(self, app) -> None:
        harness = self

        async def inbox(request):
            body = await request.read()
            data = json.loads(body)
            with harness._lock:
                harness.inbox.append(
                    {
                        "id": data["id"],
                        "type": data["type"],
                        "body": body,
                        "signature": request.headers.get("Stripe-Signature", ""),
                    }
                )
            return web.Response(text="ok")

        async def form(request) -> dict:
            from localstripe.server import get_post_data

            return await get_post_data(request) or {}

        def new_id(prefix: str) -> str:
            return prefix + secrets.token_hex(8)

        async def account_create(request):
            data = await form(request)
            account = recorded("account_express")
            account.update(
                id=new_id("acct_"),
                email=data.get("email"),
                country=data.get("country", "GB"),
                metadata=data.get("metadata") or {},
                created=int(time.time()),
            )
            harness.accounts[account["id"]] = account
            return web.json_response(account)

        async def account_get(request):
            account = harness.accounts.get(request.match_info["id"])
            if account is None:
                return web.json_response(
                    {"error": {"type": "invalid_request_error", "message": "No such account"}}, status=404
                )
            return web.json_response(account)

        async def account_link(request):
            data = await form(request)
            link = recorded("account_link")
            link["url"] = link["url"].replace("acct_1QxExampleExpress", data["account"])
            return web.json_response(link)

        async def transfer_create(request):
            data = await form(request)
            if data.get("destination") not in harness.accounts:
                return web.json_response(
                    {"error": {"type": "invalid_request_error", "message": "No such destination"}}, status=400
                )
            transfer = recorded("transfer")
            transfer.update(
                id=new_id("tr_"),
                amount=int(data["amount"]),
                currency=data["currency"],
                destination=data["destination"],
                transfer_group=data.get("transfer_group"),
                metadata=data.get("metadata") or {},
                created=int(time.time()),
            )
            harness.transfers[transfer["id"]] = transfer
            harness.emit_soon("transfer.created", transfer)
            return web.json_response(transfer)

        async def transfer_get(request):
            transfer = harness.transfers.get(request.match_info["id"])
            if transfer is None:
                return web.json_response(
                    {"error": {"type": "invalid_request_error", "message": "No such transfer"}}, status=404
                )
            return web.json_response(transfer)

        async def transfer_list(request):
            group = request.query.get("transfer_group")
            rows = [t for t in harness.transfers.values() if group is None or t["transfer_group"] == group]
            return web.json_response({"object": "list", "data": rows, "has_more": False, "url": "/v1/transfers"})

        async def session_create(request):
            data = await form(request)
            now = int(time.time())
            expires_at = int(data.get("expires_at") or now + 24 * 3600)
            if not now + 30 * 60 <= expires_at <= now + 24 * 3600:  # Stripe's bounds
                return web.json_response(
                    {
                        "error": {
                            "type": "invalid_request_error",
                            "param": "expires_at",
                            "message": "The `expires_at` timestamp must be between 30 minutes and 24 hours from "
                            "Checkout Session creation.",
                        }
                    },
                    status=400,
                )
            session = recorded("checkout_session_setup")
            sid = new_id("cs_test_")
            session.update(
                id=sid,
                customer=data.get("customer"),
                currency=data.get("currency"),
                success_url=data["success_url"].replace("{CHECKOUT_SESSION_ID}", sid),
                cancel_url=data["cancel_url"],
                expires_at=expires_at,
                metadata=data.get("metadata") or {},
                created=now,
                url=session["url"].replace("cs_test_c1ExampleSetupSession", sid),
            )
            harness.sessions[sid] = session
            return web.json_response(session)

        async def session_expire(request):
            session = harness.sessions.get(request.match_info["id"])
            if session is None:
                return web.json_response(
                    {"error": {"type": "invalid_request_error", "message": "No such session"}}, status=404
                )
            if session["status"] != "open":
                return web.json_response(
                    {
                        "error": {
                            "type": "invalid_request_error",
                            "message": "Only Checkout Sessions with a status of `open` can be expired.",
                        }
                    },
                    status=400,
                )
            session.update(status="expired", url=None)
            harness.emit_soon("checkout.session.expired", session)
            return web.json_response(session)

        async def session_get(request):
            session = harness.sessions.get(request.match_info["id"])
            if session is None:
                return web.json_response(
                    {"error": {"type": "invalid_request_error", "message": "No such session"}}, status=404
                )
            return web.json_response(session)

        def stored_intents() -> list:
            from localstripe.resources import store

            return [v for k, v in list(store.items()) if k.startswith("payment_intent:")]

        def newest_first(rows: list) -> list:
            order = {id(obj): i for i, obj in enumerate(rows)}  # store order breaks ties of the same second
            return sorted(rows, key=lambda obj: (obj.created, order[id(obj)]), reverse=True)

        def bad_request(message: str):
            return web.json_response(
                {"error": {"type": "invalid_request_error", "message": f"harness: {message}"}}, status=400
            )

        compare = {
            "gt": lambda a, b: a > b,
            "gte": lambda a, b: a >= b,
            "lt": lambda a, b: a < b,
            "lte": lambda a, b: a <= b,
            ">": lambda a, b: a > b,
            ">=": lambda a, b: a >= b,
            "<": lambda a, b: a < b,
            "<=": lambda a, b: a <= b,
            ":": lambda a, b: a == b,
        }

        async def intent_list(request):
            from localstripe.server import unflatten_data

            params = unflatten_data(request.query) or {}
            created = params.pop("created", None)
            customer = params.pop("customer", None)
            limit = int(params.pop("limit", 10))
            after = params.pop("starting_after", None)
            if params:
                return bad_request(f"unknown parameters {sorted(params)}")
            tests = []
            if isinstance(created, dict):
                for op, value in created.items():
                    if op not in ("gt", "gte", "lt", "lte"):
                        return bad_request(f"created[{op}]")
                    tests.append(lambda pi, op=op, value=int(value): compare[op](pi.created, value))
            elif created is not None:
                tests.append(lambda pi, value=int(created): pi.created == value)
            if customer is not None:
                tests.append(lambda pi: pi.customer == customer)
            rows = newest_first([pi for pi in stored_intents() if all(t(pi) for t in tests)])
            if after is not None:
                ids = [pi.id for pi in rows]
                rows = rows[ids.index(after) + 1 :] if after in ids else []
            return web.json_response(
                {
                    "object": "list",
                    "url": "/v1/payment_intents",
                    "has_more": len(rows) > limit,
                    "data": [pi._export() for pi in rows[:limit]],
                }
            )

        async def intent_search(request):
            query = request.query.get("query", "").strip()
            limit = int(request.query.get("limit", 10))
            page = int(request.query.get("page") or 0)
            tests = []
            for clause in re.split(r"\s+AND\s+", query) if query else []:
                if match := re.fullmatch(r"metadata\['([^']+)'\]:'((?:[^'\\]|\\.)*)'", clause):
                    name, value = match.group(1), re.sub(r"\\(.)", r"\1", match.group(2))
                    tests.append(lambda pi, name=name, value=value: (pi.metadata or {}).get(name) == value)
                elif match := re.fullmatch(r"(created|amount)(>=|<=|>|<|:)(\d+)", clause):
                    field, op, value = match.group(1), match.group(2), int(match.group(3))
                    tests.append(lambda pi, f=field, op=op, v=value: compare[op](getattr(pi, f), v))
                elif match := re.fullmatch(r"status:'(\w+)'", clause):
                    status = match.group(1)
                    tests.append(lambda pi, value=status: pi.status == value)
                else:
                    return bad_request(f"unsupported search clause {clause!r}")
            if not tests:
                return bad_request("a search needs a query")
            rows = newest_first([pi for pi in stored_intents() if all(t(pi) for t in tests)])
            chunk = rows[page * limit : (page + 1) * limit]
            more = len(rows) > (page + 1) * limit
            return web.json_response(
                {
                    "object": "search_result",
                    "url": "/v1/payment_intents/search",
                    "has_more": more,
                    "next_page": str(page + 1) if more else None,
                    "data": [pi._export() for pi in chunk],
                }
            )

        harness._overrides.update(
            {("GET", "/v1/payment_intents"): intent_list, ("GET", "/v1/payment_intents/search"): intent_search}
        )
        app.router.add_post("/_config/harness-inbox", inbox)
        app.router.add_post("/v1/accounts", account_create)
        app.router.add_get("/v1/accounts/{id}", account_get)
        app.router.add_post("/v1/account_links", account_link)
        app.router.add_post("/v1/transfers", transfer_create)
        app.router.add_get("/v1/transfers/{id}", transfer_get)
        app.router.add_get("/v1/transfers", transfer_list)
        app.router.add_post("/v1/checkout/sessions", session_create)
        app.router.add_get("/v1/checkout/sessions/{id}", session_get)
        app.router.add_post("/v1/checkout/sessions/{id}/expire", session_expire)

    def emit_soon(self, type: str, data: dict) -> None:
        """From inside the server loop: sign and deliver an event about a harness object."""
        from localstripe.resources import Event
        from localstripe.webhooks import schedule_webhook

        schedule_webhook(Event(type, _Obj(copy.deepcopy(data))))
