"""Command line: the only place that reads options, prints and chooses exit codes."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import click

from . import __version__
from .config import AllowEntry, load_config
from .engine import DEFAULT_TIMEOUT, RuleSet
from .errors import ConfigError, RightsgateError, RuleError
from .model import Verdict
from .policy import PROFILES, Policy
from .report import FORMATS
from .rulepack import Pack, load_packs
from .scan import Scanner, ScanSummary, SummaryCounter, example_problems, summarize
from .sources import MAX_DOCUMENT_BYTES, SourceOptions
from .sources.jsonl import RecordFields

EXIT_OK, EXIT_GATE_FAILED, EXIT_USAGE, EXIT_INPUT_ERRORS = 0, 1, 2, 3


def exit_code(summary: ScanSummary) -> int:
    """0 passed; 1 a document at or above --fail-on; 3 unreadable inputs and nothing else failed."""
    if summary.failed:
        return EXIT_GATE_FAILED
    if summary.errors:
        return EXIT_INPUT_ERRORS
    return EXIT_OK


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleOptions:
    """Which rule packs to load."""

    dirs: tuple[str, ...] = ()
    bundled: bool = True
    disabled: tuple[str, ...] = ()

    def load(self, *, verify_bundled: bool = False) -> tuple[Pack, ...]:
        packs = load_packs(
            [Path(d) for d in self.dirs],
            bundled=self.bundled,
            disabled=self.disabled,
            verify_bundled=verify_bundled,
        )
        # Bundled packs are tested in CI; a user's own packs are checked on every load.
        problems = example_problems(p for p in packs if not p.bundled)
        if problems:
            raise RuleError(problems)
        return packs


def rule_options(func):
    func = click.option(
        "--disable",
        "disabled",
        multiple=True,
        metavar="ID",
        help="Turn off a rule or a whole pack by id (repeatable).",
    )(func)
    func = click.option(
        "--no-bundled-rules",
        "no_bundled",
        is_flag=True,
        help="Load only the packs given with --rules.",
    )(func)
    return click.option(
        "--rules",
        "rule_dirs",
        multiple=True,
        metavar="DIR",
        type=click.Path(exists=True),
        help="Extra folder (or file) of TOML rule packs (repeatable).",
    )(func)


def _rule_options(rule_dirs, no_bundled, disabled) -> RuleOptions:
    return RuleOptions(dirs=tuple(rule_dirs), bundled=not no_bundled, disabled=tuple(disabled))


def _fail(message: str) -> None:
    click.echo(f"rightsgate: {message}", err=True)
    sys.exit(EXIT_USAGE)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rightsgate")
def main() -> None:
    """Find publishers' rights reservations in scraped content before it enters a training set."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanSettings:
    """Everything a scan needs, from the command line over the configuration file."""

    rules: RuleOptions
    policy: Policy
    sources: SourceOptions
    timeout: float
    allow: tuple[AllowEntry, ...]
    baseline: str | None


def scan_options(func):
    """Options shared by scan and baseline; None means 'not given' so the config can fill in."""
    options = [
        click.option(
            "--jobs",
            "-j",
            type=click.IntRange(min=0),
            default=1,
            show_default=True,
            help="Worker processes (0: one per CPU).",
        ),
        click.option(
            "--config",
            "config_path",
            type=click.Path(dir_okay=False),
            help="Config file [default: nearest .rightsgate.toml or pyproject.toml].",
        ),
        click.option(
            "--fail-on",
            type=click.Choice(["block", "review"]),
            help="Fail the gate on documents at or above this verdict [default: block].",
        ),
        click.option(
            "--policy",
            type=click.Choice(sorted(PROFILES)),
            help="Policy profile [default: default].",
        ),
        click.option(
            "--exclude", multiple=True, metavar="GLOB", help="Skip matching files (repeatable)."
        ),
        click.option(
            "--timeout",
            type=click.FloatRange(min=0.001),
            help=f"Seconds one pattern search may take [default: {DEFAULT_TIMEOUT:g}].",
        ),
        click.option(
            "--text-field", help="JSONL: field with the text, a dotted path [default: text]."
        ),
        click.option("--html-field", help="JSONL: field with raw HTML [default: html]."),
        click.option("--url-field", help="JSONL: field with the URL [default: url]."),
        click.option("--id-field", help="JSONL: field with the record id [default: id]."),
        click.option(
            "--max-document-mb",
            type=click.FloatRange(min=0.001),
            help=f"Largest document or record, in MB [default: {MAX_DOCUMENT_BYTES / 2**20:g}].",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return rule_options(func)


def _settings(params: dict, *, baseline: str | None = None) -> ScanSettings:
    """Merge command-line options over the configuration file (ConfigError on a bad one)."""
    config = load_config(params["config_path"], Path.cwd())
    fields = {
        name: params[f"{name}_field"] or config.fields.get(name) or default
        for name, default in (("text", "text"), ("html", "html"), ("url", "url"), ("id", "id"))
    }
    max_mb = params["max_document_mb"] or config.max_document_mb
    return ScanSettings(
        rules=RuleOptions(
            dirs=(*config.rules, *params["rule_dirs"]),
            bundled=not (params["no_bundled"] or config.no_bundled_rules),
            disabled=(*config.disable, *params["disabled"]),
        ),
        policy=Policy(
            profile=params["policy"] or config.policy or "default",
            fail_on=Verdict(params["fail_on"] or config.fail_on or "block"),
            category_severity=config.category_severity,
            rule_severity=config.rule_severity,
        ),
        sources=SourceOptions(
            excludes=(*config.exclude, *params["exclude"]),
            fields=RecordFields(**fields),
            max_document_bytes=int(max_mb * 2**20) if max_mb else MAX_DOCUMENT_BYTES,
        ),
        timeout=params["timeout"] or config.timeout or DEFAULT_TIMEOUT,
        allow=config.allow,
        baseline=baseline,
    )


def _check_output(output: str | None) -> None:
    """Refuse an output path whose folder does not exist before scanning, not after."""
    if output is not None and not Path(output).resolve().parent.is_dir():
        raise ConfigError(f"{output}: the folder for --output does not exist")


def _write(output: str, text: str) -> None:
    from .fileio import write_atomic

    try:
        write_atomic(output, text)
    except OSError as e:
        _fail(f"{output}: cannot write the report: {e.strerror or e}")


def _jobs(params: dict) -> int:
    return params["jobs"] or os.cpu_count() or 1


def _scanner(settings: ScanSettings) -> Scanner:
    """Load rules and build the scanner; config entries naming unknown rules are errors."""
    rules = RuleSet(settings.rules.load())
    packs = {p.id for p in rules.packs}
    for rule_id in settings.policy.rule_severity:
        if rule_id not in rules.by_id:
            raise ConfigError(f"severity.{rule_id}: neither a category nor a loaded rule id")
    for entry in settings.allow:
        if entry.rule is not None and entry.rule not in rules.by_id:
            raise ConfigError(f"allow[{entry.index}].rule: no loaded rule {entry.rule!r}")
        if entry.pack is not None and entry.pack not in packs:
            raise ConfigError(f"allow[{entry.index}].pack: no loaded pack {entry.pack!r}")
    from .suppress import Allowlist, BaselineMatcher, load_baseline

    allowlist = (
        Allowlist(settings.allow, {r.id: r.pack for r in rules.rules}) if settings.allow else None
    )
    baseline = BaselineMatcher(load_baseline(settings.baseline)) if settings.baseline else None
    return Scanner(
        rules, settings.policy, timeout=settings.timeout, allowlist=allowlist, baseline=baseline
    )


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False), help="Write the report here (atomically)."
)
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(dir_okay=False),
    help="Hide findings recorded by 'rightsgate baseline'; fail only on new ones.",
)
@click.option("--quiet", "-q", is_flag=True, help="List only documents that are not allowed.")
@click.option(
    "--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True
)
@scan_options
def scan(
    paths: Sequence[str],
    fmt: str,
    output: str | None,
    baseline_path: str | None,
    quiet: bool,
    color: str,
    **params,
) -> None:
    """Scan files, folders or - (standard input) and judge each document."""
    from .report import STREAMED, ReportInput, reporter, streamer

    started = time.perf_counter()
    try:
        _check_output(output)
        settings = _settings(params, baseline=baseline_path)
        scanner = _scanner(settings)
    except RightsgateError as e:
        _fail(str(e))
    use_color = color == "always" or (
        color == "auto" and output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    )
    stdin = sys.stdin.buffer if "-" in paths else None
    stream = scanner.scan_paths(paths, settings.sources, stdin=stdin, jobs=_jobs(params))
    if fmt in STREAMED and output is None:
        # Streamed: a corpus of any size is reported in constant memory.
        write_document, write_summary = streamer(fmt, color=use_color, quiet=quiet)
        counter = SummaryCounter(settings.policy)
        for result in stream:
            chunk = write_document(counter.add(result))
            if chunk:
                click.echo(chunk, nl=False, color=use_color)
        summary = counter.summary()
        click.echo(write_summary(summary), nl=False, color=use_color)
    else:
        results = list(stream)
        summary = summarize(results, settings.policy)
        text = reporter(fmt)(
            ReportInput(
                results=results, summary=summary, rules=scanner.rules, color=use_color, quiet=quiet
            )
        )
        if output:
            _write(output, text)
        else:
            click.echo(text, nl=False, color=use_color)
    elapsed = max(time.perf_counter() - started, 1e-9)
    click.echo(
        f"scanned {summary.bytes / 1e6:.1f} MB in {elapsed:.2f} s "
        f"({summary.bytes / 1e6 / elapsed:.1f} MB/s)",
        err=True,
    )
    sys.exit(exit_code(summary))


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(dir_okay=False),
    help="The baseline file to write.",
)
@scan_options
def baseline(paths: Sequence[str], output: str, **params) -> None:
    """Record today's findings so that 'scan --baseline FILE' fails only on new ones."""
    from .suppress import render_baseline

    try:
        _check_output(output)
        settings = _settings(params)
        scanner = _scanner(settings)
    except RightsgateError as e:
        _fail(str(e))
    stdin = sys.stdin.buffer if "-" in paths else None
    results = list(scanner.scan_paths(paths, settings.sources, stdin=stdin, jobs=_jobs(params)))
    _write(output, render_baseline(results))
    count = sum(len(r.findings) + len(r.suppressed) for r in results)
    errors = sum(1 for r in results if r.error)
    click.echo(f"recorded {count} findings from {len(results)} documents in {output}", err=True)
    sys.exit(EXIT_INPUT_ERRORS if errors else EXIT_OK)


@main.group()
def rules() -> None:
    """List, explain and test rule packs."""


@rules.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@rule_options
def rules_list(fmt: str, rule_dirs, no_bundled, disabled) -> None:
    """List every loaded rule."""
    packs = _load_or_exit(rule_dirs, no_bundled, disabled)
    if fmt == "json":
        import json

        rows = [
            {
                "id": r.id,
                "pack": p.id,
                "category": r.category.value,
                "languages": list(r.languages),
                "publisher": r.publisher,
                "title": r.title,
            }
            for p in packs
            for r in p.rules
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    count = 0
    for pack in packs:
        for r in pack.rules:
            langs = ",".join(r.languages) or "-"
            click.echo(f"{r.id:<40} {r.category.value:<24} {langs:<8} {r.title}")
            count += 1
    click.echo(f"{count} rules in {len(packs)} packs", err=True)


@rules.command("show")
@click.argument("rule_id")
@rule_options
def rules_show(rule_id: str, rule_dirs, no_bundled, disabled) -> None:
    """Explain one rule: what it matches, why it matters, examples, references."""
    packs = _load_or_exit(rule_dirs, no_bundled, disabled)
    rule_set = RuleSet(packs)
    rule = rule_set.by_id.get(rule_id)
    if rule is None:
        _fail(f"no rule with id {rule_id!r} — see 'rightsgate rules list'")
    policy = Policy()
    lines = [
        f"{rule.id}: {rule.title}",
        "",
        f"Category: {rule.category.value} (default severity: {policy.severity(rule).value})",
        f"Pack: {rule.pack} ({rule.source})",
    ]
    if rule.publisher:
        lines.append(f"Publisher: {rule.publisher}")
    if rule.languages:
        lines.append(f"Languages: {', '.join(rule.languages)}")
    lines += ["", "What it matches"]
    if rule.signal:
        s = rule.signal
        value = s.value or "any value"
        lines.append(f"  {s.kind} signal {s.name or ''} with value matching {value}")
    else:
        lines.append(f"  Keywords: {', '.join(rule.keywords) or '(none: runs on every document)'}")
        lines += [f"  Pattern: {p}" for p in rule.patterns]
    if rule.description:
        lines += ["", "Why it matters", f"  {rule.description}"]
    lines += ["", "Example"]
    lines += [f"  matches:     {t}" for t in rule.examples_match]
    lines += [f"  no match:    {t}" for t in rule.examples_no_match]
    refs = rule.references or next((p.references for p in packs if p.id == rule.pack), ())
    if refs:
        lines += ["", "References"] + [f"  {ref}" for ref in refs]
    click.echo("\n".join(lines))


@rules.command("test")
@click.argument("pack_ids", nargs=-1, metavar="[PACK]...")
@rule_options
def rules_test(pack_ids: Sequence[str], rule_dirs, no_bundled, disabled) -> None:
    """Check every rule's own examples against the real matcher."""
    try:
        packs = load_packs(
            [Path(d) for d in rule_dirs],
            bundled=not no_bundled,
            disabled=disabled,
            verify_bundled=True,
        )
    except RightsgateError as e:
        _fail(str(e))
    chosen = _choose_packs(packs, pack_ids)
    problems = example_problems(chosen)
    n_rules = sum(len(p.rules) for p in chosen)
    n_examples = sum(
        len(r.examples_match) + len(r.examples_no_match) for p in chosen for r in p.rules
    )
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        click.echo(f"{len(problems)} failing examples in {n_rules} rules", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(f"{n_rules} rules in {len(chosen)} packs: all {n_examples} examples pass")


@rules.command("lint")
@click.argument("pack_ids", nargs=-1, metavar="[PACK]...")
@rule_options
def rules_lint(pack_ids: Sequence[str], rule_dirs, no_bundled, disabled) -> None:
    """Flag slow, unselective, untested or duplicate rules."""
    from .lint import lint_packs

    packs = _load_or_exit(rule_dirs, no_bundled, disabled, verify=True)
    chosen = _choose_packs(packs, pack_ids)
    problems = lint_packs(chosen)
    for problem in problems:
        click.echo(str(problem))
    n_rules = sum(len(p.rules) for p in chosen)
    if problems:
        click.echo(f"{len(problems)} lint problems in {n_rules} rules", err=True)
        sys.exit(EXIT_GATE_FAILED)
    click.echo(f"{n_rules} rules in {len(chosen)} packs: lint clean")


def _choose_packs(packs: Sequence[Pack], pack_ids: Sequence[str]) -> list[Pack]:
    """The packs named on the command line (all when none is); an unknown id is an error."""
    unknown = set(pack_ids) - {p.id for p in packs}
    if unknown:
        _fail(f"no loaded pack with id {', '.join(sorted(unknown))} — see 'rightsgate rules list'")
    return [p for p in packs if not pack_ids or p.id in pack_ids]


def _load_or_exit(rule_dirs, no_bundled, disabled, *, verify=False) -> tuple[Pack, ...]:
    try:
        return _rule_options(rule_dirs, no_bundled, disabled).load(verify_bundled=verify)
    except RightsgateError as e:
        _fail(str(e))
        raise  # unreachable: _fail exits
