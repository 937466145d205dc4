"""The release gate: a material change may not ship without a new version and notice.

WP260 para 30 asks that material changes reach people *well in advance* of taking
effect. In a repository that means three checks on every policy whose text changed
materially since the base: ``version`` increased, ``effective`` is set, and
``effective`` lies at least ``notice-days`` (front matter, else config, else 30)
after today. Editorial and minor changes pass; so does a policy with no base version
(nobody was told anything before) and a deleted one.

What is compared (``base`` = old side, target = new side):

* something staged for the checked paths: the index against HEAD (a pre-commit hook);
* else HEAD against the newest tag reachable from HEAD (a tag on HEAD itself is the
  release being checked, so the tag before it is used);
* else HEAD against its parent; a repository with one commit has nothing to compare.

``--base REV`` replaces the old side; the new side stays the index when something is
staged, else HEAD.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Sequence

from .errors import GitError, PolicylintError

DEFAULT_NOTICE_DAYS = 30
INDEX = ":index"          # pseudo-revision: the staged version of a file


@dataclass(frozen=True)
class PolicyCheck:
    """The verdict on one policy file."""
    path: str
    status: str                     # new | removed | unchanged | editorial | minor | material
    ok: bool
    old_version: str | None = None
    new_version: str | None = None
    material: tuple[str, ...] = ()  # the diff's reasons for each material change
    problems: tuple[str, ...] = ()  # what is wrong, one line each
    fixes: tuple[str, ...] = ()     # exactly what to edit, one line each


@dataclass(frozen=True)
class GateResult:
    ok: bool
    base: str | None                # the old side as described to the user, None = nothing to compare
    target: str                     # "index" or "HEAD"
    checks: tuple[PolicyCheck, ...]

    @property
    def failed(self) -> tuple[PolicyCheck, ...]:
        return tuple(c for c in self.checks if not c.ok)


# ------------------------------------------------------------------ versions

_VERSION = re.compile(r"v?(\d+(?:\.\d+)*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$")


def parse_version(value: object) -> tuple[tuple[int, ...], str | None] | None:
    """'1.2' -> ((1, 2), None); '2.0-rc1' -> ((2, 0), 'rc1'); None if not a version."""
    if value is None or isinstance(value, bool):
        return None
    m = _VERSION.match(str(value).strip())
    if not m:
        return None
    return tuple(int(p) for p in m.group(1).split(".")), m.group(2)


def version_greater(new: object, old: object) -> bool | None:
    """True if ``new`` > ``old`` (numeric parts compared, 1.10 > 1.9; a pre-release is
    lower than its release); None when either is not a version."""
    a, b = parse_version(new), parse_version(old)
    if a is None or b is None:
        return None
    width = max(len(a[0]), len(b[0]))
    na, nb = a[0] + (0,) * (width - len(a[0])), b[0] + (0,) * (width - len(b[0]))
    if na != nb:
        return na > nb
    if a[1] == b[1]:
        return False
    if a[1] is None or b[1] is None:
        return a[1] is None            # 2.0 > 2.0-rc1
    return a[1] > b[1]


def suggest_bumps(old: object) -> list[str]:
    """The next minor and major versions: '1.0' -> ['1.1', '2.0']; '3' -> ['4']."""
    parsed = parse_version(old)
    if parsed is None:
        return ["1.0"]
    nums = parsed[0]
    if parsed[1] is not None:                   # 2.0-rc1 -> 2.0 is a bump too
        release = ".".join(map(str, nums))
        out = [release]
    else:
        out = []
    if len(nums) == 1:
        return out + [str(nums[0] + 1)]
    minor = (nums[0], nums[1] + 1) + (0,) * (len(nums) - 2)
    major = (nums[0] + 1,) + (0,) * (len(nums) - 1)
    return out + [".".join(map(str, minor)), ".".join(map(str, major))]


def _or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


# ------------------------------------------------------------------ git access

def _check_rev(rev: str, what: str = "revision") -> str:
    if not rev or rev.startswith("-"):
        raise GitError(f"invalid {what} {rev!r}", "a revision may not start with '-'")
    if any(c in rev for c in "\0\n\r") or rev.strip() != rev:
        raise GitError(f"invalid {what} {rev!r}", "give a branch, tag or commit id")
    return rev


class _Git:
    """The few git operations the gate needs, through GitPython."""

    def __init__(self, repo_path: str | Path) -> None:
        try:
            import git
        except ImportError as e:  # pragma: no cover
            raise PolicylintError("GitPython is not installed", "pip install gitpython") from e
        self._git = git
        try:
            self.repo = git.Repo(str(repo_path), search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise GitError(f"{repo_path} is not inside a git repository",
                           "run it in a checkout or pass the repository folder") from None
        if self.repo.bare:
            raise GitError(f"{repo_path} is a bare repository", "run it in a checkout")
        self.root = Path(self.repo.working_tree_dir or repo_path)

    def run(self, *args: str, text: bool = True) -> Any:
        try:
            return self.repo.git.execute(["git", *args], stdout_as_string=text,
                                         strip_newline_in_stdout=False)
        except self._git.GitCommandError as e:
            err = (e.stderr or "").strip().removeprefix("stderr:").strip(" '\n")
            raise GitError(f"git {' '.join(args[:2])} failed: {err.splitlines()[0] if err else e}",
                           "check the revision and that the repository is not shallow") from None

    def resolve(self, rev: str) -> str | None:
        _check_rev(rev)
        try:
            return self.repo.git.execute(["git", "rev-parse", "--verify", "--quiet", "--end-of-options",
                                          f"{rev}^{{commit}}"]).strip() or None
        except self._git.GitCommandError:
            return None

    def has_head(self) -> bool:
        return self.resolve("HEAD") is not None

    def newest_tag(self) -> str | None:
        """The newest tag reachable from HEAD, skipping one that points at HEAD itself."""
        head = self.resolve("HEAD")
        for start in ("HEAD", "HEAD^"):
            if self.resolve(start) is None:
                return None
            try:
                tag = self.repo.git.execute(["git", "describe", "--tags", "--abbrev=0", start]).strip()
            except self._git.GitCommandError:
                return None
            if tag and self.resolve(tag) != head:
                return tag
        return None

    def changed(self, base: str | None, target: str, paths: Sequence[str]) -> list[tuple[str, str | None, str | None]]:
        """(status, old path, new path) for each file changed from base to target."""
        spec = ["--", *paths] if paths else []
        if base is None:                           # everything at target is new
            if target == "index":
                names = self.run("ls-files", "-z", *spec).split("\0")
            else:
                names = self.run("ls-tree", "-r", "--name-only", "-z", "HEAD", *spec).split("\0")
            return [("A", None, n) for n in names if n]
        args = ["diff", "--name-status", "-z", "-M", "--no-ext-diff", "--no-textconv"]
        args += ["--cached", base] if target == "index" else [base, "HEAD"]
        out = self.run(*args, *spec).split("\0")
        result: list[tuple[str, str | None, str | None]] = []
        i = 0
        while i < len(out) and out[i]:
            status = out[i][0]
            if status in "RC":
                old, new = out[i + 1], out[i + 2]
                i += 3
                result.append((status, old, new))
            else:
                name = out[i + 1]
                i += 2
                result.append((status, None if status == "A" else name, None if status == "D" else name))
        return result

    def staged(self, paths: Sequence[str]) -> bool:
        spec = ["--", *paths] if paths else []
        if not self.has_head():
            return bool(self.run("ls-files", "-z", *spec).strip("\0"))
        return bool(self.run("diff", "--cached", "--name-only", "-z", "HEAD", *spec).strip("\0"))

    def blob(self, rev: str, path: str) -> bytes:
        spec = f":{path}" if rev == INDEX else f"{rev}:{path}"
        return self.run("cat-file", "blob", spec, text=False)


# ------------------------------------------------------------------ the check

def _is_policy(path: str, data: bytes | None, config: Any) -> bool:
    """A Markdown file the config includes that opens with front matter."""
    if data is None:
        return False
    from .discover import excluded, matches
    include = getattr(config, "include", None) or ("**/*.md",)
    if not matches(path, include) or excluded(path, getattr(config, "exclude", ()) or ()):
        return False
    head = data.lstrip(b"\xef\xbb\xbf")[:8]
    return head.startswith(b"---\n") or head.startswith(b"---\r\n")


def _front(doc: Any, key: str) -> Any:
    fm = getattr(doc, "front_matter", None)
    return fm.get(key) if fm is not None else None


def _line(doc: Any, key: str) -> int | None:
    fm = getattr(doc, "front_matter", None)
    e = fm.entry(key) if fm is not None else None
    return e.line if e is not None else None


def _as_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def required_days(doc: Any, config: Any) -> int:
    nd = _front(doc, "notice-days")
    if isinstance(nd, int) and not isinstance(nd, bool):
        return nd
    cd = getattr(config, "notice_days", None)
    return cd if isinstance(cd, int) else DEFAULT_NOTICE_DAYS


def judge(path: str, old: Any, new: Any, diff: Any, *, today: date, config: Any = None) -> PolicyCheck:
    """The verdict for one policy, given both parsed versions and their diff."""
    if old is None:
        return PolicyCheck(path, "new", True, None, _str(_front(new, "version")))
    if new is None:
        return PolicyCheck(path, "removed", True, _str(_front(old, "version")), None)
    old_v, new_v = _str(_front(old, "version")), _str(_front(new, "version"))
    classification = getattr(diff, "override", None) or diff.classification
    if not diff.changes and classification != "material":
        return PolicyCheck(path, "unchanged", True, old_v, new_v)
    if classification != "material":
        return PolicyCheck(path, classification, True, old_v, new_v)
    reasons = tuple(dict.fromkeys(c.reason for c in diff.changes if c.classification == "material"))
    if not reasons and getattr(diff, "override", None) == "material":
        reasons = (f"marked material by {diff.override_by or 'a Policy-Change trailer'}",)

    problems: list[str] = []
    fixes: list[str] = []
    bumps = suggest_bumps(old_v)
    vline = _line(new, "version")
    if new_v is None:
        problems.append("the front matter has no version")
        fixes.append(f"add version: {bumps[0]} to the front matter of {path}")
    else:
        greater = version_greater(new_v, old_v) if old_v is not None else True
        if greater is None:
            problems.append(f"cannot compare versions {old_v!r} and {new_v!r}")
            fixes.append(f"write version: as numbers such as {bumps[0]} in {path} line {vline}")
        elif not greater:
            problems.append(f"version was not bumped ({old_v} → {new_v})")
            fixes.append(f"bump version: {old_v} → {_or(bumps)} in {path} line {vline}")

    days = required_days(new, config)
    earliest = today + timedelta(days=days)
    effective = _as_date(_front(new, "effective"))
    notice = f"{days} day's notice" if days == 1 else f"{days} days' notice"
    if effective is None:
        raw = _front(new, "effective")
        eline = _line(new, "effective")
        if raw is None:
            problems.append("the front matter has no effective date")
            fixes.append(f"add effective: {earliest.isoformat()} (or later; {notice}) "
                         f"to the front matter of {path}")
        else:
            problems.append(f"effective: {raw!r} is not a date")
            fixes.append(f"set effective: to {earliest.isoformat()} or later ({notice}) "
                         f"in {path} line {eline}")
    elif effective < earliest:
        given = (effective - today).days
        problems.append(f"effective {effective.isoformat()} gives {given} days' notice, "
                        f"{days} required")
        fixes.append(f"set effective: to {earliest.isoformat()} or later ({notice}) "
                     f"in {path} line {_line(new, 'effective')}")
    return PolicyCheck(path, "material", not problems, old_v, new_v, reasons,
                       tuple(problems), tuple(fixes))


def _str(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


def check_release(repo_path: str | Path = ".", base: str | None = None,
                  paths: Sequence[str] | None = None, today: date | None = None,
                  config: Any = None) -> GateResult:
    """Check every changed policy under ``paths`` (repository-relative or absolute)."""
    from .diff import diff_documents
    from .parser import parse_bytes

    today = today or date.today()
    g = _Git(repo_path)
    if config is None:
        from .config import load_config
        config = load_config(g.root)
    rel_paths = [_relpath(g.root, p) for p in (paths or ())]
    staged = g.staged(rel_paths)
    target = "index" if staged else "HEAD"
    if not staged and not g.has_head():
        return GateResult(True, None, "HEAD", ())

    if base is not None:
        if g.resolve(base) is None:
            raise GitError(f"unknown revision {base!r}", "give a branch, tag or commit id "
                           "(in CI, fetch enough history: fetch-depth: 0)")
        old_rev, shown = base, base
    elif staged:
        old_rev = shown = "HEAD" if g.has_head() else None
    else:
        tag = g.newest_tag()
        if tag:
            old_rev, shown = tag, f"{tag} (newest tag)"
        elif g.resolve("HEAD^") is not None:
            old_rev, shown = "HEAD^", "HEAD^ (parent)"
        else:
            old_rev = shown = None

    new_rev = INDEX if target == "index" else "HEAD"
    checks: list[PolicyCheck] = []
    for status, old_path, new_path in g.changed(old_rev, target, rel_paths):
        old_data = g.blob(old_rev, old_path) if old_rev and old_path else None
        new_data = g.blob(new_rev, new_path) if new_path else None
        if not (_is_policy(new_path or "", new_data, config) or _is_policy(old_path or "", old_data, config)):
            continue
        shown_path = new_path or old_path or ""
        old_doc = parse_bytes(old_data, old_path) if old_data is not None else None
        new_doc = parse_bytes(new_data, new_path) if new_data is not None else None
        diff = diff_documents(old_doc, new_doc, config) if old_doc and new_doc else None
        checks.append(judge(shown_path, old_doc, new_doc, diff, today=today, config=config))
    checks.sort(key=lambda c: c.path)
    return GateResult(all(c.ok for c in checks), shown, target, tuple(checks))


def _relpath(root: Path, p: str) -> str:
    """A PATHS argument as a repository-relative, forward-slash path: relative to the
    current folder when that is inside the repository, else to the repository root."""
    full = Path(p)
    if not full.is_absolute():
        cwd = Path.cwd().resolve()
        inside = cwd == root.resolve() or root.resolve() in cwd.parents
        full = (cwd if inside else root) / full
    try:
        return full.resolve().relative_to(root.resolve()).as_posix() or "."
    except ValueError:
        raise PolicylintError(f"{p} is outside the repository {root}", "give a path inside it") from None
