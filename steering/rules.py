"""The rules of steering documents, as plain functions: called by the model, the forms,
the services (the one write path) and the admin, so every way in refuses the same thing
with the same Swedish message.

**What may change once a document is decided.** The decision covers the document's
content and identity: title, type, owner, summary, the decision itself, the date it is
valid from and its file or link. Those are frozen; a change to them is a new version
(:func:`steering.services.document_revise`: a draft that replaces the decided one when
it is decided in turn, which then ends the old one's validity). Two things stay
editable, because they are not part of what was decided: **the review date** (the
administration's plan for when to re-examine it, often moved by the owner's
controller) and **the goals it supports** (its place in this mandate period's goal
chain: goals are adopted and ended every period while the document stands).
"""

from __future__ import annotations

from pathlib import PurePath
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from goals.models import LIVE_STATUSES
from ledmot.models import OrgKind

OWNER_KINDS = (OrgKind.COUNCIL, OrgKind.COMMITTEE)

FROZEN_FIELDS = (
    "title",
    "kind",
    "owner_id",
    "summary",
    "decided_by",
    "decision_reference",
    "decided_on",
    "valid_from",
    "valid_to",
    "file",
    "link",
    "replaces_id",
    "status",
)
EDITABLE_AFTER_DECISION = ("review_on", "goals")

MAX_FILE_BYTES = 25 * 1024 * 1024

# The file types a steering document is published in, each with the bytes it begins
# with: a file is accepted by its content, not only by its name.
_PDF = (b"%PDF-",)
_ZIP = (b"PK\x03\x04",)
FILE_TYPES = {
    ".pdf": ("application/pdf", _PDF),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ZIP,
    ),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    ".odt": ("application/vnd.oasis.opendocument.text", _ZIP),
}


def owner_error(owner) -> str | None:
    if owner is not None and owner.kind not in OWNER_KINDS:
        return _("Ett styrdokument ägs av kommunfullmäktige eller en nämnd, inte av %(unit)s.") % {
            "unit": owner.name
        }
    return None


def goal_owner_paths(owner) -> list[str]:
    """The owners of the goals a document of ``owner`` may support: the council's, and
    for a committee's document the committee's own (its chain: the council, then it).
    Steering documents are political documents of the council and the committees;
    units' goals are not theirs to support."""
    return owner.lineage_paths()


def goal_errors(owner, goals, kept=()) -> dict[str, list[str]]:
    """A document supports live goals of the council and, for a committee's document,
    of that committee; never a unit's or another committee's. ``kept``: the ids of the
    goals it supports as stored, which stay allowed (a link made before stays until
    someone removes it: the review date of a decided document can be changed without
    touching its goals)."""
    if owner is None:
        return {}
    paths, kept = set(goal_owner_paths(owner)), set(kept)
    outside = [
        goal
        for goal in goals
        if goal.pk not in kept
        and (goal.owner.path not in paths or goal.status not in LIVE_STATUSES)
    ]
    if not outside:
        return {}
    return {
        "goals": [
            _(
                "Ett styrdokument för %(owner)s kan bara stödja fullmäktiges mål och ägarens "
                "egna mål som gäller, inte en annan nämnds eller en enhets. Inte: %(goals)s."
            )
            % {"owner": owner.name, "goals": "; ".join(g.title for g in outside)}
        ]
    }


def link_error(link: str) -> str | None:
    """A link is a web address (http or https), never a file path or a script."""
    if not link:
        return None
    parts = urlsplit(link)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return _("Länken ska vara en webbadress som börjar med https:// eller http://.")
    return None


def content_type_for(name: str) -> str:
    """The content type a stored file is served with (from its checked extension)."""
    entry = FILE_TYPES.get(PurePath(name).suffix.lower())
    return entry[0] if entry else "application/octet-stream"


def file_error(uploaded) -> str | None:
    """Why an uploaded file cannot be a steering document: its type (by name and by its
    first bytes: PDF, Word, Excel or OpenDocument text) or its size."""
    if uploaded is None:
        return None
    allowed = ", ".join(sorted(ext.lstrip(".").upper() for ext in FILE_TYPES))
    entry = FILE_TYPES.get(PurePath(uploaded.name).suffix.lower())
    if entry is None:
        return _("Filen ska vara av typen %(types)s.") % {"types": allowed}
    if uploaded.size > MAX_FILE_BYTES:
        return _("Filen är för stor: högst %(mb)s MB.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
    position = uploaded.tell() if hasattr(uploaded, "tell") else 0
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(position)
    if not any(head.startswith(magic) for magic in entry[1]):
        return _("Filens innehåll stämmer inte med dess typ (%(name)s).") % {"name": uploaded.name}
    return None


def decide_error(document) -> str | None:
    """What a document lacks to be decided: the decision (who, reference, date), the day
    it is valid from, and the document itself (a file or a link)."""
    missing = []
    if not document.decided_by:
        missing.append(_("vem som beslutade"))
    if not document.decision_reference:
        missing.append(_("diarienummer"))
    if not document.decided_on:
        missing.append(_("beslutsdatum"))
    if not document.valid_from:
        missing.append(_("gäller från"))
    if not (document.file or document.link):
        missing.append(_("fil eller länk"))
    if missing:
        return _("Dokumentet kan inte registreras som beslutat: det saknar %(what)s.") % {
            "what": ", ".join(missing)
        }
    return None


def frozen_change_error(stored, document) -> str | None:
    """Why ``document`` cannot be saved over ``stored`` (as saved): a decided document
    changes only its review date and goals; anything else is a new version."""
    if stored is None or not stored.is_decided:
        return None
    changed = [
        name
        for name in FROZEN_FIELDS
        if str(getattr(stored, name) or "") != str(getattr(document, name) or "")
    ]
    if changed:
        return _(
            "%(title)s är beslutat och kan inte ändras. Gör en ny version för att ändra det; "
            "bara revideringsdatum och mål kan ändras i ett beslutat dokument."
        ) % {"title": stored.title}
    return None


def delete_refusal(document) -> str | None:
    if document.pk is not None and document.is_decided:
        return _("%(title)s är beslutat och kan inte tas bort.") % {"title": document.title}
    return None


def revise_error(document) -> str | None:
    if document.status != "decided":
        return _("Bara ett gällande beslutat dokument kan få en ny version.")
    if document.revisions.filter(status="draft").exists():
        return _("Det finns redan en ny version under arbete av %(title)s.") % {
            "title": document.title
        }
    return None


def dates_error(document) -> str | None:
    if document.valid_from and document.valid_to and document.valid_to < document.valid_from:
        return _("Gäller till kan inte vara före gäller från.")
    return None
