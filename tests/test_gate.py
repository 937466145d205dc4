"""The release gate in real temporary git repositories (GitPython), through the real differ."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import git
import pytest
from click.testing import CliRunner

from policylint import gate
from policylint.errors import GitError, PolicylintError

FIX = Path(__file__).parent / "fixtures" / "notice"
EN_V1 = (FIX / "en_v1.md").read_text("utf-8")
EN_V2 = (FIX / "en_v2.md").read_text("utf-8")         # version 3.3, effective 2027-01-01
TODAY = date(2026, 11, 20)                            # 42 days before en_v2's effective date


def set_front(text: str, key: str, value: str | None) -> str:
    lines = text.splitlines(keepends=True)
    out = []
    for line in lines:
        if line.startswith(f"{key}:"):
            if value is not None:
                out.append(f"{key}: {value}\n")
            continue
        out.append(line)
    return "".join(out)


def editorial(text: str) -> str:
    return text.replace("personal dta", "personal data")


@pytest.fixture
def repo(tmp_path, monkeypatch):
    r = git.Repo.init(tmp_path)
    with r.config_writer() as cw:
        cw.set_value("user", "name", "Test")
        cw.set_value("user", "email", "test@example.com")
        cw.set_value("commit", "gpgsign", "false")
    (tmp_path / "README.md").write_text("# Shop\n\nNot a policy.\n", "utf-8")
    (tmp_path / "privacy.md").write_text(EN_V1, "utf-8")
    r.index.add(["README.md", "privacy.md"])
    r.index.commit("policy 3.2")
    r.create_tag("v3.2")
    monkeypatch.chdir(tmp_path)
    return r


def commit(repo, text: str, msg: str = "change", name: str = "privacy.md") -> None:
    Path(repo.working_tree_dir, name).write_text(text, "utf-8")
    repo.index.add([name])
    repo.index.commit(msg)


def run_cli(*args: str):
    from policylint.cli import main
    return CliRunner().invoke(main, ["check-release", *args], catch_exceptions=False)


# ------------------------------------------------------------------ blocking

def test_material_change_without_version_bump_is_blocked(repo):
    commit(repo, set_front(EN_V2, "version", '"3.2"'))
    res = gate.check_release(repo.working_tree_dir, today=TODAY)
    assert not res.ok and res.target == "HEAD" and res.base == "v3.2 (newest tag)"
    (c,) = res.checks
    assert c.path == "privacy.md" and c.status == "material" and not c.ok
    assert any("Invoices" in r for r in c.material), c.material
    assert c.fixes == ("bump version: 3.2 → 3.3 or 4.0 in privacy.md line 4",)

    out = run_cli("--today", TODAY.isoformat())
    assert out.exit_code == 1
    assert "BLOCKED privacy.md" in out.output
    assert "fix: bump version: 3.2 → 3.3 or 4.0 in privacy.md line 4" in out.output


def test_version_must_increase_not_just_change(repo):
    commit(repo, set_front(EN_V2, "version", '"3.1"'))
    (c,) = gate.check_release(repo.working_tree_dir, today=TODAY).checks
    assert "version was not bumped (3.2 → 3.1)" in c.problems


def test_too_short_notice_is_blocked(repo):
    commit(repo, EN_V2)                                # effective 2027-01-01
    late = date(2026, 12, 20)                          # only 12 days before it
    res = gate.check_release(repo.working_tree_dir, today=late)
    (c,) = res.checks
    assert not c.ok
    assert c.fixes == ("set effective: to 2027-01-19 or later (30 days' notice) in privacy.md line 9",)
    assert c.problems == ("effective 2027-01-01 gives 12 days' notice, 30 required",)
    out = run_cli("--today", late.isoformat())
    assert out.exit_code == 1 and "set effective: to 2027-01-19 or later" in out.output


def test_effective_date_in_the_past_is_said_so(repo):
    commit(repo, EN_V2)                                # effective 2027-01-01
    (c,) = gate.check_release(repo.working_tree_dir, today=date(2027, 1, 3)).checks
    assert c.problems == ("effective 2027-01-01 is in the past (2 days ago): users get no "
                          "notice, 30 days required",)
    assert c.fixes == ("set effective: to 2027-02-02 or later (30 days' notice) in privacy.md line 9",)


def test_missing_effective_is_blocked_and_notice_days_come_from_front_matter(repo):
    commit(repo, set_front(set_front(EN_V2, "effective", None), "notice-days", None)
           .replace("url: https", "notice-days: 60\nurl: https"))
    (c,) = gate.check_release(repo.working_tree_dir, today=TODAY).checks
    earliest = (TODAY + timedelta(days=60)).isoformat()
    assert c.fixes == (f"add effective: {earliest} (or later; 60 days' notice) to the front matter "
                       "of privacy.md",)


def test_notice_days_from_config(repo):
    Path(repo.working_tree_dir, ".policylint.toml").write_text("notice-days = 45\n", "utf-8")
    commit(repo, EN_V2)
    (c,) = gate.check_release(repo.working_tree_dir, today=TODAY).checks   # 42 days < 45
    assert not c.ok and "(45 days' notice)" in c.fixes[0]


# ------------------------------------------------------------------ passing

def test_bumped_version_and_enough_notice_passes(repo):
    commit(repo, EN_V2)
    res = gate.check_release(repo.working_tree_dir, today=TODAY)
    assert res.ok and res.checks[0].status == "material" and res.checks[0].new_version == "3.3"
    out = run_cli("--today", TODAY.isoformat())
    assert out.exit_code == 0, out.output
    assert "ok      privacy.md: material (version 3.3)" in out.output


def test_editorial_change_passes_without_bump(repo):
    commit(repo, editorial(EN_V1))
    res = gate.check_release(repo.working_tree_dir, today=TODAY)
    assert res.ok
    (c,) = res.checks
    assert c.status in ("editorial", "minor") and c.ok
    assert run_cli("--today", TODAY.isoformat()).exit_code == 0


def test_policy_change_trailer_overrides_the_classification(repo):
    commit(repo, set_front(EN_V2, "version", '"3.2"'),
           "Reword retention\n\nPolicy-Change: editorial\n")
    res = gate.check_release(repo.working_tree_dir, today=TODAY)
    assert res.ok and res.checks[0].status == "editorial"
    from policylint import notice as nt
    diff, path = nt.diff_for_revisions(repo.working_tree_dir, "v3.2..HEAD")
    assert path == "privacy.md" and not nt.build_notice(diff, today=TODAY).material


def test_new_policy_without_base_version_passes(repo):
    commit(repo, EN_V2, name="terms-privacy.md")
    res = gate.check_release(repo.working_tree_dir, today=TODAY)
    assert res.ok and [(c.path, c.status) for c in res.checks] == [("terms-privacy.md", "new")]


def test_first_commit_staged_passes(tmp_path, monkeypatch):
    r = git.Repo.init(tmp_path)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "privacy.md").write_text(EN_V1, "utf-8")
    r.index.add(["privacy.md"])
    res = gate.check_release(tmp_path, today=TODAY)
    assert res.ok and res.target == "index" and res.base is None
    assert [(c.path, c.status) for c in res.checks] == [("privacy.md", "new")]


def test_deleted_and_renamed_policies(repo):
    repo.index.move(["privacy.md", "policy.md"])
    repo.index.commit("rename")
    res = gate.check_release(repo.working_tree_dir, today=TODAY)
    assert res.ok and [(c.path, c.status) for c in res.checks] == [("policy.md", "unchanged")]
    Path(repo.working_tree_dir, "policy.md").write_text(set_front(EN_V2, "version", '"3.2"'), "utf-8")
    repo.index.add(["policy.md"])
    (c,) = gate.check_release(repo.working_tree_dir, base="v3.2", today=TODAY).checks
    assert c.path == "policy.md" and not c.ok and "policy.md line 4" in c.fixes[0]
    repo.git.rm("-f", "--", "policy.md")
    res = gate.check_release(repo.working_tree_dir, base="v3.2", today=TODAY)
    assert res.ok and [(c.path, c.status) for c in res.checks] == [("privacy.md", "removed")]


def test_paths_are_relative_to_the_current_folder(repo, monkeypatch):
    sub = Path(repo.working_tree_dir, "docs")
    sub.mkdir()
    (sub / "privacy.md").write_text(EN_V1, "utf-8")
    repo.index.add(["docs/privacy.md"])
    repo.index.commit("docs copy")
    repo.create_tag("v3.2.1")
    commit(repo, set_front(EN_V2, "version", '"3.2"'), name="docs/privacy.md")
    monkeypatch.chdir(sub)
    out = run_cli("--today", TODAY.isoformat(), "privacy.md")
    assert out.exit_code == 1 and "docs/privacy.md line 4" in out.output
    out = run_cli("--today", TODAY.isoformat(), "../README.md")
    assert out.exit_code == 0 and "no policy changed" in out.output


def test_non_policy_markdown_is_ignored(repo):
    commit(repo, "# Shop\n\nNow with more words.\n", name="README.md")
    res = gate.check_release(repo.working_tree_dir, today=TODAY)
    assert res.ok and res.checks == ()


# ------------------------------------------------------------------ what is compared

def test_staged_change_is_checked_against_head(repo):
    commit(repo, EN_V2)                                 # fine on its own
    staged = set_front(EN_V2, "version", '"3.3"').replace("**Order history:** 3 years",
                                                          "**Order history:** 10 years")
    Path(repo.working_tree_dir, "privacy.md").write_text(staged, "utf-8")
    repo.index.add(["privacy.md"])
    res = gate.check_release(repo.working_tree_dir, today=TODAY)
    assert res.target == "index" and res.base == "HEAD"
    (c,) = res.checks
    assert not c.ok and any("Order history" in r for r in c.material)
    assert "bump version: 3.3 → 3.4 or 4.0 in privacy.md line 4" in c.fixes


def test_unstaged_edits_are_not_checked(repo):
    commit(repo, EN_V2)
    Path(repo.working_tree_dir, "privacy.md").write_text(set_front(EN_V2, "version", '"1.0"'), "utf-8")
    assert gate.check_release(repo.working_tree_dir, today=TODAY).ok


def test_tag_on_head_compares_with_the_previous_tag(repo):
    commit(repo, set_front(EN_V2, "version", '"3.2"'))
    repo.create_tag("v3.3")
    res = gate.check_release(repo.working_tree_dir, today=TODAY)
    assert res.base == "v3.2 (newest tag)" and not res.ok


def test_without_tags_head_is_compared_with_its_parent(tmp_path, monkeypatch):
    r = git.Repo.init(tmp_path)
    with r.config_writer() as cw:
        cw.set_value("user", "name", "T")
        cw.set_value("user", "email", "t@example.com")
    monkeypatch.chdir(tmp_path)
    commit(r, EN_V1, "first")
    assert gate.check_release(tmp_path, today=TODAY).checks[0].status == "new"
    commit(r, set_front(EN_V2, "version", '"3.2"'), "second")
    res = gate.check_release(tmp_path, today=TODAY)
    assert res.base == "HEAD^ (parent)" and not res.ok


def test_explicit_base_and_paths(repo):
    commit(repo, set_front(EN_V2, "version", '"3.2"'))
    commit(repo, EN_V2, "fix version")
    assert gate.check_release(repo.working_tree_dir, base="HEAD^", today=TODAY).ok
    assert gate.check_release(repo.working_tree_dir, base="v3.2", paths=["privacy.md"],
                              today=TODAY).ok
    assert gate.check_release(repo.working_tree_dir, base="v3.2", paths=["README.md"],
                              today=TODAY).checks == ()


@pytest.mark.parametrize("bad", ["--output=/tmp/x", "-p", "-"])
def test_revisions_starting_with_a_dash_are_rejected(repo, bad):
    with pytest.raises(GitError, match="starts with '-'"):
        gate.check_release(repo.working_tree_dir, base=bad, today=TODAY)
    out = run_cli(f"--base={bad}")
    assert out.exit_code == 2 and "starts with '-'" in out.output


def test_unknown_base_and_not_a_repository(repo, tmp_path_factory):
    with pytest.raises(GitError, match="unknown revision"):
        gate.check_release(repo.working_tree_dir, base="no-such-tag", today=TODAY)
    with pytest.raises(PolicylintError, match="not a git repository"):
        gate.check_release(tmp_path_factory.mktemp("plain"), today=TODAY)


# ------------------------------------------------------------------ versions

@pytest.mark.parametrize("new,old,greater", [
    ("1.1", "1.0", True), ("2.0", "1.9", True), ("1.10", "1.9", True), ("1.0", "1.0", False),
    ("1.0.0", "1.0", False), ("1.0.1", "1", True), ("0.9", "1.0", False), ("2.0", "2.0-rc1", True),
    ("2.0-rc2", "2.0-rc1", True), (3, "2.5", True), ("v2", "1", True), ("abc", "1.0", None),
])
def test_version_comparison(new, old, greater):
    assert gate.version_greater(new, old) is greater


@pytest.mark.parametrize("old,bumps", [
    ("1.0", ["1.1", "2.0"]), ("3", ["4"]), ("1.2.3", ["1.3.0", "2.0.0"]), ("2.0-rc1", ["2.0", "2.1", "3.0"]),
])
def test_suggested_bumps(old, bumps):
    assert gate.suggest_bumps(old) == bumps
