"""Every mistake in a rule pack gives one clear error naming file, rule and field; exit 2."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from rightsgate.errors import RuleError
from rightsgate.rulepack import load_packs

from .conftest import TEST_PACKS, rule_toml, run


def good_rule(rule_id: str) -> str:
    return rule_toml(
        rule_id,
        "reserve[sd]? (?:the right to )?text and data mining",
        keywords=["data mining"],
        match=["We reserve text and data mining."],
        no_match=["Data mining is a field of study."],
        title="A clause",
    )


def write_pack(folder: Path, name: str, body: str, pack_id: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    header = f'schema = 1\n[pack]\nid = "{pack_id or name}"\n'
    path = folder / f"{name}.toml"
    path.write_text(header + textwrap.dedent(body), encoding="utf-8")
    return path


def scan_with(folder: Path, tmp_path: Path):
    target = tmp_path / "doc.txt"
    target.write_text("nothing to see", encoding="utf-8")
    return run("scan", "--no-bundled-rules", "--rules", folder, target)


def test_valid_test_pack_loads():
    (pack,) = load_packs([TEST_PACKS], bundled=False)
    assert [r.id for r in pack.rules][:2] == ["acme-consent-clause", "acme-all-rights"]
    assert pack.rules[0].publisher == "Acme News Ltd"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param("[[rules]\nid = 'x'\n", "bad.toml: invalid TOML:", id="toml-syntax"),
        pytest.param(
            good_rule("r-one") + 'colour = "red"\n',
            "bad.toml: r-one: colour: unknown key",
            id="unknown-key",
        ),
        pytest.param(
            good_rule("r-one").replace('title = "A clause"\n', ""),
            "bad.toml: r-one: title: missing required field",
            id="missing-field",
        ),
        pytest.param(
            good_rule("r-one").replace("patterns = ['''reserve", "patterns = ['''(reserve"),
            "bad.toml: r-one: patterns[0]: invalid regular expression: missing ) at position",
            id="invalid-regex",
        ),
        pytest.param(
            good_rule("r-one").replace('"tdm-reservation"', '"ai-stuff"'),
            "bad.toml: r-one: category: unknown category 'ai-stuff'",
            id="unknown-category",
        ),
        pytest.param(
            good_rule("r-one").replace(
                'examples.no_match = ["Data mining is a field of study."]\n', ""
            ),
            "bad.toml: r-one: examples.no_match: missing",
            id="missing-examples",
        ),
        pytest.param(
            good_rule("r-one").replace('keywords = ["data mining"]', 'keywords = ["Data Mining"]'),
            "bad.toml: r-one: keywords[0]: 'Data Mining' must be lower-case",
            id="upper-case-keyword",
        ),
        pytest.param(
            good_rule("r-one").replace(
                "patterns = ['''reserve[sd]? (?:the right to )?text and data mining''']",
                "patterns = ['''x*''']",
            ),
            "bad.toml: r-one: patterns[0]: matches the empty string",
            id="empty-match",
        ),
    ],
)
def test_pack_error_names_file_rule_and_field(tmp_path, body, expected):
    folder = tmp_path / "packs"
    write_pack(folder, "bad", body)
    result = scan_with(folder, tmp_path)
    assert result.exit_code == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_duplicate_rule_id_across_packs_names_both_files(tmp_path):
    folder = tmp_path / "packs"
    write_pack(folder, "first", good_rule("same-id"))
    write_pack(folder, "second", good_rule("same-id"))
    result = scan_with(folder, tmp_path)
    assert result.exit_code == 2
    assert "second.toml: same-id: id: duplicate rule id, also in" in result.stderr
    assert "first.toml" in result.stderr


def test_failing_example_is_a_rule_error_for_scan_and_rules_test(tmp_path):
    folder = tmp_path / "packs"
    body = good_rule("r-one").replace(
        '"We reserve text and data mining."', '"We forbid text and data mining."'
    )
    write_pack(folder, "bad", body)
    expected = (
        "bad.toml: r-one: examples.match[0]: does not match: 'We forbid text and data mining.'"
    )
    result = scan_with(folder, tmp_path)
    assert result.exit_code == 2
    assert expected in result.stderr
    tested = run("rules", "test", "--no-bundled-rules", "--rules", folder)
    assert tested.exit_code == 2
    assert expected in tested.stderr


def test_every_problem_in_a_file_is_reported_at_once(tmp_path):
    folder = tmp_path / "packs"
    body = good_rule("r-one").replace('"tdm-reservation"', '"nope"') + good_rule("r-two").replace(
        "title", "titel"
    )
    write_pack(folder, "bad", body)
    with pytest.raises(RuleError) as err:
        load_packs([folder], bundled=False)
    messages = [str(p) for p in err.value.problems]
    assert any("r-one: category" in m for m in messages)
    assert any("r-two: titel: unknown key" in m for m in messages)


def test_disable_unknown_id_is_an_error():
    result = run("scan", "--disable", "no-such-rule", "-", input=b"text")
    assert result.exit_code == 2
    assert "no-such-rule" in result.stderr


def test_disable_turns_a_rule_off(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("Any use requires prior and explicit consent from Acme.", encoding="utf-8")
    on = run("scan", "--no-bundled-rules", "--rules", TEST_PACKS, target)
    off = run(
        "scan",
        "--no-bundled-rules",
        "--rules",
        TEST_PACKS,
        "--disable",
        "acme-consent-clause",
        target,
    )
    assert on.exit_code == 1 and "acme-consent-clause" in on.stdout
    assert off.exit_code == 0 and "acme-consent-clause" not in off.stdout


def test_missing_rules_folder_is_a_usage_error(tmp_path):
    result = run("scan", "--rules", tmp_path / "nowhere", tmp_path)
    assert result.exit_code == 2
