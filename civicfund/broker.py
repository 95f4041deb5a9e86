"""The embedded broker of local mode (no REDIS_URL): kombu's filesystem transport, made safe for
several processes at once.

kombu's own filesystem transport (5.x) crashes a worker now and then (kombu issue 1551, dvc-task
issue 73): a message file is created empty and filled afterwards, and an exchange table is truncated
and rewritten in place, so a process reading at the wrong moment reads "" and the worker dies with
`Unrecoverable error: JSONDecodeError`. Here every file is written whole under a temporary name and
then renamed into place (`os.replace`, atomic on one filesystem), so a reader sees the old file or the
new one, never half of one. A message is taken by renaming it out of the queue folder (only one
process can win the rename), and a file that still cannot be read (left by an older writer) is set
aside in a `-bad` folder with an error in the log instead of stopping the worker.

Selected by the broker URL `civicfs://` (settings.base), which this module registers with kombu;
civicfund/celery.py imports it, so every process that loads the Celery app knows it.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
import uuid
from pathlib import Path
from queue import Empty
from typing import Any

from kombu.exceptions import ChannelError
from kombu.transport import TRANSPORT_ALIASES, filesystem, virtual
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads

log = logging.getLogger(__name__)

SCHEME = "civicfs"
TRANSPORT_ALIASES[SCHEME] = "civicfund.broker:Transport"

# A file that does not parse is read again this many times, this far apart, before it is set aside.
READ_ATTEMPTS = 5
READ_PAUSE_SECONDS = 0.05


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that no reader ever sees a partial file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def _parse(raw: bytes) -> Any:
    return loads(bytes_to_str(raw))


class Channel(filesystem.Channel):
    """Atomic message and exchange-table files; a bad file is set aside, never fatal."""

    # --- exchange tables (control folder) ------------------------------------
    def _lock_path(self, exchange: str) -> Path:
        return self._exchange_file(exchange).with_suffix(".lock")

    def _table_read(self, file: Path) -> list:
        for attempt in range(READ_ATTEMPTS):
            try:
                raw = file.read_bytes()
            except FileNotFoundError:
                return []
            try:
                return [filesystem.exchange_queue_t(*q) for q in _parse(raw)]
            except ValueError:
                if attempt + 1 < READ_ATTEMPTS:
                    time.sleep(READ_PAUSE_SECONDS)
        log.error("Broker exchange table %s does not parse; treated as empty (it is rewritten on the next bind)", file)
        return []

    def get_table(self, exchange: str) -> list:
        return self._table_read(self._exchange_file(exchange))

    def _table_change(self, exchange: str, change: Any) -> None:
        """Read, change and replace one exchange table, one process at a time (a lock file)."""
        file = self._exchange_file(exchange)
        self.control_folder.mkdir(parents=True, exist_ok=True)
        with open(self._lock_path(exchange), "a") as lock_file:
            fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX)
            try:
                queues = self._table_read(file)
                changed = change(queues)
                if changed is not None:
                    write_atomically(file, str_to_bytes(dumps(changed)))
            finally:
                fcntl.flock(lock_file.fileno(), fcntl.LOCK_UN)

    def _queue_bind(self, exchange: str, routing_key: str, pattern: str, queue: str) -> None:
        value = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")

        def add(queues: list) -> list | None:
            return None if value in queues else [value, *queues]

        self._table_change(exchange, add)

    def _delete(self, queue: str, exchange: str, routing_key: str, pattern: str, *args: Any, **kwargs: Any) -> None:
        virtual.Channel._delete(self, queue, exchange, routing_key, pattern, *args, **kwargs)
        value = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")

        def remove(queues: list) -> list | None:
            return [q for q in queues if q != value] if value in queues else None

        self._table_change(exchange, remove)

    # --- messages (queue folder) -----------------------------------------------
    def _put(self, queue: Any, payload: Any, **kwargs: Any) -> None:  # type: ignore[override]  # kombu: two bases disagree
        # Same name shape as kombu's (sorted by time, then a uuid; the queue after the first dot).
        name = f"{int(round(time.monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        try:
            write_atomically(Path(self.data_folder_out) / name, str_to_bytes(dumps(payload)))
        except OSError as exc:
            raise ChannelError(f"Cannot add file {name!r} to {self.data_folder_out}") from exc

    @property
    def _claim_folder(self) -> Path:
        folder = Path(self.processed_folder) if self.store_processed else Path(f"{self.data_folder_in}-claimed")
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    @property
    def _bad_folder(self) -> Path:
        folder = Path(f"{self.data_folder_in}-bad")
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def _message_read(self, path: Path) -> Any:
        """The message in a claimed file, or None (the file is then set aside in the -bad folder)."""
        for attempt in range(READ_ATTEMPTS):
            try:
                return _parse(path.read_bytes())
            except ValueError:
                # Only a writer that is not this module leaves a partial file; give it a moment.
                if attempt + 1 < READ_ATTEMPTS:
                    time.sleep(READ_PAUSE_SECONDS)
        bad = self._bad_folder / path.name
        os.replace(path, bad)
        log.error("Broker message file %s does not parse; set aside as %s, the worker goes on", path.name, bad)
        return None

    def _get(self, queue: Any, timeout: Any = None) -> Any:
        suffix = f"{queue}.msg"
        folder_in = Path(self.data_folder_in)
        for name in sorted(os.listdir(folder_in)):
            if name.partition(".")[2] != suffix:
                continue  # another queue's, or a file still being written (".…tmp")
            claimed = self._claim_folder / name
            try:
                os.rename(folder_in / name, claimed)  # atomic: exactly one process gets each message
            except FileNotFoundError:
                continue  # another worker took it
            payload = self._message_read(claimed)
            if payload is None:
                continue
            if not self.store_processed:
                claimed.unlink(missing_ok=True)
            return payload
        raise Empty()


class Transport(filesystem.Transport):
    Channel = Channel
    driver_type = "filesystem"
    driver_name = SCHEME
