"""A pace for provider calls shared by every worker (card refunds below Stripe's rate limit).

Each call reserves the next free slot of a named schedule ("virtual scheduling", the GCRA): the
schedule's theoretical arrival time `tat` moves on by 1/rate per call, atomically, in one place
every worker sees, and the caller sleeps until its slot. However many workers run, at most
`burst + rate × t` calls start in any `t` seconds. The schedule lives in Redis when REDIS_URL is set
(one Lua script, atomic), otherwise in a database row (`PaceSlot`, one conditional UPDATE under the
row's write lock): the filesystem broker's workers share the database, not memory.

Waits stay short (about workers ÷ rate seconds) because a worker reserves one slot at a time; a
schedule more than an hour ahead (a wall clock set back) starts again from now.
`clock` and `sleep` are module attributes so tests replace them with a fake clock.

A slot is one request to the provider, not one refund: code that refunds runs inside
`with paced(pacer):`, and the gateway's HTTP client calls `before_call()` before each request it
sends, so a Stripe refund (a look-up of an earlier refund with our key, then the create) takes two
slots, one when the look-up finds it, none when nothing is sent; each of the SDK's own network
retries of a request (STRIPE_MAX_NETWORK_RETRIES) takes one more.
"""

from __future__ import annotations

import contextvars
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.db.models import F, FloatField, Value
from django.db.models.functions import Greatest

from .gateways import gateway_for
from .models import PaceSlot

clock = time.time  # wall clock: shared by the processes of one host (and NTP-close across hosts)
sleep = time.sleep


class SlotStore(Protocol):
    def reserve(self, name: str, *, now: float, interval: float, burst: int) -> float:
        """Reserve the next slot of `name`; return how long to wait for it (0: go now)."""


_REDIS_RESERVE = """
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
if tat < now or tat > now + 3600 then tat = now end
local new = tat + interval
redis.call('SET', KEYS[1], string.format('%.6f', new), 'PX', math.ceil((new - now) * 1000) + 60000)
local delay = new - now - burst * interval
if delay < 0 then delay = 0 end
return string.format('%.6f', delay)
"""


class RedisSlots:
    def __init__(self, url: str, prefix: str = "civicfund:pace:"):
        import redis  # loaded only where REDIS_URL is set: a deployment without Redis needs no client

        self.client = redis.Redis.from_url(url)
        self.prefix = prefix
        self.script = self.client.register_script(_REDIS_RESERVE)

    def reserve(self, name: str, *, now: float, interval: float, burst: int) -> float:
        return float(self.script(keys=[self.prefix + name], args=[repr(now), repr(interval), burst]))


class DatabaseSlots:
    """The schedule in a `PaceSlot` row. Must not run inside a caller's transaction (the row's write
    lock would be held until that transaction ends)."""

    def reserve(self, name: str, *, now: float, interval: float, burst: int) -> float:
        PaceSlot.objects.bulk_create([PaceSlot(name=name, tat=0.0)], ignore_conflicts=True)
        with transaction.atomic():
            PaceSlot.objects.filter(name=name, tat__gt=now + 3600).update(tat=now)  # a clock set back
            PaceSlot.objects.filter(name=name).update(
                tat=Greatest(F("tat"), Value(now, output_field=FloatField())) + interval
            )
            new = PaceSlot.objects.filter(name=name).values_list("tat", flat=True).get()
        return max(0.0, new - now - burst * interval)


class Pacer:
    """`wait()` before each call: blocks until this call's slot. A rate of 0 does not pace."""

    def __init__(self, name: str, rate: float, *, burst: int = 1, store: SlotStore | None = None):
        self.name, self.rate, self.burst = name, rate, max(1, burst)
        self.store = store if store is not None else slot_store()

    def wait(self) -> float:
        if self.rate <= 0:
            return 0.0
        delay = self.store.reserve(self.name, now=clock(), interval=1.0 / self.rate, burst=self.burst)
        if delay > 0:
            sleep(delay)
        return delay


_active: contextvars.ContextVar[Pacer | None] = contextvars.ContextVar("civicfund_pacer", default=None)


@contextmanager
def paced(pacer: Pacer) -> Iterator[Pacer]:
    """Every provider request sent inside the block first waits for its slot of `pacer`."""
    token = _active.set(pacer)
    try:
        yield pacer
    finally:
        _active.reset(token)


def before_call() -> float:
    """Called by a gateway before each request it sends: wait for a slot of the active pace, if any."""
    pacer = _active.get()
    return pacer.wait() if pacer is not None else 0.0


def slot_store() -> SlotStore:
    return RedisSlots(settings.REDIS_URL) if settings.REDIS_URL else DatabaseSlots()


def refund_pacer(platform) -> Pacer:
    """The pace of card refunds through a platform's gateway: Stripe's is global per deployment
    (one Stripe account): STRIPE_REFUNDS_PER_SECOND requests a second, a refund being two requests;
    the sandbox is not paced."""
    if not gateway_for(platform).capabilities.paced_refunds:
        return Pacer("sandbox-refunds", 0, store=_NoStore())
    return Pacer(
        "stripe-refunds", settings.STRIPE_REFUNDS_PER_SECOND, burst=max(1, math.floor(settings.STRIPE_REFUNDS_BURST))
    )


class _NoStore:
    def reserve(self, name, *, now, interval, burst):  # pragma: no cover - rate 0 never asks
        return 0.0
