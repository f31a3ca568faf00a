"""Zip packages of tender documents, read member by member under the readers' limits.

A tender package is hostile input like any tender: declared sizes can lie, members can
be encrypted, symlinks or bombs. Members are never extracted by their own names: each one
is streamed, with its size and compression ratio checked on the bytes actually produced,
into a temporary file of our own naming inside a temporary folder, which the caller
deletes. Nested packages ("annexes.zip" inside the package) are opened the same way, up
to MAX_DEPTH levels.
"""

from __future__ import annotations

import hashlib
import shutil
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from ospo_procure.errors import InputError, LimitExceeded
from ospo_procure.limits import Limits
from ospo_procure.readers import SUPPORTED

MAX_MEMBERS = 10_000  # lintable members of one package (a real package holds tens)
MAX_DEPTH = 3  # packages inside packages
_RATIO_MIN_BYTES = 1 << 20  # small members may compress very well (text); only big ones are bombs
_CHUNK = 1 << 16
ARCHIVE_SUFFIXES = (".zip",)


def is_archive(path: str | Path) -> bool:
    return Path(path).suffix.lower() in ARCHIVE_SUFFIXES


def _suffix(name: str) -> str:
    return PurePosixPath(name).suffix.lower()


def member_problem(info: zipfile.ZipInfo, limits: Limits) -> str | None:
    """Why a member cannot be read, from the central directory alone (None: try it)."""
    mode = info.external_attr >> 16
    if mode and stat.S_ISLNK(mode):
        return "a symbolic link inside the package; not followed"
    if info.flag_bits & 0x1:
        return "encrypted (password-protected) member; ask the buyer for an unprotected copy"
    if info.file_size > limits.max_file_bytes:
        return (
            f"member declares {info.file_size / 2**20:.1f} MB, over the max_file_bytes limit of "
            f"{limits.max_file_bytes / 2**20:.1f} MB"
        )
    if info.file_size >= _RATIO_MIN_BYTES and info.file_size > limits.max_compression_ratio * max(
        info.compress_size, 1
    ):
        return (
            f"member expands {info.file_size // max(info.compress_size, 1)}:1, over the "
            f"max_compression_ratio limit of {limits.max_compression_ratio}:1 (zip bomb?)"
        )
    return None


def _open(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise InputError(f"corrupt zip package ({exc}); download it again", path=path) from None
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot open the zip package ({exc})", path=path) from None


def _copy_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, dest: Path, limits: Limits, where: str) -> str:
    """Stream one member into `dest` under the limits; return its SHA-256."""
    problem = member_problem(info, limits)
    if problem:
        raise LimitExceeded(problem, path=where)
    cap = min(limits.max_file_bytes, max(limits.max_compression_ratio * max(info.compress_size, 1), _RATIO_MIN_BYTES))
    digest = hashlib.sha256()
    size = 0
    try:
        with zf.open(info) as src, dest.open("wb") as out:
            while chunk := src.read(_CHUNK):
                size += len(chunk)
                if size > cap:
                    raise LimitExceeded(
                        "member expands past its declared size or the max_compression_ratio / "
                        "max_file_bytes limits (zip bomb?)",
                        path=where,
                    )
                digest.update(chunk)
                out.write(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise InputError(f"cannot decompress the member ({exc}); download the package again", path=where) from None
    except OSError as exc:
        raise InputError(f"cannot read the member ({exc})", path=where) from None
    return digest.hexdigest()


def member_source(archive: str, chain: tuple[str, ...]) -> str:
    """The store identity of a member: 'package.zip!docs/tor.docx' (nested: '!a.zip!b.pdf')."""
    return "!".join((archive, *chain))


def list_members(path: Path, limits: Limits) -> Iterator[tuple[tuple[str, ...], str | None]]:
    """(member chain, problem or None) for every lintable member, nested packages opened.

    Raises InputError when the package itself cannot be opened."""
    with tempfile.TemporaryDirectory(prefix="ospo-zip-") as tmp:
        yield from _walk(path, (), Path(tmp), limits, [0])


def _walk(
    path: Path, prefix: tuple[str, ...], tmp: Path, limits: Limits, count: list[int]
) -> Iterator[tuple[tuple[str, ...], str | None]]:
    with _open(path) as zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            chain = (*prefix, info.filename)
            suffix = _suffix(info.filename)
            if suffix in ARCHIVE_SUFFIXES:
                if len(chain) >= MAX_DEPTH:
                    yield chain, f"packages nested more than {MAX_DEPTH} deep are not opened; unpack it first"
                    continue
                nested = tmp / f"nested-{len(chain)}-{count[0]}.zip"
                try:
                    _copy_member(zf, info, nested, limits, member_source(str(path), chain))
                    yield from _walk(nested, chain, tmp, limits, count)
                except InputError as exc:
                    yield chain, exc.message
                finally:
                    nested.unlink(missing_ok=True)
                continue
            if suffix not in SUPPORTED:
                continue  # price sheets, images, signatures: not tender text
            count[0] += 1
            if count[0] > MAX_MEMBERS:
                raise LimitExceeded(f"more than {MAX_MEMBERS:,} documents in one package", path=path)
            yield chain, member_problem(info, limits)


@contextmanager
def extracted(archive: Path, chain: tuple[str, ...], limits: Limits) -> Iterator[tuple[Path, str]]:
    """The member at `chain` as a temporary file (its own suffix, our own name) and its
    SHA-256; the temporary folder is removed on exit, whatever happens."""
    tmp = Path(tempfile.mkdtemp(prefix="ospo-member-"))
    try:
        current = archive
        digest = ""
        for depth, name in enumerate(chain):
            with _open(current) as zf:
                try:
                    info = zf.getinfo(name)
                except KeyError:
                    raise InputError(
                        "member no longer in the package", path=member_source(str(archive), chain)
                    ) from None
                dest = tmp / f"m{depth}{_suffix(name)}"
                digest = _copy_member(zf, info, dest, limits, member_source(str(archive), chain[: depth + 1]))
            current = dest
        yield current, digest
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
