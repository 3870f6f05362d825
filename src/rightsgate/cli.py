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
from .engine import DEFAULT_TIMEOUT, RuleSet
from .errors import RightsgateError, RuleError
from .model import Verdict
from .policy import PROFILES, Policy
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


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report here.")
@click.option(
    "--fail-on",
    type=click.Choice(["block", "review"]),
    default="block",
    show_default=True,
    help="Fail the gate on documents at or above this verdict.",
)
@click.option("--policy", type=click.Choice(sorted(PROFILES)), default="default", show_default=True)
@click.option("--exclude", multiple=True, metavar="GLOB", help="Skip matching files (repeatable).")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.001),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Seconds one pattern search may take.",
)
@click.option(
    "--text-field",
    default="text",
    show_default=True,
    help="JSONL: field with the text (dotted path).",
)
@click.option("--html-field", default="html", show_default=True, help="JSONL: field with raw HTML.")
@click.option("--url-field", default="url", show_default=True, help="JSONL: field with the URL.")
@click.option(
    "--id-field", default="id", show_default=True, help="JSONL: field with the record id."
)
@click.option(
    "--max-document-mb",
    type=click.FloatRange(min=0.001),
    default=MAX_DOCUMENT_BYTES / 2**20,
    show_default=True,
    help="Largest (decompressed) document or record read.",
)
@click.option("--quiet", "-q", is_flag=True, help="List only documents that are not allowed.")
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
)
@rule_options
def scan(
    paths: Sequence[str],
    fmt: str,
    output: str | None,
    fail_on: str,
    policy: str,
    exclude: Sequence[str],
    timeout: float,
    text_field: str,
    html_field: str,
    url_field: str,
    id_field: str,
    max_document_mb: float,
    quiet: bool,
    color: str,
    rule_dirs,
    no_bundled,
    disabled,
) -> None:
    """Scan files, folders or - (standard input) and judge each document."""
    from .fileio import write_atomic
    from .report import ReportInput, reporter

    started = time.perf_counter()
    chosen = Policy(profile=policy, fail_on=Verdict(fail_on))
    try:
        rules = RuleSet(_rule_options(rule_dirs, no_bundled, disabled).load())
    except RightsgateError as e:
        _fail(str(e))
    scanner = Scanner(rules, chosen, timeout=timeout)
    stdin = click.get_binary_stream("stdin") if "-" in paths else None
    sources = SourceOptions(
        excludes=tuple(exclude),
        fields=RecordFields(text=text_field, html=html_field, url=url_field, id=id_field),
        max_document_bytes=int(max_document_mb * 2**20),
    )
    use_color = color == "always" or (
        color == "auto" and output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    )
    stream = scanner.scan_paths(paths, sources, stdin=stdin)
    if fmt == "text" and output is None:
        # Streamed: a corpus of any size is reported in constant memory.
        from .report.text import render_document, render_summary

        counter = SummaryCounter(chosen)
        for result in stream:
            block = render_document(counter.add(result), color=use_color, quiet=quiet)
            if block:
                click.echo(block, nl=False, color=use_color)
        summary = counter.summary()
        click.echo(render_summary(summary), nl=False)
    else:
        results = list(stream)
        summary = summarize(results, chosen)
        text = reporter(fmt)(
            ReportInput(results=results, summary=summary, rules=rules, color=use_color, quiet=quiet)
        )
        if output:
            write_atomic(output, text)
        else:
            click.echo(text, nl=False, color=use_color)
    elapsed = max(time.perf_counter() - started, 1e-9)
    click.echo(
        f"scanned {summary.bytes / 1e6:.1f} MB in {elapsed:.2f} s "
        f"({summary.bytes / 1e6 / elapsed:.1f} MB/s)",
        err=True,
    )
    sys.exit(exit_code(summary))


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
        value = s.value.pattern if s.value else "any value"
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
    unknown = set(pack_ids) - {p.id for p in packs}
    if unknown:
        _fail(f"no loaded pack with id {', '.join(sorted(unknown))} — see 'rightsgate rules list'")
    chosen = [p for p in packs if not pack_ids or p.id in pack_ids]
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
    unknown = set(pack_ids) - {p.id for p in packs}
    if unknown:
        _fail(f"no loaded pack with id {', '.join(sorted(unknown))} — see 'rightsgate rules list'")
    chosen = [p for p in packs if not pack_ids or p.id in pack_ids]
    problems = lint_packs(chosen)
    for problem in problems:
        click.echo(str(problem))
    n_rules = sum(len(p.rules) for p in chosen)
    if problems:
        click.echo(f"{len(problems)} lint problems in {n_rules} rules", err=True)
        sys.exit(EXIT_GATE_FAILED)
    click.echo(f"{n_rules} rules in {len(chosen)} packs: lint clean")


def _load_or_exit(rule_dirs, no_bundled, disabled, *, verify=False) -> tuple[Pack, ...]:
    try:
        return _rule_options(rule_dirs, no_bundled, disabled).load(verify_bundled=verify)
    except RightsgateError as e:
        _fail(str(e))
        raise  # unreachable: _fail exits
