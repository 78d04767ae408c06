"""Every PDF Tafel produces is tagged PDF/UA-1 (issue 12 item 8, issue 15 item 6). The producing views are
checked in their own tests with `assert_pdf_ua`; here the renderer itself and the rule that nothing renders
a PDF around it."""

from __future__ import annotations

from pathlib import Path

from tafel.core.pdf import render_pdf
from tafel.core.tests.pdfua import assert_pdf_ua, pdf_text

ROOT = Path(__file__).resolve().parents[2]


def test_render_pdf_gives_a_tagged_pdf_ua_document():
    html = (
        '<html lang="nl"><head><meta charset="utf-8"><title>Verslag</title></head>'
        "<body><h1>Verslag</h1><p>Tekst</p><table><tr><th>Kop</th></tr><tr><td>Cel</td></tr></table></body></html>"
    )
    pdf = render_pdf(html)
    assert_pdf_ua(pdf)
    text = pdf_text(pdf)
    assert b"/H1" in text and b"/Table" in text  # headings and tables become structure elements
    assert b"/Title (Verslag)" in text and b"/DisplayDocTitle true" in text  # the <title> is the document title
    assert b"/Lang (nl)" in text


def test_no_module_renders_a_pdf_without_the_tagged_renderer():
    offenders = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if "tests" not in path.parts and path.name != "pdf.py" and ".write_pdf(" in path.read_text()
    ]
    assert offenders == []
