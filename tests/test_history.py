"""`policylint diff` / `policylint log` against real repositories built in tmp_path."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import git
import pytest
from click.testing import CliRunner

from policylint.cli import main
from policylint.errors import GitError
from policylint.history import diff_revisions, log

FIX = Path(__file__).parent / "fixtures" / "diff"


def base(lang: str) -> str:
    return (FIX / f"{lang}.md").read_text(encoding="utf-8")


class Repo:
    """A throwaway repository with a committer identity in its own config."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.repo = git.Repo.init(root, initial_branch="main")
        with self.repo.config_writer() as cw:
            cw.set_value("user", "name", "Tess Tester")
            cw.set_value("user", "email", "tess@example.org")
            cw.set_value("commit", "gpgsign", "false")

    def write(self, path: str, text: str) -> None:
        p = self.root / path
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")

    def commit(self, message: str, **files: str) -> str:
        for path, text in files.items():
            self.write(path.replace("__", "/"), text)
        self.repo.git.add("-A")
        self.repo.git.commit("-q", "-m", message, "--allow-empty")
        return self.repo.head.commit.hexsha

    def git(self, *args: str) -> str:
        return self.repo.git.execute(["git", *args])


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Repo:
    r = Repo(tmp_path / "work")
    monkeypatch.chdir(r.root)
    monkeypatch.setenv("NO_COLOR", "1")
    return r


def run(*args: str) -> tuple[int, str, str]:
    res = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return res.exit_code, res.stdout, res.stderr


SV, EN, DA = base("sv"), base("en"), base("da")
SV_LONGER = SV.replace("- **Bokningar:** 6 månader", "- **Bokningar:** 2 år")
SV_TYPO = SV.replace("hur vi hanterar personuppgifter", "hur vi hanterar personuppgiftrr")


# ---------------------------------------------------------------- diff targets

def test_worktree_against_head(repo):
    repo.commit("policy", **{"policy.md": SV})
    repo.write("policy.md", SV_LONGER)
    (f,) = diff_revisions()
    assert (f.path, f.from_, f.to, f.diff.classification) == ("policy.md", "HEAD", "working tree", "material")
    assert "retention: 'Bokningar' 6 månader → 2 år" in f.diff.changes[0].reason


def test_staged_against_head(repo):
    repo.commit("policy", **{"policy.md": EN})
    repo.write("policy.md", EN.replace("is the controller.", "is the controler."))
    repo.git("add", "policy.md")
    repo.write("policy.md", EN.replace("- **Rentals:** 2 years", "- **Rentals:** 9 years"))
    (f,) = diff_revisions(staged=True)
    assert (f.to, f.diff.classification) == ("index", "editorial")   # the unstaged edit is not seen
    (w,) = diff_revisions()
    assert w.diff.classification == "material"


def test_one_and_two_revisions(repo):
    a = repo.commit("v1", **{"policy.md": DA})
    b = repo.commit("v2", **{"policy.md": DA.replace("- **Lejeaftaler:** 1 år", "- **Lejeaftaler:** 3 år")})
    repo.write("policy.md", DA.replace("- **Lejeaftaler:** 1 år", "- **Lejeaftaler:** 6 måneder"))
    (one,) = diff_revisions(b[:8])
    assert one.to == "working tree" and one.diff.classification == "minor"
    (two,) = diff_revisions(a, b)
    assert two.diff.classification == "material"
    assert diff_revisions("HEAD", "HEAD") == []


def test_untracked_policy_in_working_tree_is_added(repo):
    repo.commit("one", **{"a.md": SV})
    repo.write("new.md", EN)
    repo.write("ignored.md", DA)
    repo.write(".gitignore", "ignored.md\n")
    got = {f.path: (f.status, f.diff.classification) for f in diff_revisions()}
    assert got == {"new.md": ("added", "material")}
    assert diff_revisions(staged=True) == []


def test_paths_restrict_and_non_policies_skipped(repo):
    repo.commit("two", **{"a.md": SV, "b.md": EN, "notes.txt": "x"})
    repo.write("a.md", SV_LONGER)
    repo.write("b.md", EN.replace("2 years", "20 years"))
    repo.write("notes.txt", "y")
    assert sorted(f.path for f in diff_revisions()) == ["a.md", "b.md"]
    assert [f.path for f in diff_revisions(paths=["b.md"])] == ["b.md"]


def test_added_renamed_and_deleted_files(repo):
    repo.commit("one", **{"old.md": SV, "gone.md": EN})
    repo.git("mv", "old.md", "new.md")
    repo.git("rm", "-q", "gone.md")
    repo.write("fresh.md", DA)
    repo.git("add", "fresh.md")
    got = {f.path: (f.status, f.old_path) for f in diff_revisions(staged=True)}
    assert got == {"new.md": ("renamed", "old.md"), "gone.md": ("removed", None),
                   "fresh.md": ("added", None)}


def test_files_mode_needs_no_git(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text(EN)
    (tmp_path / "b.md").write_text(EN.replace("6 years", "10 years"))
    code, out, _ = run("diff", "--files", "a.md", "b.md", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["files"][0]["classification"] == "material"
    assert data["files"][0]["changes"][0]["evidence"][0]["new_days"] == 3650


# ---------------------------------------------------------------- log

def test_log_follows_git_mv_and_classifies_each_version(repo):
    repo.commit("first", **{"policy.md": SV})
    repo.commit("typo", **{"policy.md": SV_TYPO})
    (repo.root / "docs").mkdir()
    repo.git("mv", "policy.md", "docs/integritet.md")
    repo.commit("move")
    repo.commit("longer retention", **{"docs__integritet.md": SV_TYPO.replace(
        "- **Bokningar:** 6 månader", "- **Bokningar:** 2 år")})
    res = log("docs/integritet.md")
    got = [(e.subject, e.status, e.diff.classification) for e in res.entries]
    assert got == [("longer retention", "modified", "material"),
                   ("move", "renamed", "editorial"),
                   ("typo", "modified", "editorial"),
                   ("first", "added", "material")]
    assert res.entries[1].old_path == "policy.md"
    assert res.entries[0].author == "Tess Tester"


def test_log_follows_rename_by_front_matter_id(repo):
    repo.commit("first", **{"a.md": EN})
    rewritten = EN.replace("Harbourside Tools Ltd", "Harbourside Hire Ltd").replace(
        "tools", "equipment").replace("Tools", "Equipment").replace("Rentals", "Hires")
    (repo.root / "a.md").unlink()
    repo.commit("rewrite and rename", **{"b.md": rewritten})
    res = log("b.md")
    assert [e.status for e in res.entries] == ["renamed", "added"]


def test_log_merge_commit_first_parent(repo):
    repo.commit("base", **{"policy.md": EN})
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit("feature edit", **{"policy.md": EN.replace("2 years", "4 years")})
    repo.git("checkout", "-q", "main")
    repo.commit("unrelated", **{"README.txt": "hi"})
    repo.git("merge", "-q", "--no-ff", "feature", "-m", "merge feature")
    res = log("policy.md")
    assert [(e.subject, e.diff.classification) for e in res.entries] == \
        [("merge feature", "material"), ("base", "material")]


def test_trailer_overrides_classification(repo):
    repo.commit("first", **{"policy.md": EN})
    repo.commit("reword retention\n\nLegal reviewed this.\n\nPolicy-Change: editorial",
                **{"policy.md": EN.replace("2 years", "3 years")})
    (e, _) = log("policy.md").entries
    assert e.diff.classification == "editorial"
    assert e.diff.override == "editorial" and e.diff.override_by == "Tess Tester <tess@example.org>"
    assert "overridden to editorial by Tess Tester" in e.diff.changes[0].reason
    code, out, _ = run("log", "policy.md")
    assert "set by Tess Tester" in out.splitlines()[0]
    # diff of a commit against its parent honours the trailer too
    (f,) = diff_revisions("HEAD~1", "HEAD")
    assert f.diff.override == "editorial"


def test_log_material_only_and_range(repo):
    a = repo.commit("v1", **{"policy.md": EN})
    repo.commit("v2", **{"policy.md": EN.replace("is the controller.", "is the controler.")})
    repo.commit("v3", **{"policy.md": EN.replace("2 years", "5 years")})
    assert [e.subject for e in log("policy.md", material_only=True).entries] == ["v3", "v1"]
    assert [e.subject for e in log("policy.md", f"{a[:7]}..HEAD").entries] == ["v3", "v2"]
    assert [e.subject for e in log("policy.md", "HEAD~1").entries] == ["v2", "v1"]


def test_detached_head_works(repo):
    repo.commit("v1", **{"policy.md": DA})
    repo.commit("v2", **{"policy.md": DA.replace("1 år", "2 år")})
    repo.git("checkout", "-q", "--detach", "HEAD~1")
    assert [e.subject for e in log("policy.md").entries] == ["v1"]
    repo.write("policy.md", DA.replace("1 år", "4 år"))
    assert diff_revisions()[0].diff.classification == "material"


# ---------------------------------------------------------------- failures

def test_not_a_repository(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(GitError, match="not a git repository") as e:
        diff_revisions()
    assert "--files" in e.value.hint
    code, _, err = run("log", "policy.md")
    assert code == 2 and err.count("\n") == 1 and "use --files" in err


def test_empty_repository(repo):
    with pytest.raises(GitError, match="no commits yet"):
        diff_revisions()
    with pytest.raises(GitError, match="no commits yet"):
        log("policy.md")
    code, _, err = run("diff")
    assert code == 2 and "no commits yet" in err


def test_dash_arguments_rejected_before_git(repo):
    repo.commit("v1", **{"policy.md": EN})
    for bad in (lambda: diff_revisions("--output=/tmp/x"), lambda: diff_revisions("HEAD", "-p"),
                lambda: diff_revisions(paths=["-x"]), lambda: log("-p"),
                lambda: log("policy.md", "--all")):
        with pytest.raises(GitError, match="starts with '-'"):
            bad()
    code, _, err = run("diff", "--upload-pack=evil")
    assert code == 2 and "starts with '-'" in err
    code, _, err = run("diff", "HEAD", "--", "-rf")
    assert code == 2 and "starts with '-'" in err


def test_unknown_revision(repo):
    repo.commit("v1", **{"policy.md": EN})
    with pytest.raises(GitError, match="unknown revision 'nope'") as e:
        diff_revisions("nope")
    assert "git log --oneline" in e.value.hint
    code, _, err = run("log", "policy.md", "v9.9..HEAD")
    assert code == 2 and "unknown revision 'v9.9'" in err


def test_path_not_in_revision(repo):
    repo.commit("v1", **{"policy.md": EN})
    with pytest.raises(GitError, match="'missing.md' is not in revision"):
        diff_revisions("HEAD", "HEAD", paths=["missing.md"])
    with pytest.raises(GitError, match="'missing.md' is not in revision"):
        log("missing.md")


def test_shallow_clone(repo, tmp_path, monkeypatch):
    repo.commit("v1", **{"policy.md": SV})
    repo.commit("v2", **{"policy.md": SV_TYPO})
    repo.commit("v3", **{"policy.md": SV_LONGER})
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True)
    monkeypatch.chdir(clone)
    with pytest.raises(GitError, match="shallow clone") as e:
        diff_revisions("HEAD~2")
    assert "fetch-depth: 0" in e.value.hint
    res = log("policy.md")
    assert res.shallow_boundary and len(res.entries) == 1
    assert "fetch-depth: 0" in res.warnings[0]
    code, _, err = run("log", "policy.md")
    assert code == 0 and "shallow clone" in err


# ---------------------------------------------------------------- CLI output

def test_cli_diff_text_and_json(repo):
    repo.commit("v1", **{"policy.md": EN})
    repo.write("policy.md", EN.replace("- **Rentals:** 2 years", "- **Rentals:** 5 years"))
    code, out, _ = run("diff")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "material: policy.md (HEAD → working tree)"
    assert lines[1] == ("  [material] retention › How long we keep your data: modified — "
                        "retention: 'Rentals' 2 years → 5 years")
    assert lines[2].strip() == "Rentals: [-2-] {+5+} years"
    assert "\x1b[" not in out
    code, out, _ = run("diff", "--format", "json")
    data = json.loads(out)
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((Path(__file__).parents[1] / "policylint/schemas/diff.json").read_text())
    jsonschema.validate(data, schema)
    ch = data["files"][0]["changes"][0]
    assert {k: ch[k] for k in ("kind", "change", "classification")} == \
        {"kind": "retention", "change": "modified", "classification": "material"}
    code, out, _ = run("diff", "--color")
    assert "\x1b[" in out


def test_cli_log_json_validates(repo):
    repo.commit("v1", **{"policy.md": DA})
    repo.commit("v2", **{"policy.md": DA.replace("1 år", "2 år")})
    code, out, _ = run("log", "policy.md", "--format", "json")
    assert code == 0
    data = json.loads(out)
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((Path(__file__).parents[1] / "policylint/schemas/diff.json").read_text())
    jsonschema.validate(data, schema)
    assert [v["classification"] for v in data["versions"]] == ["material", "material"]
    code, out, _ = run("log", "policy.md")
    first = out.splitlines()[0].split()
    assert first[1] == data["versions"][0]["short"] and "material" in first


def test_history_module_imported_lazily():
    out = subprocess.run(["python", "-c", "import sys, policylint.cli, policylint.diff; "
                          "print('git' in sys.modules, 'policylint.history' in sys.modules)"],
                         capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_log_reads_each_blob_once_through_gitpython_odb(repo, monkeypatch):
    """Blobs come through GitPython's object database (its one `git cat-file --batch`)."""
    from git.db import GitCmdObjectDB
    from policylint.history import log
    repo.commit("v1", **{"policy.md": SV})
    repo.commit("v2", **{"policy.md": SV_LONGER})
    repo.commit("v3", **{"policy.md": SV})          # back to v1's blob: not read again
    read: list[str] = []
    real = GitCmdObjectDB.stream

    def stream(self, binsha):
        read.append(binsha.hex())
        return real(self, binsha)
    monkeypatch.setattr(GitCmdObjectDB, "stream", stream)
    r = log("policy.md", cache=False)
    assert len(r.entries) == 3
    assert len(read) == len(set(read)) == 2
