"""Shared helpers: run the CLI, build rule packs and inputs, assert verdicts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rightsgate.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TEST_PACKS = FIXTURES / "packs"
SEED = ROOT.parent / "shared" / "seed" / "essanews-article.txt"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="Rewrite tests/golden/ from current output."
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def rule_toml(
    rule_id: str,
    pattern: str,
    *,
    keywords: list[str],
    match: list[str],
    no_match: list[str],
    title: str = "t",
    category: str = "tdm-reservation",
) -> str:
    """One [[rules]] block of a test pack, laid out the way the tests edit it with replace."""

    def strings(items: list[str]) -> str:
        return ", ".join(json.dumps(item, ensure_ascii=False) for item in items)

    quote = "'" * 3
    return (
        f'\n[[rules]]\nid = "{rule_id}"\ntitle = "{title}"\ncategory = "{category}"\n'
        f"keywords = [{strings(keywords)}]\n"
        f"patterns = [{quote}{pattern}{quote}]\n"
        f"examples.match = [{strings(match)}]\n"
        f"examples.no_match = [{strings(no_match)}]\n"
    )


def pack_toml(pack_id: str, *rules: str, pack_extra: str = "") -> str:
    """A whole test pack: header, optional [pack] lines, rule blocks."""
    return f'schema = 1\n[pack]\nid = "{pack_id}"\n{pack_extra}' + "".join(rules)


def run(*args: str, input: bytes | None = None):
    """Invoke the CLI in-process; stdout and stderr kept apart."""
    return CliRunner().invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)


def scan_json(*args: str, input: bytes | None = None) -> tuple[int, dict]:
    result = run("scan", "--format", "json", *args, input=input)
    return result.exit_code, json.loads(result.stdout)


def only_test_pack(*args: str) -> list[str]:
    """Scan options that load the test pack and nothing else."""
    return ["--no-bundled-rules", "--rules", str(TEST_PACKS), *args]


def document(report: dict, path_suffix: str) -> dict:
    (doc,) = [d for d in report["documents"] if d["path"].endswith(path_suffix)]
    return doc


def assert_blocked(report: dict, path_suffix: str, rule_id: str) -> dict:
    doc = document(report, path_suffix)
    assert doc["verdict"] == "block", doc
    ids = [f["rule_id"] for f in doc["findings"]]
    assert rule_id in ids, ids
    return doc
