"""Extension points: a lower layer declares a `Hook`, upper layers register functions on it in their
AppConfig.ready(), and the lower layer calls it without importing them.

This is how dependencies stay one-way where work must flow upwards: the provider events that
`payments` receives are handled by `pledges` and `payouts`; a pledge that completes a campaign's
collection lets `funding` settle it; the civic features (match funding, accountability, guarantees)
plug into pledges, the close and the release of the held part the same way (docs/architecture.md lists
every hook).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Hook:
    """A named list of functions called in registration order.

    `run(**kwargs)` calls every function and returns their results; `check(**kwargs)` is for hooks
    whose functions refuse something by raising (e.g. an ApplicationError) and return nothing."""

    def __init__(self, name: str, doc: str = "") -> None:
        self.name = name
        self.__doc__ = doc or name
        self._functions: list[Callable[..., Any]] = []

    def register(self, function: Callable[..., Any]) -> Callable[..., Any]:
        """Add `function` (once: registering the same function again changes nothing). Usable as a decorator."""
        if function not in self._functions:
            self._functions.append(function)
        return function

    def unregister(self, function: Callable[..., Any]) -> None:
        if function in self._functions:
            self._functions.remove(function)

    def run(self, **kwargs: Any) -> list[Any]:
        return [function(**kwargs) for function in list(self._functions)]

    def check(self, **kwargs: Any) -> None:
        for function in list(self._functions):
            function(**kwargs)

    @property
    def functions(self) -> tuple[Callable[..., Any], ...]:
        return tuple(self._functions)

    def __len__(self) -> int:
        return len(self._functions)

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self)} functions>"


class Registry:
    """Handlers by key (one per key), filled by upper layers at ready(): e.g. the provider-event kinds
    `payments` dispatches and `pledges`/`payouts` handle, or the outbox's e-mail kinds."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._handlers: dict[str, Callable[..., Any]] = {}

    def register(self, key: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def add(function: Callable[..., Any]) -> Callable[..., Any]:
            known = self._handlers.get(key)
            if known is not None and known is not function:
                raise ValueError(f"{self.name}: {key!r} is already handled by {known.__qualname__}")
            self._handlers[key] = function
            return function

        return add

    def get(self, key: str) -> Callable[..., Any] | None:
        return self._handlers.get(key)

    def __contains__(self, key: object) -> bool:
        return key in self._handlers

    def __getitem__(self, key: str) -> Callable[..., Any]:
        try:
            return self._handlers[key]
        except KeyError:
            raise KeyError(f"{self.name}: nothing handles {key!r}") from None

    def keys(self) -> list[str]:
        return sorted(self._handlers)
