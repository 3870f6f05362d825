"""rules lint catches what examples cannot: slow, catastrophic, unselective and duplicate rules."""

from __future__ import annotations

from .conftest import TEST_PACKS, rule_toml, run
from .test_rulepack import write_pack


def lint(folder):
    return run("rules", "lint", "--no-bundled-rules", "--rules", folder)


def rule(rid="r-one", keywords=("data mining",), pattern=r"reserve text and data mining"):
    return rule_toml(
        rid,
        pattern,
        keywords=list(keywords),
        match=["We reserve text and data mining.", "They reserve text and data mining."],
        no_match=["Data mining is a field.", "A story about mining data."],
    )


def test_clean_pack_passes():
    result = run("rules", "lint", "--no-bundled-rules", "--rules", TEST_PACKS)
    assert result.exit_code == 1  # the test pack has one example per list: lint says so
    assert "acme-consent-clause: examples.match: give at least 2" in result.stdout


def test_good_rule_is_lint_clean(tmp_path):
    write_pack(tmp_path / "p", "good", rule())
    result = lint(tmp_path / "p")
    assert result.exit_code == 0, result.stdout
    assert "lint clean" in result.stdout


def test_missing_and_common_and_untested_keywords(tmp_path):
    write_pack(tmp_path / "p", "kw", rule(keywords=("more", "data mining", "scraping")))
    out = lint(tmp_path / "p").stdout
    assert "kw.toml: r-one: keywords[0]: 'more' is gated on the common word 'more'" in out
    assert "keywords[2]: 'scraping' occurs in none of the rule's match examples" in out
    write_pack(tmp_path / "q", "none", rule(keywords=()))
    assert "keywords: none" in lint(tmp_path / "q").stdout


def test_slow_pattern_is_flagged(tmp_path, monkeypatch):
    from rightsgate import lint as lint_module

    slow = r"(?<![\"'][\w\s&-]{0,80})(?:we|they)\s+(?:reserve|prohibit)"
    write_pack(tmp_path / "p", "slow", rule(pattern=slow))
    assert lint(tmp_path / "p").exit_code == 0  # about 9 MB/s here: fast enough
    monkeypatch.setattr(lint_module, "MIN_SPEED_MB_S", 10_000.0)
    out = lint(tmp_path / "p").stdout
    assert "slow.toml: r-one: patterns[0]: scans ordinary text at" in out


def test_catastrophic_pattern_is_flagged(tmp_path):
    bad = r"reser(?:\w|\w\w)+ text and data mining"
    write_pack(tmp_path / "p", "cat", rule(pattern=bad))
    out = lint(tmp_path / "p").stdout
    assert "patterns[0]: exceeds the 0.25 s timeout on an adversarial input" in out


def test_near_duplicates_are_flagged(tmp_path):
    write_pack(
        tmp_path / "p",
        "dup",
        rule("r-one") + rule("r-two", pattern=r"reserve text and data\s+mining"),
    )
    out = lint(tmp_path / "p").stdout
    assert "r-two: patterns: near-duplicate of r-one" in out
