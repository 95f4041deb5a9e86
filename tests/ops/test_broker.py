"""The embedded broker (local mode, no REDIS_URL) survives several processes at once.

kombu's own filesystem transport creates a message file empty and fills it afterwards, and rewrites an
exchange table in place: a worker that reads at that moment dies with `Unrecoverable error:
JSONDecodeError` (kombu issue 1551), and no campaign closes until someone restarts it.
"""

import multiprocessing
import os
from pathlib import Path

import pytest
from kombu import Connection, Exchange, Queue

from civicfund.broker import SCHEME, Transport

PUBLISHERS = 4
BIG = "x" * 20_000  # a task's arguments can be long (a campaign story)
MESSAGES_EACH = 150


@pytest.fixture(autouse=True)
def _fresh_broker_state():
    """kombu keeps the declared bindings per process; each test has its own folders."""
    Transport.global_state.clear()
    yield
    Transport.global_state.clear()


def _options(root: Path) -> dict:
    queue = root / "queue"
    queue.mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "processed_folder": str(root / "processed"),
        "store_processed": False,
        "control_folder": str(root / "control"),
    }


def _connection(root: Path, scheme: str = SCHEME) -> Connection:
    return Connection(f"{scheme}://", transport_options=_options(root))


EXCHANGE = Exchange("celery", type="direct")
QUEUE = Queue("celery", EXCHANGE, routing_key="celery")


def _publish(root: str, scheme: str, publisher: int) -> None:
    """A web process: connects, declares and binds the queue (as every publisher does), publishes."""
    for i in range(MESSAGES_EACH):
        with _connection(Path(root), scheme) as conn:
            producer = conn.Producer()
            producer.publish(
                {"publisher": publisher, "n": i, "text": BIG}, exchange=EXCHANGE, routing_key="celery", declare=[QUEUE]
            )


def _drain(root: Path, scheme: str, expected: int, processes: list) -> list:
    got: list = []
    with _connection(root, scheme) as conn:
        queue = QUEUE(conn.default_channel)
        queue.declare()
        idle = 0
        while len(got) < expected and idle < 200:
            message = queue.get(no_ack=True)
            if message is None:
                idle = idle + 1 if not any(p.is_alive() for p in processes) else 0
                continue
            got.append((message.payload["publisher"], message.payload["n"]))
    return got


def _run(root: Path, scheme: str) -> list:
    ctx = multiprocessing.get_context("fork")
    processes = [ctx.Process(target=_publish, args=(str(root), scheme, p)) for p in range(PUBLISHERS)]
    for p in processes:
        p.start()
    try:
        return _drain(root, scheme, PUBLISHERS * MESSAGES_EACH, processes)
    finally:
        for p in processes:
            p.join(timeout=60)


def test_messages_published_by_several_processes_at_once_are_each_delivered_once(tmp_path):
    got = _run(tmp_path, SCHEME)

    assert len(got) == PUBLISHERS * MESSAGES_EACH
    assert set(got) == {(p, n) for p in range(PUBLISHERS) for n in range(MESSAGES_EACH)}


def test_an_empty_or_partial_message_file_is_set_aside_and_the_next_message_still_arrives(tmp_path):
    with _connection(tmp_path) as conn:
        queue = QUEUE(conn.default_channel)
        queue.declare()
        folder = Path(_options(tmp_path)["data_folder_in"])
        (folder / "0001_left-empty.celery.msg").write_bytes(b"")
        (folder / "0002_left-half.celery.msg").write_bytes(b'{"body": "abc')
        conn.Producer().publish({"n": 1}, exchange=EXCHANGE, routing_key="celery")

        message = queue.get(no_ack=True)

    assert message is not None and message.payload == {"n": 1}
    assert sorted(os.listdir(f"{folder}-bad")) == ["0001_left-empty.celery.msg", "0002_left-half.celery.msg"]


def test_an_exchange_table_being_rewritten_is_never_read_half_written(tmp_path):
    with _connection(tmp_path) as conn:
        channel = conn.default_channel
        QUEUE(channel).declare()
        table = Path(_options(tmp_path)["control_folder"]) / "celery.exchange"
        table.write_bytes(b"")  # what a reader of kombu's table sees between its truncate and its write

        assert channel.get_table("celery") == []
        Queue("other", EXCHANGE, routing_key="other")(channel).declare()
        assert {q.queue for q in channel.get_table("celery")} == {"other"}
