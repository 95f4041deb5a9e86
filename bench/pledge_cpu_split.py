"""Where a wallet pledge's cost goes, without contention: one client, one gunicorn worker, PostgreSQL.

    .venv/bin/python bench/pledge_cpu_split.py [--requests 1500]

Makes the world of bench/pledge_throughput.py in its own database (civicfund_bench_split: dropped and
created), starts `gunicorn -w 1` (bench.settings, DEBUG off, throttles off, no access log), warms it,
then sends --requests of each of four kinds, one after another, in turns of 100 (so a shared machine's
drift slows each kind alike): wallet pledges; the fair floor (POST /api/bench/auth-insert/); replays
(an accepted pledge's request sent again with its Idempotency-Key, answered 200 with the first
pledge); and the pledge's SQL function alone behind the same authentication
(POST /api/bench/pledge-statement/<id>/, bench/urls.py: no rules checked first, no statistics, no
answer but an id), the ceiling of any pledge that writes what this one writes. It prints per request
the wall time and the CPU time of the gunicorn worker, of this database's PostgreSQL backends and of
the client (Linux /proc). One after another, nothing waits on a lock, so the CPU ratio is the
pledge's cost against the floor's, whatever the load of a shared machine does to the seconds. A
benchmark, not a test: it asserts only that every request answered 201 (a replay 200).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("BENCH_DB_NAME", "civicfund_bench_split")

import pledge_throughput as pt  # noqa: E402  (reads BENCH_DB_NAME)

BATCH = 100  # requests of one kind between switches


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1500)
    n = parser.parse_args().requests

    pt.recreate_database()
    pt.django_setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    campaign_id, tokens = pt.make_world(1)
    from bench.urls import FLOOR_TABLE

    with connections["default"].cursor() as cursor:
        cursor.execute(f"CREATE TABLE {FLOOR_TABLE} (id bigserial PRIMARY KEY, amount bigint NOT NULL)")
    connections.close_all()
    port = pt.free_port()
    env = pt.server_env()
    command = [str(pt.ROOT / ".venv/bin/gunicorn"), "civicfund.wsgi", "-w", "1", "-b", f"127.0.0.1:{port}"]
    command += ["--keep-alive", "5", "--log-level", "warning", "--access-logfile", "/dev/null"]
    server = subprocess.Popen(command, cwd=pt.ROOT, env=env, start_new_session=True)
    try:
        for _ in range(150):
            try:
                if pt.Client(port).request("GET", "/api/v1/ping/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        client, meter = pt.Client(port, tokens[0]), pt.CpuMeter(server.pid)
        path, body = f"/api/v1/campaigns/{campaign_id}/pledges/", {"amount": pt.AMOUNT, "source": "wallet"}
        replayed: list[str] = []  # keys of accepted pledges, each sent again once (as the benchmark's retries)

        def pledge():
            key = uuid.uuid4().hex
            replayed.append(key)
            return client.request("POST", path, body, {"Idempotency-Key": key})

        def floor():
            return client.request("POST", pt.FLOOR, {"amount": pt.AMOUNT})

        def replay():  # answers 200 with the first pledge
            status, data = client.request("POST", path, body, {"Idempotency-Key": replayed.pop(0)})
            return (201 if status == 200 else status), data

        def statement():  # bench/urls.py: the pledge's authentication and its SQL function, nothing else
            key = {"Idempotency-Key": uuid.uuid4().hex}
            return client.request("POST", f"/api/bench/pledge-statement/{campaign_id}/", body, key)

        kinds = {"pledge": pledge, "fair floor": floor, "replay": replay, "statement only": statement}
        for _ in range(50):  # warm: imports, templates, the campaign kept by the fast path, plans
            for call in kinds.values():
                call()
        # In batches of BATCH, each kind in turn: a shared machine's drift slows all kinds alike.
        totals = {name: dict.fromkeys(("wall", "gunicorn", "postgres", "client"), 0.0) for name in kinds}
        for _ in range(max(1, n // BATCH)):
            for name, call in kinds.items():
                before, start = meter.snapshot(), time.perf_counter()
                for _ in range(BATCH):
                    status, data = call()
                    assert status == 201, (name, status, data)
                wall, after = time.perf_counter() - start, meter.snapshot()
                totals[name]["wall"] += wall
                for k in before:
                    totals[name][k] += after[k] - before[k]
        done = max(1, n // BATCH) * BATCH
        for name, t in totals.items():
            per = {k: v / done * 1000 for k, v in t.items()}
            print(
                f"{name}: wall {per['wall']:.2f} ms; gunicorn {per['gunicorn']:.2f}  postgres {per['postgres']:.2f}"
                f"  client {per['client']:.2f}"
            )
        cpu = {name: t["gunicorn"] + t["postgres"] for name, t in totals.items()}
        print(f"CPU (gunicorn + postgres), fair floor ÷ pledge: {cpu['fair floor'] / cpu['pledge']:.2f}")
        print(f"  fair floor ÷ the pledge's statement alone: {cpu['fair floor'] / cpu['statement only']:.2f}")
        return 0
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()


if __name__ == "__main__":
    sys.exit(main())
