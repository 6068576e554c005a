"""What a reader of a printed page would see cut off: text laid out past the right edge
of the page's content area (a table column too narrow for its heading, a word that
cannot break). Reads WeasyPrint's laid-out boxes, before the PDF is written."""

from weasyprint.formatting_structure.boxes import TextBox


def text_past_the_edge(document, *, slack: float = 1.0) -> list[str]:
    """The texts of ``document`` (``ledmot.lib.pdf.layout``) that end right of their
    page's content area, as "page n: text"."""
    found = []
    for number, page in enumerate(document.pages, start=1):
        box = page._page_box
        right = box.content_box_x() + box.width
        for child in box.descendants():
            if isinstance(child, TextBox) and child.position_x + child.width > right + slack:
                found.append(f"page {number}: {child.text}")
    return found
