"""Normalization folds obfuscation away and its offset map leads back to the original text."""

from __future__ import annotations

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from rightsgate.normalize import normalize

NOTICE = "requires prior and explicit consent"


def collapse(text: str) -> str:
    return " ".join(text.split())


def test_obfuscated_notice_folds_to_plain_text():
    tricky = "re\u00adquires\u00a0prior  and\u200b ex-\nplicit\tcon\u200dsent"
    assert normalize(tricky).text == NOTICE


def test_quotes_dashes_entities_and_ligatures_fold():
    assert normalize("“Don’t” — &amp; ﬁne").text == '"Don\'t" - & fine'


def test_combining_accents_compose():
    assert normalize("Spo\u0301łka").text == "Spółka"


def test_hyphen_between_digits_is_kept():
    assert normalize("2019-\n2020").text == "2019- 2020"


# A notice broken by every kind of noise a scrape adds, inside random text.
NOISE = ["\u00ad", "\u200b", "\u200d", "\u2060", ""]
SPACES = [" ", "  ", "\u00a0", "\n", " \n ", "\t", "\u2009"]


@st.composite
def obfuscated(draw) -> str:
    out = []
    for i, word in enumerate(NOTICE.split()):
        if i:
            out.append(draw(st.sampled_from(SPACES)))
        if len(word) > 3 and draw(st.booleans()):
            cut = draw(st.integers(1, len(word) - 1))
            word = word[:cut] + draw(st.sampled_from(["-\n", *NOISE])) + word[cut:]
        elif draw(st.booleans()):
            word = word.upper()
        out.append(word)
    return "".join(out)


filler = st.lists(
    st.sampled_from([*"abc xyz.,\n\u00a0\u00ad“”—ﬁé&;-", "&amp;", "e\u0301", "-\n"]),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(before=filler, notice=obfuscated(), after=filler)
def test_offset_map_leads_a_match_back_to_the_original_notice(before, notice, after):
    original = f"{before} {notice} {after}"
    norm = normalize(original)
    m = regex.search(r"requires\s+prior\s+and\s+explicit\s+consent", norm.text, regex.I)
    assert m, norm.text
    start, end = norm.original_span(*m.span())
    assert original[start:end] == notice
    assert collapse(normalize(original[start:end]).text).lower() == NOTICE


@settings(max_examples=300, deadline=None)
@given(text=filler, data=st.data())
def test_any_span_maps_to_original_text_that_normalizes_to_contain_it(text, data):
    norm = normalize(text)
    s = data.draw(st.integers(0, len(norm.text)))
    e = data.draw(st.integers(s, len(norm.text)))
    a, b = norm.original_span(s, e)
    assert 0 <= a <= b <= len(text)
    assert collapse(norm.text[s:e]) in collapse(normalize(text[a:b]).text)


@given(st.text(max_size=200))
def test_normalization_is_idempotent(text):
    once = normalize(text).text
    assert collapse(normalize(once).text) == collapse(once)
