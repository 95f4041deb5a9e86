"""Public wording of decision kinds. The app that makes a kind of decision registers its label (a lazy
translation) when it is ready, so this layer needs to know none of them; an unknown kind reads as its
code."""

from __future__ import annotations

from django.utils.functional import Promise

KINDS: dict[str, str | Promise] = {}


def kind_register(code: str, label: str | Promise) -> None:
    if code in KINDS and KINDS[code] != label:
        raise ValueError(f"decision kind {code!r} is already registered with another label")
    KINDS[code] = label


def kind_label(code: str) -> str:
    return str(KINDS.get(code, code))
