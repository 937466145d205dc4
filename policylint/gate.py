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


DEFAULT_NOTICE_DAYS = 30


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

def _check_rev(rev: str) -> str:
    from .history import check_arg
    return check_arg(rev)


def _resolves(repo: Any, rev: str) -> bool:
    """Whether ``rev`` names a commit (no error: callers try several candidates)."""
    from git import GitCommandError
    try:
        repo.repo.git.execute(["git", "rev-parse", "--verify", "--quiet", "--end-of-options",
                               f"{_check_rev(rev)}^{{commit}}"])
        return True
    except GitCommandError:
        return False


def newest_tag(repo: Any) -> str | None:
    """The newest tag reachable from HEAD, skipping one that points at HEAD itself
    (that tag is the release being checked; the one before it is the base)."""
    from git import GitCommandError
    head = repo.repo.head.commit.hexsha
    for start in ("HEAD", "HEAD^"):
        if not _resolves(repo, start):
            return None
        try:
            tag = repo.repo.git.execute(["git", "describe", "--tags", "--abbrev=0", start]).strip()
        except GitCommandError:               # no tag reachable
            return None
        if tag and repo.repo.commit(tag).hexsha != head:
            return tag
    return None


def _staged(repo: Any, rels: Sequence[str]) -> bool:
    spec = ["--", *rels] if rels else []
    if not repo.has_commits():
        return bool(repo.git("ls-files", "-z", *spec).strip("\0"))
    return bool(repo.git("diff", "--cached", "--name-only", "-z", "HEAD", *spec).strip("\0"))


def _all_new(repo: Any, side: str, rels: Sequence[str], config: Any) -> list[PolicyCheck]:
    """Nothing to compare with (first commit): every policy on ``side`` is new."""
    spec = ["--", *rels] if rels else []
    if side == "index":
        names = repo.git("ls-files", "-z", *spec).split("\0")
        blob = repo.index_blob
    else:
        names = repo.git("ls-tree", "-r", "--name-only", "-z", "HEAD", *spec).split("\0")
        blob = lambda n: repo.blob_at("HEAD", n)   # noqa: E731
    out = []
    for n in names:
        if n and wanted_path(n, config):
            sha = blob(n)
            if sha and has_front_matter(repo.blob_bytes(sha)):
                out.append(PolicyCheck(n, "new", True))
    return out


# ------------------------------------------------------------------ the check

def wanted_path(path: str | None, config: Any) -> bool:
    """The config's include/exclude globs (default: every `.md` file) accept ``path``."""
    if not path:
        return False
    from .discover import excluded, matches
    include = getattr(config, "include", None) or ("**/*.md",)
    return matches(path, include) and not excluded(path, getattr(config, "exclude", ()) or ())


def has_front_matter(data: bytes | None) -> bool:
    """Policies open with front matter; a README does not, and is not gated."""
    if data is None:
        return False
    first = data.removeprefix(b"\xef\xbb\xbf").split(b"\n", 1)[0]
    return first.rstrip() == b"---"


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
        if given < 0:
            ago = "1 day" if given == -1 else f"{-given} days"
            problems.append(f"effective {effective.isoformat()} is in the past ({ago} ago): "
                            f"users get no notice, {days} days required")
        else:
            gives = "1 day's notice" if given == 1 else f"{given} days' notice"
            problems.append(f"effective {effective.isoformat()} gives {gives}, {days} required")
        fixes.append(f"set effective: to {earliest.isoformat()} or later ({notice}) "
                     f"in {path} line {_line(new, 'effective')}")
    return PolicyCheck(path, "material", not problems, old_v, new_v, reasons,
                       tuple(problems), tuple(fixes))


def _str(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


def check_release(repo_path: str | Path = ".", base: str | None = None,
                  paths: Sequence[str] | None = None, today: date | None = None,
                  config: Any = None) -> GateResult:
    """Check every changed policy under ``paths`` (relative to the current folder when it
    is inside the repository, else to the repository root). Git access: policylint.history."""
    from .history import Repository, check_arg, diff_revisions

    today = today or date.today()
    if base is not None:
        check_arg(base)
    paths = list(paths or ())
    with Repository(repo_path) as repo:
        if config is None:
            from .config import load_config
            config = load_config(repo.root)
        rels = [repo.rel(p) for p in paths]
        staged = _staged(repo, rels)
        target = "index" if staged else "HEAD"
        if not repo.has_commits():
            checks = _all_new(repo, "index", rels, config) if staged else []
            return GateResult(True, None, target, tuple(checks))
        if base is not None:
            repo.resolve(base)                      # a clear error for typos and shallow clones
            old_rev, shown = base, base
        elif staged:
            old_rev, shown = "HEAD", "HEAD"
        else:
            tag = newest_tag(repo)
            if tag:
                old_rev, shown = tag, f"{tag} (newest tag)"
            elif _resolves(repo, "HEAD^"):
                old_rev, shown = "HEAD^", "HEAD^ (parent)"
            elif repo.shallow:                      # the parent exists, just not here
                from .errors import GitError
                raise GitError("this is a shallow clone: HEAD's parent is not here to compare with",
                               "fetch the full history: git fetch --unshallow, or in GitHub "
                               "Actions check out with fetch-depth: 0")
            else:
                return GateResult(True, None, target, tuple(_all_new(repo, "HEAD", rels, config)))
        root = repo.root
    if staged:
        diffs = diff_revisions(old_rev, staged=True, paths=paths, config=config, cwd=root)
    else:
        diffs = diff_revisions(old_rev, "HEAD", paths=paths, config=config, cwd=root)
    checks = []
    for fd in diffs:
        old_doc, new_doc = fd.diff.old, fd.diff.new
        if not (_is_front(old_doc) or _is_front(new_doc)):
            continue                                # a README, not a policy
        if not (wanted_path(fd.path, config) or wanted_path(fd.old_path, config)):
            continue
        checks.append(judge(fd.path, old_doc, new_doc, fd.diff, today=today, config=config))
    checks.sort(key=lambda c: c.path)
    return GateResult(all(c.ok for c in checks), shown, target, tuple(checks))


def _is_front(doc: Any) -> bool:
    return doc is not None and getattr(doc, "front_matter", None) is not None
