"""The failure contract of every command.

Whatever a user does wrong (a missing file, a folder where a file belongs, binary
input, a broken config, odd git state, an option-like revision, an output that
cannot be written) ends in ONE line on standard error, ``policylint: error: ...``
with a line number or a fix, and exit code 2; never a traceback. Files are written
atomically and never replaced without --force. Policy text is untrusted: escaped in
HTML, kept out of e-mail headers.

Tests marked ``xfail(reason="owner: ...")`` document bugs in modules owned by
someone else; they start passing (XPASS) when the owner fixes them.
"""
from __future__ import annotations

import email
import email.policy
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from policylint.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "policies" / "examples" / "en"
GOOD = (ROOT / "tests" / "fixtures" / "policies" / "complete-en.md").read_text("utf-8")
COMMANDS = ("parse", "fmt", "lint", "rules", "import", "init", "render", "diff", "log",
            "notice", "check-release")
HAS_GIT = shutil.which("git") is not None
needs_git = pytest.mark.skipif(not HAS_GIT, reason="git is not installed")


def _runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)      # click < 8.2
    except TypeError:
        return CliRunner()                      # click >= 8.2 keeps stderr apart anyway


def run(*args: str, input: bytes | str | None = None):
    return _runner().invoke(main, list(args), input=input, prog_name="policylint")


def assert_one_line_error(r, *needles: str) -> str:
    """Exit 2, one `policylint: error:` line on stderr, no traceback; returns the line."""
    out = r.stdout + r.stderr
    assert "Traceback" not in out, out
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert r.exit_code == 2, f"exit {r.exit_code}: {out}"
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got:\n{r.stderr}"
    assert lines[0].startswith("policylint: error: "), lines[0]
    assert "internal error" not in lines[0], lines[0]
    for n in needles:
        assert n in lines[0], f"{n!r} not in {lines[0]!r}"
    return lines[0]


@pytest.fixture
def work(tmp_path, monkeypatch):
    """A scratch folder (not a repository) holding good and bad inputs."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.md").write_text(GOOD, "utf-8")
    (tmp_path / "v1.md").write_bytes((EXAMPLES / "privacy-v1.md").read_bytes())
    (tmp_path / "v2.md").write_bytes((EXAMPLES / "privacy-v2.md").read_bytes())
    (tmp_path / "empty.md").write_bytes(b"")
    (tmp_path / "binary.md").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "badutf8.md").write_bytes(b"# Privacy\n\nbad \xff\xfe byte\n")
    (tmp_path / "nul.md").write_bytes(b"# Privacy\n\nnul \x00 here\n")
    (tmp_path / "crlf.md").write_bytes(b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode("utf-8"))
    (tmp_path / "adir").mkdir()
    (tmp_path / "afile").write_text("not a folder\n", "utf-8")
    return tmp_path


# ---------------------------------------------------------------- arguments


@pytest.mark.parametrize("command", COMMANDS)
def test_help_on_every_command(command):
    r = run(command, "-h")
    assert r.exit_code == 0, r.stdout + r.stderr
    assert r.stdout.startswith("Usage: ")


def test_version():
    r = run("--version")
    assert r.exit_code == 0 and r.stdout.startswith("policylint, version ")


@pytest.mark.parametrize("command", COMMANDS)
def test_unknown_option_is_one_line(command):
    line = assert_one_line_error(run(command, "--no-such-option"), "--no-such-option")
    assert f"policylint {command} --help" in line


@pytest.mark.parametrize("args", [("no-such-command",), ("--bogus",)])
def test_top_level_usage_error_is_one_line(args):
    assert_one_line_error(run(*args), "policylint --help")


@pytest.mark.parametrize("args", [
    ("init", "--lang", "xx"),
    ("lint", "--format", "xml"),
    ("import",),                           # missing argument
    ("diff", "--files", "only-one.md"),    # option wants two values
    ("notice", "--today", "2026-13-45", "--files", "a", "b"),
])
def test_bad_option_values_are_one_line(work, args):
    line = assert_one_line_error(run(*args))
    assert f"policylint {args[0]} --help" in line


def test_bare_policylint_still_shows_help():
    r = run()
    assert "Usage: policylint" in r.stdout + r.stderr and "Commands:" in r.stdout + r.stderr


# ---------------------------------------------------------------- bad paths, every command

MISSING = "nonexistent.md"

BAD_PATH = {
    "parse": ("parse", MISSING),
    "fmt": ("fmt", MISSING),
    "lint": ("lint", MISSING),
    "rules": ("rules", "PL999"),
    "import": ("import", MISSING),
    "init": ("init", "-o", "no/such/folder/policy.md"),
    "render": ("render", MISSING),
    "diff": ("diff", "--files", MISSING, "good.md"),
    "log": ("log", MISSING),                       # not a repository, so also a git failure
    "notice": ("notice", "--files", MISSING, "good.md"),
    "check-release": ("check-release", MISSING),
}


@pytest.mark.parametrize("command", COMMANDS)
def test_bad_path_is_one_line_exit_2(work, command):
    assert_one_line_error(run(*BAD_PATH[command]))


FILE_IN_A_FILE = "afile/policy.md"     # a path through a regular file: ENOTDIR, even for root

INSIDE_A_FILE = {
    "parse": ("parse", FILE_IN_A_FILE),
    "fmt": ("fmt", FILE_IN_A_FILE),
    "lint": ("lint", FILE_IN_A_FILE),
    "import": ("import", FILE_IN_A_FILE),
    "render": ("render", FILE_IN_A_FILE),
    "diff": ("diff", "--files", FILE_IN_A_FILE, "good.md"),
    "notice": ("notice", "--files", FILE_IN_A_FILE, "good.md"),
}


@pytest.mark.parametrize("command", sorted(INSIDE_A_FILE))
def test_path_through_a_file_is_one_line(work, command):
    assert_one_line_error(run(*INSIDE_A_FILE[command]))


@pytest.mark.parametrize("args", [
    ("parse", "adir"),
    ("import", "adir"),
    ("render", "adir"),
    ("diff", "--files", "adir", "good.md"),
    ("notice", "--files", "adir", "good.md"),
    ("init", "-o", "adir"),
    ("lint", "good.md", "-o", "adir"),
    ("render", "good.md", "-o", "adir"),
    ("lint", "--config", "adir", "good.md"),
])
def test_folder_where_a_file_belongs(work, args):
    assert_one_line_error(run(*args), "adir")


def test_lint_empty_path_argument(work):
    assert_one_line_error(run("lint", ""), "empty path")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
@pytest.mark.parametrize("command", ["lint", "render", "import"])
def test_special_file_is_refused_not_read(work, command):
    os.mkfifo(work / "pipe.md")     # reading it would block for ever
    assert_one_line_error(run(command, "pipe.md"), "pipe.md", "not a regular file")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
@pytest.mark.parametrize("command", ["parse", "fmt"])
def test_parse_fmt_refuse_special_file(work, command):
    os.mkfifo(work / "pipe.md")
    try:
        proc = subprocess.run([sys.executable, "-m", "policylint", command, "pipe.md"], cwd=work,
                              capture_output=True, text=True, timeout=5, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail(f"policylint {command} blocked reading a named pipe")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


# ---------------------------------------------------------------- outputs

WRITERS = {
    "init": ("init",),
    "render": ("render", "good.md"),
    "import": ("import", "v1.md"),
}


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_output_into_missing_folder(work, command):
    assert_one_line_error(run(*WRITERS[command], "-o", "nodir/out.txt"), "nodir", "does not exist")


@pytest.mark.parametrize("command", sorted(WRITERS) + ["lint", "notice"])
def test_output_inside_a_file_names_the_file(work, command):
    args = {"lint": ("lint", "good.md"), "notice": ("notice", "--files", "v1.md", "v2.md")}
    line = assert_one_line_error(run(*args.get(command, WRITERS.get(command, ())), "-o", "afile/out"))
    assert "afile is a file, not a folder" in line


@pytest.mark.parametrize("command", sorted(WRITERS) + ["notice"])
def test_existing_output_needs_force(work, command):
    args = WRITERS.get(command, ("notice", "--files", "v1.md", "v2.md"))
    (work / "out.txt").write_text("keep me\n", "utf-8")
    assert_one_line_error(run(*args, "-o", "out.txt"), "out.txt", "--force")
    assert (work / "out.txt").read_text("utf-8") == "keep me\n"
    r = run(*args, "-o", "out.txt", "--force")
    assert r.exit_code == 0, r.stderr
    assert (work / "out.txt").read_text("utf-8") != "keep me\n"


@pytest.mark.parametrize("command", sorted(WRITERS))
def test_existing_output_is_refused_before_the_work(work, command, monkeypatch):
    """The refusal comes first: a long import or render is not thrown away at the end."""
    (work / "out.txt").write_text("keep me\n", "utf-8")
    import policylint.importer
    import policylint.init
    import policylint.render

    def boom(*a, **k):
        raise AssertionError("did the work before checking the output")
    monkeypatch.setattr(policylint.render, "render_html", boom)
    monkeypatch.setattr(policylint.importer, "import_text", boom)
    monkeypatch.setattr(policylint.init, "starter_policy", boom)
    assert_one_line_error(run(*WRITERS[command], "-o", "out.txt"), "already exists")


@pytest.mark.parametrize("command", sorted(WRITERS) + ["lint"])
def test_output_dash_is_standard_output(work, command):
    args = WRITERS.get(command, ("lint", "good.md"))
    r = run(*args, "-o", "-")
    assert r.exit_code in (0, 1), r.stderr
    assert r.stdout.strip()
    assert not (work / "-").exists(), "wrote a file named '-'"


def test_notice_output_dash_is_standard_output(work):
    r = run("notice", "--files", "v1.md", "v2.md", "-o", "-")
    assert r.exit_code == 0 and r.stdout.strip()
    assert not (work / "-").exists()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_new_output_file_gets_normal_permissions(work):
    old = os.umask(0o022)
    try:
        assert run("init", "-o", "new.md").exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((work / "new.md").stat().st_mode) == 0o644   # not mkstemp's 0600


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_replaced_output_keeps_its_permissions(work):
    (work / "out.html").write_text("old\n", "utf-8")
    os.chmod(work / "out.html", 0o640)
    assert run("render", "good.md", "-o", "out.html", "--force").exit_code == 0
    assert stat.S_IMODE((work / "out.html").stat().st_mode) == 0o640


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_forced_output_through_a_symlink_replaces_the_target(work):
    (work / "real.md").write_text("old\n", "utf-8")
    (work / "link.md").symlink_to("real.md")
    assert run("init", "-o", "link.md", "--force").exit_code == 0
    assert (work / "link.md").is_symlink()
    assert (work / "real.md").read_text("utf-8").startswith("---")


def test_lint_report_never_overwrites_a_linted_policy(work):
    before = (work / "good.md").read_bytes()
    assert_one_line_error(run("lint", "good.md", "-o", "good.md"), "being linted")
    assert_one_line_error(run("lint", ".", "-o", "./good.md"), "being linted")
    assert (work / "good.md").read_bytes() == before


def test_write_atomic_leaves_no_temporary_file_on_failure(work):
    from policylint.errors import PolicylintError
    from policylint.fsutil import write_atomic
    with pytest.raises(PolicylintError):
        write_atomic(work / "adir", "x", overwrite=True)
    write_atomic(work / "ok.txt", "text\n")
    assert sorted(p.name for p in work.iterdir() if p.name.startswith(".")) == []


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_full_disk_on_stdout_is_one_line_not_internal_error(tmp_path):
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "policylint", "init"], stdout=full,
                              stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    assert proc.stderr.strip().startswith("policylint: error:")
    assert "No space left" in proc.stderr


# ---------------------------------------------------------------- awkward input


def test_lint_binary_and_bad_utf8_report_pl002(work):
    for name, where in (("binary.md", None), ("badutf8.md", ":3:5:"), ("nul.md", ":3:5:")):
        r = run("lint", name)
        assert r.exit_code == 1 and "Traceback" not in r.stdout + r.stderr
        pl002 = [ln for ln in r.stdout.splitlines() if " PL002 " in ln]
        assert len(pl002) == 1, r.stdout
        if where:
            assert where in pl002[0]


def test_lint_undecodable_file_reports_only_pl002(work):
    r = run("lint", "--format", "json", "badutf8.md")
    import json
    rules = {d["rule"] for f in json.loads(r.stdout)["files"] for d in f["diagnostics"]}
    assert rules == {"PL002"}


@pytest.mark.parametrize("name", ["binary.md", "badutf8.md", "nul.md"])
def test_render_refuses_undecodable_file_and_stdin(work, name):
    assert_one_line_error(run("render", name), name, "UTF-8")
    assert_one_line_error(run("render", "-", input=(work / name).read_bytes()), "standard input")


@pytest.mark.parametrize("name", ["binary.md", "nul.md"])
def test_import_refuses_binary(work, name):
    assert_one_line_error(run("import", name), "not a text file")
    assert_one_line_error(run("import", "-", input=(work / name).read_bytes()),
                          "standard input is not a text file")


@pytest.mark.parametrize("data", [b"", b"   \n\n", b"\xef\xbb\xbf\r\n"])
def test_import_refuses_empty_input(work, data):
    (work / "blank.txt").write_bytes(data)
    assert_one_line_error(run("import", "blank.txt"), "blank.txt is empty")
    assert_one_line_error(run("import", "-", input=data), "standard input is empty")


def test_crlf_and_bom_lint_like_lf(work):
    a, b = run("lint", "good.md"), run("lint", "crlf.md")
    assert a.exit_code == b.exit_code == 0
    assert a.stdout.replace("good.md", "X") == b.stdout.replace("crlf.md", "X")


def test_crlf_and_bom_render_and_import(work):
    html = run("render", "crlf.md")
    assert html.exit_code == 0 and "\r" not in html.stdout and "\ufeff" not in html.stdout
    assert "<title>Privacy Notice</title>" in html.stdout
    imp = run("import", "crlf.md")
    assert imp.exit_code == 0 and "\r" not in imp.stdout and "\ufeff" not in imp.stdout


def test_stdin_dash(work):
    r = run("lint", "-", input=GOOD)
    assert r.exit_code == 0 and r.stdout.startswith("<stdin>:")
    r = run("render", "-", input=GOOD.encode("utf-8"))
    assert r.exit_code == 0 and r.stdout.startswith("<!DOCTYPE html>")


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses non-UTF-8 file names")
@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_non_utf8_file_name_in_every_report_format(work, fmt):
    name = os.fsdecode(b"bad\xffname.md")
    try:
        (work / name).write_text(GOOD, "utf-8")
    except (OSError, UnicodeEncodeError):
        pytest.skip("file system refuses non-UTF-8 names")
    r = run("lint", "--format", fmt, name)
    assert r.exit_code == 0, r.stderr
    r = run("lint", "--format", fmt, name, "-o", "report.out")
    assert r.exit_code == 0, r.stderr
    (work / "report.out").read_text("utf-8")       # the report itself is valid UTF-8


def test_parse_binary_does_not_dump_control_characters(work):
    r = run("parse", "binary.md")
    assert r.exit_code == 1
    bad = [c for c in r.stderr if ord(c) < 32 and c not in "\n\t" or 0x7f <= ord(c) <= 0x9f]
    assert not bad, f"{len(bad)} control characters on stderr"


@pytest.mark.parametrize("name", ["binary.md", "badutf8.md"])
def test_diff_files_refuses_undecodable_input(work, name):
    assert_one_line_error(run("diff", "--files", name, "good.md"), name)


def test_notice_files_refuses_undecodable_input(work):
    assert_one_line_error(run("notice", "--files", "badutf8.md", "v2.md"), "badutf8.md")


def test_notice_changelog_not_utf8(work):
    assert_one_line_error(run("notice", "--files", "v1.md", "v2.md", "--changelog", "badutf8.md"),
                          "badutf8.md")


@pytest.mark.parametrize("body", [
    "*a " * 20000,
    "_a " * 20000,
    "**a " * 15000,
    "![a " * 15000,
    "[" * 40000,
    "[a](" * 10000,
    # 12000 findings in one paragraph: ~3 s; re-finding each from the start of its unit
    # (Context.locate before its source map) took 16-40 s, well past the limit
    "<a@b " * 12000,
], ids=["emphasis", "underscores", "strong", "images", "brackets", "open-links", "many-findings"])
def test_pathological_inline_markup_is_fast(tmp_path, body):
    (tmp_path / "p.md").write_text("# T\n\n" + body + "\n", "utf-8")
    try:
        proc = subprocess.run([sys.executable, "-m", "policylint", "lint", "p.md"], cwd=tmp_path,
                              capture_output=True, text=True, timeout=8)
    except subprocess.TimeoutExpired:
        pytest.fail("lint took more than 8 s on one paragraph")
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr, proc.stderr


def test_large_policy_is_linted(tmp_path):
    """~1 MB of ordinary text: linear, no recursion limit, no crash."""
    body = GOOD + ("\n\nWe process contact details to answer your questions. " * 40 + "\n") * 400
    (tmp_path / "big.md").write_text(body, "utf-8")
    r = subprocess.run([sys.executable, "-m", "policylint", "lint", "big.md"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode in (0, 1) and "Traceback" not in r.stderr


# ---------------------------------------------------------------- configuration

BAD_CONFIGS = [
    # (file, text, words the message must contain)
    (".policylint.toml", 'select = ["PL1"\n', [":1", "invalid TOML"]),
    (".policylint.toml", 'select = "PL101"\n', [":1", "must be a list"]),
    (".policylint.toml", "bogus = 1\n", [":1", "unknown key 'bogus'"]),
    (".policylint.toml", 'notice-days = "30"\n', [":1", "must be an integer"]),
    (".policylint.toml", "notice-days = 30.0\n", [":1", "must be an integer", "whole number"]),
    (".policylint.toml", "retention-threshold-days = 1e3\n", [":1", "must be an integer"]),
    (".policylint.toml", "notice-days = true\n", [":1", "must be an integer"]),
    (".policylint.toml", "notice-days = -5\n", [":1", "minimum"]),
    (".policylint.toml", '[severity]\nPL101 = "fatal"\n', [":2", "'fatal'"]),
    (".policylint.toml", '[severity]\nPL999 = "error"\n', [":2", "unknown rule 'PL999'"]),
    (".policylint.toml", "[notice]\nfrom = 5\n", [":2", "must be a string"]),
    (".policylint.toml", "[notice]\nbogus = 5\n", [":2", "unknown key 'bogus' in [notice]"]),
    (".policylint.toml", 'ignore = ["PL101", "PL101"]\n', [":1", "same value twice"]),
    (".policylint.toml", "a = 1\na = 2\n", [":2", "invalid TOML"]),
    (".policylint.toml", b"\n\n\xff\xfe\n", [":3", "not valid UTF-8"]),
    ("pyproject.toml", '[tool.policylint]\nselect = ["PL1"\n', [":2", "invalid TOML"]),
    ("pyproject.toml", '[project]\nname = "x"\n[tool.policylint]\nbogus = 1\n',
     [":4", "unknown key 'bogus' in [tool.policylint]"]),
    ("pyproject.toml", "tool.policylint = 3\n", [":1", "must be a table"]),
    ("pyproject.toml", '[tool]\npolicylint = "x"\n', [":2", "must be a table"]),
    ("pyproject.toml", '[tool]\npolicylint.select = ["PLX"]\n', [":2", "unknown rule 'PLX'"]),
    ("pyproject.toml", 'tool.policylint.select = "PL101"\n', [":1", "must be a list"]),
]


@pytest.mark.parametrize("name,text,needles", BAD_CONFIGS,
                         ids=[f"{n}:{t[:24]!r}" for n, t, _ in BAD_CONFIGS])
def test_bad_config_is_one_line_with_its_line(work, name, text, needles):
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    (work / name).write_bytes(data)
    line = assert_one_line_error(run("lint", "good.md"), name)
    for n in needles:
        assert n in line, f"{n!r} not in {line!r}"


@pytest.mark.parametrize("command", [("diff", "--files", "v1.md", "v2.md"),
                                     ("notice", "--files", "v1.md", "v2.md")])
def test_bad_config_stops_other_commands_too(work, command):
    (work / ".policylint.toml").write_text("bogus = 1\n", "utf-8")
    assert_one_line_error(run(*command), "unknown key 'bogus'")


@pytest.mark.parametrize("text", [
    "# see [tool.policylint] in the docs\n[project]\nname = \"x\"\n",
    '[project]\nname = "x"\ndependencies = ["policylint>=0.1"]\n',
    '[project]\ndependencies = ["policylint"\n',      # broken, but none of our business
])
def test_pyproject_that_only_mentions_policylint_is_not_a_config(work, text):
    (work / "pyproject.toml").write_text(text, "utf-8")
    r = run("lint", "good.md")
    assert r.exit_code == 0, r.stderr


def test_config_excluding_a_named_file_says_so(work):
    (work / ".policylint.toml").write_text('exclude = ["good.md"]\n', "utf-8")
    r = run("lint", "good.md")
    assert r.exit_code == 0 and "excludes good.md" in r.stderr


def test_select_of_nothing_is_refused(work):
    assert_one_line_error(run("lint", "--select", ",", "good.md"), "--select")


QUICK_CASES = [
    {}, {"select": ["PL1", "PL204", "retention-period"]}, {"select": "PL1"}, {"select": [1]},
    {"select": ["PL1", "PL1"]}, {"ignore": ["bad code!"]}, {"severity": {"PL101": "warning"}},
    {"severity": {"PL101": "fatal"}}, {"severity": {"not a rule!": "off"}}, {"severity": 3},
    {"profile": "gdpr"}, {"profile": "ccpa"}, {"required-sections": ["controller", "rights"]},
    {"required-sections": ["nonsense"]}, {"languages": ["sv", "en-GB"]}, {"languages": ["xx"]},
    {"include": ["**/*.md"]}, {"include": [""]}, {"exclude": "drafts"},
    {"notice-days": 30}, {"notice-days": 30.0}, {"notice-days": True}, {"notice-days": 366},
    {"notice-days": -1}, {"notice": {"from": "a@b.c", "url": "https://x"}},
    {"notice": {"from": ""}}, {"notice": {"url": "ftp://x"}}, {"notice": {"bogus": 1}},
    {"notice": 3}, {"material-kinds": ["purposes"]}, {"retention-threshold-days": 0},
    {"retention-threshold-days": 1e3}, {"bogus": 1},
]


@pytest.mark.parametrize("data", QUICK_CASES, ids=[repr(d)[:40] for d in QUICK_CASES])
def test_quick_config_check_agrees_with_jsonschema(data):
    """The jsonschema-free fast path never accepts what the schema rejects."""
    from policylint.config import _validator, quick_ok
    from policylint.resources import schema

    sch = schema("config")
    assert quick_ok(data, sch) == (not list(_validator(sch).iter_errors(data)))


def test_valid_config_does_not_import_jsonschema(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".policylint.toml").write_text(
        'select = ["PL1"]\nnotice-days = 30\n[severity]\nPL101 = "warning"\n'
        '[notice]\nfrom = "a@b.c"\n', "utf-8")
    code = ("import sys; from pathlib import Path; from policylint.config import load_config; "
            "c = load_config(Path('.')); print(c.notice_days, 'jsonschema' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                         text=True, check=True)
    assert out.stdout.split() == ["30", "False"], out.stdout + out.stderr


# ---------------------------------------------------------------- git


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """privacy.md at v1 (tagged v1), then v2: a material change."""
    r = tmp_path / "repo"
    r.mkdir()
    git(r, "init", "-q", "-b", "main")
    (r / "privacy.md").write_bytes((EXAMPLES / "privacy-v1.md").read_bytes())
    git(r, "add", "privacy.md")
    git(r, "commit", "-qm", "v1")
    git(r, "tag", "v1")
    (r / "privacy.md").write_bytes((EXAMPLES / "privacy-v2.md").read_bytes())
    git(r, "commit", "-qam", "v2")
    monkeypatch.chdir(r)
    return r


OUTSIDE = [("diff",), ("diff", "HEAD"), ("log", "privacy.md"), ("notice", "HEAD~1..HEAD"),
           ("check-release",)]


@needs_git
@pytest.mark.parametrize("args", OUTSIDE)
def test_outside_a_repository(work, args):
    assert_one_line_error(run(*args), "not a git repository")


@needs_git
@pytest.mark.parametrize("args", [("diff",), ("diff", "--staged"), ("log", "good.md")])
def test_empty_repository(work, args):
    git(work, "init", "-q")
    assert_one_line_error(run(*args), "no commits")


@needs_git
@pytest.mark.parametrize("args", [
    ("diff", "nope"), ("diff", "nope", "HEAD"), ("log", "privacy.md", "nope"),
    ("notice", "nope..HEAD"), ("check-release", "--base", "nope"),
])
def test_unknown_revision(repo, args):
    assert_one_line_error(run(*args), "unknown revision 'nope'")


@needs_git
@pytest.mark.parametrize("args", [
    ("diff", "--output=../pwned"), ("diff", "-p"), ("diff", "HEAD", "--output=../pwned"),
    ("diff", "HEAD~1", "HEAD", "--", "--output=../pwned"),
    ("log", "--", "--output=../pwned"), ("log", "privacy.md", "..--output=../pwned"),
    ("log", "privacy.md", "--", "-p"),
    ("notice", "HEAD~1..--output=../pwned"), ("notice", "--", "--output=../pwned"),
    ("notice", "HEAD~1..HEAD", "--", "--output=../pwned"),
    ("check-release", "--base=--output=../pwned"), ("check-release", "--base", "-p"),
    ("check-release", "--", "--output=../pwned"),
])
def test_option_like_revisions_and_paths_never_reach_git(repo, args):
    assert_one_line_error(run(*args))
    assert not (repo.parent / "pwned").exists()


@needs_git
@pytest.mark.parametrize("args", [("diff", "HEAD", "--", "nothere.md"), ("log", "nothere.md"),
                                  ("notice", "HEAD~1..HEAD", "--", "nothere.md"),
                                  ("check-release", "nothere.md")])
def test_path_not_in_revision(repo, args):
    assert_one_line_error(run(*args), "nothere.md")


@needs_git
def test_detached_head(repo):
    git(repo, "checkout", "-q", "--detach", "HEAD~1")
    assert run("diff").exit_code == 0
    assert run("log", "privacy.md").exit_code == 0


@needs_git
def test_shallow_clone_revision_is_explained(repo, tmp_path, monkeypatch):
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", repo.as_uri(), str(clone))
    monkeypatch.chdir(clone)
    assert_one_line_error(run("diff", "HEAD~1", "HEAD"), "shallow")
    assert_one_line_error(run("notice", "HEAD~1..HEAD"), "shallow")
    r = run("log", "privacy.md")
    assert r.exit_code == 0 and "shallow" in r.stderr


@needs_git
def test_check_release_in_shallow_clone_does_not_pass_silently(repo, tmp_path, monkeypatch):
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", repo.as_uri(), str(clone))
    monkeypatch.chdir(clone)
    r = run("check-release")
    assert r.exit_code != 0 and "shallow" in r.stdout + r.stderr


# ---------------------------------------------------------------- untrusted policy text

HOSTILE = """---
title: X
lang: en
---
# Policy

## Links

[click](javascript:alert(1)) and <javascript:alert(2)> and [d](data:text/html;base64,PHNjcmlwdD4=)

<script>alert(3)</script>

<div onclick="x">raw</div>

## Heading with <img src=x onerror=alert(4)> {#contact}
"""


def test_render_escapes_policy_text(work):
    (work / "hostile.md").write_text(HOSTILE, "utf-8")
    r = run("render", "hostile.md")
    assert r.exit_code == 0
    page = r.stdout.lower()
    for bad in ("<script>alert", "href=\"javascript:", "href=\"data:", "onclick=\"", "<img",
                "onerror=alert(4)>"):
        assert bad not in page, bad
    assert "&lt;script&gt;" in page


def test_render_heading_does_not_take_the_pages_own_id(work):
    (work / "p.md").write_text("# Policy\n\n## Policy\n\ntext\n", "utf-8")
    page = run("render", "p.md").stdout
    import re
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), ids


def _hostile_v2(work: Path, title: str) -> None:
    text = (EXAMPLES / "privacy-v2.md").read_text("utf-8")
    text = text.replace("title: Nordlys Survey Privacy Policy", f'title: "{title}"', 1)
    (work / "v2x.md").write_text(text, "utf-8")


@pytest.mark.parametrize("option", ["--from", "--to", "--reply-to"])
def test_notice_address_with_line_break_is_refused(work, option):
    args = ["notice", "--files", "v1.md", "v2.md", "--format", "eml", "--from", "a@b.example"]
    args += [option, "x@y.example\r\nBcc: evil@z.example"]
    assert_one_line_error(run(*args), option)


def test_notice_subject_cannot_inject_headers(work):
    _hostile_v2(work, "Hi =?utf-8?q?a=0D=0ABcc:_evil@x.example=0D=0A?= end")
    r = _runner().invoke(main, ["notice", "--files", "v1.md", "v2x.md", "--format", "eml",
                                "--from", "a@b.example"])
    assert r.exit_code == 0, r.stderr
    msg = email.message_from_bytes(r.stdout_bytes, policy=email.policy.default)
    assert msg["Bcc"] is None
    assert "evil@x.example" not in "".join(f"{k}: {v}" for k, v in msg.items() if k != "Subject")


def test_notice_html_escapes_policy_text(work):
    _hostile_v2(work, "Nordlys <script>alert(1)</script>")
    r = run("notice", "--files", "v1.md", "v2x.md", "--format", "html")
    assert r.exit_code == 0 and "<script>" not in r.stdout and "&lt;script&gt;" in r.stdout


# ---------------------------------------------------------------- start-up


def test_lint_start_up_imports(tmp_path):
    """`lint FILE` with a valid config: no jsonschema, git or markdown-it at all."""
    (tmp_path / ".git").mkdir()
    (tmp_path / ".policylint.toml").write_text('exclude = ["drafts"]\n', "utf-8")
    (tmp_path / "p.md").write_text(GOOD, "utf-8")
    code = ("import sys; from policylint.cli import main\n"
            "try:\n    main(['lint', 'p.md'])\nexcept SystemExit as e:\n    code = e.code\n"
            "print(code, ' '.join(m for m in ('jsonschema', 'git', 'markdown_it') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                         text=True)
    assert out.stdout.splitlines()[-1].split() == ["0"], out.stdout + out.stderr
