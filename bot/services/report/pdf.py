"""The report's layout, with fpdf2: a cover, then each section the report keeps, a footer with
the period and the page on every page.

Pure Python (no system libraries), Unicode TrueType fonts with subsetting, and SVG drawn as
vector paths: the chart matplotlib writes as SVG stays sharp at any zoom, and the document
stays small. The font is DejaVu Sans, which matplotlib ships in its ``mpl-data`` (Latin with
accents, Cyrillic, Greek): every language Steady speaks renders, and nothing outside the
installed packages is read. Characters the font lacks (emoji) are left out, never drawn as
empty boxes, and never logged: fpdf2's and fontTools' own loggers are kept to errors, so no
warning repeats a character someone wrote.

``WRITERS`` maps each section name (``period.SECTIONS``) to the function that writes it; a
new section (practices, moments noticed) adds its writer here.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, time
from functools import cache
from pathlib import Path
from typing import Any

import matplotlib
from fontTools.ttLib import TTFont
from fpdf import FPDF

from bot.charts import render_chart_svg
from bot.content import i18n, t
from bot.models import CheckIn, Commitment, RepairPlan, TriggerEntry
from bot.services import repairs, summary_text
from bot.services.history import Field
from bot.services.records import checkin as checkin_fields
from bot.services.records import repair as repair_fields
from bot.services.records import trigger as trigger_fields
from bot.services.report.document import Source
from bot.services.report.period import sections as kept_sections

for _noisy in ("fpdf", "fontTools"):  # their warnings can quote text (a missing glyph)
    logging.getLogger(_noisy).setLevel(logging.ERROR)

FONT = "dejavu"
_FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
#: Regular and bold only: each font file is parsed for every document (~0.2 s each).
_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}

MARGIN = 18.0  # mm
INK = (34, 34, 34)
MUTED = (105, 105, 105)
RULE = (200, 200, 200)
ACCENT = (0, 94, 146)  # the charts' blue, a little darker for text
BODY_SIZE, LABEL_SIZE, HEAD_SIZE, TITLE_SIZE = 10.5, 8.5, 15, 24
LINE = 5.2  # mm per body line
CHART_WIDTH = 160.0  # mm


@cache
def _glyphs() -> frozenset[int]:
    """The code points DejaVu Sans (and its bold) can draw."""
    found: set[int] = set()
    for name in _FILES.values():
        font = TTFont(_FONTS / name, lazy=True)
        found.update(font.getBestCmap())
        font.close()
    return frozenset(found)


def clean(text: str) -> str:
    """Text the font can draw: characters it lacks (emoji, variation selectors) left out,
    tabs as spaces, other control characters dropped; line breaks kept."""
    glyphs = _glyphs()
    kept = []
    for char in text.replace("\r\n", "\n").replace("\t", "    "):
        if char == "\n" or (ord(char) >= 32 and ord(char) in glyphs):
            kept.append(char)
    return "".join(kept)


def _date(day: object) -> str:
    assert hasattr(day, "year")
    return f"{summary_text.format_day(day)} {day.year}"  # type: ignore[arg-type]


def period_text(source: Source) -> str:
    p = source.period
    return t("report.pdf.period", start=_date(p.start), end=_date(p.end))


class _Document(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self._footer_text = footer_text
        for style, name in _FILES.items():
            self.add_font(FONT, style, str(_FONTS / name))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN + 4)
        self.set_creator("Steady")
        self.set_lang(i18n.current())
        self._widths: dict[tuple[str, str], float] = {}

    def footer(self) -> None:
        self.set_y(-MARGIN + 2)
        self.set_font(FONT, "", LABEL_SIZE)
        self.set_text_color(*MUTED)
        text = t("report.pdf.footer", period=self._footer_text, page=self.page_no(), pages="{nb}")
        self.cell(0, 5, text, align="C")

    # --- text -------------------------------------------------------------------------------

    def _width(self, word: str) -> float:
        """A word's width in mm at the current font and size (per word, cached per font:
        fpdf2's own line breaking measures character by character and was 4/5 of the time)."""
        assert self.current_font is not None
        key = (self.current_font.fontkey, word)
        at_one = self._widths.get(key)
        if at_one is None:
            cw: Any = self.current_font.cw  # widths by code point, per 1000 units of the em
            at_one = sum(cw[ord(c)] for c in word) * 0.001 / self.k
            self._widths[key] = at_one
        return at_one * self.font_size_pt

    def _wrap(self, text: str) -> list[str]:
        width = self.w - self.l_margin - self.r_margin
        space = self._width(" ")
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line, used = "", 0.0
            for word in paragraph.split(" "):
                size = self._width(word)
                while size > width:  # a word longer than the line: cut where it fills
                    cut = max(1, int(len(word) * width / size))
                    while cut > 1 and self._width(word[:cut]) > width:
                        cut -= 1
                    if line:
                        lines.append(line)
                    lines.append(word[:cut])
                    line, used, word = "", 0.0, word[cut:]
                    size = self._width(word)
                if line and used + space + size > width:
                    lines.append(line)
                    line, used = word, size
                elif line:
                    line, used = f"{line} {word}", used + space + size
                else:
                    line, used = word, size
            lines.append(line)
        return lines

    def lines(
        self,
        text: str,
        size: float,
        style: str = "",
        colour: tuple[int, int, int] = INK,
        height: float = LINE,
    ) -> None:
        """Text wrapped to the page's width, a new page where it runs past the margin."""
        self.set_font(FONT, style, size)
        self.set_text_color(*colour)
        for line in self._wrap(clean(text)):
            if self.y + height > self.page_break_trigger:
                self.add_page()
                self.set_font(FONT, style, size)
                self.set_text_color(*colour)
            if line:
                self.text(self.l_margin, self.y + height * 0.76, line)
            self.y += height
        self.x = self.l_margin

    # --- pieces -----------------------------------------------------------------------------

    def heading(self, text: str) -> None:
        """A section's title, starting a new page."""
        self.add_page()
        self.lines(text, HEAD_SIZE, "B", ACCENT, 8)
        self.ln(3)

    def entry_heading(self, text: str) -> None:
        if self.will_page_break(22):  # a record's title is never left alone at a page's foot
            self.add_page()
        self.ln(2)
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(2.5)
        self.lines(text, BODY_SIZE + 1.5, "B", INK, 6)
        self.ln(1)

    def paragraph(self, text: str, *, size: float = BODY_SIZE, style: str = "") -> None:
        self.lines(text, size, style, INK, LINE if size <= BODY_SIZE else size * 0.5)

    def note(self, text: str) -> None:
        self.lines(text, LABEL_SIZE + 0.5, "", MUTED, LINE - 0.6)

    def field(self, label: str, value: str) -> None:
        if self.will_page_break(LINE * 2 + 4):
            self.add_page()
        self.lines(label, LABEL_SIZE, "B", MUTED, 4.4)
        self.paragraph(value)
        self.ln(1.6)

    def fields(self, found: Iterable[Field]) -> None:
        """Free text under its label; a choice or a number on one line after it."""
        for name, value, free in found:
            if value is None or value == "":
                continue
            label = t(f"history.fields.{name}")
            if free:
                self.field(label, value)
            else:
                self.lines(t("report.pdf.choice", label=label, value=value), BODY_SIZE)
                self.ln(1.6)


# --- the sections ---------------------------------------------------------------------------


def _cover(doc: _Document, source: Source) -> None:
    doc.add_page()
    doc.ln(40)
    doc.lines(t("report.pdf.title"), TITLE_SIZE, "B", ACCENT, 11)
    doc.ln(3)
    doc.lines(period_text(source), HEAD_SIZE, "", INK, 8)
    doc.ln(10)
    name = " ".join(clean(source.user.first_name or "").split())
    prepared = t("report.pdf.prepared_by", name=name) if name else t("report.pdf.prepared")
    doc.paragraph(prepared, size=BODY_SIZE + 1, style="B")
    doc.ln(4)
    doc.paragraph(t("report.pdf.about"))
    doc.ln(8)
    doc.lines(t("report.pdf.contents"), LABEL_SIZE + 1, "B", MUTED, 5)
    for name in source.sections:
        doc.paragraph(f"•  {t(f'report.pdf.{name}')}")
    doc.ln(8)
    doc.note(t("report.pdf.made_on", date=_date(source.today)))


def _overview(doc: _Document, source: Source) -> None:
    doc.heading(t("report.pdf.overview"))
    summary = source.summary()
    wanted = kept_sections(source.include)
    blocks = summary_text.figures(
        summary, compare=False, records="thoughts" in wanted, repairs="repairs" in wanted
    )
    for block in blocks:
        lines = [line for line in block if line]
        if lines:
            doc.paragraph("\n".join(lines))
            doc.ln(2.5)
    if not any(day.checkins_done for day in summary.chart):
        doc.note(t("report.pdf.no_checkins"))
        return
    doc.ln(2)
    svg = render_chart_svg(summary.chart, t("report.pdf.chart_title"))
    if doc.will_page_break(CHART_WIDTH * 2 / 3 + 12):
        doc.add_page()
    doc.image(io.BytesIO(svg), x=(doc.w - CHART_WIDTH) / 2, w=CHART_WIDTH)
    doc.ln(1)
    doc.note(t("report.pdf.chart_note"))


def _by_checkin(commitments: Sequence[Commitment]) -> Callable[[CheckIn], list[Commitment]]:
    """The commitments made in a check-in (by link, or the same morning), as /history shows."""
    linked: dict[int, list[Commitment]] = {}
    by_day: dict[object, list[Commitment]] = {}
    for c in commitments:
        if c.checkin_id is not None:
            linked.setdefault(c.checkin_id, []).append(c)
        else:
            by_day.setdefault(c.local_date, []).append(c)

    def of(entry: CheckIn) -> list[Commitment]:
        found = linked.get(entry.id or -1, [])
        return found + by_day.get(entry.local_date, []) if entry.kind == "morning" else found

    return of


def _checkins(doc: _Document, source: Source) -> None:
    doc.heading(t("report.pdf.checkins"))
    related = _by_checkin(source.commitments())
    for entry in source.rows("checkins"):
        kind = t("history.morning") if entry.kind == "morning" else t("history.evening")
        key = "history.heading" if entry.status == "completed" else "history.heading_unfinished"
        doc.entry_heading(t(key, kind=kind, date=_date(entry.local_date)))
        doc.fields(checkin_fields.fields(entry, related(entry)))


def _thoughts(doc: _Document, source: Source) -> None:
    doc.heading(t("report.pdf.thoughts"))
    entry: TriggerEntry
    for entry in source.rows("thoughts"):
        finished = entry.status == "completed"
        key = "report.pdf.thought" if finished else "report.pdf.thought_unfinished"
        doc.entry_heading(t(key, date=_date(entry.local_date)))
        doc.fields(trigger_fields.fields(entry))


def _repairs(doc: _Document, source: Source) -> None:
    doc.heading(t("report.pdf.repairs"))
    plan: RepairPlan
    for plan in source.rows("repairs"):
        finished = plan.status == "completed"
        key = "report.pdf.repair" if finished else "report.pdf.repair_unfinished"
        doc.entry_heading(t(key, date=_date(plan.local_date)))
        found = repair_fields.fields(plan)
        followup = [f for f in found if f[0] in ("followup", "followup_note")]
        doc.fields(f for f in found if f not in followup)
        if finished:
            doc.field(t("report.pdf.script"), repairs.script(plan))
        doc.fields(followup)


Writer = Callable[[_Document, Source], None]

#: Each section's writer, by name (``period.SECTIONS``).
WRITERS: dict[str, Writer] = {
    "overview": _overview,
    "checkins": _checkins,
    "thoughts": _thoughts,
    "repairs": _repairs,
}


def write(source: Source) -> bytes:
    """The whole report as PDF bytes (in memory)."""
    doc = _Document(period_text(source))
    doc.set_creation_date(datetime.combine(source.today, time(12), tzinfo=UTC))
    _cover(doc, source)
    for name in source.sections:
        WRITERS[name](doc, source)
    return bytes(doc.output())
