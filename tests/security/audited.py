"""Run readerly with an audit hook that logs every file it opens and every process it starts.

``python -m tests.security.audited ARGS...`` behaves as ``readerly ARGS...``; the log (one
``event<TAB>path`` line each) goes to ``$READERLY_AUDIT_LOG``. The hook is installed before
anything of readerly is imported, so nothing it reads escapes the log.
"""

from __future__ import annotations

import os
import sys
from typing import Any

FILE_EVENTS = ("open", "os.listdir", "os.scandir", "shutil.copyfile", "os.remove", "os.rename")
PROCESS_EVENTS = (
    "subprocess.Popen",
    "os.system",
    "os.exec",
    "os.posix_spawn",
    "os.spawn",
    "os.fork",
    "os.startfile",
    "webbrowser.open",
    "pty.spawn",
)


def install(log_path: str) -> None:
    """Append one line per file or process event to ``log_path`` from now on."""
    # Opened before the hook exists and written with os.write, which raises no events.
    fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    cwd = os.getcwd()

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event in FILE_EVENTS:
            target = args[0] if args else None
            if isinstance(target, int) or target is None:
                return  # an already-open descriptor, or scandir of the current folder
            path = os.fsdecode(target)
            if not os.path.isabs(path):
                path = os.path.join(cwd, path)
        elif event in PROCESS_EVENTS:
            path = repr(args)[:500]
        else:
            return
        line = f"{event}\t{path}\n".encode("utf-8", "backslashreplace")
        os.write(fd, line)

    sys.addaudithook(hook)


SYSTEM_READS = ("/dev/", "/proc/", "/sys/", "/etc/localtime", "/usr/share/zoneinfo/")
"""What any Python program may read besides its own installation."""


def python_dirs() -> list[str]:
    """The interpreter's installation and environment (stdlib, site-packages)."""
    return sorted({os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)})


def read_log(log_path: str) -> list[tuple[str, str]]:
    """The ``(event, path)`` pairs a run logged."""
    with open(log_path, encoding="utf-8") as fh:
        return [tuple(line.rstrip("\n").split("\t", 1)) for line in fh if "\t" in line]  # type: ignore[misc]


def _under(path: str, folder: str) -> bool:
    folder = folder.rstrip("/")
    return path == folder or path.startswith(folder + "/")


def outside_reads(events: list[tuple[str, str]], allowed: list[str]) -> list[str]:
    """Paths touched by file events that lie outside every folder of ``allowed``.

    A path counts both as written and as resolved (symlinks followed), so a link from
    inside an allowed folder to somewhere else is reported too.
    """
    folders = [os.path.realpath(a) for a in allowed] + [os.path.abspath(a) for a in allowed]
    folders += python_dirs()
    out = []
    for event, path in events:
        if event not in FILE_EVENTS:
            continue
        for candidate in {path, os.path.realpath(path)}:
            if candidate.startswith(SYSTEM_READS) or candidate in SYSTEM_READS:
                continue
            if not any(_under(candidate, f) for f in folders):
                out.append(f"{event} {candidate}")
    return sorted(set(out))


def processes(events: list[tuple[str, str]]) -> list[str]:
    """Every process start (browser, shell, fork) a run logged."""
    return [f"{event} {args}" for event, args in events if event in PROCESS_EVENTS]


def main() -> int:
    """Install the hook, then run the command line as readerly would."""
    install(os.environ["READERLY_AUDIT_LOG"])
    from tui.cli.main import main as readerly

    return readerly(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
