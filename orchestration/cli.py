"""The ``kabar`` command: run the pipeline, query and export the warehouse, open the UI."""
from __future__ import annotations

import argparse
import gc
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import date, datetime
from importlib.metadata import version
from pathlib import Path

from evaluation.ner import MODELS as NER_MODELS
from evaluation.quotes import PARTS
from orchestration.errors import disk_full_message, live_errors, write_crash_log
from orchestration.executors import default_workers, workers_for
from orchestration.progress import console_progress, logged_here
from orchestration.settings import prepare_dagster_home
from pipeline.config import Config, ConfigError, load_config
from orchestration.writer_lock import exclusive_run
from transforms.failures import one_line
from transforms.documents import INPUT_SUFFIXES, InputPathError, display_path, find_inputs
from transforms.warc import is_warc_path

EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 1, 2, 130
EXIT_BROKEN_PIPE = 141   # 128 + SIGPIPE, as a shell reports a command whose reader went away
_SHOWN_ROWS = 200   # rows `kabar sql` draws as a table (CSV and JSON give them all)
# training.train_ner's defaults are the settings the committed models/id_ner was chosen from.
TRAIN_NER_ARGS = ["--out", "models/id_ner"]


def main(argv: list[str] | None = None) -> int:
    """The command on ``argv``; None: this process's own command line, the process ending when it returns."""
    if argv is not None:   # called from Python (a test): the caller's process goes on
        return _command(argv)
    with _lives_until_exit():
        return _command(None)


@contextmanager
def _lives_until_exit() -> Iterator[None]:
    """Keep Python's cyclic garbage collector off the objects this process keeps until it exits: the
    modules imported before the command (Dagster's among them) and, once it returns, everything (the
    operating system takes the memory back at exit). ``gc.freeze`` moves them out of its reach; garbage
    made while the command runs is still collected. A re-run of 1,000 loaded pages spent 0.8 s of its
    4.1 s of CPU in collections, half of it in full ones walking the imported modules, and 0.6 s more in
    the full one at exit; with both frozen it takes 3.4 s."""
    gc.freeze()
    try:
        yield
    finally:
        gc.freeze()


def _command(argv: list[str] | None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as error:
        return _say(error, EXIT_USAGE)
    if args.handler is None:
        parser.print_help()
        return 0
    config = None
    try:
        config = args.config = load_config()   # resolved once; nothing below reads the environment
        return args.handler(args)
    except InputPathError as error:
        return _say(error, EXIT_USAGE)
    except KeyboardInterrupt:
        return _say("interrupted", EXIT_INTERRUPTED)
    except BrokenPipeError:   # whoever read the output stopped (`kabar sql … | head`): nothing to say
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except Exception as error:   # noqa: BLE001 - never a traceback on the console
        return _say(_one_line(error, config), EXIT_FAILED)


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so Python's flush at exit does not fail on the closed pipe again."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):   # not a real file (a test's stand-in): nothing to flush
        pass


class KabarError(RuntimeError):
    """A failure the user can act on; printed as one line, never as a traceback."""


class UsageError(KabarError):
    """A command line argparse refused."""


class _Parser(argparse.ArgumentParser):
    """Refuses a bad command line in one line (argparse prints the usage too, and exits itself)."""

    def error(self, message: str):
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def _say(message, code: int) -> int:
    print(f"kabar: {message}", file=sys.stderr)
    return code


def _one_line(error: BaseException, config: Config | None) -> str:
    """What went wrong, in a line: Kabar's own errors as they are; a full disk, said so and where;
    anything else as its root cause, the traceback in a crash log."""
    from warehouse.busy import Busy

    if isinstance(error, (KabarError, ConfigError, Busy)):
        return str(error)
    if isinstance(error, OSError) and error.filename is not None and error.strerror:   # a path the user gave, or one it implies
        return f"{error.filename}: {error.strerror}"
    if isinstance(error, UnicodeDecodeError):
        return f"an input is not {error.encoding} text ({error.reason} at byte {error.start})"
    places = [config.home, config.warehouse.parent, Path(tempfile.gettempdir())] if config else []
    full = disk_full_message(live_errors(error), places)
    if full:
        return full
    log = write_crash_log(error, config.home / "logs") if config else None
    while error.__cause__ is not None:   # the cause it was raised from, not an error handled before it
        error = error.__cause__
    return f"unexpected {one_line(error)}" + (f" (traceback in {log})" if log else "")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kabar", description="News web pages to an analytics warehouse.")
    parser.add_argument("--version", action="version", version=f"kabar {version('kabar')}")
    parser.set_defaults(handler=None)   # `kabar` alone prints this help
    commands = parser.add_subparsers(metavar="COMMAND")

    run = commands.add_parser("run", help="ingest, extract, enrich, validate and load documents")
    run.add_argument("paths", nargs="*", metavar="PATH",
                     help="pages (.html, .htm, .html.gz), WARC archives (.warc, .warc.gz) or folders of them; "
                          "default: $KABAR_INBOX or the bundled samples")
    run.add_argument("--reprocess", action="store_true", help="re-extract every stored raw document")
    run.add_argument("--workers", type=int, default=None,
                     help="processes for the chunks (1: all in this process; default: up to 2 for an input of "
                          "hundreds of documents, 1 for less)")
    run.set_defaults(handler=_run)
    _quiet_option(run)

    backfill = commands.add_parser("backfill", help="load WARC archives in parallel: one Dagster partition each")
    backfill.add_argument("paths", nargs="*", metavar="PATH",
                          help="WARC archives (.warc, .warc.gz) or folders of them, http(s):// or s3://bucket/key "
                               "URLs of archives, or CC-NEWS listings (warc.paths.gz, a file or a URL; its paths "
                               "are joined to $KABAR_CC_BASE_URL, default https://data.commoncrawl.org/)")
    backfill.add_argument("--month", default=None, metavar="YYYY-MM",
                          help="of a listing, only the archives of this month")
    backfill.add_argument("--host", action="append", default=[], metavar="HOST",
                          help="keep only records of this host or its subdomains (repeatable)")
    backfill.add_argument("--workers", type=int, default=default_workers(),
                          help="archives staged at once, one process each (default: up to 2)")
    backfill.add_argument("--partition", action="append", default=[], metavar="KEY",
                          help="re-run an archive already registered, by its partition key (repeatable)")
    backfill.set_defaults(handler=_backfill)
    _quiet_option(backfill)

    crawl = commands.add_parser("crawl", help="fetch new articles from the outlets' feeds and sitemaps, then load them")
    crawl.add_argument("--sources", type=Path, default=None, metavar="FILE",
                       help="the outlets' sources file (default: $KABAR_SOURCES; see sources.example.toml)")
    crawl.add_argument("--outlet", action="append", default=None, metavar="KEY", help="crawl only this outlet (repeatable)")
    crawl.add_argument("--urls", type=Path, default=None, metavar="FILE",
                       help="fetch the article URLs listed in FILE (one per line) instead of the outlets; "
                            "crawler settings still come from the sources file when one is given")
    crawl.set_defaults(handler=_crawl)
    _quiet_option(crawl)

    sql = commands.add_parser("sql", help="run a SQL query on the warehouse")
    sql.add_argument("query")
    output = sql.add_mutually_exclusive_group()
    output.add_argument("--csv", action="store_true", help="write CSV")
    output.add_argument("--json", action="store_true", help="write JSON (one array of row objects)")
    sql.set_defaults(handler=_sql)

    search = commands.add_parser(
        "search", help="find articles by keywords (BM25 on title and text), best first",
        description="Find articles by keywords, best BM25 score first (a title match counts double). Words are "
                    "matched whole, without case or accents, unstemmed: search 'pemerintah pemerintahan' for both. "
                    "Exit status 1 when no article matches, as grep.")
    search.add_argument("query")
    search.add_argument("--lang", default=None, metavar="L", help="only articles in this language (id, en, …)")
    search.add_argument("--outlet", default=None, metavar="O", help="only this outlet: its name or domain, any case")
    search.add_argument("--since", type=_iso_day, default=None, metavar="YYYY-MM-DD",
                        help="only articles published on or after this UTC day")
    search.add_argument("--until", type=_iso_day, default=None, metavar="YYYY-MM-DD",
                        help="only articles published on or before this UTC day")
    search.add_argument("--limit", type=_positive, default=10, metavar="N", help="at most N articles (default 10)")
    search.add_argument("--json", action="store_true", help="write JSON (one array of hit objects)")
    search.set_defaults(handler=_search)

    report = commands.add_parser("report", help="write a static HTML report of the warehouse, with charts")
    report.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help="folder for report.html and report.css (default: $KABAR_HOME/report)")
    report.set_defaults(handler=_warehouse_report)

    export = commands.add_parser("export", help="export every table as Parquet")
    export.add_argument("--parquet", required=True, type=Path, metavar="DIR")
    export.set_defaults(handler=_export)
    _quiet_option(export)

    evaluate = commands.add_parser("eval", help="score Kabar against gold data")
    targets = evaluate.add_subparsers(required=True, metavar="TARGET")
    ner = targets.add_parser("ner", help="entity recognition on a CoNLL file (token [POS] BIO-tag)")
    ner.add_argument("--conll", required=True, type=Path, metavar="FILE")
    ner.add_argument("--lang", default="id", choices=sorted(NER_MODELS), help="language whose model to score (default: id)")
    ner.set_defaults(handler=_eval_ner)
    quotes = targets.add_parser("quotes", help="direct quotes and speakers on PolNeAR (English) or PFSA-ID (Indonesian)")
    gold = quotes.add_mutually_exclusive_group(required=True)
    gold.add_argument("--polnear", type=Path, metavar="DIR", help="PolNeAR folder with text/ and attributions/")
    gold.add_argument("--pfsa", type=Path, metavar="DIR", help="PFSA-ID folder with gold.jsonl and pages-src/")
    quotes.add_argument("--part", choices=PARTS, default="all",
                        help="PolNeAR: every article, the rest, or the quarter of train held out for a final score")
    quotes.set_defaults(handler=_eval_quotes)

    train = commands.add_parser("train", help="train Kabar's own models (maintainers)")
    train_targets = train.add_subparsers(required=True, metavar="MODEL")
    train_ner = train_targets.add_parser("ner", help="the Indonesian NER model, from idner-news-2k train")
    train_ner.add_argument("--shared", type=Path, default=None, help="gold data folder (default: $KABAR_SHARED or ../shared)")
    train_ner.set_defaults(handler=_train_ner)

    ui = commands.add_parser("ui", help="start the Dagster web UI (default http://127.0.0.1:3000)")
    ui.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    ui.add_argument("--port", type=int, default=3000)
    ui.set_defaults(handler=_ui)
    return parser


def _quiet_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("-q", "--quiet", action="store_true",
                         help="no progress on standard error (the summary and errors still print)")


def _run(args: argparse.Namespace) -> int:
    from orchestration.run import run_pipeline

    config = args.config
    paths = [Path(p) for p in args.paths] or ([] if args.reprocess else config.default_inputs)
    if args.workers is not None and args.workers < 1:
        raise KabarError("--workers must be at least 1")
    files = _require_inputs(paths) if paths else []
    workers = args.workers or workers_for(files, config, reprocess=args.reprocess)
    with _writing(config), console_progress(args.quiet) as progress:
        summary = run_pipeline(config, paths=paths, reprocess=args.reprocess, workers=workers,
                               on_tick=progress and progress.tick)
    return _report(summary)


def _require_inputs(paths: list[Path]) -> list[Path]:
    """The input files under ``paths``; refuse before any run starts when there are none (naming what
    was passed over)."""
    found = find_inputs(paths)
    if not found.files:
        passed = "; not read: " + ", ".join(f"{path} ({why})" for path, why in found.skipped[:3]) if found.skipped else ""
        shown = " ".join(display_path(path) for path in paths)
        raise KabarError(f"no input files ({', '.join(INPUT_SUFFIXES)}) under: {shown}{passed}")
    return found.files


@contextmanager
def _writing(config: Config):
    """The home's writer lock for this command's run (waiting for another, saying so, up to
    ``KABAR_BUSY_TIMEOUT``); the orphans of killed runs stopped."""
    from warehouse.busy import Busy

    with ExitStack() as held:
        try:
            held.enter_context(exclusive_run(config.home, wait_seconds=config.busy_timeout_seconds, on_wait=_tell))
        except Busy as error:
            raise KabarError(f"{error}; nothing was started") from None
        yield


def _report(summary) -> int:
    summary.command = _invoked_as()
    print(summary.render())
    if summary.interrupted:
        raise KeyboardInterrupt
    if summary.failure:
        raise KabarError(summary.failure)
    return 0


def _backfill(args: argparse.Namespace) -> int:
    from orchestration.run import run_backfill
    from pipeline.archive_sources import host_filter, month_filter

    if args.workers < 1:
        raise KabarError("--workers must be at least 1")
    try:
        hosts = tuple(dict.fromkeys(host_filter(host) for host in args.host))
        month = month_filter(args.month) if args.month else None
    except ValueError as error:
        raise KabarError(str(error)) from None
    archives = _archive_locations(args.config, args.paths, month)
    if not archives and not args.partition:
        raise KabarError("no WARC archives (.warc, .warc.gz) given")
    with _writing(args.config), console_progress(args.quiet) as progress:
        summary = run_backfill(args.config, archives=archives, partitions=args.partition, workers=args.workers,
                               hosts=hosts, on_tick=progress and progress.tick)
    return _report(summary)


def _archive_locations(config: Config, paths: list[str], month: str | None) -> list[str | Path]:
    """The archives ``paths`` name: local archives (folders searched), URLs, and the archives of
    listings (of ``month`` only, when given); refused in one line when one cannot be used."""
    from crawl.outlets import SourcesFileError
    from pipeline.archive_sources import is_listing, is_remote, listed_archives
    from transforms.warc import ArchiveUnavailable

    if month and not any(is_listing(text) for text in paths):
        raise KabarError("--month picks archives from a CC-NEWS listing (warc.paths.gz); none was given")
    urls: list[str] = []
    local: list[Path] = []
    for text in paths:
        if "://" in text and not is_remote(text):
            raise InputPathError(f"{text}: only local paths and http://, https:// and s3:// URLs can be backfilled")
        if is_listing(text) and not is_remote(text) and not Path(text).is_file():
            raise InputPathError(f"no such listing file: {display_path(text)}")
        if is_listing(text):
            try:
                listed = listed_archives(config, text, month)
            except (ArchiveUnavailable, SourcesFileError) as error:
                raise KabarError(str(error)) from None
            if not listed:
                raise KabarError(f"{text} lists no archive" + (f" of {month}" if month else ""))
            urls += listed
        elif is_remote(text):
            urls.append(text)
        else:
            local.append(Path(text))
    return [*(path for path in find_inputs(local).files if is_warc_path(path)), *urls]


def _crawl(args: argparse.Namespace) -> int:
    from crawl.crawler import crawl_outlets
    from crawl.outlets import CrawlerSettings, SourcesFile, SourcesFileError, load_outlets, url_list_outlet
    from orchestration.run import run_pipeline

    config = args.config
    path = args.sources or config.sources
    if path is None and args.urls is None:
        raise KabarError("no sources file: pass --sources FILE or set KABAR_SOURCES (see sources.example.toml)")
    try:
        sources = load_outlets(path) if path else SourcesFile((), CrawlerSettings())
        if args.urls:
            sources = SourcesFile((url_list_outlet(args.urls),), sources.crawler)
        with console_progress(args.quiet) as progress, logged_here(progress):
            reports = crawl_outlets(sources, config.crawl_archive_dir, config.crawl_state,
                                    only=None if args.urls else args.outlet)
    except (SourcesFileError, ValueError) as error:
        raise KabarError(str(error)) from None
    print("\n".join(report.render() for report in reports))
    archives = [report.archive for report in reports if report.archive]
    if not archives:
        print("nothing new to load")
        return 0
    with _writing(config), console_progress(args.quiet) as progress:
        summary = run_pipeline(config, paths=archives, workers=workers_for(archives, config),
                               on_tick=progress and progress.tick)
    return _report(summary)


def _invoked_as() -> str:
    """How the user can call kabar again: the path they used when it is not on PATH (`make run`)."""
    program = Path(sys.argv[0])
    if program.name != "kabar" or shutil.which("kabar") == str(program.resolve()):
        return "kabar"
    return os.path.relpath(program) if program.is_absolute() else str(program)


def _sql(args: argparse.Namespace) -> int:
    import duckdb

    from orchestration.query_output import as_csv, as_json
    from warehouse.io import connect

    config = args.config
    _require_warehouse(config)
    con = connect(config.warehouse, read_only=True, wait_seconds=config.busy_timeout_seconds,
                  on_wait=_tell)
    try:
        if not (args.csv or args.json):
            result = con.sql(args.query)
            if result is not None:
                result.show(max_rows=_SHOWN_ROWS, max_width=200)
            return 0
        cursor = con.execute(args.query)
        columns = [column[0] for column in cursor.description or ()]
        rows = cursor.fetchall() if columns else []
    except duckdb.Error as error:
        raise KabarError(f"query failed: {one_line(error)}") from None
    finally:
        con.close()
    sys.stdout.write((as_csv if args.csv else as_json)(columns, rows))
    return 0


def _iso_day(value: str) -> date:
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a day (YYYY-MM-DD): {value!r}") from None


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"not a whole number of at least 1: {value!r}")
    return number


def _search(args: argparse.Namespace) -> int:
    from dataclasses import astuple, fields

    from orchestration.query_output import as_json
    from warehouse.search import Filters, Hit, search

    config = args.config
    _require_warehouse(config)
    if not args.query.strip():
        raise KabarError("the search query is blank: give words to look for")
    if args.since and args.until and args.since > args.until:
        raise KabarError(f"--since {args.since} is after --until {args.until}")
    found = search(config.warehouse, config.home, args.query,
                   Filters(language=args.lang, outlet=args.outlet, since=args.since, until=args.until),
                   limit=args.limit, wait_seconds=config.busy_timeout_seconds,
                   on_wait=_tell,
                   on_build=lambda articles: print(f"kabar: indexing {articles:,} articles for search",
                                                   file=sys.stderr, flush=True))
    if args.json:
        sys.stdout.write(as_json([field.name for field in fields(Hit)], [astuple(hit) for hit in found.hits]))
    else:
        for rank, hit in enumerate(found.hits, 1):
            day = hit.published_at.date().isoformat() if hit.published_at else "(undated)"
            print(f"{rank}. {day}  {hit.outlet or '(no outlet)'}  {hit.title or '(untitled)'}\n"
                  f"   {hit.url or ''}\n   {hit.snippet}")
    if not found.hits:
        return _say(f"no articles match {args.query!r}" + _filter_words(args), EXIT_FAILED)
    return 0


def _filter_words(args: argparse.Namespace) -> str:
    """The filters of a search, as the user gave them (for "no articles match …")."""
    given = [f"--{name} {value}" for name, value in (("lang", args.lang), ("outlet", args.outlet),
                                                     ("since", args.since), ("until", args.until)) if value]
    return f" with {' '.join(given)}" if given else ""


def _require_warehouse(config: Config) -> None:
    """Refuse a command that reads the warehouse when there is none: where it was looked for, and how to make one."""
    if not config.warehouse.exists():
        raise KabarError(f"no warehouse at {config.warehouse} (home: {config.home_found}): run `kabar run` first, "
                         "or set KABAR_HOME")


def _tell(message: str) -> None:
    """A line on stderr while the command waits (for the warehouse or the home another run holds)."""
    print(f"kabar: {message}", file=sys.stderr, flush=True)


def _warehouse_report(args: argparse.Namespace) -> int:
    from pipeline.warehouse_report import OutdatedWarehouse, read_report, write_report

    config = args.config
    _require_warehouse(config)
    out = args.out or config.home / "report"
    if out.exists() and not out.is_dir():
        raise KabarError(f"cannot write the report to {out}: not a folder")
    try:
        data = read_report(config.warehouse, wait_seconds=config.busy_timeout_seconds,
                           on_wait=_tell)
    except OutdatedWarehouse as error:
        raise KabarError(str(error)) from None
    try:
        page = write_report(data, out)
    except OSError as error:
        raise KabarError(f"cannot write the report to {out}: {error.strerror or error}") from None
    print(f"{page}\n{page.resolve().as_uri()}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from warehouse.export import export_parquet

    config = args.config
    _require_warehouse(config)
    try:
        args.parquet.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise KabarError(f"cannot write the export to {args.parquet}: {error.strerror or error}") from None
    with console_progress(args.quiet) as progress, logged_here(progress):
        written = export_parquet(config.warehouse, args.parquet, wait_seconds=config.busy_timeout_seconds)
    for table, rows in written.items():
        print(f"{table:16} {rows:>8} rows -> {args.parquet / table}")
    return 0


def _eval_ner(args: argparse.Namespace) -> int:
    from evaluation.ner import run_eval

    if not args.conll.is_file():
        raise InputPathError(f"no such file or folder: {args.conll}")
    print(run_eval(args.conll, args.lang))
    return 0


def _eval_quotes(args: argparse.Namespace) -> int:
    if args.pfsa is not None:
        from evaluation.pfsa import run_pfsa_eval

        if not (args.pfsa / "gold.jsonl").is_file() or not (args.pfsa / "pages-src").is_dir():
            raise InputPathError(f"no PFSA-ID folder (gold.jsonl and pages-src/) at {args.pfsa}")
        print(run_pfsa_eval(args.pfsa))
        return 0
    from evaluation.quotes import run_eval

    if not (args.polnear / "text").is_dir() or not (args.polnear / "attributions").is_dir():
        raise InputPathError(f"no PolNeAR folder (text/ and attributions/) at {args.polnear}")
    print(run_eval(args.polnear, args.part))
    return 0


def _train_ner(args: argparse.Namespace) -> int:
    from training.train_ner import main as train

    return train([*TRAIN_NER_ARGS, *(["--shared", str(args.shared)] if args.shared else [])])


def _ui(args: argparse.Namespace) -> int:
    _check_port_free(args.host, args.port)
    prepare_dagster_home(args.config)
    # `dg dev` with an explicit module: the command Dagster documents, from any directory.
    command = [str(Path(sys.executable).with_name("dg")), "dev", "-m", "orchestration.definitions",
               "--host", args.host, "--port", str(args.port)]
    return _serve(command)


def _serve(command: list[str]) -> int:
    """Run a server until it exits. Ctrl-C reaches the whole process group, so the server shuts itself
    down and this process only waits for it: the user sees the server's own shutdown lines, no traceback.
    A SIGTERM sent to this process alone (a supervisor, ``kill PID``) is passed on, so no server outlives it."""
    server = subprocess.Popen(command, env=os.environ.copy())
    previous = signal.signal(signal.SIGTERM, lambda *_: server.terminate())
    interrupted = False
    try:
        while True:
            try:
                code = server.wait()
                break
            except KeyboardInterrupt:
                interrupted = True
    finally:
        signal.signal(signal.SIGTERM, previous)
    if interrupted:
        print("kabar: the Dagster UI stopped", file=sys.stderr)
        return 0
    return code


def _check_port_free(host: str, port: int) -> None:
    """A busy port is one line before anything starts, not an error buried in the web server's log."""
    import socket

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        # As the web server binds: a port held only by a just-closed connection (TIME_WAIT) is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise KabarError(f"cannot listen on {host}:{port} ({error.strerror or error}): "
                             "another program uses it; choose another with --port") from None


if __name__ == "__main__":
    sys.exit(main())
