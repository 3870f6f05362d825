"""HTML extraction keeps the places notices live and drops what a reader never sees."""

from __future__ import annotations

import pytest

from rightsgate.extract import extract_html, source_lines

PAGE = """<!doctype html>
<html><head><title>Title</title>
<meta content="1" name="tdm-reservation">
<script type="application/ld+json">{"isAccessibleForFree": false}</script>
<style>.x { color: red }</style></head>
<body>
<p>First <b>paragraph</b>.</p><p>Second paragraph.</p>
<script>var notice = "all rights reserved";</script>
<template><p>template text</p></template>
<aside>Aside text</aside>
<div style="display:none">Hidden block</div>
<!-- a comment -->
<footer>
  <p>© 2025 Example. All rights reserved.</p>
  <a rel="license" href="https://creativecommons.org/licenses/by-nc/4.0/">CC BY-NC</a>
</footer>
</body></html>
"""


def test_visible_text_keeps_footer_aside_hidden_and_drops_scripts():
    page = extract_html(PAGE)
    for kept in ["First paragraph.", "Aside text", "Hidden block", "All rights reserved"]:
        assert kept in page.text
    for dropped in ["var notice", "template text", "color: red", "a comment", "Title"]:
        assert dropped not in page.text


def test_block_elements_are_separated_by_line_breaks():
    page = extract_html(PAGE)
    assert "First paragraph.\n" in page.text
    assert "paragraph.Second" not in page.text


def test_source_line_of_extracted_text():
    lines = source_lines(PAGE)
    assert lines.text == extract_html(PAGE).text
    offset = lines.text.index("© 2025")
    expected = PAGE.splitlines().index("  <p>© 2025 Example. All rights reserved.</p>") + 1
    assert lines.line(offset) == expected


def test_signals_are_collected():
    page = extract_html(PAGE)
    assert ("tdm-reservation", "1", 3) in page.metas
    assert ("license", "https://creativecommons.org/licenses/by-nc/4.0/", 15) in page.links
    assert page.jsonld == (('{"isAccessibleForFree": false}', 4),)


def test_broken_and_odd_markup_does_not_crash():
    assert extract_html("").text == ""
    assert "text" in extract_html("<p>unclosed <b>text").text
    assert (
        "body"
        in extract_html('<?xml version="1.0" encoding="utf-8"?><html><body>body</body></html>').text
    )
    deep = "<div>" * 5000 + "deep" + "</div>" * 5000
    assert "deep" in extract_html(deep).text


TRICKY = [
    "<p>a<br>b<br/>c</p><div>d<!-- x -->e<script>f</script>g</div>",
    "<ul><li>one<li>two</ul><table><tr><td>x<td>y</table>tail",
    "<html><head><title>t</title></head><body>x<template><p>no</p></template>y<?pi z?></body>",
    "<div><aside>a<style>s</style>b</aside><footer>© x <b>bold</b> y</footer></div>",
    "plain text only",
    "<p>x</p>" * 50 + "<svg><text>no</text></svg>after",
]


@pytest.mark.parametrize("markup", TRICKY)
def test_fast_extraction_and_the_line_walk_agree(markup):
    assert extract_html(markup).text == source_lines(markup).text
