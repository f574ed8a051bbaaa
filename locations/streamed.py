"""Long staff work shown as it goes: a page sent in parts while the work runs.

An import of 100,000 outlets takes half a minute. Rather than a page that stays blank,
:func:`progress_page` sends the page's top at once, then a line of progress (rows done,
rate, time left) for each stage as the work reports it, then the work's outcome and the
page's end. The work runs in a thread of its own (with its own database connection and
the request's language); the response's iterator waits on what it reports. Nothing is
kept between requests, so any worker of any server can answer.

Compression is off for such a page: gzip would hold the lines back until the end (see
``axisfinder.middleware``), and ``X-Accel-Buffering: no`` asks nginx not to buffer it.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator

from django.db import connections
from django.http import StreamingHttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from .progress import Progress, Stages

logger = logging.getLogger(__name__)

#: Where the progress lines go in the page's template (its ``progress_mark``).
MARK = "<!-- progress -->"
#: Seconds between two lines of one stage: often enough to look alive, few enough to read.
INTERVAL = 0.5
_DONE = object()


class _PageProgress(Progress):
    """A stage's progress, whose lines go to a queue instead of a terminal."""

    def __init__(self, total, lines: queue.SimpleQueue, **options):
        super().__init__(total, None, is_tty=True, **options)
        self.lines = lines

    def start(self) -> None:
        """Show the stage at once, at nought done (then its last line is shown at the end
        however quick it was)."""
        self.update(0)
        self._drawn_at = self.started
        self._draw(self.line(self.started), end="")

    def _draw(self, text: str, end: str) -> None:
        self.lines.put(("line", text, self.done, self.total))


class PageStages(Stages):
    """The :data:`locations.importers.Stage` of a page: each stage's lines, queued."""

    def __init__(self, lines: queue.SimpleQueue, interval: float | None = None, clock=None):
        super().__init__(
            None,
            interval=INTERVAL if interval is None else interval,
            clock=clock or time.monotonic,
        )
        self.lines = lines

    def begin(self, total: int | None, label: str) -> _PageProgress:
        self.lines.put(("stage", label, 0, total))
        progress = _PageProgress(
            total, self.lines, label=label, unit=gettext("rows"), **self.options
        )
        progress.start()
        return progress


def progress_page(
    request,
    template: str,
    context: dict,
    work: Callable[[PageStages], dict],
    outcome_template: str,
) -> StreamingHttpResponse:
    """``template`` rendered with ``context`` around the progress of ``work``.

    ``work(stages)`` runs in a thread and returns the context of ``outcome_template``,
    which is sent after the progress lines; an unexpected error is logged and said in
    words instead. The template puts ``{{ progress_mark }}`` where the lines go.
    """
    page = render_to_string(template, {**context, "progress_mark": mark_safe(MARK)}, request)
    top, bottom = page.split(MARK, 1)
    lines: queue.SimpleQueue = queue.SimpleQueue()
    language = translation.get_language()
    outcome: dict = {}

    def run():
        try:
            with translation.override(language):
                stages = PageStages(lines)
                try:
                    outcome.update(work(stages))
                finally:
                    stages.finish()
        except Exception:
            logger.exception("streamed work failed")
            outcome["failed"] = True
        finally:
            connections.close_all()
            lines.put(_DONE)

    def parts() -> Iterator[str]:
        yield top
        thread = threading.Thread(target=run, name="progress-page", daemon=True)
        thread.start()
        in_stage = False
        while (item := lines.get()) is not _DONE:
            kind, text, done, total = item
            if kind == "stage":
                yield ("</div>" if in_stage else "") + '<div class="import-stage">'
                in_stage = True
            else:
                yield line_html(text, done, total)
        thread.join()
        if in_stage:
            yield "</div>"
        yield render_to_string(outcome_template, {**context, **outcome, "streamed": True}, request)
        yield bottom

    response = StreamingHttpResponse(parts(), content_type="text/html; charset=utf-8")
    response["X-Accel-Buffering"] = "no"
    response["Cache-Control"] = "no-store"
    response.progressive = True
    return response


def line_html(text: str, done: int, total: int | None) -> str:
    """One line of progress: its words, and a bar when the total is known."""
    if total:
        return format_html(
            '<p>{} <progress value="{}" max="{}">{}</progress></p>\n',
            text,
            min(done, total),
            total,
            f"{min(done, total) * 100 // total}%",
        )
    return format_html("<p>{}</p>\n", text)
