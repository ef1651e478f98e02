"""Command line: `papers-tui [FILE...]` opens the app; `list`, `export` and `config` run
headless."""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from parsing.clean import clean_text
from parsing.model import Paper
from parsing.records import paper_to_record
from parsing.sources import InputError, ParseReport, check_path
from tui import __version__
from tui.core.config import Config, ConfigError, load_config, write_init
from tui.core.counts import MarkCounter
from tui.core.day_range import (
    DayRange,
    RangeError,
    between,
    last_days,
    parse_day,
    parse_month,
    parse_week,
)
from tui.core.export import render_markdown, write_export
from tui.core.exports import FORMAT_NAMES
from tui.core.exports.formats import FORMATS
from tui.core.exports.items import export_items
from tui.core.exports.split import write_split
from tui.core.feeds import (
    CachedFeed,
    DayFeed,
    Feed,
    FileFeed,
    RangeFeed,
    SampleFeed,
    StreamFeed,
    feeds_from_specs,
    take_piped_stdin,
)
from tui.core.fetch_errors import FetchError, NoListError
from tui.core.paths import default_config_path, default_export_dir, default_state_path
from tui.core.query import parse_query
from tui.core.state.triage_state import TriageState
from tui.core.store import PaperStore

if TYPE_CHECKING:  # the HTTP stack is imported only when a command fetches
    from tui.core.range_fetch import DayResult

PROG = "papers-tui"
EXIT_INPUT = 1
EXIT_FETCH = 2
EXIT_CONFIG = 2  # a config file that cannot be used
EXIT_USAGE = 2  # options that do not fit together, or a bad day, week or month
EXIT_INTERRUPTED = 130


def warn(message: str) -> None:
    """One line on stderr; cleaned, as it may quote file names, server messages or data."""
    print(f"{PROG}: {clean_text(message)}", file=sys.stderr, flush=True)


def iso_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _add_config(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help=f"config file (default: {default_config_path()})",
    )


def _add_common(parser: argparse.ArgumentParser) -> None:
    _add_config(parser)
    parser.add_argument(
        "--state",
        type=Path,
        help=f"state file (default: the config's `state`, else {default_state_path()})",
    )
    _add_days(parser)
    parser.add_argument("--refresh", action="store_true", help="fetch the days even if cached")
    parser.add_argument(
        "--cached",
        action="store_true",
        help="every day in the day cache as one list, newest first (offline: no request)",
    )


RANGE_OPTIONS = ("date", "since", "days", "week", "month")  # one at most
CATCH_UP = ""  # `--days` given without N


def _add_days(parser: argparse.ArgumentParser) -> None:
    days = parser.add_argument_group("days of the Hugging Face list (one of these)")
    days.add_argument("--date", type=iso_day, help="a day (YYYY-MM-DD)")
    days.add_argument("--since", metavar="YYYY-MM-DD", help="from this day to --until or today")
    days.add_argument("--until", metavar="YYYY-MM-DD", help="(with --since) the last day")
    days.add_argument(
        "--days",
        metavar="N",
        nargs="?",
        const=CATCH_UP,
        help="the last N days, today (UTC) included; N defaults to the config's catch_up_days",
    )
    days.add_argument("--week", metavar="YYYY-Www", help="an ISO week, e.g. 2026-W47")
    days.add_argument("--month", metavar="YYYY-MM", help="a month, e.g. 2026-11")


def day_range(args: argparse.Namespace) -> DayRange | None:
    """The range the options name, if any; RangeError (one line) when they do not fit."""
    given = [name for name in RANGE_OPTIONS if getattr(args, name) is not None]
    if len(given) > 1:
        raise RangeError(f"--{given[0]} and --{given[1]} cannot be used together")
    if args.until is not None and args.since is None:
        raise RangeError("--until needs --since")
    today = datetime.now(UTC).date()
    if args.since is not None:
        until = today if args.until is None else parse_day(args.until, "--until")
        return between(parse_day(args.since, "--since"), until)
    if args.days is not None:
        return last_days(catch_up_days(args) if args.days == CATCH_UP else args.days, today)
    if args.week is not None:
        return parse_week(args.week)
    return parse_month(args.month) if args.month is not None else None


def build_app_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Read, star and export the Hugging Face Daily Papers list in the terminal.",
        epilog=(
            "Headless commands: `papers-tui list --help`, `papers-tui export --help`, "
            "`papers-tui fetch --help`, `papers-tui config --help`. "
            "With no FILE and nothing piped, today's list is fetched from Hugging Face."
        ),
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument("files", nargs="*", metavar="FILE", help="list files; - reads stdin")
    parser.add_argument("--sample", action="store_true", help="open the built-in sample list")
    parser.add_argument(
        "--export-dir",
        type=Path,
        help="where `e` writes (default: the config's `export_dir`, else here)",
    )
    _add_common(parser)
    return parser


def build_list_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"{PROG} list", description="Print the papers of one or more lists."
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help="list files; - reads stdin")
    parser.add_argument("--format", choices=("jsonl", "md", "table"), default="jsonl")
    parser.add_argument(
        "--filter", metavar="QUERY", help="fuzzy filter, e.g. 'diffusion is:unread'"
    )
    _add_common(parser)
    return parser


def build_export_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"{PROG} export",
        description=(
            "Write papers as markdown, BibTeX, JSON or CSV. --starred (the default) needs no "
            "list: stars keep a snapshot of each paper; FILEs then limit the export to the "
            "papers they hold."
        ),
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--starred", dest="which", action="store_const", const="starred")
    which.add_argument("--unread", dest="which", action="store_const", const="unread")
    which.add_argument("--all", dest="which", action="store_const", const="all")
    parser.set_defaults(which="starred")
    parser.add_argument("--format", choices=FORMAT_NAMES, default="md")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("-o", "--output", type=Path, help="write here instead of stdout")
    target.add_argument("--split", type=Path, metavar="DIR", help="(md) one file per paper in DIR")
    parser.add_argument("files", nargs="*", metavar="FILE", help="list files; - reads stdin")
    _add_common(parser)
    return parser


def build_fetch_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"{PROG} fetch",
        description=(
            "Fill the cache with days of the Hugging Face list (default: today), four requests "
            "at a time. Days already complete in the cache are not asked for again, so an "
            "interrupted fetch resumes where it stopped."
        ),
    )
    _add_days(parser)
    _add_config(parser)  # `--days` without N reads the config's catch_up_days
    return parser


def build_config_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"{PROG} config", description="Find, write or check the config file."
    )
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--path", action="store_true", help="print the config file's path")
    what.add_argument(
        "--init", action="store_true", help="write a commented config file (never over one)"
    )
    what.add_argument("--check", action="store_true", help="check the config file")
    _add_config(parser)
    return parser


def config_path(args: argparse.Namespace) -> Path:
    return args.config or default_config_path()


class TextualThemeNames:
    """Textual's theme names, imported only if a config names a theme: `textual.theme` is a
    tenth of a second that `list` and `export` need not spend otherwise."""

    @staticmethod
    def _names() -> dict[str, object]:
        from textual.theme import BUILTIN_THEMES

        return BUILTIN_THEMES

    def __contains__(self, name: object) -> bool:
        return name in self._names()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())


def catch_up_days(args: argparse.Namespace) -> str:
    """`--days` without N: the config's `catch_up_days` (the default's when the config
    cannot be read: the app tells of that itself, and the other commands stop on it)."""
    try:
        return str(read_config(args).catch_up_days)
    except ConfigError:
        return str(Config().catch_up_days)


def read_config(args: argparse.Namespace) -> Config:
    """The config file of `args`, checked (theme names included); raises ConfigError."""
    return load_config(config_path(args), TextualThemeNames())


def apply_config(args: argparse.Namespace, config: Config) -> None:
    """Command-line flags win over the config file, which wins over the defaults."""
    args.state = args.state or config.state or default_state_path()
    if "export_dir" in args:
        args.export_dir = args.export_dir or config.export_dir or default_export_dir()


def command_config(args: argparse.Namespace) -> int:
    path = config_path(args)
    if args.path:
        print(path)
    elif args.init:
        try:
            write_init(path)
        except FileExistsError:
            warn(f"{path} exists: not overwritten")
            return EXIT_INPUT
        except OSError as error:
            raise InputError(f"{path}: {error.strerror or error}") from None
        warn(f"wrote {path}")
    else:
        read_config(args)
        warn(f"{path}: OK" if path.exists() else f"{path}: no file (the defaults apply)")
    return 0


def read_feeds(feeds: Iterable[Feed], on_paper: Callable[[Paper], None]) -> int:
    """Read every feed in turn; report problems on stderr; return how many feeds failed.

    A feed without papers is a failure, whatever the reason (an empty file, a day without
    a list); a fetch that fails with nothing cached raises FetchError (exit status 2)."""
    failures = 0
    for feed in feeds:
        report = ParseReport(feed.name)
        try:
            for paper in feed.papers(report):
                on_paper(paper)
        except (InputError, NoListError) as error:
            warn(str(error))
            failures += 1
        for problem in feed.take_problems():  # a day of a range that failed
            warn(problem)
            failures += 1
        for message in report.warnings():
            warn(f"warning: {message}")
        if feed.note:
            warn(feed.note)
    return failures


def feeds_for(args: argparse.Namespace) -> list[Feed]:
    if args.cached:
        return [cached_feed(args)]
    if args.files:
        return feeds_from_specs(args.files)
    return [hugging_face_feed(args)]


def hugging_face_feed(args: argparse.Namespace) -> Feed:
    """The day (default: today) or the range of days the options name."""
    if args.span is not None:
        return RangeFeed("Daily Papers", span=args.span, refresh=args.refresh)
    return DayFeed("Daily Papers", day=args.date, refresh=args.refresh)


def cached_feed(args: argparse.Namespace) -> CachedFeed:
    """`--cached`: the day cache alone, so not with FILEs, days or --refresh."""
    if args.files or args.date or args.span or args.refresh or getattr(args, "sample", False):
        raise InputError(
            "--cached opens every cached day: not with FILE, --date, a range or --refresh"
        )
    return CachedFeed()


def load_store(feeds: list[Feed]) -> tuple[PaperStore, int]:
    store = PaperStore()
    failures = read_feeds(feeds, store.add)
    return store, failures


def load_state(path: Path) -> TriageState:
    """The marks, read only: a command that only reads never changes the state file."""
    state = TriageState.load(path, read_only=True)
    for notice in state.take_notices():
        warn(notice)
    return state


def filtered(store: PaperStore, query_text: str, state: TriageState) -> list[Paper]:
    # numpy: a third of the start-up, so only when filtering
    from tui.core.search.index import SearchIndex

    query = parse_query(query_text)
    if query.error:
        raise InputError(f"--filter: {query.error}")
    index = SearchIndex()
    index.sync(store)
    marks = MarkCounter(store, state)
    marks.add(range(len(store)))
    positions = index.match(query, None, marks.read_flags, marks.starred_flags, marks=state.marks())
    return [store[position] for position in positions or []]


def print_papers(papers: list[Paper], form: str) -> None:
    if form == "jsonl":
        for paper in papers:
            print_jsonl(paper)
    elif form == "md":
        sys.stdout.write(render_markdown(export_items(papers), "Papers"))
    else:
        print_table(papers)


def print_jsonl(paper: Paper) -> None:
    sys.stdout.write(json.dumps(paper_to_record(paper), ensure_ascii=False) + "\n")
    sys.stdout.flush()


def print_table(papers: list[Paper]) -> None:
    """A rich table sized to the terminal, written by us so a closed pipe ends quietly.

    Cells are `Text`, never markup: a title `[/x]` or `[b]x[/b]` prints as it is."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=False, expand=True)
    table.add_column("#", justify="right", style="dim")
    table.add_column("Title", ratio=1)
    table.add_column("Authors", justify="right")
    table.add_column("Upvotes", justify="right")
    table.add_column("Published")
    table.add_column("Lists")
    for number, paper in enumerate(papers, 1):
        cells = (
            str(number),
            paper.title,
            str(paper.author_count or ""),
            "" if paper.upvotes is None else str(paper.upvotes),
            paper.published or "",
            ", ".join(paper.lists),
        )
        table.add_row(*map(Text, cells))
    console = Console()
    with console.capture() as capture:  # rich itself would exit with 1 on a broken pipe
        console.print(table)
    sys.stdout.write(capture.get())


def command_list(args: argparse.Namespace) -> int:
    apply_config(args, read_config(args))
    feeds = feeds_for(args)
    if args.format == "jsonl" and not args.filter:
        return stream_jsonl(feeds)
    store, failures = load_store(feeds)
    papers = list(store)
    if args.filter:
        papers = filtered(store, args.filter, load_state(args.state))
    print_papers(papers, args.format)
    return EXIT_INPUT if failures else 0


def stream_jsonl(feeds: list[Feed]) -> int:
    """Print each paper as soon as it is read. A paper read again (in a later list of the
    same input, or in a later input) that adds something, such as a list label or an
    arXiv id, is printed again, whole and merged: the last line of a key is its record,
    and one input prints what the same lists in several inputs print."""
    store = PaperStore()

    def print_changed(paper: Paper) -> None:
        before = store.get(paper.key)
        position, _ = store.add(paper)
        if store[position] != before:
            print_jsonl(store[position])

    return EXIT_INPUT if read_feeds(feeds, print_changed) else 0


def command_export(args: argparse.Namespace) -> int:
    if args.split and args.format != "md":
        raise InputError("--split writes markdown files: leave out --format or give md")
    apply_config(args, read_config(args))
    state = load_state(args.state)
    failures = 0
    if args.which == "starred":
        papers = state.starred_papers()
        if args.files or args.date or args.span or args.cached:
            store, failures = load_store(feeds_for(args))
            papers = [found for paper in papers if (found := store.get(paper.key))]
    else:
        store, failures = load_store(feeds_for(args))
        papers = [paper for paper in store if args.which == "all" or not state.is_read(paper.key)]
    items = export_items(papers, state)
    code = EXIT_INPUT if failures else 0
    if args.split is None:
        text = FORMATS[args.format].render(items, f"{args.which.capitalize()} papers")
        if args.output is None:
            sys.stdout.write(text)
            return code
    target = args.split or args.output
    try:
        if args.split:
            write_split(items, args.split)
        else:
            write_export(args.output, text)
    except OSError as error:
        raise InputError(f"{target}: {error.strerror or error}") from None
    warn(f"wrote {len(papers)} papers to {target.resolve()}")
    return code


def usable_feeds(feeds: list[Feed]) -> tuple[list[Feed], list[str]]:
    """Files that may hold papers; the others are reported on stderr (and later in the app)."""
    usable, problems = [], []
    for feed in feeds:
        try:
            if isinstance(feed, FileFeed):
                check_path(feed.name)
            usable.append(feed)
        except InputError as error:
            warn(str(error))
            problems.append(str(error))
    return usable, problems


def command_app(args: argparse.Namespace) -> int:
    from tui.app import PapersApp

    try:
        config, config_problem = read_config(args), None
    except ConfigError as error:  # the app starts with the defaults and says why
        warn(str(error))
        config, config_problem = Config(), str(error)
    apply_config(args, config)
    wants_stdin = "-" in args.files or not (args.files or args.sample or args.cached)
    piped = take_piped_stdin() if wants_stdin else None
    if "-" in args.files and piped is None:
        warn("`-` reads papers piped in, e.g. `cat list.txt | papers-tui -`")
        return EXIT_INPUT
    feeds: list[Feed]
    problems: list[str] = []
    if args.cached:
        feeds = [cached_feed(args)]
    elif args.sample:
        feeds = [SampleFeed()]
    elif args.files:
        feeds, problems = usable_feeds(feeds_from_specs(args.files, stdin=piped))
        if not feeds:
            return EXIT_INPUT
    elif piped is not None:
        feeds = [StreamFeed("<stdin>", piped)]
    else:
        feeds = [hugging_face_feed(args)]
    state = TriageState.load(args.state, parse_later=True)  # the app parses it after its start
    app = PapersApp(
        feeds,
        state,
        export_dir=args.export_dir,
        config=config,
        config_path=config_path(args),
        config_problem=config_problem,
    )
    app.problems.extend(problems)
    app.run()
    # The app thawed what it froze (`tui.runtime`); the process ends now: spare its exit a
    # full collection over the papers, index and marks (~0.1 s at 100,000 papers).
    gc.freeze()
    result = app.close_result or state.close()
    if not result.ok:
        warn(result.message or "marks could not be saved")
        return EXIT_INPUT
    return app.return_code or 0


FETCH_OUTCOMES = (
    "from the network",
    "from the cache",
    "without a list",
    "after today, not asked for",
    "failed",
)


def fetch_outcome(result: DayResult) -> str:
    if result.problem:
        return "failed"
    if result.source == "future":
        return "after today, not asked for"
    return f"from the {result.source}" if result.papers else "without a list"


def command_fetch(args: argparse.Namespace) -> int:
    """Fetch the days into the cache; one line per day that failed, and a summary."""
    from tui.core.fetch import make_client
    from tui.core.range_fetch import RangeFetch
    from tui.fetch_progress import FetchProgress

    today = datetime.now(UTC).date()
    span = args.span or DayRange(today, today)
    days = span.days()
    fetch = RangeFetch(make_client())
    tally = Counter[str]()
    with FetchProgress(len(days), f"fetching {span.label}", warn) as progress:
        for result in fetch.results(days):
            progress.advance()
            if result.problem:
                warn(result.problem)
            tally[fetch_outcome(result)] += 1
    counts = "".join(
        f", {tally[outcome]} {outcome}" for outcome in FETCH_OUTCOMES if tally[outcome]
    )
    warn(f"{span.label}: {len(days)} days{counts}")
    return EXIT_INPUT if tally["failed"] else 0


COMMANDS = {
    "list": (build_list_parser, command_list),
    "export": (build_export_parser, command_export),
    "fetch": (build_fetch_parser, command_fetch),
    "config": (build_config_parser, command_config),
}


def run(argv: list[str]) -> int:
    build, command = COMMANDS.get(argv[0] if argv else "", (build_app_parser, command_app))
    args = build().parse_args(argv[1:] if argv and argv[0] in COMMANDS else argv)
    try:
        if "since" in args:
            args.span = day_range(args)
        code = command(args)
        sys.stdout.flush()  # a reader that went away shows here at the latest, not at exit
        return code
    except InputError as error:
        warn(str(error))
        return EXIT_INPUT
    except ConfigError as error:
        warn(str(error))
        return EXIT_CONFIG
    except RangeError as error:
        warn(str(error))
        return EXIT_USAGE
    except FetchError as error:
        warn(str(error))
        return EXIT_FETCH
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader went away (e.g. `| head`): not an error worth a word
        silence_stdout()
        return 0


def silence_stdout() -> None:
    """Point stdout at /dev/null so the flush at exit does not fail on the closed pipe."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def main() -> None:
    sys.exit(run(sys.argv[1:]))
