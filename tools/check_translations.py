"""Fails when the Swedish catalogue is behind the source: a string untranslated, fuzzy or not compiled.

    python tools/check_translations.py manage.py makemessages -l sv …   (`make check-messages`)

Runs the given makemessages command (so that strings added to the source show up), reads
locale/sv/LC_MESSAGES/django.po and names every entry without a Swedish translation or marked
fuzzy (a guess by msgmerge is not a translation), then compares the translations with the compiled
django.mo. The .po file is put back as it was, whatever the outcome.
"""

import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "sv" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def translations(entries) -> dict:
    return {
        (entry.msgctxt, entry.msgid): entry.msgstr_plural and dict(sorted(entry.msgstr_plural.items())) or entry.msgstr
        for entry in entries
        if entry.msgid
    }


def main(makemessages: list[str]) -> int:
    original = PO.read_bytes()
    try:
        subprocess.run([sys.executable, *makemessages], cwd=ROOT, check=True, capture_output=True)
        catalogue = polib.pofile(str(PO))
    finally:
        PO.write_bytes(original)
    problems = [f"untranslated: {entry.msgid!r}" for entry in catalogue.untranslated_entries()]
    problems += [f"fuzzy: {entry.msgid!r}" for entry in catalogue.fuzzy_entries()]
    compiled = translations(polib.mofile(str(MO)))
    source = translations(catalogue.translated_entries())
    stale = [msgid for key, msgid in ((k, k[1]) for k in source) if compiled.get(key) != source[key]]
    problems += [f"not compiled (run make messages): {msgid!r}" for msgid in stale]
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problems in {PO.relative_to(ROOT)}: translate them there, then run make messages.")
        return 1
    print(f"{len(source)} strings, all translated and compiled.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
