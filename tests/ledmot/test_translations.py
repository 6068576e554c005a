"""English is complete, and the compiled catalogue matches the source."""

import gettext
import re
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES"


def _po_entries():
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        if block.lstrip().startswith("#~"):
            continue
        match = re.search(r'^msgid (".*"(?:\n".*")*)', block, re.M)
        if not match:
            continue
        msgid = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1)))
        if msgid:
            yield msgid.encode().decode("unicode_escape").encode("latin-1").decode(), block


def test_every_string_has_an_english_translation():
    untranslated = [
        msgid
        for msgid, block in _po_entries()
        if "#, fuzzy" in block
        or re.search(r'^msgstr(\[0\])? ""$', block, re.M)
        and not re.search(r'^msgstr(\[0\])? ""\n"', block, re.M)
    ]
    assert untranslated == []


def test_compiled_catalogue_is_up_to_date():
    with open(LOCALE / "django.mo", "rb") as fh:
        catalog = gettext.GNUTranslations(fh)._catalog
    compiled = {key[0] if isinstance(key, tuple) else key for key in catalog}
    missing = [msgid for msgid, _ in _po_entries() if msgid not in compiled]
    assert missing == [], "run: make messages"
