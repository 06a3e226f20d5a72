"""How full each page of a PDF is, from the positions of its text (pypdf), for the layout tests."""

from __future__ import annotations

import io

from pypdf import PdfReader

MM = 72 / 25.4
MARGIN_TOP_MM, MARGIN_BOTTOM_MM = 20, 20  # static/css/report_pdf.css @page margins


def page_fill(content: bytes) -> list[float]:
    """For each page, the share of its text area (between the @page margins) that text reaches
    down to: 1.0 when text runs to the bottom margin, 0.1 for a page with a line or two at the top.
    Running headers and footers (in the margins) are left out."""
    fills = []
    for page in PdfReader(io.BytesIO(content)).pages:
        height = float(page.mediabox.height)
        top, bottom = height - MARGIN_TOP_MM * MM, MARGIN_BOTTOM_MM * MM
        lowest: list[float] = []

        def visit(text, cm, tm, font_dict, font_size, lowest=lowest, top=top, bottom=bottom):
            if not text.strip():
                return
            y = tm[5] * cm[3] + cm[5] if cm[3] else tm[5] + cm[5]
            if bottom - 1 <= y <= top + 1:
                lowest.append(y)

        page.extract_text(visitor_text=visit)
        fills.append((top - min(lowest)) / (top - bottom) if lowest else 0.0)
    return fills
