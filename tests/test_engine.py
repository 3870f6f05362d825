"""The engine finds notices through noise, only near keywords, and reports timeouts."""

from __future__ import annotations

import pickle

import pytest

from rightsgate import Policy, Scanner, Verdict
from rightsgate.engine import WINDOW, RuleSet
from rightsgate.rulepack import load_pack_text, load_packs
from rightsgate.scan import example_problems

from .conftest import TEST_PACKS, pack_toml, rule_toml


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner(RuleSet(load_packs([TEST_PACKS], bundled=False)))


def test_obfuscated_notice_is_found_and_reported_at_its_original_position(scanner):
    text = "Line one.\nAny use re\u00adquires prior\u00a0and ex-\nplicit con\u200bsent from ACME."
    result = scanner.scan_text(text)
    (finding,) = result.findings
    assert result.verdict is Verdict.BLOCK
    assert text[finding.start : finding.end].startswith("re\u00adquires")
    assert text[finding.start : finding.end].endswith("ACME")
    assert (finding.line, finding.column) == (2, 9)
    assert finding.snippet == "re\u00adquires prior and ex- plicit con\u200bsent from ACME"


def test_named_groups_become_details(scanner):
    (finding,) = scanner.scan_text("Under the Acme Open Licence 2.0, reuse it.").findings
    assert finding.details == (("version", "2.0"),)
    assert finding.category.value == "license-permissive"


def test_verdict_is_the_highest_severity(scanner):
    text = (
        "© 2025 Acme News Ltd. All rights reserved."
        " It requires prior and explicit consent from Acme."
    )
    result = scanner.scan_text(text)
    assert [f.severity.value for f in result.findings] == ["review", "block"]
    assert result.verdict is Verdict.BLOCK


def test_profiles_change_severity():
    rules = RuleSet(load_packs([TEST_PACKS], bundled=False))
    text = (
        "It requires prior and explicit consent from Acme. © 2025 Acme News. All rights reserved."
    )
    assert Scanner(rules, Policy(profile="research")).scan_text(text).verdict is Verdict.REVIEW
    only_arr = "© 2025 Acme News. All rights reserved."
    assert Scanner(rules, Policy(profile="strict")).scan_text(only_arr).verdict is Verdict.BLOCK
    assert Scanner(rules).scan_text(only_arr).verdict is Verdict.REVIEW


def test_patterns_run_only_near_a_keyword():
    pack = load_pack_text(
        pack_toml(
            "near",
            rule_toml(
                "near-rule",
                "forbidden phrase",
                keywords=["kwmarker"],
                match=["kwmarker forbidden phrase"],
                no_match=["kwmarker allowed phrase"],
            ),
        ),
        "near.toml",
    )
    rules = RuleSet([pack])
    assert not rules.match_text("forbidden phrase, but no keyword").matches
    near = "kwmarker " + "x " * 100 + "forbidden phrase"
    assert rules.match_text(near).matches
    far = "kwmarker " + "x" * (WINDOW + 100) + " forbidden phrase"
    assert not rules.match_text(far).matches


def test_a_timeout_is_reported_on_the_document_not_skipped():
    pack = load_pack_text(
        pack_toml(
            "slow",
            rule_toml(
                "slow-rule",
                "slowword (?:a|aa)+b",
                keywords=["slowword"],
                match=["slowword ab"],
                no_match=["slowword"],
                title="catastrophic",
            ),
        ),
        "slow.toml",
    )
    scanner = Scanner(RuleSet([pack]), timeout=0.01)
    result = scanner.scan_text("slowword " + "a" * 200)
    assert any("slow-rule" in n and "timed out" in n for n in result.notes)


def test_ruleset_and_scanner_pickle_and_work_after(scanner):
    clone = pickle.loads(pickle.dumps(scanner))
    assert clone.scan_text("requires prior and explicit consent from Acme").verdict is Verdict.BLOCK


def test_example_problems_on_valid_pack_is_empty():
    assert example_problems(load_packs([TEST_PACKS], bundled=False)) == []


QUOTE_PACK = pack_toml(
    "quotes",
    rule_toml(
        "quotes-rule",
        "we reserve text and data mining",
        keywords=["data mining"],
        match=["We reserve text and data mining."],
        no_match=["“We reserve text and data mining,” the lawsuit quotes."],
    ),
    pack_extra='not_after = ["clause reads:?"]\n',
)


def test_quoted_and_cited_notices_are_someone_elses():
    rules = RuleSet([load_pack_text(QUOTE_PACK, "quotes.toml")])
    own = "Footer. We reserve text and data mining for all content."
    assert rules.match_text(own).matches
    for quoted in [
        'The complaint says: "We reserve text and data mining" appears on every page.',
        "Die Klage zitiert „We reserve text and data mining“ aus dem Impressum.",
        "Le texte « we reserve text and data mining » figure en bas de page.",
        "The clause reads: we reserve text and data mining.",
    ]:
        assert not rules.match_text(quoted).matches, quoted
    after_a_closed_quote = 'He said "no comment" and left. We reserve text and data mining.'
    assert rules.match_text(after_a_closed_quote).matches
    inch_mark = 'A 5" screen. We reserve text and data mining.'
    assert rules.match_text(inch_mark).matches


def test_quoted_true_keeps_quoted_matches():
    pack = load_pack_text(
        QUOTE_PACK.replace(
            'category = "tdm-reservation"', 'category = "tdm-reservation"\nquoted = true'
        ).replace('examples.no_match = ["“We reserve', 'examples.no_match = ["“We keep'),
        "quotes.toml",
    )
    rules = RuleSet([pack])
    assert rules.match_text('It says "We reserve text and data mining" here.').matches


def test_a_quoted_word_inside_the_notice_does_not_hide_it():
    pack = QUOTE_PACK.replace(
        "we reserve text and data mining", "scraping\\W+of this website is prohibited"
    )
    rules = RuleSet([load_pack_text(pack.replace("data mining", "scraping"), "q.toml")])
    assert rules.match_text("Footer: “Scraping” of this website is prohibited.").matches
    assert not rules.match_text("He wrote: “Scraping of this website is prohibited.”").matches


def test_a_large_text_is_scanned_in_chunks_and_a_notice_across_a_boundary_found_once(
    scanner, monkeypatch
):
    from rightsgate import engine

    monkeypatch.setattr(engine, "CHUNK", 10_000)
    notice = "Any use re\u00adquires prior and explicit consent from Acme."
    filler = "Plain words of an ordinary story. " * 300  # about 10,000 characters
    text = filler[: 10_000 - 20] + notice + filler * 3 + notice
    result = scanner.scan_text(text)
    starts = [f.start for f in result.findings if f.rule_id == "acme-consent-clause"]
    assert starts == [10_000 - 20 + 8, len(text) - len(notice) + 8]
