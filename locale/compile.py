"""Fill locale/fa/LC_MESSAGES/django.po from fa_translations.py and compile django.mo with polib
(no gettext tools needed). Run after `manage.py makemessages -l fa`; commit both files."""

from pathlib import Path

import polib

HERE = Path(__file__).resolve().parent


def main() -> int:
    import sys

    sys.path.insert(0, str(HERE))
    import importlib

    # fa_translations.py, plus one fa_translations_<feature>.py per feature (fewer merge conflicts).
    T: dict = {}
    for path in sorted(HERE.glob("fa_translations*.py")):
        T.update(importlib.import_module(path.stem).T)

    po_path = HERE / "fa" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    po.metadata.update(
        {"Language": "fa", "Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": "nplurals=2; plural=(n > 1);"}
    )
    missing = []
    for entry in po:
        value = T.get(entry.msgid)
        if value is None:
            if not entry.translated():
                missing.append(entry.msgid)
            continue
        if entry.msgid_plural:
            one, many = value if isinstance(value, tuple) else (value, value)
            entry.msgstr_plural = {0: one, 1: many}
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save(str(po_path))
    po.save_as_mofile(str(po_path.with_suffix(".mo")))
    for msgid in missing:
        print("untranslated:", msgid)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
