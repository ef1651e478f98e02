"""The papers-tui application: wires the store, the state and the widgets together."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
from collections.abc import Iterable
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.markup import escape as escape_markup
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Header, Input, Static
from textual.worker import Worker, WorkerState, get_current_worker

from parsing.clean import clean_text
from parsing.links import is_arxiv_id
from parsing.model import Paper
from parsing.sources import ParseReport
from tui.core.config import ACTION_KEYS, Config, ConfigError, write_theme
from tui.core.counts import MarkCounter
from tui.core.export import export_filename, markdown_link, paper_links, write_export
from tui.core.exports.formats import FORMATS
from tui.core.exports.items import export_items
from tui.core.feeds import DayFeed, Feed, RangeFeed, SampleFeed
from tui.core.loader import FirstBatch, load_feeds
from tui.core.marks.model import split_tags
from tui.core.paths import default_config_path, default_export_dir
from tui.core.query import Query, parse_query
from tui.core.state.triage_state import CloseResult, TriageState
from tui.core.store import PaperStore
from tui.core.triage import Change, Triage
from tui.core.view import SortOrder, ViewMode, cycle, sort_positions, with_view_mode
from tui.hangup import HangUpHandler
from tui.messages import (
    AbstractsIndexed,
    DayLoaded,
    FeedFinished,
    PapersArrived,
    StateChanged,
    ViewReady,
)
from tui.render.lines import PlainHorizontal
from tui.runtime import AppRuntime
from tui.screens.main import MainScreen
from tui.screens.reader import ReaderScreen
from tui.widgets.detail import DetailPane, tag_line
from tui.widgets.filter_input import FilterInput
from tui.widgets.key_footer import KeyFooter
from tui.widgets.paper_list import PaperList
from tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from tui.core.search.index import SearchIndex

REFILTER_WHILE_LOADING_SECONDS = 0.5
# A filter's error shows once typing pauses this long (see `PapersApp._show_query_error`).
QUERY_ERROR_DELAY = 0.4
RANGE_PROGRESS_SECONDS = 0.25
BROWSER_LOCK = threading.Lock()  # see `PapersApp.open_in_browser`
# The first frame waits this long at most for the first papers of a local feed (they come
# within milliseconds), so that it shows them: see `tui.core.loader.FirstBatch`.
FIRST_BATCH_WAIT_SECONDS = 0.1
CONFIG_PROBLEM_SECONDS = 24 * 60 * 60  # "until dismissed": Textual's toasts always time out


class PapersApp(App[int]):
    """List pane, detail pane, live filter and keyboard triage."""

    CSS_PATH = "app.tcss"
    TITLE = "papers-tui"

    # Every key is a priority binding: Textual then handles keys in the order they arrive,
    # at the app, instead of queueing some at the widget that had focus when they arrived
    # (keys typed fast after `/`, Enter or `?` would reach the wrong widget or screen).
    # `check_action` hands letters to an Input whenever one has focus.
    #
    # Screens own the keys that are theirs alone: the reader's and help's way back (Escape,
    # and q in the reader) and their scrolling (tui/screens/). The keys here stay with the
    # app: the triage keys (r, s, n, p, u, o, O, y, Y, e, v, S, d, [, ], ?) act on the main screen
    # and in the reader alike, and a key typed right after Enter must reach the reader in
    # order; the list's own keys (q, /, Escape, Enter, the moves) would fit the main screen,
    # but the footer and the help list the app's bindings before a screen's, in this order,
    # so moving them would reorder both. `check_action` turns off the ones that do not apply
    # where the user is (the reader's j, k and q scroll and go back instead; J and K,
    # the reader's next and previous paper, are the reader's alone).
    #
    # Each binding's id is the action name of the config's `[keys]` (`tui.core.config`, which
    # holds the default keys); `App.set_keymap` applies the user's keys.
    # ctrl+c alone has no id: no config may move it (`RESERVED_KEYS`).
    BINDINGS = [
        Binding(
            ",".join(ACTION_KEYS[name]) if name else "ctrl+c",
            action,
            description,
            show=show,
            key_display=display,
            priority=True,
            id=name,
        )
        for name, action, description, show, display in [
            ("quit", "quit", "Quit", True, None),
            (None, "interrupt", "Quit from any screen (the marks are saved)", False, None),
            ("help", "help", "Help", True, "?"),
            ("filter", "focus_filter", "Filter", True, "/"),
            ("clear_filter", "clear_filter", "Clear filter", False, "Esc"),
            ("read_full", "read_full", "Read full-screen", False, None),
            ("down", "move('cursor_down')", "Down", False, "j/↓"),
            ("up", "move('cursor_up')", "Up", False, "k/↑"),
            ("top", "move('first')", "Top", False, "g/Home"),
            ("bottom", "move('last')", "Bottom", False, "G/End"),
            ("page_down", "move('page_down')", "Page down", False, "PgDn"),
            ("page_up", "move('page_up')", "Page up", False, "PgUp"),
            ("read", "toggle_read", "Read", True, None),
            ("star", "toggle_star", "Star", True, None),
            ("note", "edit_note", "Write the paper's note", False, None),
            ("tags", "edit_tags", "Edit the paper's tags", False, None),
            ("next_unread", "next_unread", "Next unread", True, None),
            ("previous_unread", "previous_unread", "Previous unread", False, None),
            ("mark_all_read", "mark_all_read", "Mark all shown read", False, None),
            ("undo", "undo", "Undo", True, None),
            ("open", "open_browser", "Open in browser", False, None),
            ("open_links", "open_links", "Open one of the paper's links", False, None),
            ("copy_link", "copy_link", "Copy markdown link", False, None),
            ("copy_arxiv_id", "copy_arxiv_id", "Copy the arXiv id", False, None),
            ("export", "export", "Export starred", True, None),
            ("export_as", "export_as", "Export starred as…", False, None),
            ("view", "cycle_view", "View", True, None),
            ("sort", "cycle_sort", "Sort", True, None),
            ("detail", "toggle_detail", "Toggle detail pane", False, None),
            ("tldr_rows", "toggle_tldr_rows", "TL;DR under each row", False, None),
            ("reader_next", "reader_move(1)", "(in the reader) next paper", False, None),
            ("reader_previous", "reader_move(-1)", "(in the reader) previous paper", False, None),
            ("previous_day", "change_day(-1)", "Previous day", False, "["),
            ("next_day", "change_day(1)", "Next day", False, "]"),
            ("redraw", "redraw", "Redraw the screen", False, None),
        ]
    ]

    def __init__(
        self,
        feeds: list[Feed],
        state: TriageState,
        *,
        export_dir: Path | None = None,
        today: date | None = None,
        config: Config | None = None,
        config_path: Path | None = None,
        config_problem: str | None = None,
    ) -> None:
        """`config`: the user's options, checked (`tui.core.config`); `config_problem`: why
        the config file was not used, shown until dismissed."""
        super().__init__()
        self.config = config or Config()
        self.config_path = config_path or default_config_path()
        self.config_problem = config_problem
        self.runtime = AppRuntime()  # process-wide settings, from Load to Unmount
        self.feeds = feeds
        self.state = state
        self.triage = Triage(state)
        self.export_dir = export_dir or self.config.export_dir or default_export_dir()
        self.today = today or date.today()
        self.store = PaperStore()
        self.counts = MarkCounter(self.store, state)
        self._index: SearchIndex | None = None  # made on first use: see `search_index`
        self._index_lock = threading.Lock()
        self._first_batch = FirstBatch()
        # The loader waits for this after its first batch (see `after_first_paint`).
        self._resume_loading = threading.Event()
        self._first_batch_shown = False
        self.view_mode = self.config.view
        self.sort_order = self.config.sort
        self.filter_query = parse_query("")
        self.generation = 0
        self._view_shown_for: tuple[tuple[str, ...], bool] | None = None  # see on_view_ready
        self.loading = True
        self.problems: list[str] = []
        self.close_result: CloseResult | None = None
        self._refilter_pending = False
        self._range_progress: Timer | None = None
        self._query_error_timer: Timer | None = None

    # -- layout ---------------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        return MainScreen(id="_default")

    def compose(self) -> ComposeResult:
        yield Header()
        with PlainHorizontal(id="panes"):
            yield PaperList(
                self.store,
                self.state.is_read,
                self.state.is_starred,
                self.state.shown_tags,
                id="papers",
            )
            yield DetailPane(id="detail")
        with PlainHorizontal(id="filter-bar"):
            yield Static("/", id="filter-prompt")
            yield FilterInput(
                placeholder="filter: words, abs:word, is:unread, is:starred", id="filter"
            )
        yield StatusLine(id="status")
        yield KeyFooter()

    @property
    def busy(self) -> bool:
        """Papers loading, another day loading or a view being computed (what tests await)."""
        return self.loading or any(
            worker.group in ("filter", "day") and worker.is_running for worker in self.workers
        )

    @property
    def shows_everything_in_list_order(self) -> bool:
        """No filter, view or sort: new papers go at the end of the list as they come."""
        return (
            self.filter_query.is_empty
            and self.view_mode is ViewMode.ALL
            and self.sort_order is SortOrder.LIST
        )

    @property
    def paper_list(self) -> PaperList:
        return self.query_one(PaperList)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#filter", Input)

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    def on_mount(self) -> None:
        self._apply_config()
        self.describe_sources()
        self._show_days_in_rows()
        if any(isinstance(feed, RangeFeed) for feed in self.feeds):
            # days done and days failed, also while no paper arrives (a day without a list)
            self._range_progress = self.set_interval(RANGE_PROGRESS_SECONDS, self._show_progress)
        self.paper_list.focus()
        self.paper_list.highlighter = self._highlight
        self.paper_list.show_tldr(self.config.tldr_rows)
        self.watch(self.paper_list, "cursor", self._show_current, init=False)
        self.status.reading = True
        self._show_notices()
        for problem in self.problems:  # inputs the command line already refused
            self.notify(problem, severity="error", timeout=20)
        self.state.start(on_external_change=lambda: self.post_message(StateChanged()))
        self._watch_signals()
        remote = any(feed.remote for feed in self.feeds)
        batch = self._first_batch.take(0 if remote else FIRST_BATCH_WAIT_SECONDS)
        if batch is not None:
            self.on_papers_arrived(PapersArrived(*batch))

    def _apply_config(self) -> None:
        """The theme and keys of the config; a theme chosen later is saved to the file."""
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme
        self.set_keymap({name: ",".join(keys) for name, keys in self.config.keys.items()})
        self.watch(self, "theme", self._save_theme, init=False)
        if self.config_problem:  # shown until dismissed (a click), as a toast cannot be pinned
            self.notify(self.config_problem, severity="error", timeout=CONFIG_PROBLEM_SECONDS)

    def _save_theme(self, theme: str) -> None:
        if self.config_problem:  # a file we could not read is not rewritten
            return
        try:
            write_theme(self.config_path, theme)
        except ConfigError as error:
            self.notify(str(error), severity="error", timeout=15)

    def on_load(self) -> None:
        """Start reading before the screen is composed: the first batch is then ready
        (or nearly) when `on_mount` takes it."""
        self.runtime.start(self)
        self.load()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self.runtime.collector.note_input()
        await super().on_event(event)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A toast. Ours carry text from data and from the user's paths (titles, file
        names, server messages), so they are plain text, cleaned (`parsing.clean`), unless
        a caller passes `markup=True` for text of its own (Textual's own toasts do)."""
        super().notify(
            clean_text(message), title=title, severity=severity, timeout=timeout, markup=markup
        )

    def _show_notices(self) -> None:
        for notice in self.state.take_notices():
            self.notify(notice, severity="warning", timeout=15)

    def _watch_signals(self) -> None:
        """SIGTERM quits cleanly, so the marks are saved; SIGHUP too (`tui.hangup`)."""
        loop = asyncio.get_running_loop()
        # not possible off the main thread (tests) or where the signal does not exist
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signal.SIGTERM, self.exit)
        self.runtime.answer_hang_ups(
            HangUpHandler(
                lambda: loop.call_soon_threadsafe(self.exit), lambda: self.state.close().ok
            )
        )

    # -- loading --------------------------------------------------------------------------

    @work(thread=True, group="load", exit_on_error=False)
    def load(self) -> None:
        worker = get_current_worker()

        def cancelled() -> bool:
            return worker.is_cancelled

        def on_papers(feed: Feed, new: list[int], merged: list[int]) -> None:
            self.post_message(PapersArrived(feed, new, merged))

        def on_finished(feed: Feed, report: ParseReport, problem: str | None) -> None:
            self.post_message(FeedFinished(feed, report, problem))

        reports = self._first_batch.reporting(on_papers, on_finished)
        load_feeds(self.feeds, self.store, *reports, cancelled, self._resume_loading)

    def on_papers_arrived(self, event: PapersArrived) -> None:
        if not self.is_running:  # shutting down without `exit` (as `run_test` does): no screen
            return
        feed = event.feed
        if feed.note and feed.note not in self.sub_title:
            self.describe_sources()
        self._notify_problems(feed)
        if self.shows_everything_in_list_order:
            self.paper_list.extend_view(event.new)
        else:
            self._schedule_refilter()
        if not self._first_batch_shown:
            self._first_batch_shown = True
            self.call_after_refresh(self.after_first_paint)
        self.runtime.freeze()  # the papers live as long as the app
        self.counts.add(event.new)
        if event.merged and self._index is not None:  # a new index reads the merged papers
            for position in event.merged:
                self._index.refresh(position, self.store[position])
        if event.merged:
            self.paper_list.refresh()
        self._refresh_status()

    def on_feed_finished(self, event: FeedFinished) -> None:
        if not self.is_running:
            return
        self._notify_problems(event.feed)
        if event.problem:
            self.problems.append(event.problem)
            self.notify(event.problem, severity="error", timeout=20)
        for warning in event.report.warnings():
            self.notify(warning, severity="warning", timeout=10)
        if event.feed is self.feeds[-1]:
            self.loading = False
            if self._range_progress is not None:
                self._range_progress.stop()
            self.describe_sources(with_lists=True)
            self.index_papers()
            if self.problems and not len(self.store):
                from tui.screens.load_failed import LoadFailedScreen

                problems = "\n".join(map(clean_text, self.problems))
                self.push_screen(LoadFailedScreen(problems), self._after_load_failed)
            if not self.shows_everything_in_list_order:
                self.refilter()
        self._refresh_status()

    @work(thread=True, group="marks", exit_on_error=False)
    def after_first_paint(self) -> None:
        """Make the marks the state left for later (`TriageState.make_marks`), then let the
        loader go on: meanwhile only the UI thread, idle after its first frame, shares the
        interpreter lock with this one, and no batch of papers waits for the marks. Then
        parse a state file the cache had not seen (`TriageState.finish_loading`): the rows
        take their marks when it is done (`on_state_changed`)."""
        try:
            self.state.make_marks()
        finally:
            self._resume_loading.set()
        self.state.finish_loading()

    def _after_load_failed(self, open_sample: bool | None) -> None:
        if not open_sample:
            self.exit(return_code=1)
            return
        self.feeds = [SampleFeed()]
        self.describe_sources()
        self.loading = True
        self.load()

    # -- other days of the Hugging Face list ----------------------------------------------

    def action_change_day(self, step: int) -> None:
        range_feeds = [feed for feed in self.feeds if isinstance(feed, RangeFeed)]
        if range_feeds:  # a range moves by its length (future days are not asked for)
            span = range_feeds[0].span.shifted(step)
            self.notify(f"Loading {span.label}…")
            self.load_other_day(RangeFeed("Daily Papers", span=span))
            return
        day_feeds = [feed for feed in self.feeds if isinstance(feed, DayFeed)]
        if not day_feeds or day_feeds[0].opened_day is None:
            self.notify("[ and ] move between days of the Hugging Face list", severity="warning")
            return
        day = day_feeds[0].opened_day + timedelta(days=step)
        self.notify(f"Loading {day.isoformat()}…")
        self.load_other_day(DayFeed("Daily Papers", day=day, seek=step))

    @work(thread=True, exclusive=True, group="day", exit_on_error=False)
    def load_other_day(self, feed: DayFeed | RangeFeed) -> None:
        """Read another day (or range) into a store of its own; the current list stays usable
        meanwhile."""
        worker = get_current_worker()
        store = PaperStore()

        def on_finished(_feed: Feed, _report: ParseReport, problem: str | None) -> None:
            if not worker.is_cancelled:
                self.post_message(DayLoaded(feed, store, problem))

        load_feeds([feed], store, lambda *_: None, on_finished, lambda: worker.is_cancelled)

    def on_day_loaded(self, event: DayLoaded) -> None:
        if event.problem or not len(event.store):
            problem = event.problem or f"No papers for {event.feed.name}"
            self.notify(problem, severity="error")
            return
        if event.feed.note:  # the days passed without a list, or offline
            self.notify(event.feed.note)
        self.feeds = [event.feed]
        self.store = event.store
        with self._index_lock:
            self._index = None
        self.workers.cancel_group(self, "abstracts")  # they were the old store's
        self.counts = MarkCounter(self.store, self.state)
        self.counts.add(range(len(self.store)))
        self.paper_list.store = self.store
        self._show_days_in_rows()
        self.describe_sources(with_lists=True)
        self.paper_list.set_view(list(range(len(self.store))))
        self.refilter()
        self.index_papers()

    def describe_sources(self, *, with_lists: bool = False) -> None:
        """The header: what is open, which lists it holds, and any note (offline, other day)."""
        parts = [", ".join(Path(feed.name).name for feed in self.feeds)]
        if with_lists:
            labels = list(dict.fromkeys(label for paper in self.store for label in paper.lists))
            if labels:
                more = f" +{len(labels) - 3} more" if len(labels) > 3 else ""
                parts.append("list " + ", ".join(labels[:3]) + more)
        parts += [feed.note for feed in self.feeds if feed.note]
        self.sub_title = clean_text(" · ".join(parts))  # file names are outside text too

    def _show_days_in_rows(self) -> None:
        """Each row names its day when the list holds several days of the Hugging Face list."""
        self.paper_list.show_day = any(feed.spans_days for feed in self.feeds)

    def _notify_problems(self, feed: Feed) -> None:
        """Parts of a feed that failed while the rest loads (a day of a range): a line each."""
        for problem in feed.take_problems():
            self.notify(problem, severity="error", timeout=20)

    def _show_progress(self) -> None:
        for feed in self.feeds:
            self._notify_problems(feed)
        self._refresh_status()

    def _schedule_refilter(self) -> None:
        if not self._refilter_pending:
            self._refilter_pending = True
            self.set_timer(REFILTER_WHILE_LOADING_SECONDS, self._run_scheduled_refilter)

    def _run_scheduled_refilter(self) -> None:
        self._refilter_pending = False
        self.refilter()

    # -- filtering ------------------------------------------------------------------------

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.filter_query = parse_query(event.value)
        self._show_query_error()
        self.refilter()

    def _show_query_error(self) -> None:
        """The filter's error in the status line once typing pauses; no error clears it at
        once. A qualifier typed on passes through errors ("is:", "is:u") that would flash
        by, each adding a row to the status line and taking it away: the list moving under
        the keys, and a layout of the whole screen on each of them."""
        if self._query_error_timer is not None:
            self._query_error_timer.stop()
            self._query_error_timer = None
        if self.filter_query.error is None:
            self.status.query_error = None
        else:
            self._query_error_timer = self.set_timer(
                QUERY_ERROR_DELAY,
                lambda: setattr(self.status, "query_error", self.filter_query.error),
            )

    def focus_now(self, widget: Widget) -> None:
        """Move focus before the next key is handled (`Widget.focus` waits a turn)."""
        self.screen.set_focus(widget)

    def refilter(self) -> None:
        """Recompute the view off the event loop; only the newest result is shown."""
        self.generation += 1
        query = with_view_mode(self.filter_query, self.view_mode)
        self.compute_view(self.generation, query, self.sort_order)

    @work(thread=True, exclusive=True, group="filter", exit_on_error=False)
    def compute_view(self, generation: int, query: Query, order: SortOrder) -> None:
        worker = get_current_worker()

        def cancelled() -> bool:
            return worker.is_cancelled

        index = self.search_index()
        index.sync(self.store, cancelled)
        counts = self.counts
        matched = index.match(
            query, None, counts.read_flags, counts.starred_flags, cancelled, self.state.marks()
        )
        if matched is None or cancelled():
            return
        self.post_message(ViewReady(generation, sort_positions(self.store, matched, order)))

    @property
    def abstracts_wanted(self) -> bool:
        """`abs:` is typed and some abstracts are not indexed yet (papers that arrived later)."""
        return self.filter_query.reads_abstracts and self.indexed_abstracts < len(self.store)

    def _index_abstracts_if_wanted(self) -> None:
        """Index the abstracts before the first `abs:` word needs them."""
        running = any(w.group == "abstracts" and w.is_running for w in self.workers)
        if self.abstracts_wanted and not running:
            self.index_abstracts()

    @work(thread=True, group="abstracts", exit_on_error=False)
    def index_abstracts(self) -> None:
        worker = get_current_worker()
        if self.search_index().index_abstracts(lambda: worker.is_cancelled):
            self.post_message(AbstractsIndexed())

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def index_papers(self) -> None:
        """Index everything loaded, so the first filter need not wait for it."""
        worker = get_current_worker()
        self.search_index().sync(self.store, lambda: worker.is_cancelled)

    def search_index(self) -> SearchIndex:
        """The filter's index, made on first use, by a worker: importing numpy for it takes
        ~0.15 s, which the first paint should not wait for."""
        with self._index_lock:
            if self._index is None:
                from tui.core.search.index import SearchIndex

                self._index = SearchIndex()
            return self._index

    @property
    def indexed(self) -> int:
        """How many papers the filter's index holds."""
        index = self._index
        return 0 if index is None else index.indexed

    @property
    def indexed_abstracts(self) -> int:
        """How many papers `abs:` words can read without indexing more abstracts first."""
        index = self._index
        return 0 if index is None else index.abstracts_indexed

    def on_abstracts_indexed(self) -> None:
        self._refresh_status()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        group = event.worker.group
        if group == "index":
            self.status.indexing = event.worker.is_running
        if group in ("index", "marks") and event.state is WorkerState.SUCCESS:
            self.runtime.freeze()  # the index and the marks live as long as the app
        if group == "marks" and event.state is WorkerState.SUCCESS:  # notes and tags to show
            self.paper_list.refresh()
            self._show_current()

    def on_view_ready(self, event: ViewReady) -> None:
        if event.generation != self.generation:
            return
        papers = self.paper_list
        shown_for = (self.filter_query.words, not self.shows_everything_in_list_order)
        if event.view == papers.view and shown_for == self._view_shown_for:
            # The same rows, highlighted alike (an abs: word typed on, say): no repaint of
            # the list; the abstract's highlights may have changed.
            self._show_current()
        else:
            papers.set_view(event.view, papers.current, shown_for[1])
            self._view_shown_for = shown_for
        self._refresh_status()
        self.call_after_refresh(self._index_abstracts_if_wanted)  # once the list is painted

    def _read_at(self, position: int) -> bool:
        return self.state.is_read(self.store[position].key)

    def _highlight(self, title: str) -> list[tuple[int, int]]:
        if not self.filter_query.words:
            return []
        from tui.core.highlight import title_highlights

        return title_highlights(title, self.filter_query)

    # -- the paper under the cursor -------------------------------------------------------

    @property
    def current_paper(self) -> Paper | None:
        position = self.paper_list.current
        return None if position is None else self.store[position]

    def _show_current(self) -> None:
        paper = self.current_paper
        read = paper is not None and self.state.is_read(paper.key)
        starred = paper is not None and self.state.is_starred(paper.key)
        mark = self.state.shown_mark(paper.key) if paper is not None else None
        shown = {
            "read": read,
            "starred": starred,
            "abstract_words": self.filter_query.abstract_words,
            "note": mark.note if mark is not None else "",
            "tags": mark.tags if mark is not None else (),
        }
        self.query_one(DetailPane).show(paper, **shown)
        if isinstance(self.screen, ReaderScreen):
            self.screen.show(paper, **shown)

    def _marks_changed(self, changes: list[Change] | None = None) -> None:
        """Repaint after marks changed: `changes` made here, or None for a full recount."""
        if changes is None:
            self.counts.recount()
        else:
            self.counts.apply(changes)
        self.paper_list.refresh()
        self._show_current()
        self._refresh_status()

    def on_state_changed(self) -> None:
        self._show_notices()
        self._marks_changed()

    def _refresh_status(self) -> None:
        status = self.status
        status.shown = len(self.paper_list.view)
        status.total = len(self.store)
        status.unread = self.counts.unread
        status.starred = self.counts.starred
        status.view_label = self.view_mode.value
        status.sort_label = self.sort_order.value
        status.reading = self.loading
        status.days = next(
            (f"days {f.days_done}/{len(f.span)}" for f in self.feeds if isinstance(f, RangeFeed)),
            "",
        )
        status.indexing_abstracts = self.abstracts_wanted
        status.reading_marks = self.state.loading
        status.save_error = self.state.save_error
        status.read_only = self.state.read_only

    # -- triage ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "interrupt":  # ctrl+c quits from any screen
            return True
        focused = self.focused
        on_main_screen = len(self.screen_stack) == 1
        if isinstance(focused, Input):  # typing: only the filter's own Enter and Escape
            in_filter = on_main_screen and focused is self.filter_input
            return in_filter and action in ("leave_filter", "clear_filter")
        if isinstance(self.screen, ModalScreen):  # help, palette, load failure: their keys
            return False
        reading = isinstance(self.screen, ReaderScreen)
        if action in ("move", "quit"):
            return not reading  # the reader's own keys scroll the text, and q goes back
        return {
            "focus_filter": on_main_screen,
            "clear_filter": on_main_screen,
            "leave_filter": False,
            "read_full": on_main_screen,
            "reader_move": reading,
        }.get(action, True)

    def action_move(self, how: str) -> None:
        getattr(self.paper_list, f"action_{how}")()

    def action_toggle_read(self) -> None:
        paper = self.current_paper
        if paper is None:
            return
        changes = self.triage.toggle(paper, "read")
        if self.state.is_read(paper.key) and not isinstance(self.screen, ReaderScreen):
            self._move_to_unread(forward=True)  # in the reader, the paper stays put
        self._marks_changed(changes)

    def action_toggle_star(self) -> None:
        if (paper := self.current_paper) is not None:
            self._marks_changed(self.triage.toggle(paper, "starred"))

    # -- notes and tags -------------------------------------------------------------------

    def action_edit_note(self) -> None:
        from tui.screens.note import NoteScreen

        if (paper := self.current_paper) is not None:
            screen = NoteScreen(paper.title, self.state.note(paper.key))
            self.push_screen(screen, partial(self._note_edited, paper))

    def _note_edited(self, paper: Paper, text: str | None) -> None:
        if text is None:
            self.notify("Note not saved (Escape)")
            return
        changes = self.triage.set_note(paper, text)
        if not changes:
            self.notify("Note unchanged")
            return
        self.notify("Note saved (u undoes)" if self.state.note(paper.key) else "Note removed")
        self._marks_changed(changes)

    def action_edit_tags(self) -> None:
        from tui.screens.tags import TagsScreen

        if (paper := self.current_paper) is not None:
            in_use = list(self.state.tags_in_use())
            screen = TagsScreen(paper.title, self.state.tags(paper.key), in_use)
            self.push_screen(screen, partial(self._tags_edited, paper))

    def _tags_edited(self, paper: Paper, line: str | None) -> None:
        if line is None:
            self.notify("Tags not changed (Escape)")
            return
        changes = self.triage.set_tags(paper, split_tags(line))
        if not changes:
            self.notify("Tags unchanged")
            return
        tags = self.state.tags(paper.key)
        self.notify(f"Tags: {tag_line(tags)} (u undoes)" if tags else "Tags removed")
        self._marks_changed(changes)

    def action_mark_all_read(self) -> None:
        papers = [self.store[position] for position in self.paper_list.view]
        changes = self.triage.set(papers, "read", True)
        self.notify(f"Marked {len(changes)} papers read (u undoes)")
        self._marks_changed(changes)

    def action_undo(self) -> None:
        changes = self.triage.undo()
        if not changes:
            self.notify("Nothing to undo")
            return
        position = self.store.position(changes[0].paper.key)
        if position is not None:
            self.paper_list.move_to(position)
        self.notify(f"Undid {len(changes)} change{'s' if len(changes) != 1 else ''}")
        self._marks_changed(changes)

    def action_next_unread(self) -> None:
        if not self._move_to_unread(forward=True):
            self.notify("No unread paper below")

    def action_previous_unread(self) -> None:
        if not self._move_to_unread(forward=False):
            self.notify("No unread paper above")

    def _move_to_unread(self, *, forward: bool) -> bool:
        papers = self.paper_list
        rows: Iterable[int] = (
            range(papers.cursor + 1, len(papers.view))
            if forward
            else range(papers.cursor - 1, -1, -1)
        )
        for row in rows:
            if not self._read_at(papers.view[row]):
                papers.cursor = row
                return True
        return False

    # -- views, filter, screens -----------------------------------------------------------

    def action_focus_filter(self) -> None:
        self.focus_now(self.filter_input)

    def action_leave_filter(self) -> None:
        self.focus_now(self.paper_list)

    def action_clear_filter(self) -> None:
        self.filter_input.value = ""
        self.focus_now(self.paper_list)

    def action_cycle_view(self) -> None:
        self.view_mode = cycle(self.view_mode)
        self.refilter()
        self._refresh_status()

    def action_cycle_sort(self) -> None:
        self.sort_order = cycle(self.sort_order)
        self.refilter()
        self._refresh_status()

    def action_toggle_detail(self) -> None:
        self.query_one(DetailPane).toggle_class("hidden")

    def action_toggle_tldr_rows(self) -> None:
        papers = self.paper_list
        papers.show_tldr(not papers.shows_tldr)

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.key_reference()))

    def action_read_full(self) -> None:
        if self.current_paper is not None:
            self._mark_read_on_open()
            self.push_screen(ReaderScreen())
            self.call_after_refresh(self._show_current)

    def action_reader_move(self, step: int) -> None:
        """J/K in the reader: the next (1) or previous (-1) paper of the list, shown there
        (the cursor's watcher shows it) and marked read as Enter marks it."""
        papers = self.paper_list
        row = papers.cursor + step
        if not 0 <= row < len(papers.view):
            self.notify(f"No {'next' if step > 0 else 'previous'} paper in the list")
            return
        papers.cursor = row
        self._mark_read_on_open()

    def _mark_read_on_open(self) -> None:
        """Reading a paper marks it read, unless the config's `mark_read_on_open` is off;
        through the triage, so `u` undoes it."""
        paper = self.current_paper
        if (
            paper is not None
            and self.config.mark_read_on_open
            and not self.state.is_read(paper.key)
        ):
            self._marks_changed(self.triage.set([paper], "read", True))

    def key_reference(self) -> list[tuple[str, str]]:
        """Every key once, as the help screen lists them: a key that does different things
        in different places (Enter, Esc, q) gets one row saying what it does in each."""
        described: dict[str, list[str]] = {}
        rows = [(self.keys_in_force(binding), binding.description) for binding in self.BINDINGS]
        others = [
            ("enter", "(in the filter) back to the list"),
            ("ctrl+p", "Command palette"),
            ("Esc", "(in the reader or help) back to the list"),
            ("q", "(in the reader) back to the list"),
        ]
        for key, description in [*rows, *others]:
            described.setdefault(key, []).append(description)
        return [(key, " · ".join(descriptions)) for key, descriptions in described.items()]

    def keys_in_force(self, binding: Binding) -> str:
        """How help and the palette show a binding's keys: the config's, if it moved them."""
        keys = self.config.keys.get(binding.id or "")
        if not keys:
            return binding.key_display or binding.key
        return "/".join(self.get_key_display(binding.with_key(key, None)) for key in keys)

    def action_redraw(self) -> None:
        """ctrl+l: paint the whole screen again (after another program wrote over it)."""
        self.refresh(layout=True, repaint=True)
        self.screen.refresh(layout=True, repaint=True)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Our actions in the command palette, beside Textual's own."""
        yield from super().get_system_commands(screen)
        skip = ("quit", "interrupt", "clear_filter", "leave_filter", "read_full", "reader_move")
        for binding in self.BINDINGS:
            name = binding.action.partition("(")[0]
            if name not in skip and name != "move":
                yield SystemCommand(
                    binding.description,
                    f"key {self.keys_in_force(binding)}",
                    lambda action=binding.action: self.run_action(action),
                )
        for tag, count in self.state.tags_in_use().items():
            yield SystemCommand(  # the palette reads its titles as markup: a tag is user text
                f"Filter by tag: {escape_markup(tag)}",
                f"{count} paper{'s' if count != 1 else ''}",
                partial(self.filter_by, f"tag:{tag}"),
            )

    def filter_by(self, query: str) -> None:
        """Put `query` in the filter (the palette's tags)."""
        self.filter_input.value = query
        self.focus_now(self.paper_list)

    # -- links and export -----------------------------------------------------------------

    def action_open_browser(self) -> None:
        if (paper := self.current_paper) is not None:
            self.open_in_browser(paper.url)

    @work(thread=True, group="browser", exit_on_error=False)
    def open_in_browser(self, url: str) -> None:
        """`webbrowser.open`, off the event loop (it may wait for the browser to start),
        which says whether a browser took the link: Textual's `open_url` does not."""
        import webbrowser

        try:
            # One at a time: the first use makes webbrowser's list of browsers, which
            # another thread could meanwhile find empty and so open nothing.
            with BROWSER_LOCK:
                started = webbrowser.open(url)
        except (webbrowser.Error, OSError):  # OSError: the browser could not be run
            started = False
        if started:  # `notify` is thread-safe, and plain text (the link is data)
            self.notify(f"Opened in the browser: {url}")
        else:
            message = f"No browser could be started. The link:\n{url}"
            self.notify(message, severity="error", timeout=30)

    def action_open_links(self) -> None:
        """`O`: the paper's links in a small screen; the one chosen opens as `o` opens."""
        from tui.screens.links import LinksScreen

        if (paper := self.current_paper) is not None:
            self.push_screen(LinksScreen(paper_links(paper)), self._open_chosen_link)

    def _open_chosen_link(self, url: str | None) -> None:
        if url is not None:
            self.open_in_browser(url)

    def action_copy_arxiv_id(self) -> None:
        if (paper := self.current_paper) is None:
            return
        if is_arxiv_id(paper.arxiv_id):
            self.copy_to_clipboard(paper.arxiv_id)
            self.notify(f"Copied the arXiv id {paper.arxiv_id}")
        else:
            self.notify("This paper has no arXiv id", severity="warning")

    def action_copy_link(self) -> None:
        if (paper := self.current_paper) is not None:
            self.copy_to_clipboard(markdown_link(paper))
            self.notify("Copied the link as markdown")

    def action_export(self) -> None:
        """`e`: the starred papers in the config's `export_format`."""
        self.export_starred(self.config.export_format)

    def action_export_as(self) -> None:
        """`E`: the starred papers in the format chosen on a small screen."""
        from tui.screens.export_format import ExportFormatScreen

        self.push_screen(ExportFormatScreen(self.config.export_format), self._export_chosen)

    def _export_chosen(self, name: str | None) -> None:
        if name is not None:
            self.export_starred(name)

    def export_starred(self, format_name: str) -> None:
        """Write the starred papers in the export folder, in format `format_name`."""
        if self.state.loading:  # the file's stars are not known yet
            self.notify("The marks are still being read: export in a moment", severity="warning")
            return
        papers = self.state.starred_papers()
        if not papers:
            self.notify("No starred papers to export (s stars a paper)", severity="warning")
            return
        form = FORMATS[format_name]
        path = (self.export_dir / export_filename("starred", self.today, form.suffix)).resolve()
        try:
            write_export(path, form.render(export_items(papers, self.state), "Starred papers"))
        except OSError as error:
            self.notify(f"Export failed: {error}", severity="error", timeout=15)
            return
        self.notify(f"Exported {len(papers)} starred papers to {path}", timeout=10)

    # -- quitting -------------------------------------------------------------------------

    def action_interrupt(self) -> None:
        """ctrl+c quits, as in other terminal programs (`on_unmount` saves the marks)."""
        self.exit()

    def on_unmount(self) -> None:
        """Last save; the CLI reports `close_result` after the screen is restored."""
        self.workers.cancel_all()
        self._resume_loading.set()  # a loader still waiting after its first post stops waiting
        self.close_result = self.state.close()
        self.runtime.stop()
