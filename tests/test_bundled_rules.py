"""Every bundled rule proves itself on its own examples; the library meets its quality targets."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rightsgate.engine import RuleSet
from rightsgate.lint import lint_packs
from rightsgate.model import Category
from rightsgate.rulepack import load_packs
from rightsgate.scan import example_problems

from .conftest import ROOT

PACKS = load_packs(verify_bundled=True)
RULES = [(pack, rule) for pack in PACKS for rule in pack.rules]
LANGUAGES = ["en", "pl", "de", "fr", "es", "it", "nl", "pt", "cs", "sv"]
GENERIC = [Category.TDM_RESERVATION, Category.REPRODUCTION_PROHIBITED, Category.ALL_RIGHTS_RESERVED]


@pytest.mark.parametrize(("pack", "rule"), RULES, ids=[r.id for _, r in RULES])
def test_rule_examples(pack, rule):
    assert example_problems([replace(pack, rules=(rule,))]) == []
    if rule.patterns:
        assert len(rule.examples_match) >= 2 and len(rule.examples_no_match) >= 2
    if rule.category in GENERIC or pack.publisher:
        assert rule.references or pack.references, "cite where the wording was read"


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_generic_rules_with_sources(language):
    for category in GENERIC:
        rules = [(p, r) for p, r in RULES if language in r.languages and r.category is category]
        assert rules, f"no {category.value} rule for {language}"
        assert any(r.references or p.references for p, r in rules)


def test_bundled_packs_are_lint_clean():
    problems = lint_packs(PACKS)
    assert not problems, "\n".join(str(p) for p in problems[:40])


def test_at_least_twenty_publishers_and_agencies():
    publishers = {
        p.publisher for p in PACKS if p.publisher and p.source.startswith("rules/publishers")
    }
    assert len(publishers) >= 20, sorted(publishers)


def test_quality_targets_on_the_labelled_corpus():
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import quality
    finally:
        sys.path.pop(0)
    docs = quality.load_labels(ROOT / "tests" / "corpus")
    assert len(docs) >= 300
    assert sum(d.hard_negative for d in docs) >= 80
    from rightsgate import Scanner

    outcome = quality.evaluate(Scanner(RuleSet(PACKS)), docs)
    assert outcome.passes(), quality.report(outcome, len(docs))
