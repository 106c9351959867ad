"""hclog-style JSON logging on stderr, the format go-plugin hosts parse into levels."""
import datetime
import json
import logging
import sys

# hclog's trace level sits below DEBUG.
TRACE = 5
logging.addLevelName(TRACE, "TRACE")


def _hclog_level(levelno: int) -> str:
    """Maps a Python level onto hclog's five names."""
    if levelno >= logging.ERROR:
        return "error"
    if levelno >= logging.WARNING:
        return "warn"
    if levelno >= logging.INFO:
        return "info"
    if levelno >= logging.DEBUG:
        return "debug"
    return "trace"


def hclog_timestamp(created: float) -> str:
    """Go layout 2006-01-02T15:04:05.000000Z07:00: hosts drop lines without exactly six digits."""
    moment = datetime.datetime.fromtimestamp(created, datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class HclogJSONFormatter(logging.Formatter):
    """Formats one record as one hclog JSON line; extra key/values go in `extra={"fields": {...}}`."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "@level": _hclog_level(record.levelno),
            "@message": record.getMessage(),
            "@timestamp": hclog_timestamp(record.created),
        }
        if record.name and record.name != "root":
            entry["@module"] = record.name
        for key, value in (getattr(record, "fields", None) or {}).items():
            entry[str(key)] = value if isinstance(value, (int, float, bool)) or value is None else str(value)
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        # The host reads stderr line by line: one record, one line.
        return json.dumps(entry, ensure_ascii=False, separators=(",", ":"))


def configure_logging(name: str, level: int = TRACE) -> logging.Logger:
    """Returns a logger that writes hclog JSON to the real stderr (fd 2), which hosts read as logs."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(HclogJSONFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # grpclib and its HTTP/2 libraries are chatty at debug; keep them at warnings.
    for library in ("grpclib", "h2", "hpack", "asyncio"):
        logging.getLogger(library).setLevel(logging.WARNING)
    logger = logging.getLogger(name)

    def log_uncaught(kind, value, tb):
        # A crash becomes an error line the host shows, not a bare traceback at debug.
        logger.error("plugin crashed: %s", value, exc_info=(kind, value, tb))

    sys.excepthook = log_uncaught
    return logger
