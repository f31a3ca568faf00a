"""Safe file access shared by every command: outputs written atomically onto places that are
theirs to replace, and data files read with a byte cap from regular files only.

Outputs. A reader never sees a half-written file: data goes to a temporary file in the
target's own directory (same filesystem, so `os.replace` is atomic) and is renamed into
place. Because the rename replaces whatever directory entry holds the name, the target is
checked first: only a regular file or a new name may be written. A device (`-o /dev/null`
run as root would otherwise turn /dev/null into a plain file), a FIFO, a socket, a folder
and, unless the user asks to follow it, a symbolic link are refused, and so is every file
the command reads (inputs, waiver files, rule files, configuration), each with one line.

Reads. A FIFO blocks its reader forever and /dev/zero never ends, so a size on disk proves
nothing: `read_regular` opens without blocking, checks the opened file is a regular one,
and reads at most `cap` bytes.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path

from ospo_procure.errors import OspoError, UsageError

PathLike = str | os.PathLike[str]
STDOUT = "-"  # `-o -`: the report goes to standard output, no file is written
# (path, what it is to the command): ("rules/brand.yaml", "a rule file in use")
Protected = tuple[PathLike, str]


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _resolves_to(target: Path, other: Path) -> bool:
    try:
        return target.resolve() == other.resolve() or _same_file(target, other)
    except (OSError, RuntimeError):  # symlink loops
        return False


def check_not_input(path: PathLike, inputs: Iterable[PathLike] = ()) -> None:
    """Raise UsageError when `path` is (or resolves to) one of `inputs`."""
    check_not_protected(path, [(p, "an input file") for p in inputs])


def check_not_protected(path: PathLike, protected: Iterable[Protected]) -> None:
    """Raise UsageError when `path` is (or resolves to) one of the files the command reads."""
    target = Path(path)
    for other, what in protected:
        if _resolves_to(target, Path(other)):
            if what == "an input file":
                raise UsageError("refusing to overwrite an input file", path=target)
            raise UsageError(f"refusing to overwrite {what}; choose another output path", path=target)


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_output(
    path: PathLike,
    *,
    inputs: Iterable[PathLike] = (),
    protected: Iterable[Protected] = (),
    follow_symlinks: bool = False,
) -> Path:
    """The path to write an output to, or a UsageError saying why `path` may not be replaced.

    A symbolic link is refused unless `follow_symlinks`; then its target is checked and
    returned (the link itself stays).
    """
    target = Path(path)
    protected = [*((p, "an input file") for p in inputs), *protected]
    check_not_protected(target, protected)  # first: through a symlink too, the clearest reason
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        st = None
    except NotADirectoryError:
        raise UsageError("cannot write here: a parent of this path is a file, not a folder", path=target) from None
    except OSError as exc:
        raise UsageError(f"cannot use this output path ({exc.strerror or exc})", path=target) from None
    if st is not None and stat.S_ISLNK(st.st_mode):
        if not follow_symlinks:
            raise UsageError(
                "is a symbolic link; refusing to replace it (pass --follow-symlinks to write to its target)",
                path=target,
            )
        try:
            resolved = target.resolve(strict=False)
        except (OSError, RuntimeError):
            raise UsageError("is a symbolic link that cannot be resolved (a loop?)", path=target) from None
        return check_output(resolved, protected=protected, follow_symlinks=False)
    if st is not None:
        kind = _kind(st.st_mode)
        if kind == "a folder":
            raise UsageError("is a folder; give the output a file name", path=target)
        if kind is not None:
            raise UsageError(f"is {kind}, not a regular file; refusing to replace it", path=target)
    else:
        _check_parent(target)
    return target


def _check_parent(target: Path) -> None:
    """The nearest existing ancestor of a new output must be a folder."""
    for parent in target.parents:
        try:
            st = os.stat(parent)
        except FileNotFoundError:
            continue
        except NotADirectoryError:
            break
        except OSError as exc:
            raise UsageError(f"cannot use this output path ({exc.strerror or exc})", path=target) from None
        if stat.S_ISDIR(st.st_mode):
            return
        break
    raise UsageError("cannot write here: a parent of this path is a file, not a folder", path=target)


def atomic_write_bytes(
    path: PathLike,
    data: bytes,
    *,
    inputs: Iterable[PathLike] = (),
    protected: Iterable[Protected] = (),
    follow_symlinks: bool = False,
) -> Path:
    """Write `data` to `path` atomically (temp file beside it + os.replace), after `check_output`."""
    target = check_output(path, inputs=inputs, protected=protected, follow_symlinks=follow_symlinks)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _create_temp(target)
    except OSError as exc:
        raise _write_error(exc, target) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _write_error(exc, target) from None
        raise
    return target


def _create_temp(target: Path) -> tuple[int, str]:
    """A new temporary file beside `target`, with the permissions the output will have.

    `tempfile.mkstemp` makes files private (0600) whatever the umask, so a report renamed
    into place would be unreadable by colleagues on a shared drive while the build outputs
    beside it are 0644. The file is created with mode 0666 and the kernel applies the
    user's umask, like any program that writes a file; a file being replaced keeps its own
    permissions (a report the user made private stays private).
    """
    try:
        keep: int | None = stat.S_IMODE(os.stat(target).st_mode) & 0o777
    except OSError:
        keep = None
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = str(target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(tmp, flags, 0o666)
        except FileExistsError:
            continue
        if keep is not None:
            with contextlib.suppress(OSError, AttributeError):  # no fchmod on some platforms
                os.fchmod(fd, keep)
        return fd, tmp
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(target.parent))


def current_umask() -> int:
    """The process's umask, read without changing it where the system allows (Linux), since
    setting it to read it back races with other threads creating files."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_error(exc: OSError, target: Path) -> OspoError:
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return UsageError(f"cannot write here ({exc.strerror}); choose a folder you can write to", path=target)
    if exc.errno == errno.ENOSPC:
        return UsageError("no space left on the device; nothing was written", path=target)
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return UsageError("cannot write here: a parent of this path is a file, not a folder", path=target)
    return UsageError(f"cannot write the output ({exc.strerror or exc}); nothing was written", path=target)


def atomic_write_text(
    path: PathLike,
    text: str,
    *,
    encoding: str = "utf-8",
    inputs: Iterable[PathLike] = (),
    protected: Iterable[Protected] = (),
    follow_symlinks: bool = False,
) -> Path:
    """Text variant of `atomic_write_bytes`; newlines are written as given (no translation)."""
    return atomic_write_bytes(
        path, text.encode(encoding), inputs=inputs, protected=protected, follow_symlinks=follow_symlinks
    )


class NotRegularFile(OSError):
    """`read_regular` was given a FIFO, device, socket or folder."""

    def __init__(self, kind: str):
        super().__init__(errno.EINVAL, f"is {kind}, not a regular file")
        self.kind = kind


class TooLarge(OSError):
    """`read_regular` found more than `cap` bytes."""

    def __init__(self, cap: int):
        super().__init__(errno.EFBIG, f"larger than {cap:,} bytes")
        self.cap = cap


def check_regular(path: PathLike) -> None:
    """Raise NotRegularFile for anything but a regular file (following symlinks), without opening it.

    Opening some devices has effects (a tape rewinds), and opening a FIFO can block, so the
    type is checked on the name before any open.
    """
    kind = _kind(os.stat(path).st_mode)
    if kind is not None:
        raise NotRegularFile(kind)


def _open_regular(path: PathLike) -> int:
    """A descriptor on a regular file, opened without blocking and checked after opening."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    kind = _kind(os.fstat(fd).st_mode)
    if kind is not None:
        os.close(fd)
        raise NotRegularFile(kind)
    return fd


def read_head(path: PathLike, size: int) -> bytes:
    """The first `size` bytes of a regular file (NotRegularFile for anything else), never blocking."""
    fd = _open_regular(path)
    try:
        return os.read(fd, size)
    finally:
        os.close(fd)


def read_regular(path: PathLike, cap: int) -> bytes:
    """At most `cap` bytes of a regular file; NotRegularFile / TooLarge / OSError otherwise.

    The type is checked before opening and again on the opened descriptor (the name may
    have been swapped in between); O_NONBLOCK keeps a FIFO swapped in from blocking the open.
    """
    check_regular(path)
    fd = _open_regular(path)
    try:
        chunks: list[bytes] = []
        size = 0
        while size <= cap:
            chunk = os.read(fd, min(1 << 20, cap + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > cap:
            raise TooLarge(cap)
        return b"".join(chunks)
    finally:
        os.close(fd)
