"""The progress line: count, rate and time left on a terminal; nothing elsewhere."""

import io

from locations.progress import Progress, Stages, duration


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self):
        return True


class Clock:
    """Seconds that pass only when a test says so."""

    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def reporter(total=100_000, stream=None, **options):
    clock = Clock()
    stream = Terminal() if stream is None else stream
    progress = Progress(total, stream, clock=clock, **options)
    progress.update(0)  # the work starts
    return progress, stream, clock


def test_a_redraw_shows_rows_done_the_rate_and_the_time_left():
    progress, stream, clock = reporter()
    clock.now += 1.0
    progress.update(8_400)
    assert stream.getvalue() == "\r8,400 / 100,000 rows · 8,400 rows/s · 11 s left"


def test_the_rate_counts_from_the_first_update_not_from_setting_up():
    clock = Clock()
    progress = Progress(1_000, Terminal(), clock=clock)
    clock.now += 5.0  # opening the file, reading the vocabularies
    progress.update(1)
    clock.now += 1.0
    progress.update(501)
    assert progress.stream.getvalue() == "\r501 / 1,000 rows · 501 rows/s · 1.0 s left"


def test_an_unknown_total_shows_the_count_and_rate_without_time_left():
    progress, stream, clock = reporter(total=None, unit="outlets")
    clock.now += 2.0
    progress.update(3_000)
    assert stream.getvalue() == "\r3,000 outlets · 1,500 outlets/s"


def test_a_count_past_an_estimated_total_stands_for_the_total():
    progress, stream, clock = reporter(total=10)
    clock.now += 1.0
    progress.update(12)
    assert stream.getvalue() == "\r12 / 12 rows · 12 rows/s · 0.0 s left"


def test_nothing_is_written_when_the_stream_is_not_a_terminal():
    progress, stream, clock = reporter(stream=io.StringIO())
    for done in range(1, 11):
        clock.now += 1.0
        progress.update(done)
    progress.finish()
    assert stream.getvalue() == ""


def test_is_tty_overrides_what_the_stream_says():
    progress, stream, clock = reporter(is_tty=False)
    clock.now += 1.0
    progress.update(5)
    progress.finish()
    assert stream.getvalue() == ""


def test_redraws_come_at_most_once_an_interval():
    progress, stream, clock = reporter()
    for done in range(1, 101):
        clock.now += 0.01  # a second in all: five intervals of 0.2 s
        progress.update(done)
    assert stream.getvalue().count("\r") == 5


def test_work_within_the_first_interval_writes_nothing_even_at_the_end():
    with reporter()[0] as progress:
        progress.clock.now += 0.1
        progress.update(50)
    assert progress.stream.getvalue() == ""


def test_finish_ends_the_line_with_the_count_the_rate_and_the_time_taken():
    progress, stream, clock = reporter(total=1_000)
    clock.now += 0.5
    progress.update(400)
    clock.now += 0.5
    progress.update(1_000)
    progress.finish()
    last = stream.getvalue().split("\r")[-1]
    assert last == "1,000 / 1,000 rows · 1,000 rows/s · done in 1 s\n"


def test_a_shorter_line_wipes_the_end_of_the_longer_one_before_it():
    progress, stream, clock = reporter(total=None)
    clock.now += 0.2
    progress.update(10_000)  # "10,000 rows · 50,000 rows/s"
    clock.now += 999.8
    progress.update(10_001)  # "10,001 rows · 10 rows/s"
    first, second = stream.getvalue().split("\r")[1:]
    assert second == "10,001 rows · 10 rows/s".ljust(len(first))


def test_iterate_passes_items_through_and_counts_them():
    progress = reporter(total=3)[0]
    assert list(progress.iterate("abc")) == ["a", "b", "c"]
    assert progress.done == 3


def test_durations_read_at_a_glance():
    assert [duration(s) for s in (0.42, 9.4, 59.6, 125, 3840)] == [
        "0.4 s",
        "9 s",
        "1 min 0 s",
        "2 min 5 s",
        "1 h 4 min",
    ]


def test_stages_draw_a_line_each_after_their_label():
    clock, stream = Clock(), Terminal()
    with Stages(stream, clock=clock, interval=0) as stages:
        for label in ("saving outlets", "writing hours"):
            update = stages(4, label)
            update(0)
            clock.now += 2.0
            update(4)
    lines = [line.rsplit("\r", 1)[-1] for line in stream.getvalue().split("\n")]
    assert lines == [
        "saving outlets: 4 / 4 rows · 2 rows/s · done in 2 s",
        "writing hours: 4 / 4 rows · 2 rows/s · done in 2 s",
        "",
    ]


def test_stages_write_nothing_when_not_on_a_terminal():
    stream = io.StringIO()
    with Stages(stream, interval=0) as stages:
        stages(4, "saving outlets")(4)
    assert stream.getvalue() == ""
