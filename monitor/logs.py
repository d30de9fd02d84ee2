"""Log set-up for the CLI and the daemon: one line per event, as text or as JSON.

journald and log collectors read one event per line; scraped text can hold newlines, so JSON
lines escape them and text lines have them replaced.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys

#: Between INFO and WARNING: what an operator reads at the default level, one line per thing
#: done (the daemon started or stopped, a source's pass, an alert sent, a reload). ``-v``
#: adds INFO (each article, each decision), ``-q`` leaves errors only.
NOTICE = 25
logging.addLevelName(NOTICE, "NOTICE")
_redraw = False


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "message"}`` per line, plus the exception if any."""

    def format(self, record: logging.LogRecord) -> str:
        event = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            event["exception"] = self.formatException(record.exc_info)
        return json.dumps(event, ensure_ascii=False)


class OneLineFormatter(logging.Formatter):
    """Plain text with newlines inside a message folded, so each event stays one line."""

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        return text.replace("\r", " ").replace("\n", " | ")


def configure(level: int, fmt: str = "text") -> None:
    """Send the library's logs to stderr in the chosen format (called once, by the CLI)."""
    handler = logging.StreamHandler(sys.stderr)
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(OneLineFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    global _redraw
    _redraw = fmt == "text" and level <= NOTICE
    # httpx logs every request at INFO; our fetcher logs what matters.
    logging.getLogger("httpx").setLevel(max(level, logging.WARNING))
    logging.getLogger("apscheduler").setLevel(max(level, logging.WARNING))


def can_redraw() -> bool:
    """Whether a live status line may be drawn on stderr: a terminal, text lines, not ``-q``.

    A log collector or ``--log-format json`` must see only whole lines.
    """
    return _redraw and sys.stderr.isatty()
