"""A vault of hostile notes: everything web text could carry to attack a terminal reader.

``write_hostile_vault(root)`` fills ``root`` with notes whose titles, fields, bodies, links
and even file names carry terminal escape sequences, Textual markup and actions, bidi and
other control characters, broken headers, binary data and links that try to leave the vault.
Every payload that would do something visible names ``PWNED``, so a test (or the safety
run) can look for that word in the pane title, the clipboard or the raw terminal stream.

Used by ``tests/security`` and by ``tools/safety.py`` (``make stress``).
"""

from __future__ import annotations

import codecs
import json
import os
from collections.abc import Mapping
from pathlib import Path

MARKER = "PWNED"
"""Every payload that would change the terminal carries this word."""

SECRET = "secret outside the vault"
"""Text of the file the symlinks point at; it must never be shown or read."""

# --- terminal sequences --------------------------------------------------------------------
ESC = "\x1b"
BEL = "\x07"
ST = ESC + "\\"
SEQUENCES: dict[str, str] = {
    "osc0-bel": f"{ESC}]0;{MARKER}-osc0{BEL}",
    "osc2-st": f"{ESC}]2;{MARKER}-osc2{ST}",
    "osc52": f"{ESC}]52;c;UFdORUQtY2xpcGJvYXJk{BEL}",  # base64 of "PWNED-clipboard"
    "osc52-st": f"{ESC}]52;p;UFdORUQtc2VsZWN0aW9u{ST}",
    "osc8": f"{ESC}]8;;file:///etc/passwd{ST}{MARKER}-osc8{ESC}]8;;{ST}",
    "osc-colour-query": f"{ESC}]10;?{BEL}{ESC}]4;1;rgb:ff/00/00{BEL}",
    "csi-clear": f"{ESC}[2J{ESC}[3J{ESC}[H",
    "csi-moves": f"{ESC}[10;10H{ESC}[5A{ESC}[?25l{ESC}[?1049l{ESC}[?1000l",
    "csi-reports": f"{ESC}[6n{ESC}[21t{ESC}[c{ESC}[>q",
    "reset": f"{ESC}c{ESC}[!p",
    "dcs": f"{ESC}P+q544e{ST}{ESC}Pq#0;2;0;0;0#0~~@@{ST}",
    "apc": f"{ESC}_Gf=100,a=T;{MARKER}{ST}",
    "pm-sos": f"{ESC}^{MARKER}-pm{ST}{ESC}X{MARKER}-sos{ST}",
    "c1-8bit": f"\x9b2J\x9d0;{MARKER}-c1\x9c\x90q\x9c\x85\x8d",
    "unterminated": f"{ESC}]0;{MARKER}-unterminated",
    "bell-nul-del": f"\x07\x00\x7f\x08\x08\x08{MARKER}",
    "bidi": "\u202eDEP\u202c \u2066isolated\u2069 \u200f\u061c\ufeff",
}

# --- Textual / Rich markup and actions -----------------------------------------------------
MARKUP = (
    "[@click=app.quit]quit[/] [@click=app.screenshot()]shot[/] "
    "[link=file:///etc/passwd]passwd[/link] [@click=app.bell]bell[/] [bold red]red[/] "
    "[/] [ [[/]] \\[escaped]"
)

TRAVERSAL_LINKS = (
    "[[../../etc/passwd]] [[/etc/passwd]] [[..\\..\\etc\\passwd]] [[C:/Windows/win.ini]] "
    "[[../outside/secret]] [[leak]] [[passwd]] [[%2e%2e/etc/passwd]]\n\n"
    "[md link](file:///etc/passwd) [rel](../../etc/passwd) [abs](/etc/passwd) "
    "![image](/etc/passwd) ![remote image](file:///etc/shadow) <file:///etc/passwd>\n\n"
    "[js](javascript:alert(1)) [data](data:text/html,<script>alert(1)</script>) "
    "[vb](vbscript:msgbox) [dash](-https://example.com) [ftp](ftp://example.com/x)\n\n"
    '<img src="/etc/passwd"> <a href="file:///etc/passwd">html link</a>\n'
)
BAD_SOURCES = (
    "javascript:alert(1)",
    "file:///etc/passwd",
    "data:text/html,<script>alert(1)</script>",
    "-https://example.com",
    "https://exa mple.com",
    f"https://example.com/{ESC}]0;{MARKER}{BEL}",
    "https://example.com/\u202egnp.exe",
    "//example.com/no-scheme",
    "https:///no-host",
)


def _front(fields: Mapping[str, object]) -> str:
    # JSON is YAML, and json.dumps writes controls as \u escapes YAML turns back into them.
    lines = [f"{key}: {json.dumps(value)}" for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


def ofm_body() -> str:
    """Obsidian constructs carrying every sequence and markup: callout types and titles,
    footnote labels and texts, embed targets, HTML tags, highlights, math and comments."""
    parts = []
    for kind, seq in SEQUENCES.items():
        parts.append(
            f"> [!warn{seq}]- Callout {seq} {kind} {MARKUP}\n> body {seq}\n\n"
            f"Ref[^{kind}{seq}] ==mark {seq}== $x{seq}$ <kbd>{seq}</kbd> <b{seq}>t</b> "
            f'<span onclick="{seq}">{MARKUP}</span> %%{seq}%% text ^id{seq}\n\n'
            f"[^{kind}{seq}]: Footnote {seq} {MARKUP}\n\n"
            f"![[embed{seq}]] ![[../../etc/passwd]] ![[/etc/passwd#^x]] ![[leak#{seq}]] "
            f"![[x{seq}.png]] [[#{seq}]]\n\n<div>{seq}{MARKUP}</div>\n\n"
            f"$$\n{seq}\n$$\n\n| a{seq} | b |\n|:-:|--:|\n| {seq} | {MARKUP} |\n\n"
        )
    return "".join(parts)


def _notes() -> dict[str, bytes]:
    notes: dict[str, bytes] = {}

    def add(name: str, text: str | bytes) -> None:
        notes[f"{len(notes):02d}-{name}.md"] = text.encode() if isinstance(text, str) else text

    for kind, seq in SEQUENCES.items():
        fields = {
            "title": f"Title {seq} {kind}",
            "date": "2026-04-01",
            "domain": f"dom{seq}ain",
            "tags": [f"t{seq}", kind],
            "source": f"https://example.com/{seq}",
            "status": f"unread{seq}",
            "relevance": f"high{seq}",
            "aliases": [f"alias{seq}"],
            "related": [f"[[link{seq}|alias{seq}]]"],
        }
        body = (
            f"Body of {kind}: before {seq} after.\n\n# Heading {seq}\n\n"
            f"[[wiki{seq}|shown{seq}]] [text{seq}](https://example.com/{seq})\n\n"
            f"```\ncode {seq}\n```\n\n| a{seq} | b |\n|---|---|\n| {seq} | x |\n"
        )
        add(f"seq-{kind}", _front(fields) + body)
        add(f"raw-{kind}", f"# Raw {seq} heading\n\n{seq}\n")  # title taken from the body
    # Markup and actions in every field a person sees.
    add(
        "markup",
        _front(
            {
                "title": f"Markup {MARKUP}",
                "domain": "[@click=app.quit]dom[/]",
                "tags": ["[@click=app.quit]", "[b]tag[/b]", "[link=file:///etc/passwd]t[/link]"],
                "source": "[@click=app.quit]https://example.com",
                "aliases": ["[@click=app.quit]"],
            }
        )
        + f"{MARKUP}\n\n[[@click=app.quit]] [{MARKUP}](https://example.com/m)\n",
    )
    add("markup-title-only", "---\ntitle: '[@click=app.screenshot()]Shoot[/]'\n---\nbody\n")
    # Links that try to leave the vault, and non-web URLs.
    add("traversal", _front({"title": "Traversal links"}) + TRAVERSAL_LINKS)
    for i, source in enumerate(BAD_SOURCES):
        add(f"source-{i}", _front({"title": f"Bad source {i}", "source": source}) + "x\n")
    # Characters no terminal should see, written as YAML escapes and as raw text.
    add("nul-title", '---\ntitle: "nul\\0here\\x00"\n---\nbody\n')
    add("surrogate-yaml", '---\ntitle: "lone \\ud800 and \\udfff"\ntags: ["\\udc80"]\n---\nb\n')
    add("surrogate-utf8-bytes", b"# Lone \xed\xa0\x80 surrogate\n\nbody \xed\xbf\xbf\n")
    add(
        "surrogate-utf16",
        codecs.BOM_UTF16_LE + "# UTF-16 \ud800 x\n".encode("utf-16-le", "surrogatepass"),
    )
    add(
        "utf16-escapes",
        codecs.BOM_UTF16_LE + f"# UTF-16 {SEQUENCES['osc0-bel']}\n\nb\n".encode("utf-16-le"),
    )
    add("utf8-c1", "# C1 \u009b2J \u009d0;PWNED\u009c\n\nbody \u0085 \u008d\n")
    add("cp1252-c1", b"# cp1252 \x9b2J \x9d0;PWNED\x9c\n\nbody\n")
    add("line-separators", "# Lines\u2028split\u2029here\x0bvt\x0cff\r\rcr\n")
    add("huge-line", "# Huge\n\n" + ("A" * 2_000_000) + SEQUENCES["osc0-bel"] + "\n")
    add("huge-title", _front({"title": "T" * 100_000 + SEQUENCES["osc2-st"]}) + "b\n")
    add("many-links", "# Many links\n\n" + "[[a]]" * 20_000 + "\n")
    # Every way a header can fail.
    yaml_failures = {
        "tab-indent": "title: x\ntags:\n\t- a\n",
        "unclosed-quote": 'title: "never closed\n',
        "duplicate-keys": "title: a\ntitle: b\n",
        "anchors": 'a: &a ["x","x","x"]\nb: &b [*a,*a,*a]\nc: [*b,*b,*b]\n',
        "deep-flow": "x: " + "[" * 5000 + "]" * 5000 + "\n",
        "deep-block": "x:\n" + "".join("  " * i + "- \n" for i in range(300)),
        "list-header": "- a\n- b\n",
        "scalar-header": "just some prose\n",
        "python-tag": "title: !!python/object/apply:os.system ['echo PWNED']\n",
        "binary-tag": "title: !!binary UFdORUQ=\n",
        "complex-key": "? [a, b]\n: c\n[x]: y\n",
        "merge": "base: {title: m}\n<<: {title: merged}\n",
        "bad-date": "title: d\ndate: 2026-13-45\n",
        "date-object": "title: d\ndate: {y: 2026}\n",
        "status": "title: s\nstatus: [read]\n",
        "numbers": "title: 1e400\ntags: 12\ndate: 20260101\n",
        "null-title": "title: ~\ndomain: null\n",
        "control-in-plain": "title: a\x1b]0;PWNED\x07b\n",
        "bom-inside": "\ufefftitle: bom\n",
    }
    add("ofm-constructs", ofm_body())
    for name, header in yaml_failures.items():
        add(f"yaml-{name}", f"---\n{header}---\nbody of {name}\n")
    add("yaml-unclosed", "---\ntitle: never closed\n\nbody\n")
    add("yaml-huge", "---\n" + "k: v\n" * 20_000 + "---\nbody\n")
    add("toml-bad", "+++\ntitle = \n+++\nbody\n")
    add("toml-ok", '+++\ntitle = "TOML \\u001b]0;PWNED\\u0007"\ndate = 2026-04-01\n+++\nb\n')
    add("invalid-utf8-header", b"---\ntitle: caf\xe9 \xff\xfe\n---\nbody \x9b2J\n")
    add("crlf", "---\r\ntitle: crlf\r\n---\r\nbody\r\n")
    # Not text at all.
    add("binary-png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    add(
        "binary-nul-late",
        b"# Almost text\n\n" + b"x" * 100 + b"\x00" * 10 + SEQUENCES["osc0-bel"].encode(),
    )
    add("empty", b"")
    add("whitespace", b" \n\t\n")
    return notes


def outside_dir(root: Path) -> Path:
    """The folder beside the vault that its symlinks point into (never part of the vault)."""
    return root.parent / f"{root.name}-outside"


def write_hostile_vault(root: Path) -> int:
    """Fill ``root`` (created if needed) with hostile notes; return how many inputs it wrote.

    Besides the notes, it adds file names that carry escape sequences or are not UTF-8,
    and symlinks that lead out of the vault (to a secret beside it and to ``/etc/passwd``).
    """
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    count = 0
    for name, data in _notes().items():
        (root / name).write_bytes(data)
        count += 1
    raw_root = os.fsencode(root)
    hostile_names = [
        f"name-{ESC}]0;{MARKER}-name{BEL}.md".encode(),
        "name-\u202eDM.exe.md".encode(),
        b"name-caf\xe9-latin1.md",
        b"name-[@click=app.quit]x[_].md",
    ]
    for raw_name in hostile_names:
        with open(os.path.join(raw_root, raw_name), "wb") as fh:
            fh.write(b"# A note with a hostile file name\n\nbody\n")
        count += 1
    outside = outside_dir(root)
    outside.mkdir(exist_ok=True)
    (outside / "secret.md").write_text(f"---\ntitle: {SECRET}\n---\n{SECRET}\n")
    links = {
        "leak.md": outside / "secret.md",
        "leakdir": outside,
        "passwd.md": Path("/etc/passwd"),
        "etc": Path("/etc"),
    }
    for name, target in links.items():
        os.symlink(target, root / name)
        count += 1
    return count
