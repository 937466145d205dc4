"""Semantic diff across git history: `policylint diff` and `policylint log`.

Git is asked for history once per file (`git log --raw --first-parent`, one plain
command); every blob is read through GitPython's object database (`GitCmdObjectDB`:
one long-lived `git cat-file --batch` for the whole run, opened on the first blob, so
`lint` never imports GitPython). Each distinct blob is split once, each later version
derived from the one before (see :mod:`policylint.diff`), each pair of blobs diffed once
(a reverted change is not diffed again). Every git failure becomes one
:class:`~policylint.errors.GitError` line that says what to do.
"""
from __future__ import annotations

import gc
import os
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable, Sequence

from .diff import DiffCache, DocDiff, FileDiff, diff_documents, diff_texts, with_override
from .errors import GitError

__all__ = ["FileDiff", "LogEntry", "LogResult", "Repository", "check_arg", "diff_revisions",
           "log", "TRAILER", "WORKTREE", "INDEX"]

#: Commit trailer that overrides the classification: `Policy-Change: editorial`.
TRAILER = "Policy-Change"
WORKTREE, INDEX = "working tree", "index"
_NULL = "0" * 40
_OVERRIDES = ("editorial", "minor", "material")


@dataclass(frozen=True)
class LogEntry:
    """One version of a policy, compared with the version before it on the first-parent line."""
    commit: str
    short: str
    date: datetime
    author: str
    email: str
    subject: str
    path: str
    old_path: str | None
    status: str         # added | modified | renamed | removed
    diff: DocDiff       # from diff_texts: carries no Documents (see policylint.diff)
    old_blob: str | None
    new_blob: str | None


@dataclass(frozen=True)
class LogResult:
    path: str
    entries: tuple[LogEntry, ...]          # newest first
    shallow_boundary: str | None = None    # set when history stops at a shallow clone's edge
    warnings: tuple[str, ...] = ()


def check_arg(value: str, what: str = "revision") -> str:
    """Nothing starting with '-' reaches git: it would be read as an option."""
    if value is None:
        return value
    if value.startswith("-"):
        raise GitError(f"{what} '{value}' starts with '-'",
                       "revisions and paths may not start with '-'; for a file named so write ./"
                       + value)
    if "\0" in value or "\n" in value:
        raise GitError(f"{what} {value!r} contains a control character", f"give a valid {what}")
    return value


def _first_line(stderr: str | None, status: int | None) -> str:
    err = (stderr or "").strip().replace("stderr: ", "").strip(" '\n")
    for line in err.splitlines():
        line = line.strip(" '")
        if line:
            return line.removeprefix("fatal: ").removeprefix("error: ")
    return f"git exited with status {status}"


#: How git is run: messages in English (they are matched), no prompt on stdin.
_ENV = {**os.environ, "LANGUAGE": "C", "LC_ALL": "C"}


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, env=_ENV, stdin=subprocess.DEVNULL,
                          capture_output=True)


def _text(out: bytes) -> str:
    return out.decode("utf-8", "surrogateescape")      # paths in any encoding survive


class Repository:
    """A git repository opened for reading policies; GitPython's one cat-file for all blobs."""

    def __init__(self, start: str | Path | None = None) -> None:
        start = Path(start or Path.cwd())
        not_repo = GitError(f"not a git repository: {start}",
                            "run inside a git repository or use --files OLD NEW")
        if not start.is_dir():
            raise not_repo
        try:
            found = _run(["rev-parse", "--is-bare-repository", "--absolute-git-dir",
                          "--show-toplevel"], start)
        except FileNotFoundError:
            raise GitError("git is not installed or not on PATH",
                           "install git, or use --files OLD NEW") from None
        lines = _text(found.stdout).splitlines()
        if len(lines) < 2:
            err = _text(found.stderr)
            if "not a git repository" in err or not err.strip():
                raise not_repo
            raise GitError(f"git rev-parse failed: {_first_line(err, found.returncode)}",
                           "run the git command yourself to see why")
        if lines[0] == "true":
            raise GitError(f"{start} is a bare repository",
                           "run inside a checkout, or give two revisions")
        self.git_dir = Path(lines[1])
        # Inside .git itself there is no top level: the checkout is its parent.
        self.root = Path(lines[2]) if len(lines) > 2 else self.git_dir.parent
        self._repo = None
        self._texts: dict[str, str] = {}
        self.cache = DiffCache()

    @property
    def repo(self):
        """The GitPython repository: object database, commits, trees, index; opened on first use."""
        if self._repo is None:
            import git
            from git.db import GitCmdObjectDB
            self._repo = git.Repo(self.root, odbt=GitCmdObjectDB)
        return self._repo

    def close(self) -> None:
        # Views of text and the cache refer to each other: emptied now, they are freed now,
        # not by a cycle collection long after `log` has returned.
        self.cache.clear()
        self._texts.clear()
        if self._repo is not None:
            self._repo.close()

    def __enter__(self) -> "Repository":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- git plumbing
    def git(self, *args: str) -> str:
        done = _run(list(args), self.root)
        if done.returncode:
            raise GitError(f"git {args[0]} failed: {_first_line(_text(done.stderr), done.returncode)}",
                           "check the revision and path, or run the git command yourself")
        return _text(done.stdout)

    @property
    def shallow(self) -> set[str]:
        f = self.git_dir / "shallow"
        try:
            return set(f.read_text().split())
        except OSError:
            return set()

    def has_commits(self) -> bool:
        return _run(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], self.root).returncode == 0

    def require_commits(self) -> None:
        if not self.has_commits():
            raise GitError("the repository has no commits yet",
                           "commit the policy first, or compare two files with --files OLD NEW")

    def resolve(self, rev: str) -> str:
        """Full commit id, or a GitError naming the fix (shallow clone, typo, no commits)."""
        check_arg(rev)
        if rev in ("HEAD", "@"):
            self.require_commits()
        done = _run(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"],
                    self.root)
        if done.returncode == 0:
            return _text(done.stdout).strip()
        if not self.has_commits():
            raise GitError(f"unknown revision '{rev}': the repository has no commits yet",
                           "commit the policy first, or use --files OLD NEW")
        if self.shallow:
            raise GitError(f"revision '{rev}' is not in this shallow clone (its history stops "
                           "before it)", "fetch the full history: git fetch --unshallow, or in "
                           "CI check out with fetch-depth: 0")
        raise GitError(f"unknown revision '{rev}'",
                       "check it with git log --oneline, or git fetch the branch or tag")

    def blob_bytes(self, sha: str) -> bytes:
        """A blob through GitPython's object database: its one long-lived `git cat-file --batch`."""
        try:
            return self.repo.odb.stream(bytes.fromhex(sha)).read()
        except Exception:      # gitdb's BadObject, a dead cat-file, a malformed id
            raise GitError(f"git cat-file could not read blob {sha[:7]}",
                           "check the repository with git fsck") from None

    def blob_text(self, sha: str) -> str:
        t = self._texts.get(sha)
        if t is None:
            t = self._texts[sha] = self.blob_bytes(sha).decode("utf-8", "replace")
        return t

    def blob_at(self, commit: str, path: str) -> str | None:
        """Blob id of ``path`` in ``commit``, or None if it is not there."""
        try:
            obj = self.repo.commit(commit).tree / path
        except KeyError:
            return None
        return obj.hexsha if obj.type == "blob" else None

    def index_blob(self, path: str) -> str | None:
        try:
            return self.repo.index.entries[(path, 0)].binsha.hex()
        except KeyError:
            return None

    def rel(self, p: str) -> str:
        """A PATH argument as repository-relative posix path."""
        check_arg(p, "path")
        full = Path(p)
        if not full.is_absolute():
            full = Path.cwd() / full
        try:
            return full.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            # Not under the working tree: take it as repository-relative already.
            return Path(p).as_posix()

    def trailer(self, commit: str) -> str | None:
        msg = self.repo.commit(commit).message
        return _trailer_value(msg)


def _trailer_value(message: str) -> str | None:
    value = None
    for line in message.splitlines():
        k, sep, v = line.partition(":")
        if sep and k.strip().lower() == TRAILER.lower() and v.strip().lower() in _OVERRIDES:
            value = v.strip().lower()
    return value


# ------------------------------------------------------------------ diff

def _raw_entries(out: str) -> list[tuple[str, str, str, str | None, str]]:
    """`--raw -z` output -> (status, old_sha, new_sha, old_path, new_path)."""
    toks = out.split("\0")
    res = []
    i = 0
    while i < len(toks):
        t = toks[i].lstrip("\n")
        if not t.startswith(":"):
            i += 1
            continue
        meta = t[1:].split()
        status = meta[4][0]
        old_sha, new_sha = meta[2], meta[3]
        if status in "RC":
            src, dst = toks[i + 1], toks[i + 2]
            i += 3
        else:
            src = dst = toks[i + 1]
            i += 2
        res.append((status, old_sha, new_sha, src, dst))
    return res


_STATUS = {"A": "added", "D": "removed", "M": "modified", "R": "renamed", "C": "added",
           "T": "modified"}


def _is_policy(path: str, config) -> bool:
    from .discover import excluded, matches
    include = getattr(config, "include", None) or ("**/*.md",)
    return matches(path, include) and not excluded(path, getattr(config, "exclude", ()) or ())


def diff_revisions(rev_a: str | None = None, rev_b: str | None = None, *, staged: bool = False,
                   paths: Sequence[str] = (), config=None, cwd: str | Path | None = None
                   ) -> list[FileDiff]:
    """The semantic diff git would show for `git diff [--staged] [A [B]] -- PATHS`.

    No revision: working tree against HEAD. ``staged``: index against HEAD. One
    revision: it against the working tree. Two: revision against revision. Without
    PATHS, the files the config includes (default `**/*.md`).
    """
    for r in (rev_a, rev_b):
        if r is not None:
            check_arg(r)
    for p in paths:
        check_arg(p, "path")
    if staged and rev_b is not None:
        raise GitError("--staged compares the index with one revision",
                       "give at most one revision with --staged")
    with Repository(cwd) as repo:
        rels = [repo.rel(p) for p in paths]
        if rev_a is None:
            repo.require_commits()
        a = repo.resolve(rev_a or "HEAD")
        b = repo.resolve(rev_b) if rev_b is not None else None
        if rev_b is not None:
            args, new_side = [a, b], b
        elif staged:
            args, new_side = ["--cached", a], INDEX
        else:
            args, new_side = [a], WORKTREE
        for p in rels:
            _check_path(repo, p, a, b, new_side)
        out = repo.git("diff", "--raw", "--no-abbrev", "-z", "-M", "--no-ext-diff",
                       "--no-textconv", *args, "--", *(rels or []))
        label_a = rev_a or "HEAD"
        label_b = rev_b if rev_b is not None else new_side
        override = None
        if b is not None:
            parents = repo.repo.commit(b).parents
            if parents and parents[0].hexsha == a:
                value = repo.trailer(b)
                if value:
                    override = (value, _author(repo.repo.commit(b)))
        entries = _raw_entries(out)
        if new_side == WORKTREE:
            # New files not yet added: `git diff` cannot see them, a reviewer would.
            others = repo.git("ls-files", "--others", "--exclude-standard", "-z", "--", *rels)
            entries += [("A", _NULL, _NULL, p, p) for p in others.split("\0") if p]
        from .parser import parse_bytes
        results = []
        for status, osha, nsha, opath, npath in entries:
            if not rels and not (_is_policy(npath, config) or _is_policy(opath, config)):
                continue
            st = _STATUS.get(status, "modified")
            old_data = repo.blob_bytes(osha) if status not in "AC" and osha != _NULL else None
            if status == "D":
                new_data = None
            elif nsha != _NULL:
                new_data = repo.blob_bytes(nsha)
            else:
                f = repo.root / npath
                new_data = f.read_bytes() if f.is_file() else None
                if new_data is None:
                    st = "removed"
            if status in "C":
                old_data = None
            old_doc = parse_bytes(old_data, opath) if old_data is not None else None
            new_doc = parse_bytes(new_data, npath) if new_data is not None else None
            d = diff_documents(old_doc, new_doc, config)
            if override:
                d = with_override(d, override[0], override[1])
            results.append(FileDiff(npath, opath if opath != npath else None, label_a, label_b, st, d))
        return results


def _check_path(repo: Repository, path: str, a: str, b: str | None, new_side: str) -> None:
    """A PATH that is in neither side is a typo, not 'no changes'."""
    def exists_in(commit: str) -> bool:
        try:
            repo.repo.commit(commit).tree / path
            return True
        except KeyError:
            return False
    if exists_in(a):
        return
    if b is not None:
        if exists_in(b):
            return
    elif new_side == INDEX:
        if any(k[0] == path or k[0].startswith(path.rstrip("/") + "/") for k in repo.repo.index.entries):
            return
    elif (repo.root / path).exists():
        return
    where = repo.repo.git.rev_parse("--short", a)
    raise GitError(f"'{path}' is not in revision {where}" + (f" or {b[:7]}" if b else ""),
                   f"check the path with git ls-tree -r --name-only {where}; paths are relative "
                   "to the current folder")


def _author(commit) -> str:
    return f"{commit.author.name} <{commit.author.email}>"


# ------------------------------------------------------------------ log

_FORMAT = "%x1e%H%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%s%x1f%(trailers:key=" + TRAILER + \
          ",valueonly,separator=%x1d)"


@dataclass
class _Version:
    commit: str
    parents: list[str]
    author: str
    email: str
    date: str
    subject: str
    trailer: str | None
    status: str
    old_sha: str | None
    new_sha: str | None
    old_path: str | None
    path: str


def _parse_log(out: str, path: str) -> list[_Version]:
    res = []
    for rec in out.split("\x1e"):
        if not rec.strip():
            continue
        header, _, rest = rec.partition("\0")
        f = header.split("\x1f")
        if len(f) < 7:
            continue
        trailer = None
        for v in f[6].split("\x1d"):
            v = v.strip().lower()
            if v in _OVERRIDES:
                trailer = v
        for status, osha, nsha, src, dst in _raw_entries(rest):
            if dst != path and src != path:
                continue
            res.append(_Version(f[0], f[1].split(), f[2], f[3], f[4], f[5], trailer,
                                status[0], None if osha == _NULL else osha,
                                None if nsha == _NULL else nsha, src, dst))
    return res


def _rename_source(repo: Repository, v: _Version) -> tuple[str, str] | None:
    """For a version that adds ``v.path``: the path it was renamed from, and that blob.

    Git's own rename detection first (-M); failing that, a file deleted in the same
    commit whose front matter `id` is the same.
    """
    if not v.parents:
        return None
    parent = v.parents[0]
    out = repo.git("diff-tree", "-r", "-M", "--raw", "--no-abbrev", "-z", "--no-commit-id",
                   parent, v.commit)
    entries = _raw_entries(out)
    for status, osha, _nsha, src, dst in entries:
        if status == "R" and dst == v.path:
            return src, osha
    new_id = _front_id(repo.blob_text(v.new_sha)) if v.new_sha else None
    if new_id:
        for status, osha, _nsha, src, _dst in entries:
            if status == "D" and _front_id(repo.blob_text(osha)) == new_id:
                return src, osha
    return None


def _front_id(text: str) -> str | None:
    if not text.startswith("---"):
        return None
    for line in text.split("\n")[1:40]:
        if line.rstrip() in ("---", "..."):
            break
        k, sep, v = line.partition(":")
        if sep and k.strip() == "id":
            return v.strip().strip("\"'") or None
    return None


class _Store:
    """Classified diffs of blob pairs kept in `.git/policylint/diff-cache.json`.

    Blobs never change, so a diff of two blob ids is valid until the config's
    classification settings or policylint's own language and diff code change; both are
    part of the key. Any problem reading or writing it just means no cache.
    """

    NAME = "diff-cache.json"

    def __init__(self, repo: Repository, config, enabled: bool) -> None:
        self.enabled = enabled and os.environ.get("POLICYLINT_NO_CACHE", "") in ("", "0")
        self.file = repo.git_dir / "policylint" / self.NAME
        self.data: dict = {}
        self.dirty = False
        if not self.enabled:
            return
        from .diff import _settings
        self.salt = _code_key() + "|" + repr(_settings(config))
        try:
            import json
            raw = json.loads(self.file.read_text(encoding="utf-8"))
            if raw.get("salt") == self.salt:
                self.data = raw.get("diffs", {})
        except (OSError, ValueError, AttributeError):
            self.data = {}

    def get(self, key: str) -> DocDiff | None:
        if not self.enabled or key not in self.data:
            return None
        try:
            return _diff_from_json(self.data[key])
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, key: str, d: DocDiff) -> None:
        if self.enabled:
            self.data[key] = {"classification": d.classification,
                              "changes": [_change_to_store(c) for c in d.changes]}
            self.dirty = True

    def save(self) -> None:
        if not (self.enabled and self.dirty):
            return
        try:
            import json

            from .fsutil import write_atomic
            self.file.parent.mkdir(exist_ok=True)
            write_atomic(self.file, json.dumps({"salt": self.salt, "diffs": self.data},
                                               ensure_ascii=False, separators=(",", ":")),
                         overwrite=True)
        except (OSError, ValueError, Exception):   # a cache must never fail the command
            pass


def _code_key() -> str:
    """Version plus size and mtime of the modules that decide a classification."""
    from . import __version__
    here = Path(__file__).parent
    parts = [__version__]
    for name in ("diff.py", "classify.py", "parser.py", "inline.py", "vocab.py", "extract.py"):
        try:
            st = (here / name).stat()
            parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(name)
    for f in sorted((here / "lang").glob("*.toml")):
        st = f.stat()
        parts.append(f"{f.name}:{st.st_size}:{st.st_mtime_ns}")
    return ";".join(parts)


def _change_to_store(c) -> dict:
    """`change_json`, but a redline not made yet is stored as null (made when read)."""
    from .diff import _lazy_red, evidence_json
    red = _lazy_red(c)
    return {"kind": c.kind, "section": c.section, "change": c.change,
            "classification": c.classification, "reason": c.reason, "old": c.old, "new": c.new,
            "old_line": c.old_line, "new_line": c.new_line,
            "redline": None if red is None else [list(p) for p in red],
            "evidence": [evidence_json(e) for e in c.evidence]}


def _diff_from_json(d: dict) -> DocDiff:
    from .diff import Change, Evidence
    changes = tuple(
        Change(c["kind"], c["section"], c["change"], c["classification"], c["reason"], c["old"],
               c["new"], None if c["redline"] is None else tuple((op, t) for op, t in c["redline"]),
               tuple(Evidence(**e) for e in c["evidence"]), c["old_line"], c["new_line"])
        for c in d["changes"])
    return DocDiff(None, None, d["classification"], changes)


def log(path: str, rev_range: str | None = None, *, config=None, cwd: str | Path | None = None,
        material_only: bool = False, progress: Callable[[int, int], None] | None = None,
        cache: bool = True) -> LogResult:
    """Every version of one policy, newest first, each classified against the one before.

    ``rev_range`` is `REV` (history up to REV) or `A..B`. Renames are followed (git's
    rename detection, then front matter `id`). Merge commits count on the first-parent
    line only. A `Policy-Change:` trailer overrides that commit's classification.
    ``cache``: reuse diffs of blob pairs classified by an earlier run (see :class:`_Store`).
    """
    check_arg(path, "path")
    lo = hi = None
    if rev_range:
        check_arg(rev_range)
        if ".." in rev_range:
            lo, _, hi = rev_range.partition("..")
            lo, hi = lo or None, hi or None
            if hi and hi.startswith("."):
                raise GitError(f"symmetric range '{rev_range}' is not supported",
                               "give A..B or a single revision")
            for r in (lo, hi):
                if r:
                    check_arg(r)
        else:
            hi = rev_range
    # A walk allocates many long-lived objects (parsed sections shared across versions)
    # and little garbage: the cycle collector would rescan them again and again.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _log(path, lo, hi, config, cwd, material_only, progress, cache)
    finally:
        if gc_was_enabled:
            gc.enable()


def _log(path, lo, hi, config, cwd, material_only, progress, cache) -> LogResult:
    with Repository(cwd) as repo:
        repo.require_commits()
        rel = repo.rel(path)
        tip = repo.resolve(hi or "HEAD")
        stop = repo.resolve(lo) if lo else None
        versions: list[_Version] = []
        cur, start = rel, tip
        seen_paths = set()
        while True:
            seen_paths.add((cur, start))
            args = ["log", "--first-parent", "--raw", "--no-abbrev", "-z", "-M",
                    f"--format={_FORMAT}", start]
            if stop:
                args.append(f"^{stop}")
            chunk = _parse_log(repo.git(*args, "--", cur), cur)
            versions += chunk
            if not chunk or chunk[-1].status != "A":
                break
            last = chunk[-1]
            if stop and last.commit == stop:
                break
            src = _rename_source(repo, last)
            if not src or not last.parents:
                break
            last.status, last.old_path, last.old_sha = "R", src[0], src[1]
            cur, start = src[0], last.parents[0]
            if (cur, start) in seen_paths:
                break
        if not versions:
            if repo.blob_at(tip, rel) is None:
                short = tip[:7]
                raise GitError(f"'{rel}' is not in revision {hi or 'HEAD'} ({short}) or its history",
                               f"check the path with git ls-tree -r --name-only {short}; paths "
                               "are relative to the current folder")
        boundary = None
        shallow = repo.shallow
        if versions and versions[-1].status == "A" and versions[-1].commit in shallow:
            boundary = versions[-1].commit
        if stop and versions and versions[-1].old_sha is None and versions[-1].status != "A":
            pass
        entries = []
        total = len(versions)
        store = _Store(repo, config, cache)
        seen: dict[str, DocDiff] = {}    # a pair of blobs seen before (a reverted change)
        for k, v in enumerate(versions):
            if progress:
                progress(k, total)
            old_sha = v.old_sha if v.status != "A" else None
            new_sha = v.new_sha if v.status != "D" else None
            key = f"{old_sha}:{new_sha}"
            d = seen.get(key) or store.get(key)
            if d is None:
                old_text = repo.blob_text(old_sha) if old_sha else None
                new_text = repo.blob_text(new_sha) if new_sha else None
                d = diff_texts(old_text, new_text, config, cache=repo.cache,
                               old_key=old_sha, new_key=new_sha)
                store.put(key, d)
            seen[key] = d
            if v.trailer:
                d = with_override(d, v.trailer, f"{v.author} <{v.email}>")
            status = {"A": "added", "D": "removed", "R": "renamed"}.get(v.status, "modified")
            if material_only and d.classification != "material":
                continue
            entries.append(LogEntry(v.commit, v.commit[:7], datetime.fromisoformat(v.date),
                                    v.author, v.email, v.subject, v.path,
                                    v.old_path if v.old_path != v.path else None, status, d,
                                    v.old_sha, v.new_sha))
        if progress:
            progress(total, total)
        store.save()
        warnings = ()
        if boundary:
            warnings = (f"history of {rel} stops at {boundary[:7]}: this is a shallow clone "
                        "(fetch with fetch-depth: 0, or git fetch --unshallow)",)
        return LogResult(rel, tuple(entries), boundary, warnings)


# ------------------------------------------------------------------ output

def summary(d: DocDiff, limit: int = 3) -> list[str]:
    """The reasons worth a line: the worst changes first, duplicates dropped."""
    from .classify import RANK
    seen = list(dict.fromkeys(c.reason for c in sorted(d.changes, key=lambda c: -RANK[c.classification])
                              if c.reason))     # a dict: a rewrite has a thousand reasons
    if len(seen) > limit:
        return seen[:limit] + [f"+{len(seen) - limit} more"]
    return seen


def render_log_text(result: LogResult, color: bool = False) -> str:
    from .diff import _style
    out = []
    for e in result.entries:
        cls = e.diff.classification
        tag = _style(f"{cls:<9}", cls, color)
        where = ""
        if e.status == "renamed" and e.old_path:
            where = f" [renamed from {e.old_path}]"
        elif e.status in ("added", "removed"):
            where = f" [{e.status}]"
        over = f" [set by {e.diff.override_by}]" if e.diff.override else ""
        reasons = "; ".join(summary(e.diff)) or "no changes in content"
        out.append(f"{e.date.date().isoformat()}  {e.short}  {e.author}  {tag}{where}{over}  {reasons}")
    if not result.entries:
        out.append("no matching versions")
    return "\n".join(out) + "\n"


def log_json(result: LogResult) -> dict:
    from .diff import change_json, override_json
    return {"path": result.path, "shallow_boundary": result.shallow_boundary,
            "warnings": list(result.warnings),
            "versions": [{"commit": e.commit, "short": e.short, "date": e.date.isoformat(),
                          "author": e.author, "email": e.email, "subject": e.subject,
                          "path": e.path, "old_path": e.old_path, "status": e.status,
                          "classification": e.diff.classification,
                          "override": override_json(e.diff), "reasons": summary(e.diff, 1000),
                          "changes": [change_json(c) for c in e.diff.changes]}
                         for e in result.entries]}
