"""The wheel works outside the checkout: build it, install it into a fresh venv, run it there.

The sdist is built from a copy of the checkout and the wheel from that sdist (what
``python -m build`` does), so a file the sdist forgets makes the wheel fail too. The fresh venv
gets the wheel and its dependencies from the configured package indexes; every command then
runs from a folder outside the checkout, with no PYTHONPATH, so only the installed copy of
readerly can answer.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import textwrap
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import tui
from tests.conftest import ROOT
from tui.cli.main import main

pytestmark = pytest.mark.e2e

# Things in the checkout that are never part of a build: copying them would only cost time.
NOT_COPIED = shutil.ignore_patterns(
    ".venv", ".git", ".bench", "build", "dist", "*.egg-info", "__pycache__", ".*_cache",
    ".hypothesis", "snapshot_report.html",
)  # fmt: skip


@dataclass(frozen=True)
class Installed:
    """A built sdist and wheel, and a fresh venv with the wheel installed."""

    src: Path
    sdist: Path
    wheel: Path
    venv: Path
    outside: Path
    env: dict[str, str]

    def run(self, *argv: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """Run a program of the venv from the folder outside the checkout."""
        return subprocess.run(
            [str(self.venv / "bin" / argv[0]), *argv[1:]],
            cwd=self.outside,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def _run(argv: list[str], cwd: Path, timeout: float) -> None:
    out = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert out.returncode == 0, f"{' '.join(argv)} failed:\n{out.stdout[-3000:]}{out.stderr}"


def _clean_env(home: Path) -> dict[str, str]:
    """The environment of a person who has only the installed program: no checkout paths."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("READERLY_")
        and k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")
    }
    env.update(
        HOME=str(home),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
    )
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    work = tmp_path_factory.mktemp("wheel")
    src, dist, venv = work / "src", work / "dist", work / "venv"
    shutil.copytree(ROOT, src, ignore=NOT_COPIED)
    _run([sys.executable, "-m", "build", "--outdir", str(dist), str(src)], work, timeout=300)
    wheels, sdists = list(dist.glob("*.whl")), list(dist.glob("*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, sorted(p.name for p in dist.iterdir())
    # A venv without its own pip saves the seconds ensurepip takes; this interpreter's pip
    # installs into it (--python), resolving the dependencies as any install would.
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], work, timeout=60)
    _run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
         "--quiet", str(wheels[0])],
        work,
        timeout=300,
    )  # fmt: skip
    outside = work / "elsewhere"
    outside.mkdir()
    yield Installed(src, sdists[0], wheels[0], venv, outside, _clean_env(work / "home"))


def test_the_wheel_holds_the_package_its_styles_and_the_sample_vault_and_nothing_else(
    installed: Installed,
) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    info = f"readerly-{tui.__version__}.dist-info/"
    src, seeds = installed.src, installed.src / "seeds"  # the tree the build saw
    expected = {p.relative_to(src).as_posix() for p in (src / "tui").rglob("*.py")}
    expected |= {"tui/styles/" + p.name for p in (src / "styles").glob("*.tcss")}
    expected |= {
        "tui/seeds/" + p.relative_to(seeds).as_posix() for p in seeds.rglob("*") if p.is_file()
    }
    assert names - {n for n in names if n.startswith(info)} == expected
    entry_points = zipfile.ZipFile(installed.wheel).read(info + "entry_points.txt").decode()
    assert "readerly = tui.cli.main:main" in entry_points


def test_the_sdist_carries_the_sources_but_no_local_clutter(installed: Installed) -> None:
    with tarfile.open(installed.sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    for needed in ("pyproject.toml", "README.md", "tui/cli/main.py", "styles/app.tcss"):
        assert needed in names
    assert any(n.startswith("seeds/") for n in names)
    assert not [n for n in names if n.split("/")[0] in (".bench", ".venv", ".git", "dist")]


def test_the_installed_command_runs_from_anywhere(
    installed: Installed, capsys: pytest.CaptureFixture[str]
) -> None:
    where = installed.run("python", "-c", "import tui; print(tui.__file__)")
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(installed.venv)

    version = installed.run("readerly", "--version")
    assert (version.returncode, version.stdout.strip()) == (0, f"readerly {tui.__version__}")

    listed = installed.run("readerly", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    notes = json.loads(listed.stdout)
    paths = [n["path"] for n in notes]
    assert len(notes) >= 25
    assert all(not Path(p).is_absolute() and ".." not in Path(p).parts for p in paths)
    # The same command run from the checkout's code on the checkout's sample vault.
    assert main(["list", "--json", "--vault", str(installed.src / "seeds")]) == 0
    assert paths == [n["path"] for n in json.loads(capsys.readouterr().out)]


# Starts the installed app headless twice on the bundled vault: once as shipped, once with its
# stylesheets taken away, and prints what each drew and did.
HEADLESS = textwrap.dedent(
    """
    import asyncio, json, sys
    from pathlib import Path

    import tui.ui.app
    from tui.ui.app import ReaderApp
    from tui.config.settings import bundled_vault
    from tui.state.store import StateStore

    class Unstyled(ReaderApp):
        CSS_PATH = []

    async def start(cls):
        store = StateStore(Path(sys.argv[1]) / (cls.__name__ + ".json"))
        app = cls(bundled_vault(), store, use_cache=False)
        async with app.run_test(size=(120, 36)) as pilot:
            for _ in range(200):
                await pilot.pause(0.05)
                if app.main.vault is not None:
                    break
            before = sum(1 for n in app.main.vault.notes if store.status(n) == "read")
            await pilot.press("j", "enter")
            drawn = {w.id: tuple(w.region) for w in app.screen.query("*") if w.id}
            notes = app.main.vault.notes
            await pilot.press("ctrl+q")
        return {
            "css": [str(p) for p in app.css_path],
            "drawn": sorted(drawn.items()),
            "notes": len(notes),
            "newly_read": sum(1 for n in notes if store.status(n) == "read") - before,
            "running": app.is_running,
        }

    async def main():
        print(json.dumps({
            "wanted": list(tui.ui.app.STYLE_FILES),
            "styled": await start(ReaderApp),
            "unstyled": await start(Unstyled),
        }))

    asyncio.run(main())
    """
)


def test_the_installed_app_starts_with_its_stylesheets(installed: Installed) -> None:
    out = installed.run("python", "-c", HEADLESS, str(installed.outside), timeout=90)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout.strip().splitlines()[-1])
    styled, unstyled = report["styled"], report["unstyled"]
    site = installed.venv / "lib"
    css = [Path(p) for p in styled["css"]]
    assert [p.name for p in css] == report["wanted"]
    assert all(p.is_file() and p.is_relative_to(site) and p.parent.name == "styles" for p in css)
    assert unstyled["css"] == []
    assert styled["drawn"] != unstyled["drawn"], "the stylesheets changed nothing on screen"
    assert styled["notes"] >= 25
    assert (styled["newly_read"], styled["running"]) == (1, False)
