"""The HTML page ``readerly serve`` hands the browser, and the rules it is served under.

textual-serve's own page pulls its font from a third-party font service, which leaks every
visit to that service and hangs or fails offline. This page loads only what textual-serve
ships inside its package (xterm.css, textual.js, the Roboto Mono font files), and the
Content-Security-Policy below keeps it that way: the browser refuses anything from elsewhere.
"""

from __future__ import annotations

from html import escape

# textual.js needs only its own origin: its script, styles, fonts and the websocket back.
# No inline script at all, so a stray value in the page can never run as code; inline
# style stays allowed because xterm.js sizes its elements with style attributes.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "font-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)

# The class names and data attributes are the ones textual.js looks for: it fills each
# ``.textual-terminal`` element and marks <body> with -first-byte / -closed as the session goes.
_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<link rel="icon" href="data:,">
<link rel="preload" href="{static}fonts/RobotoMono-VariableFont_wght.ttf" as="font"
  type="font/ttf" crossorigin>
<link rel="stylesheet" href="{static}css/xterm.css">
<style>
@font-face {{
  font-family: "Roboto Mono";
  font-style: normal;
  font-weight: 100 700;
  src: url("{static}fonts/RobotoMono-VariableFont_wght.ttf") format("truetype");
}}
@font-face {{
  font-family: "Roboto Mono";
  font-style: italic;
  font-weight: 100 700;
  src: url("{static}fonts/RobotoMono-Italic-VariableFont_wght.ttf") format("truetype");
}}
html, body {{ margin: 0; height: 100%; background: #1e1e1e; overflow: hidden; }}
.textual-terminal {{ width: 100vw; height: 100vh; opacity: 0; }}
body.-first-byte .textual-terminal {{ opacity: 1; transition: opacity 0.2s ease-out; }}
.notice {{
  position: absolute; inset: 0; display: flex; align-items: center; justify-content: center;
  font: 16px "Roboto Mono", monospace; color: #e0e0e0; z-index: 10;
}}
.notice p {{ background: #2b2b2b; padding: 24px 40px; text-align: center; }}
.notice a {{ color: #ffb454; }}
body.-first-byte .starting, .ended, #start {{ display: none; }}
body.-closed .ended {{ display: flex; background: #1e1e1e; }}
</style>
<script src="{static}js/textual.js"></script>
</head>
<body>
<div class="notice starting"><p>{title}<br>starting…</p></div>
<div class="notice ended"><p>The reader has closed.<br><a href="">Open it again</a></p></div>
<button type="button" id="start" hidden>Start</button>
<div id="terminal" class="textual-terminal"
  data-session-websocket-url="{websocket}" data-font-size="{font_size}"></div>
</body>
</html>
"""


def page_html(*, title: str, static_url: str, websocket_url: str, font_size: int) -> str:
    """The page for one browser visit; every value is escaped for its HTML attribute/text."""
    return _PAGE.format(
        title=escape(title),
        static=escape(static_url),
        websocket=escape(websocket_url),
        font_size=int(font_size),
    )
