"""HTML to visible text (footers, asides and hidden blocks kept) plus structured signals."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

# Elements whose text is never shown to a reader.
_DROP = frozenset({"script", "style", "template", "head", "svg", "math", "iframe", "object"})
# Elements that start a new line of text.
_BLOCK = frozenset(
    {
        *("address", "article", "aside", "blockquote", "br", "caption", "dd", "details"),
        *("dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "legend", "li", "main", "nav"),
        *("ol", "option", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot"),
        *("th", "thead", "tr", "ul"),
    }
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    """Visible text of a page and its signals."""

    text: str
    """Visible text, block elements separated by line breaks."""
    metas: tuple[tuple[str, str, int], ...] = ()
    """(name, content, line) of every meta tag; name lower-cased (name, property or http-equiv)."""
    links: tuple[tuple[str, str, int], ...] = ()
    """(rel, href, line) of every link or anchor with a rel; one entry per lower-cased token."""
    jsonld: tuple[tuple[str, int], ...] = ()
    """(raw text, line) of every application/ld+json script."""


@dataclass(frozen=True, slots=True)
class SourceLines:
    """Where each part of a page's visible text stood in the HTML source."""

    text: str
    """The visible text, as ``extract_html`` gives it."""
    starts: tuple[tuple[int, int], ...]
    """(offset in ``text``, line in the HTML source) at each change of source line."""

    def line(self, offset: int) -> int:
        """The HTML source line that produced the text at ``offset``."""
        k = bisect_right(self.starts, (offset, float("inf"))) - 1
        return self.starts[k][1] if k >= 0 else 1


def _parse(markup: str):
    """The lxml tree of a page, or None when lxml refuses it or loses part of it."""
    from lxml import etree

    # Plain lxml.etree elements: lxml.html's per-tag element classes cost a lookup per node.
    parser = etree.HTMLParser(huge_tree=True)
    try:
        root = etree.fromstring(_XML_DECLARATION.sub("", markup, count=1), parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    if root is None:
        return None
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        return None  # libxml2 drops what lies deeper than its nesting limit; a notice may be there
    return root


def extract_html(markup: str) -> ExtractedPage:
    """Visible text and signals, with lxml doing the walking in C; BeautifulSoup if lxml refuses."""
    from lxml import etree

    root = _parse(markup)
    if root is None:
        return ExtractedPage(_soup_text(markup))
    metas: list[tuple[str, str, int]] = []
    links: list[tuple[str, str, int]] = []
    jsonld: list[tuple[str, int]] = []
    for el in root.iter("meta", "link", "a", "script"):
        tag = el.tag
        if tag == "meta":
            name = el.get("name") or el.get("property") or el.get("http-equiv")
            content = el.get("content")
            if name and content is not None:
                metas.append((name.strip().lower(), content, el.sourceline or 0))
        elif tag == "script":
            if (el.get("type") or "").strip().lower() == "application/ld+json" and el.text:
                jsonld.append((el.text, el.sourceline or 0))
        else:
            rel, href = el.get("rel"), el.get("href")
            if rel and href:
                line = el.sourceline or 0
                links += [(token, href.strip(), line) for token in rel.lower().split()]
    # The same text as source_lines() walks out element by element, built in C: drop what a
    # reader never sees (keeping what follows it), wrap block elements in line breaks.
    etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction, *_DROP, with_tail=False)
    for el in root.iter(*_BLOCK):
        el.text = "\n" + el.text if el.text else "\n"
        el.tail = "\n" + el.tail if el.tail else "\n"
    return ExtractedPage("".join(root.itertext()), tuple(metas), tuple(links), tuple(jsonld))


def source_lines(markup: str) -> SourceLines:
    """The visible text again, walked element by element to record each piece's source line.

    Only needed when a page has findings, so it parses the page a second time rather than
    slowing down every page.
    """
    root = _parse(markup)
    if root is None:
        return SourceLines(_soup_text(markup), ((0, 1),))
    parts: list[str] = []
    starts: list[tuple[int, int]] = []
    length = 0
    last_line = -1

    def emit(piece: str, line: int | None) -> None:
        nonlocal length, last_line
        if line is not None and line != last_line:
            starts.append((length, line))
            last_line = line
        parts.append(piece)
        length += len(piece)

    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        el, closing = stack.pop()
        tag = el.tag
        name = tag if isinstance(tag, str) else None  # lxml.html lower-cases tag names
        if closing:
            if name in _BLOCK:
                emit("\n", None)
            if el.tail:
                emit(el.tail, el.sourceline)
            continue
        stack.append((el, True))
        if name is None or name in _DROP:
            continue  # comments, processing instructions, invisible elements: only their tail
        if name in _BLOCK:
            emit("\n", None)
        if el.text:
            emit(el.text, el.sourceline)
        stack.extend((child, False) for child in reversed(el))
    return SourceLines("".join(parts), tuple(starts) or ((0, 1),))


def _soup_text(markup: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    for el in soup(list(_DROP)):
        el.decompose()
    return soup.get_text("\n")
