"""Writing output files: atomically (a temporary file, then a rename), so a build that
is killed midway leaves the previous outputs whole, and nothing is half-written."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import KgError


def write_atomic(path, data: str | bytes, encoding: str = "utf-8") -> Path:
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as e:
        raise KgError(f"{path.parent}: cannot write there ({e.strerror or e}); choose another output folder with -o") from None
    try:
        os.chmod(tmp, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode(encoding) if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
