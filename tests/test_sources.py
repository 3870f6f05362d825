"""Reading inputs: formats, order, excludes, and bad input that never loses the rest."""

from __future__ import annotations

import io

from rightsgate.model import Location
from rightsgate.sources import SourceOptions, document_from_bytes, iter_documents

from .conftest import only_test_pack, scan_json

CLAUSE = "Any use requires prior and explicit consent from Acme News Ltd."


def test_walk_is_sorted_recursive_and_skips_default_excludes(tmp_path):
    for rel in [
        "b.txt",
        "a.md",
        "sub/c.html",
        ".git/x.txt",
        "node_modules/y.txt",
        "z.bin",
        "sub/.venv/q.txt",
    ]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("hello", encoding="utf-8")
    docs = list(iter_documents([str(tmp_path)]))
    assert [d.location.path for d in docs] == [
        str(tmp_path / "a.md"),
        str(tmp_path / "b.txt"),
        str(tmp_path / "sub" / "c.html"),
    ]


def test_exclude_glob(tmp_path):
    (tmp_path / "keep.txt").write_text("x", encoding="utf-8")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "skip.txt").write_text("x", encoding="utf-8")
    docs = list(iter_documents([str(tmp_path)], SourceOptions(excludes=("drafts",))))
    assert [d.location.path.rsplit("/", 1)[-1] for d in docs] == ["keep.txt"]


def test_binary_file_is_skipped_with_a_note(tmp_path):
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\x00\x00\x01binary")
    code, report = scan_json(*only_test_pack(str(tmp_path)))
    assert code == 0
    (doc,) = report["documents"]
    assert doc["skipped"].startswith("binary file")
    assert report["summary"]["skipped"] == 1


def test_invalid_utf8_is_replaced_with_a_warning_and_still_scanned(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Caf\xe9. ".encode("latin-1") + CLAUSE.encode())
    code, report = scan_json(*only_test_pack(str(path)))
    (doc,) = report["documents"]
    assert code == 1 and doc["verdict"] == "block"
    assert doc["notes"] == ["invalid UTF-8 at byte 3; decoded with replacement characters"]


def test_utf16_with_bom_is_text_not_binary():
    data = ("\ufeff" + CLAUSE).encode("utf-16-le")
    doc = document_from_bytes(data, Location(path="x.txt"), "text")
    assert doc.skipped is None and doc.text == CLAUSE


def test_html_charset_from_meta_and_detection():
    page = '<html><head><meta charset="windows-1250"></head><body>Spółka</body></html>'
    doc = document_from_bytes(page.encode("cp1250"), Location(path="p.html"), "html")
    assert "Spółka" in doc.html and not doc.notes
    undeclared = "<html><body>Très bien, déjà vu, café crème</body></html>".encode("latin-1")
    doc = document_from_bytes(undeclared, Location(path="q.html"), "html")
    assert "café" in doc.html and doc.notes


def test_unreadable_file_is_reported_and_the_scan_goes_on(tmp_path):
    (tmp_path / "a-broken.txt").symlink_to(tmp_path / "missing-target")
    (tmp_path / "b-notice.txt").write_text(CLAUSE, encoding="utf-8")
    (tmp_path / "c-clean.txt").write_text("clean", encoding="utf-8")
    code, report = scan_json(*only_test_pack(str(tmp_path)))
    assert code == 1  # the notice fails the gate; the broken file is listed
    broken, notice, clean = report["documents"]
    assert broken["error"].startswith("cannot read")
    assert notice["verdict"] == "block" and clean["verdict"] == "allow"
    assert report["summary"]["errors"] == 1


def test_unreadable_file_alone_exits_3(tmp_path):
    (tmp_path / "broken.txt").symlink_to(tmp_path / "missing-target")
    (tmp_path / "clean.txt").write_text("clean", encoding="utf-8")
    code, report = scan_json(*only_test_pack(str(tmp_path)))
    assert code == 3
    assert report["summary"] == {
        "documents": 2,
        "block": 0,
        "review": 0,
        "allow": 1,
        "errors": 1,
        "skipped": 0,
        "findings": 0,
    }


def test_missing_path_is_an_error_result(tmp_path):
    code, report = scan_json(*only_test_pack(str(tmp_path / "nope.txt")))
    assert code == 3
    assert report["documents"][0]["error"] == "no such file or directory"


def test_empty_folder_reports_zero_documents(tmp_path):
    code, report = scan_json(*only_test_pack(str(tmp_path)))
    assert code == 0
    assert report["summary"]["documents"] == 0 and report["documents"] == []


def test_stdin_is_read_and_html_sniffed():
    page = f"<!doctype html><html><body><footer>{CLAUSE}</footer></body></html>".encode()
    code, report = scan_json(*only_test_pack("-"), input=page)
    assert code == 1
    (doc,) = report["documents"]
    assert doc["path"] == "-" and doc["findings"][0]["rule_id"] == "acme-consent-clause"


def test_iter_documents_stdin_stream():
    (doc,) = iter_documents(["-"], stdin=io.BytesIO(b"plain words"))
    assert doc.text == "plain words"


def test_a_folder_that_cannot_be_listed_is_reported_not_passed_over(tmp_path, monkeypatch):
    import os

    from rightsgate import sources

    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "a.txt").write_text(CLAUSE, encoding="utf-8")
    (tmp_path / "open.txt").write_text("clean", encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(sources.os, "scandir", scandir)
    docs = list(iter_documents([str(tmp_path)]))
    assert [(d.location.path.rsplit("/", 1)[-1], d.error) for d in docs] == [
        ("open.txt", None),
        ("locked", "cannot list folder: Permission denied"),
    ]


def test_a_named_pipe_is_reported_not_read(tmp_path):
    import os

    os.mkfifo(tmp_path / "pipe.txt")
    (doc,) = iter_documents([str(tmp_path)])
    assert doc.error == "not a regular file"
