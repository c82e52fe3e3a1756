"""How every ``sendflow`` command reads, writes and fails (private).

The pattern every command follows (see docs/reference/cli.md, "Exit codes"):

- A command function takes the parsed arguments and returns an exit code:
  :data:`EXIT_OK`, or :data:`EXIT_PROBLEMS` when it ran to the end but some
  input was bad (invalid lines, each reported on standard error as
  ``line N: invalid case: ...`` and skipped) or it found what it checks for.
- It opens its input with :func:`open_input` and reads JSON Lines with
  :func:`read_json_lines` / :func:`read_cases` (UTF-8, a byte-order mark on
  line 1 allowed, at most :data:`MAX_LINE_BYTES` a line, duplicate keys
  refused); a line that fails is passed to its ``bad(number, reason)``.
- It raises :class:`UsageError` (exit 2) for arguments it cannot use,
  :class:`UnreadableInput` (exit 3) for input it cannot open or read at all;
  a :class:`~sendflow.SendflowError` reaching :func:`run` is taken to be about
  the arguments (exit 2): per-line errors are the command's to catch.
- It writes text through :func:`write_line` (control characters in user data
  escaped, so a reference cannot forge lines or send terminal escapes), CSV
  through :func:`csv_writer` (formula defence), and messages through
  :func:`error`.
- :func:`run` maps what escapes: a broken pipe is a quiet exit 0, an
  ``OSError`` writing output is exit 4, an unexpected exception is exit 70
  with the exception's type only (its message might carry input; set
  ``SENDFLOW_DEBUG=1`` to get the traceback).
"""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from typing import IO, TYPE_CHECKING, Any

from sendflow._csvsafe import SafeWriter
from sendflow.errors import SendflowError

if TYPE_CHECKING:  # pydantic is imported where it is used: ``--help`` stays light
    from pydantic import ValidationError

__all__ = [
    "EXIT_INTERNAL",
    "EXIT_IO",
    "EXIT_OK",
    "EXIT_PROBLEMS",
    "EXIT_UNREADABLE",
    "EXIT_USAGE",
    "MAX_LINE_BYTES",
    "CommandError",
    "OutputError",
    "UnreadableInput",
    "UsageError",
    "csv_writer",
    "error",
    "no_duplicate_keys",
    "open_input",
    "read_cases",
    "read_document",
    "read_json_lines",
    "run",
    "safe_text",
    "stdout",
    "validation_message",
    "write_line",
]

EXIT_OK = 0
#: The command ran to the end, but some input lines were invalid (or, for a
#: command that checks something, it found what it looks for).
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_UNREADABLE = 3
EXIT_IO = 4
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130

#: The longest JSON Lines line (or ``explain`` document) read, in bytes,
#: newline excluded. A longer line is reported as invalid without being held
#: in memory; reading goes on at the next line.
MAX_LINE_BYTES = 16 * 1024 * 1024

_BOM = codecs.BOM_UTF8
_CHUNK = 1 << 20


class CommandError(Exception):
    """A command cannot go on; ``code`` is the exit code."""

    code = EXIT_USAGE


class UsageError(CommandError):
    """The arguments cannot be used (exit 2)."""

    code = EXIT_USAGE


class UnreadableInput(CommandError):
    """The input cannot be opened or read at all (exit 3)."""

    code = EXIT_UNREADABLE


class OutputError(CommandError):
    """The output cannot be written (exit 4)."""

    code = EXIT_IO


# ----------------------------------------------------------------- escaping
# C0 and C1 controls (escape sequences, carriage returns, line feeds...), DEL,
# the Unicode line and paragraph separators and the bidirectional controls that
# can make a terminal show text in another order than it was written.
_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    named = _NAMED.get(ch)
    if named is not None:
        return named
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_text(text: str) -> str:
    """``text`` with every control character written as a backslash escape
    (``\\n``, ``\\x1b``, ``\\u2028``...), so it stays on one line and sends
    nothing to the terminal. Other characters, backslash included, are kept."""
    return _CONTROL.sub(_escape, text)


# ------------------------------------------------------------------- output
def stdout() -> IO[str]:
    """Standard output, or :class:`OutputError` when it is closed."""
    out = sys.stdout
    if out is None:
        raise OutputError("standard output is closed")
    return out


def write_line(out: IO[str], text: str) -> None:
    """Write one line of text output, user data's control characters escaped."""
    out.write(safe_text(text) + "\n")


def error(message: str) -> None:
    """Write a message to standard error (escaped; dropped if stderr is closed)."""
    err = sys.stderr
    if err is None:
        return
    try:
        err.write(safe_text(message) + "\n")
        err.flush()
    except (OSError, ValueError):  # stderr itself is broken: nowhere left to say it
        pass


def csv_writer(out: IO[str]) -> SafeWriter:
    """A CSV writer whose text cells are neutralised against formula injection."""
    return SafeWriter(out)


# -------------------------------------------------------------------- input
def open_input(path: str) -> IO[bytes]:
    """The file (or ``-``: standard input) as bytes, or :class:`UnreadableInput`."""
    if path == "-":
        stream = sys.stdin
        if stream is None:
            raise UnreadableInput("standard input is closed")
        try:
            buffer: IO[bytes] = stream.buffer
        except AttributeError:  # replaced by a text-only stream
            raise UnreadableInput("standard input cannot be read as bytes") from None
        return buffer
    try:
        return open(path, "rb")
    except OSError as exc:
        raise UnreadableInput(f"cannot read {path}: {exc.strerror or type(exc).__name__}") from None


def _readline(stream: IO[bytes], limit: int) -> bytes:
    try:
        return stream.readline(limit + 1)
    except OSError as exc:
        raise UnreadableInput(f"cannot read input: {exc.strerror or type(exc).__name__}") from None


def read_json_lines(
    stream: IO[bytes], bad: Callable[[int, str], None]
) -> Iterator[tuple[int, bytes]]:
    """Each non-blank line with its number (from 1), newline kept.

    A line longer than :data:`MAX_LINE_BYTES` goes to ``bad`` and is skipped
    without being held in memory. A UTF-8 byte-order mark before line 1 is
    dropped; a UTF-16 one means the whole input is :class:`UnreadableInput`.
    """
    limit = MAX_LINE_BYTES
    number = 0
    while True:
        line = _readline(stream, limit)
        if not line:
            return
        number += 1
        if number == 1:
            if line.startswith(_BOM):
                line = line[len(_BOM):]
            elif line.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                raise UnreadableInput("input is UTF-16; JSON Lines input must be UTF-8")
        if len(line) > limit and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = _readline(stream, _CHUNK)
            bad(number, f"line longer than the maximum of {limit:,} bytes")
            continue
        if line.strip():
            yield number, line


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for k, _ in pairs:
            if k in seen:
                raise _DuplicateKey(k)
            seen.add(k)
    return out


def no_duplicate_keys(data: bytes | str) -> str | None:
    """``None``, or a message naming (when safe, see ``describe_key``) a key
    that appears twice in one JSON object of ``data``. Call it only on text
    that has already parsed (as pydantic does: last wins)."""
    from sendflow._base import describe_key

    try:
        json.loads(data, object_pairs_hook=_pairs)
    except _DuplicateKey as dup:
        return f"duplicate key {describe_key(dup.key)!r} in a JSON object"
    except (ValueError, RecursionError):
        return None  # not for this check to judge: the validator has
    return None


def validation_message(exc: ValidationError) -> str:
    """Every error's location and message, never the input values."""
    parts = []
    for err in exc.errors(include_input=False, include_url=False, include_context=False):
        loc = ".".join(str(p) for p in err["loc"]) or "(case)"
        parts.append(f"{loc}: {err['msg']}")
    return "; ".join(parts)


def read_cases(
    stream: IO[bytes],
    bad: Callable[[int, str], None],
    check: Callable[[Any], object] | None = None,
) -> Iterator[tuple[int, Any]]:
    """Each valid :class:`~sendflow.Case` with its line number; a bad line goes
    to ``bad(number, reason)`` and is skipped.

    ``check`` (e.g. an evaluation) runs on each case first, so that a case the
    library cannot evaluate is one bad line too, whatever it raises.
    """
    from pydantic import ValidationError

    from sendflow.case import Case

    for number, line in read_json_lines(stream, bad):
        try:
            case = Case.model_validate_json(line)
            duplicate = no_duplicate_keys(line)
            if duplicate is not None:
                bad(number, duplicate)
                continue
            if check is not None:
                check(case)
        except ValidationError as exc:
            bad(number, validation_message(exc))
        except SendflowError as exc:
            bad(number, str(exc))
        except Exception as exc:  # a library fault on one case never stops the rest
            bad(number, f"could not be evaluated ({type(exc).__name__})")
        else:
            yield number, case


def read_document(path: str) -> bytes:
    """A whole input (a file or ``-``) of at most :data:`MAX_LINE_BYTES`, BOM
    dropped; :class:`UnreadableInput` if it cannot be read or is too long."""
    stream = open_input(path)
    try:
        with stream:
            data = stream.read(MAX_LINE_BYTES + len(_BOM) + 1)
    except OSError as exc:
        raise UnreadableInput(f"cannot read {path}: {exc.strerror or type(exc).__name__}") from None
    if data.startswith(_BOM):
        data = data[len(_BOM):]
    if len(data) > MAX_LINE_BYTES:
        raise UnreadableInput(f"input longer than the maximum of {MAX_LINE_BYTES:,} bytes")
    return data


# ---------------------------------------------------------------------- run
def _quiet_stdout() -> None:
    """Point standard output at /dev/null so that Python's own flush at exit
    does not raise again (after a broken pipe or a full disk)."""
    out = sys.stdout
    if out is None:
        return
    try:
        fd = out.fileno()
    except (OSError, ValueError, AttributeError):
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    except OSError:
        pass


def _encodable_output() -> None:
    """Characters that standard output's encoding (``PYTHONIOENCODING=ascii``,
    a C locale) cannot hold are written as backslash escapes, not a crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        encoding = getattr(stream, "encoding", None)
        if reconfigure is None or not encoding:
            continue
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            continue
        if not name.startswith("utf"):
            with contextlib.suppress(ValueError, OSError):  # a closed stream
                reconfigure(errors="backslashreplace")


def run(command: str, func: Callable[[Any], int], args: Any) -> int:
    """Run one command and turn what it raises into a message and exit code."""
    _encodable_output()
    try:
        stdout()  # every command writes there: closed means nothing could be said
        code = func(args)
        if sys.stdout is not None:
            sys.stdout.flush()
        return code
    except BrokenPipeError:
        _quiet_stdout()  # the reader stopped reading (``| head``): not an error
        return EXIT_OK
    except CommandError as exc:
        error(f"sendflow {command}: {exc}")
        return exc.code
    except SendflowError as exc:
        error(f"sendflow {command}: {exc}")
        return EXIT_USAGE
    except OSError as exc:
        _quiet_stdout()
        error(f"sendflow {command}: cannot write output: {exc.strerror or type(exc).__name__}")
        return EXIT_IO
    except KeyboardInterrupt:
        _quiet_stdout()
        return EXIT_INTERRUPTED
    except Exception as exc:
        if os.environ.get("SENDFLOW_DEBUG"):
            raise
        error(
            f"sendflow {command}: internal error ({type(exc).__name__}); please report it "
            "(set SENDFLOW_DEBUG=1 for the traceback)"
        )
        return EXIT_INTERNAL
