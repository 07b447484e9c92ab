"""Writing output files: atomically (a temporary file, then a rename), so a build that
is killed midway leaves the previous outputs whole, and nothing is half-written; and
one build at a time in an output folder (a lock file)."""
from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Callable

from .errors import KgError


def write_atomic(path, data: str | bytes, encoding: str = "utf-8") -> Path:
    """Write one file atomically: a temporary file beside it, then a rename."""
    return write_atomic_with(path, _writer(data, encoding))


def write_atomic_with(path, fill: Callable[[BinaryIO], object]) -> Path:
    """`write_atomic` of what `fill(file)` writes into the file as it makes it."""
    staged = Staged()
    try:
        staged.write_with(path, fill)
        return staged.commit()[0]
    finally:
        staged.discard()


def _writer(data: str | bytes, encoding: str) -> Callable[[BinaryIO], object]:
    return lambda fh: fh.write(data.encode(encoding) if isinstance(data, str) else data)


class Staged:
    """Outputs written to temporary files first and renamed into place together at the end,
    so a build killed while writing leaves every previous output as it was."""

    def __init__(self):
        self.pending: list[tuple[Path, str]] = []

    def write(self, path, data: str | bytes, encoding: str = "utf-8") -> Path:
        return self.write_with(path, _writer(data, encoding))

    def write_with(self, path, fill: Callable[[BinaryIO], object]) -> Path:
        """`fill(file)` writes the content into the staged file, as it makes it."""
        path = Path(path)
        if path.is_dir():
            raise KgError(f"{path}: is a folder; give the name of a file to write (e.g. {path / 'graph.ttl'})")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        except OSError as e:
            raise KgError(f"{path.parent}: cannot write there ({e.strerror or e}); choose another output folder with -o") from None
        try:
            with os.fdopen(fd, "wb") as fh:
                fill(fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o666 & ~_umask())
        except BaseException as e:   # disk full, quota, `fill` failed: the previous file stays, the partial one goes
            try:
                os.unlink(tmp)
            except OSError:
                pass
            if not isinstance(e, OSError):
                raise
            raise KgError(f"{path}: cannot be written ({e.strerror or e}); free some space, or choose "
                          f"another output folder with -o — the previous outputs are as they were") from None
        self.pending.append((path, tmp))
        return path

    def commit(self) -> list[Path]:
        """Rename every staged file into place. With more than one, a journal of the renames
        is written first (and fsynced), so a kill between two renames is completed by the
        next build in the folder (`exclusive` rolls it forward): the files change as a set."""
        journal = None
        if len(self.pending) > 1:
            journal = self.pending[0][0].parent / JOURNAL
            data = json.dumps([[str(p), t] for p, t in self.pending]).encode("utf-8")
            with open(journal, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        for path, tmp in self.pending:
            try:
                os.replace(tmp, path)
            except OSError as e:
                raise KgError(f"{path}: cannot be replaced ({e.strerror or e}); check it is a file you "
                              f"may write") from None
        if journal:
            journal.unlink()
        done = [p for p, _ in self.pending]
        self.pending = []
        return done

    def discard(self) -> None:
        for _, tmp in self.pending:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        self.pending = []


@contextmanager
def exclusive(folder):
    """Hold the output folder for one build; a second build at the same time is refused."""
    from filelock import FileLock, Timeout
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise KgError(f"{folder}: cannot create the output folder ({e.strerror or e}); choose another with -o") from None
    lock = FileLock(str(folder / ".kg-build.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise KgError(f"{folder}: another kg build is writing there now; wait for it to finish, "
                      f"or give this one another folder with -o") from None
    except OSError as e:      # a read-only lock file or folder
        raise KgError(f"{folder / '.kg-build.lock'}: cannot take the build lock ({e.strerror or e}); "
                      f"make the folder writable, or choose another with -o") from None
    roll_forward(folder)
    for stale in folder.glob(".*.tmp"):   # left by a build that was killed while writing
        try:
            stale.unlink()
        except OSError:
            pass
    try:
        yield
    finally:
        lock.release()


JOURNAL = ".kg-commit.json"


def roll_forward(folder: Path) -> None:
    """Finish the renames of a set of outputs that a kill interrupted (see Staged.commit)."""
    journal = folder / JOURNAL
    try:
        pairs = json.loads(journal.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    for path, tmp in pairs:
        if os.path.exists(tmp):
            os.replace(tmp, path)
    journal.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
