"""This machine's identity in a shared reading state: a random id and a name for people.

Headless: nothing here imports textual or rich.

The id stamps every field a machine sets, so two machines changing the same note at the same
millisecond still merge the same way everywhere. It lives in the user's state directory, not
beside the (possibly synced) state file, so a sync engine never copies it to another machine.
``$READERLY_DEVICE_FILE`` names another file (tests, or several identities on one machine).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import socket
from dataclasses import dataclass
from pathlib import Path

import orjson
import platformdirs

from tui.state.durable import read_regular, write_atomic

ENV_VAR = "READERLY_DEVICE_FILE"
_MAX_NAME = 64


@dataclass(frozen=True, slots=True)
class Device:
    """A machine that writes reading state: ``id`` is stable and unique, ``name`` for people."""

    id: str
    name: str


def device_file() -> Path:
    """Where this machine's device id is kept."""
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        return Path(override).expanduser()
    return platformdirs.user_state_path("readerly") / "device.json"


def _clean_name(raw: object) -> str:
    text = raw if isinstance(raw, str) else ""
    # Names are shown in a terminal: printable characters only, and short.
    text = "".join(ch for ch in text if ch.isprintable())[:_MAX_NAME].strip()
    return text or "this machine"


def _valid_id(raw: object) -> bool:
    return isinstance(raw, str) and 8 <= len(raw) <= 64 and raw.isascii() and raw.isalnum()


def load_device(path: Path | None = None) -> Device:
    """This machine's device, created on first use; never raises.

    When the file cannot be read or written the id is derived from the host and user names,
    which keeps it stable from one run to the next on this machine.
    """
    path = path or device_file()
    try:
        data = orjson.loads(read_regular(path, limit=4096))
        if isinstance(data, dict) and _valid_id(data.get("id")):
            return Device(str(data["id"]), _clean_name(data.get("name")))
    except (OSError, orjson.JSONDecodeError):
        pass
    device = Device(secrets.token_hex(8), _clean_name(socket.gethostname()))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, orjson.dumps({"id": device.id, "name": device.name}))
    except OSError:
        seed = f"{socket.gethostname()}\0{os.getuid()}".encode("utf-8", "replace")
        return Device(hashlib.blake2b(seed, digest_size=8).hexdigest(), device.name)
    return device


def rename_device(name: str, path: Path | None = None) -> Device:
    """Give this machine a new name (its id stays); OSError if the file cannot be written."""
    path = path or device_file()
    current = load_device(path)
    device = Device(current.id, _clean_name(name))
    with contextlib.suppress(FileExistsError):
        path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, orjson.dumps({"id": device.id, "name": device.name}))
    return device
