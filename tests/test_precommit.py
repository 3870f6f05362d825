"""The pre-commit hook, run by the real pre-commit tool against this project (try-repo)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT

NOTICE = (
    "Any use of content available on this website requires prior and explicit consent from "
    "Wirtualna Polska Media Spółka Akcyjna (including machine learning or artificial "
    "intelligence programs).\n"
)

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is needed")


@pytest.fixture(scope="module")
def corpus_repo(tmp_path_factory):
    repo = tmp_path_factory.mktemp("corpus-repo")
    home = tmp_path_factory.mktemp("pre-commit-home")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    subprocess.run(["git", "init", "-q", str(repo)], check=True, env=env)
    (repo / "notice.txt").write_text(NOTICE, encoding="utf-8")
    (repo / "clean.md").write_text("# Minutes\n\nThe club meets on Tuesdays.\n", encoding="utf-8")
    (repo / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    subprocess.run(["git", "add", "."], cwd=repo, check=True, env=env)
    return repo, env


def try_repo(corpus_repo, *files):
    repo, env = corpus_repo
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(ROOT),
            "rightsgate",
            "--files",
            *files,
        ],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_hook_fails_on_a_file_with_a_reservation_notice(corpus_repo):
    result = try_repo(corpus_repo, "notice.txt")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Failed" in result.stdout
    assert "BLOCK  notice.txt" in result.stdout and "wp-reuse-consent-en" in result.stdout


def test_hook_passes_on_a_clean_file_and_ignores_binaries(corpus_repo):
    result = try_repo(corpus_repo, "clean.md", "image.png")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout
