"""Reading a PDF's structure tree (tags) with pikepdf, for the tests of tagged PDFs
(issue 18 point 4)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pikepdf


@dataclass
class Tagged:
    lang: str
    title: str
    marked: bool
    display_title: bool
    tags: list[str]  # every element's type, in reading order
    headings: list[int]  # H1…H6 levels, in reading order
    figures_without_alt: int
    table_headers: int  # TH cells
    pages_without_tags: list[int]  # 0-based pages with no StructParents
    unmapped_mcids: list[tuple[int, int]] = field(default_factory=list)
    text: str = ""  # the /Alt texts, joined


def read_tags(data: bytes) -> Tagged:
    pdf = pikepdf.open(io.BytesIO(data))
    root = pdf.Root
    tree = root.get("/StructTreeRoot")
    tags: list[str] = []
    alts: list[str] = []
    figures_without_alt = 0

    def walk(element):
        nonlocal figures_without_alt
        if isinstance(element, pikepdf.Array):
            for kid in element:
                walk(kid)
            return
        if not isinstance(element, pikepdf.Dictionary) or "/S" not in element:
            return
        kind = str(element.S)[1:]
        tags.append(kind)
        if kind == "Figure":
            alt = str(element.get("/Alt", "")).strip()
            figures_without_alt += not alt
            alts.append(alt)
        if "/K" in element:
            walk(element.K)

    if tree is not None:
        walk(tree.K)
    pages_without = [i for i, page in enumerate(pdf.pages) if "/StructParents" not in page.obj]
    # Every marked-content id on a page must be in the parent tree.
    unmapped = []
    if tree is not None:
        nums = tree.ParentTree.Nums
        mapping = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for i, page in enumerate(pdf.pages):
            if "/StructParents" not in page.obj:
                continue
            entry = mapping.get(int(page.obj.StructParents))
            count = len(entry) if isinstance(entry, pikepdf.Array) else 0
            for operands, op in pikepdf.parse_content_stream(page):
                if str(op) == "BDC" and isinstance(operands[1], pikepdf.Dictionary):
                    mcid = operands[1].get("/MCID")
                    if mcid is not None and int(mcid) >= count:
                        unmapped.append((i, int(mcid)))
    meta = pdf.open_metadata()
    return Tagged(
        lang=str(root.get("/Lang", "")),
        title=str(meta.get("dc:title", "")),
        marked=bool(root.get("/MarkInfo", {}).get("/Marked", False)),
        display_title=bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False)),
        tags=tags,
        headings=[int(t[1]) for t in tags if len(t) == 2 and t[0] == "H" and t[1].isdigit()],
        figures_without_alt=figures_without_alt,
        table_headers=tags.count("TH"),
        pages_without_tags=pages_without,
        unmapped_mcids=unmapped,
        text=" ".join(alts),
    )


def headings_in_order(levels: list[int]) -> bool:
    """No heading skips a level below the one before it (H1 → H3 is a skip)."""
    previous = 0
    for level in levels:
        if level > previous + 1:
            return False
        previous = level
    return True
