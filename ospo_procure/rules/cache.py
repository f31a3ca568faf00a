"""The on-disk cache of compiled rule sets: loaded in milliseconds, never stale, never half-written.

Building a rule set (parsing and validating the YAML, compiling and probing every regex,
analysing the prefilter literals, exporting spaCy's tokenizer rules and restricting its lemma
tables) takes seconds; loading the result takes milliseconds. An entry is keyed by

  - the rule folder's content: every file below it, by relative path and bytes, so any edit
    to any rule-data file (or a new file) makes a new key;
  - the environment: ospo-procure's version and the bytes of the modules that build or
    define what is cached (the package's top-level modules and rules/), the Python version
    and the versions of the libraries whose objects or outputs are cached (regex,
    pyahocorasick, spaCy, spacy-lookups-data, PyYAML);

so a stale entry is never read: it simply has another name. An entry is written to a
temporary file in the same folder and renamed over the final name (atomic on POSIX and
Windows), so a reader sees a whole file or none, and concurrent writers of the same entry
each rename a whole file. The file starts with a header (format, the full key, the payload's
SHA-256) that is checked before anything is unpickled: a truncated or corrupt file is
reported with a warning and rebuilt. Entries are unpickled, so they are trusted as code is:
the cache folder (paths.cache_dir) is the user's own, like their virtualenv, and on POSIX an
entry that is not the user's file, or that others can write, is never loaded (it is rebuilt,
with the same warning). Deleting the folder is always safe.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import stat
import sys
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from ospo_procure.paths import cache_dir

T = TypeVar("T")
LOGGER = "ospo_procure.cache"  # warnings about damaged entries (logging is imported only then)

FORMAT = b"ospo-procure compiled rules v1\n"
KEEP_PER_KIND = 24  # older entries of a kind are removed when a new one is written
MAX_HASHED_BYTES = 16 * 1024 * 1024  # larger than any rule data file the loader accepts
STALE_TMP_SECONDS = 3600  # a temporary file this old belongs to a writer that was killed
_DEPENDENCIES = ("regex", "ahocorasick", "spacy", "spacy_lookups_data", "yaml")
_DIST_NAMES = {"ahocorasick": "pyahocorasick", "yaml": "pyyaml"}
_PACKAGE = Path(__file__).resolve().parent.parent


class CorruptCache(Exception):
    pass


def folder_digest(root: Path) -> str:
    """SHA-256 of every file below `root` (relative path and bytes), in a stable order.

    A FIFO, device or dangling link is never read (reading could block); its path and type
    go into the digest, so the folder is loaded afresh and the loader reports it. A file too
    large to be rule data counts by size and modification time."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix().encode()
        try:
            st = path.stat()
        except OSError:
            digest.update(name + b"\0unreadable\0")
            continue
        if stat.S_ISDIR(st.st_mode):
            continue
        if not stat.S_ISREG(st.st_mode):
            digest.update(name + f"\0special {stat.S_IFMT(st.st_mode)}\0".encode())
        elif st.st_size > MAX_HASHED_BYTES:
            digest.update(name + f"\0large {st.st_size} {st.st_mtime_ns}\0".encode())
        else:
            data = path.read_bytes()
            digest.update(name + b"\0" + str(len(data)).encode() + b"\0" + data)
    return digest.hexdigest()


@cache
def environment_digest() -> str:
    """What else a cached entry depends on: code and library versions (once per process)."""
    from ospo_procure import __version__

    digest = hashlib.sha256(f"{__version__}|{sys.version}|{sys.implementation.cache_tag}".encode())
    for module in sorted([*_PACKAGE.glob("*.py"), *(_PACKAGE / "rules").glob("*.py")]):
        digest.update(module.name.encode() + b"\0" + module.read_bytes())
    for name in _DEPENDENCIES:
        digest.update(f"|{name}={_version(name)}".encode())
    return digest.hexdigest()


def _version(module: str) -> str:
    """A dependency's installed version, read from its dist-info folder name (importing
    importlib.metadata, or the module itself, would cost more than a whole cache load)."""
    import importlib.util

    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        return "absent"
    origin = Path(spec.origin)
    site = origin.parent.parent if origin.name == "__init__.py" else origin.parent
    wanted = _DIST_NAMES.get(module, module).lower().replace("-", "_")
    for entry in _listdir(site):
        if entry.endswith(".dist-info"):
            name, _, version = entry[: -len(".dist-info")].rpartition("-")
            if name.lower().replace("-", "_").replace(".", "_") == wanted:
                return version
    stat = origin.stat()  # no metadata (a source checkout): the file itself stands for its version
    return f"{origin}:{stat.st_size}:{stat.st_mtime_ns}"


@cache
def _listdir(folder: Path) -> tuple[str, ...]:
    try:
        return tuple(os.listdir(folder))
    except OSError:
        return ()


def entry_path(kind: str, key: str) -> Path:
    return cache_dir() / f"{kind}-{hashlib.sha256(key.encode()).hexdigest()[:32]}.pickle"


def load_or_build(kind: str, key: str, build: Callable[[], T]) -> T:
    """The cached value of `kind` for `key`, or build(), store it and return it."""
    path = entry_path(kind, key)
    try:
        value: T = _decode(_read_own(path), key)
        return value
    except OSError:
        pass  # no entry yet
    except CorruptCache as exc:
        import logging

        logging.getLogger(LOGGER).warning(
            "ospo-procure: the rule cache %s is unreadable (%s); rebuilding it", path, exc
        )
    value = build()
    store(path, key, value)
    return value


def _read_own(path: Path) -> bytes:
    """The entry's bytes, if the file is the user's own and nobody else can write it (an entry
    is unpickled, so one planted in a shared folder must not be)."""
    with open(path, "rb") as fh:
        st = os.fstat(fh.fileno())  # the file actually read, not whatever the name points to later
        if os.name == "posix" and (st.st_uid != os.getuid() or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)):
            raise CorruptCache("not the user's own file, or writable by others")
        return fh.read()


def _decode(data: bytes, key: str) -> Any:
    header_len = len(FORMAT)
    if data[:header_len] != FORMAT:
        raise CorruptCache("not a cache file of this version")
    head, sep, rest = data[header_len:].partition(b"\n")
    if not sep or head != hashlib.sha256(key.encode()).hexdigest().encode():
        raise CorruptCache("its key does not match its name")
    checksum, payload = rest[:32], rest[32:]
    if len(checksum) != 32 or hashlib.sha256(payload).digest() != checksum:
        raise CorruptCache("truncated or damaged")
    gc_was_on = gc.isenabled()
    gc.disable()  # unpickling allocates many objects: collecting meanwhile only costs time
    try:
        return pickle.loads(payload)
    except Exception as exc:  # a payload that hashes right but cannot load: a code/library mismatch
        raise CorruptCache(f"cannot be loaded: {type(exc).__name__}") from None
    finally:
        if gc_was_on:
            gc.enable()


def store(path: Path, key: str, value: Any) -> None:
    """Write the entry atomically; a cache that cannot be written only costs a rebuild next time."""
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    header = FORMAT + hashlib.sha256(key.encode()).hexdigest().encode() + b"\n" + hashlib.sha256(payload).digest()
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(header)
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        return  # a read-only or full cache folder: the rule set is rebuilt next time
    _prune(path)


def _prune(keep: Path) -> None:
    """Remove the oldest entries of the same kind beyond KEEP_PER_KIND (one per rule folder
    version and language in use is plenty), and temporary files a killed writer left."""
    kind = keep.name.rsplit("-", 1)[0]
    try:
        entries = sorted(keep.parent.glob(f"{kind}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP_PER_KIND:]:
            if old != keep:
                old.unlink(missing_ok=True)
        for tmp in keep.parent.glob(f".{kind}-*.tmp"):
            if time.time() - tmp.stat().st_mtime > STALE_TMP_SECONDS:
                tmp.unlink(missing_ok=True)
    except OSError:
        pass
