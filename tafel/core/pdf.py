"""Every PDF Tafel produces goes through here: tagged PDF/UA-1 (structure tree, MarkInfo, language, title).

Issue 12 (item 8) and issue 15 (item 6): documents handed to families, partners and the FG must be readable
with a screen reader. WeasyPrint builds the structure tree from the HTML (headings, lists, tables), so the
templates need a `lang` on <html> and a <title>; all PDF templates have both.
"""

from __future__ import annotations

import logging

PDF_VARIANT = "pdf/ua-1"


def render_pdf(html: str, *, base_url: str | None = None, stylesheets: list[str] | None = None) -> bytes:
    """HTML string → tagged PDF/UA-1 bytes. `stylesheets` are file paths."""
    # WeasyPrint reports each rendering step (already while importing) at INFO; the log is for events.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from weasyprint import CSS, HTML  # heavy import, only when a PDF is asked for

    sheets = [CSS(filename=str(path)) for path in stylesheets or ()]
    return HTML(string=html, base_url=base_url).write_pdf(stylesheets=sheets, pdf_variant=PDF_VARIANT)
