"""Small weekly chart for the summary message, rendered to PNG bytes.

Object API only (``Figure`` + ``FigureCanvasAgg``): no pyplot, no global rcParams changes, so a
render touches no shared state beyond matplotlib's own caches. Renders are still serialised with a
lock, which costs nothing at the bot's volume and keeps those caches safe when callers use
``render_week_chart_async`` (a worker thread).

Sized for a phone: 900x600 px, large fonts, Okabe-Ito colours plus distinct markers and line
styles so the two series stay apart without colour.
"""

from __future__ import annotations

import asyncio
import io
import math
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import matplotlib

matplotlib.use("Agg")

from matplotlib.axes import Axes  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.backends.backend_svg import FigureCanvasSVG  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from bot.content import i18n, t  # noqa: E402

WIDTH_IN, HEIGHT_IN, DPI = 6.0, 4.0, 150  # 900 x 600 px

# Okabe-Ito, colourblind-safe.
MORNING_COLOUR = "#E69F00"  # orange
EVENING_COLOUR = "#0072B2"  # blue
PRACTICE_COLOUR = "#D55E00"  # vermillion
DONE_COLOUR = "#009E73"  # bluish green
POSSIBLE_COLOUR = "#D9D9D9"  # light grey
TEXT_COLOUR = "#333333"

TITLE_SIZE = 17
LABEL_SIZE = 13
TICK_SIZE = 12
LEGEND_SIZE = 12

INTENSITY_MAX = 10.0
MARGINS = {"left": 0.1, "right": 0.98, "top": 0.87, "bottom": 0.17}
MAX_COUNTED_DAYS = 14  # "2/2" above each bar up to this many days; beyond, bars speak alone

_render_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class ChartDay:
    day: date
    morning_intensity: float | None
    evening_intensity: float | None
    checkins_done: int
    checkins_possible: int
    #: The distress after a closeness practice that day (0–10; the mean of several), if any.
    practice: float | None = None


def day_label(day: date) -> str:
    """Axis label for a day, e.g. ``"Mon 3"``, ``"Mo. 3"``, ``"пн 3"`` (CLDR, the current
    language: the chart is drawn in a worker thread that carries the update's context)."""
    return f"{i18n.weekday(day.weekday(), short=True)} {day.day}"


def label_step(n_days: int) -> int:
    """Label every day up to 8, every other up to 14, then one a week (never crowded)."""
    return 1 if n_days <= 8 else 2 if n_days <= 14 else 7


def _intensity(value: float | None) -> float:
    """NaN for missing values (a gap in the line), otherwise clamped to 0-10."""
    if value is None or math.isnan(value):
        return math.nan
    return min(max(float(value), 0.0), INTENSITY_MAX)


def _clean_title(title: str) -> str:
    """Drop emoji and other astral-plane characters the bundled font cannot draw."""
    kept = "".join(c for c in title if ord(c) <= 0xFFFF and c != "\ufe0f")
    return " ".join(kept.split())


def _style(ax: Axes) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#999999")
    ax.tick_params(labelsize=TICK_SIZE, colors=TEXT_COLOUR, length=0)


def _draw(days: Sequence[ChartDay], title: str, counted: bool = True) -> Figure:
    """``counted``: "2/2" above the bars (up to ``MAX_COUNTED_DAYS`` of them)."""
    days = sorted(days, key=lambda d: d.day)
    xs = list(range(len(days)))

    # A fixed layout (figure fractions): constrained layout cost ~40% of the render time.
    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    fig.patch.set_facecolor("white")
    practised = any(d.practice is not None for d in days)
    margins = {**MARGINS, "bottom": MARGINS["bottom"] + 0.06} if practised else MARGINS
    grid = fig.add_gridspec(2, 1, height_ratios=(3.2, 1.0), hspace=0.08, **margins)
    ax = fig.add_subplot(grid[0])
    strip = fig.add_subplot(grid[1], sharex=ax)

    ax.set_title(_clean_title(title), fontsize=TITLE_SIZE, color=TEXT_COLOUR, loc="left", pad=10)

    # Intensity lines (NaN leaves a gap; markers keep isolated points visible).
    morning = [_intensity(d.morning_intensity) for d in days]
    evening = [_intensity(d.evening_intensity) for d in days]
    ax.plot(
        xs, morning, color=MORNING_COLOUR, marker="o", markersize=7, linewidth=2.5,
        label=t("summary.chart_morning"),
    )  # fmt: skip
    ax.plot(
        xs, evening, color=EVENING_COLOUR, marker="s", markersize=7, linewidth=2.5,
        linestyle="--", label=t("summary.chart_evening"),
    )  # fmt: skip
    if practised:  # the distress after a closeness practice, on the same 0–10 scale
        ax.plot(
            xs, [_intensity(d.practice) for d in days], color=PRACTICE_COLOUR, marker="D",
            markersize=8, linewidth=0, label=t("summary.chart_practice"),
        )  # fmt: skip
    ax.set_ylim(-0.5, INTENSITY_MAX + 0.5)
    ax.set_yticks([0, 5, 10])
    ax.set_ylabel(t("summary.chart_intensity"), fontsize=LABEL_SIZE, color=TEXT_COLOUR)
    ax.grid(axis="y", color="#EEEEEE", linewidth=1)
    ax.set_axisbelow(True)
    ax.tick_params(axis="x", labelbottom=False)
    _style(ax)

    # Check-in strip: pale bar = possible, green bar = done, "2/2" on top.
    possible = [max(d.checkins_possible, d.checkins_done, 0) for d in days]
    done = [max(d.checkins_done, 0) for d in days]
    top = max(possible, default=0) or 1
    strip.bar(xs, possible, width=0.6, color=POSSIBLE_COLOUR, label="_possible")
    strip.bar(xs, done, width=0.6, color=DONE_COLOUR, label=t("summary.chart_done"))
    for x, n_done, n_possible in zip(xs, done, possible, strict=True):
        if counted and n_possible and len(days) <= MAX_COUNTED_DAYS:
            strip.annotate(
                f"{n_done}/{n_possible}", (x, n_possible), xytext=(0, 2),
                textcoords="offset points", ha="center", va="bottom",
                fontsize=TICK_SIZE - 1, color=TEXT_COLOUR,
            )  # fmt: skip
    strip.set_ylim(0, top * 1.45)
    strip.set_yticks([])
    _style(strip)
    strip.spines["left"].set_visible(False)

    if days:
        step = label_step(len(days))
        strip.set_xticks(xs[::step], [day_label(d.day) for d in days[::step]])
        strip.set_xlim(-0.6, max(len(days), 7) - 0.4)  # a lone day keeps its slot width
    else:
        strip.set_xticks([])
        strip.set_xlim(-0.6, 6.6)
        ax.text(
            0.5, 0.5, t("summary.chart_empty"), transform=ax.transAxes, ha="center",
            va="center", fontsize=LABEL_SIZE + 1, color="#777777",
        )  # fmt: skip

    lines = ax.get_lines()[: 3 if practised else 2]
    handles = [*lines, Patch(color=DONE_COLOUR, label=t("summary.chart_done"))]
    fig.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, 0.0),
        ncols=2 if practised else 3,  # four entries: two rows, so longer words fit
        frameon=False,
        fontsize=LEGEND_SIZE,
    )
    return fig


def render_week_chart(days: Sequence[ChartDay], title: str) -> bytes:
    """PNG bytes (900x600) of morning/evening intensity and check-ins done per day.

    Thread-safe; blocking (tens of milliseconds). From async code use
    :func:`render_week_chart_async`.
    """
    days = tuple(days)
    with _render_lock:
        fig = _draw(days, title)
        canvas = FigureCanvasAgg(fig)
        buffer = io.BytesIO()
        canvas.print_png(buffer, metadata={"Software": None})
    return buffer.getvalue()


_SVG_METADATA = re.compile(rb"<metadata>.*?</metadata>", re.DOTALL)


def render_chart_svg(days: Sequence[ChartDay], title: str) -> bytes:
    """The same chart as SVG (text drawn as paths: no font needed to show it), for /report's
    PDF, where it stays vector; bars without their counts (its periods are longer). Thread-safe;
    blocking."""
    days = tuple(days)
    with _render_lock:
        fig = _draw(days, title, counted=False)
        buffer = io.BytesIO()
        FigureCanvasSVG(fig).print_svg(buffer, metadata={"Date": None})
    return _SVG_METADATA.sub(b"", buffer.getvalue())  # (fpdf2 warns about <metadata>)


async def render_week_chart_async(days: Sequence[ChartDay], title: str) -> bytes:
    """:func:`render_week_chart` in a worker thread, so the event loop keeps running."""
    return await asyncio.to_thread(render_week_chart, tuple(days), title)


def warm_up() -> None:
    """Render once, off the hot path (e.g. at bot start-up): loads fonts and caches."""
    render_week_chart([], "")
