"""readerly fetch and readerly show --full against the local site."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fetchsite import ARTICLE_TEXT, BOILERPLATE, Site, clear_proxies, serve
from tui.cli.main import main


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    clear_proxies(monkeypatch)
    with serve() as running:
        yield running


def _vault(tmp_path: Path, site: Site, pages: list[str], config: str) -> list[str]:
    vault = tmp_path / "vault"
    vault.mkdir()
    for page in pages:
        source = f"source: {site.url('/' + page)}\n" if page else ""
        name = page or "nosource"
        (vault / f"{name}.md").write_text(f"---\ntitle: About {name}\n{source}---\nThe summary.\n")
    (tmp_path / "config.toml").write_text(config)
    return ["--vault", str(vault), "--config", str(tmp_path / "config.toml")]


ALLOW = "[fetch]\nallow_private_hosts = true\ntimeout = 3\n"


def test_fetch_query_reports_each_note(
    tmp_path: Path, site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    common = _vault(tmp_path, site, ["article", "missing", "plain", ""], ALLOW)
    assert main(["fetch", "--query", "", *common]) == 1
    out, err = capsys.readouterr()
    assert "fetched     article.md" in out and "Tiny Lanterns" in out
    assert "fetched     plain.md" in out
    assert "readerly: missing.md: HTTP 404 Not Found from 127.0.0.1" in err
    assert "nosource.md: no source URL; skipped" in err
    assert "1 of 3 sources could not be fetched" in err
    assert main(["fetch", "article.md", *common]) == 0
    assert "cached      article.md" in capsys.readouterr().out


def test_show_full_prints_the_article_from_the_cache(
    tmp_path: Path, site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    common = _vault(tmp_path, site, ["article"], ALLOW)
    assert main(["show", "article.md", "--full", *common]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Title:     Tiny Lanterns: how fireflies keep time\n")
    assert "Author:    Ada Keel" in out and "(just now)" in out
    assert ARTICLE_TEXT in out and not any(junk in out for junk in BOILERPLATE)
    site.stop.set()
    assert main(["show", "article.md", "--full", *common]) == 0
    assert "(from the cache)" in capsys.readouterr().out
    # The plain summary is still what `show` prints without --full.
    assert main(["show", "article.md", *common]) == 0
    assert "The summary." in capsys.readouterr().out


def test_private_site_refused_without_the_setting(
    tmp_path: Path, site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    common = _vault(tmp_path, site, ["article"], "")
    assert main(["show", "article.md", "--full", *common]) == 1
    err = capsys.readouterr().err
    assert "refused" in err and "allow_private_hosts = true" in err
    assert site.requests == []


def test_fetch_needs_notes_or_a_query(
    tmp_path: Path, site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    common = _vault(tmp_path, site, ["article"], ALLOW)
    assert main(["fetch", *common]) == 2
    assert "give one or more notes" in capsys.readouterr().err
