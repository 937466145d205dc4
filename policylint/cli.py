"""Command line: parses options and prints. Everything else lives in the library.

Imports of heavy modules (git, jsonschema, markdown-it) happen inside the commands
that need them, so `policylint lint` in a pre-commit hook starts fast.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__, resources
from .errors import PolicylintError


class Failure(click.ClickException):
    """A user-caused failure: one line, exit code 2."""
    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"policylint: error: {self.format_message()}", err=True)


def fail(exc: PolicylintError) -> Failure:
    return Failure(str(exc))


def _usage_failure(exc: click.UsageError, fallback: str = "policylint") -> Failure:
    """click's four-line usage error as one line, with where to read more."""
    msg = " ".join(exc.format_message().split()).rstrip(".")
    where = exc.ctx.command_path if exc.ctx is not None else fallback
    return Failure(f"{msg} (see '{where} --help')")


_NO_ARGS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())   # click >= 8.2


class _Group(click.Group):
    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except _NO_ARGS_HELP:           # bare `policylint`: the help, as click prints it
            raise
        except click.UsageError as exc:
            raise _usage_failure(exc) from None

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except PolicylintError as exc:
            raise fail(exc) from None
        except _NO_ARGS_HELP:
            raise
        except click.UsageError as exc:
            sub = " ".join(filter(None, (ctx.command_path, ctx.invoked_subcommand)))
            raise _usage_failure(exc, sub) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("policylint: interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:
            sys.exit(0)
        except OSError as exc:     # the system refused (disk full, I/O error): not a bug
            if os.environ.get("POLICYLINT_DEBUG"):
                raise
            what = f"{exc.filename}: " if exc.filename else "cannot read or write: "
            raise Failure(f"{what}{exc.strerror or exc}") from None
        except Exception as exc:   # a bug: say so plainly, full trace only on request
            if os.environ.get("POLICYLINT_DEBUG"):
                raise
            raise Failure(f"internal error: {type(exc).__name__}: {exc} "
                          "(set POLICYLINT_DEBUG=1 for the traceback and report it)") from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="policylint")
def main() -> None:
    """Lint, format, diff and publish privacy policies written as code."""


# ---- commands: each section below belongs to one module of the library. ----
# ------------------------------------------------------------------ parse/fmt

def _read_policy(file: str) -> tuple[bytes, str]:
    """Bytes and display name of FILE ('-' is standard input); unreadable -> exit 2."""
    if file == "-":
        return sys.stdin.buffer.read(), "<stdin>"
    from pathlib import Path as _P
    p = _P(file)
    if p.is_dir():
        raise PolicylintError(f"{file} is a directory", "give a policy file")
    if p.exists() and not p.is_file():      # a pipe or device would block or never end
        raise PolicylintError(f"{file} is not a regular file", "give a policy file, or '-' for stdin")
    try:
        return p.read_bytes(), file
    except OSError as exc:
        raise PolicylintError(f"cannot read {file}: {exc.strerror or exc}", "check the path") from None


def _print_diagnostics(doc, data: bytes) -> None:
    from .serialize import diagnostic_text

    lines = doc.lines
    if not lines and data:      # undecodable: show what can be shown
        lines = data.decode("utf-8", "replace").replace("\x00", "\u2400").split("\n")
    for d in doc.diagnostics:
        click.echo(diagnostic_text(d, lines), err=True)


@main.command("parse", short_help="The syntax tree of a policy, as JSON.")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=str))
@click.option("--format", "fmt", type=click.Choice(["json", "tree"]), default="json",
              show_default=True, help="json: the AST (schemas/ast.json); tree: an outline.")
def parse_cmd(file, fmt) -> None:
    """Print the syntax tree policylint reads from FILE ('-' reads standard input).

    Problems go to standard error as path:line:col: CODE message. Exit 0: parsed,
    1: the file has errors, 2: it could not be read."""
    from .parser import parse_bytes
    from .serialize import document_to_dict, tree_lines

    data, name = _read_policy(file)
    doc = parse_bytes(data, name)
    if fmt == "json":
        import json
        click.echo(json.dumps(document_to_dict(doc), ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(tree_lines(doc)))
    _print_diagnostics(doc, data)
    sys.exit(1 if any(d.severity == "error" for d in doc.diagnostics) else 0)


@main.command("fmt", short_help="Rewrite policies in canonical form.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str, allow_dash=True))
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if a file would be reformatted.")
@click.option("--diff", "show_diff", is_flag=True, help="Change nothing; print what would change.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Config file to use instead of searching for .policylint.toml / pyproject.toml.")
def fmt_cmd(paths, check, show_diff, config_file) -> None:
    """Rewrite policies in the canonical dialect (ATX headings, '-' bullets, keys in
    schema order ...) without changing what they say. PATHS are files or folders
    (default: the current folder), chosen as `lint` chooses them (the config's include
    and exclude); '-' formats standard input to standard output."""
    from .config import load_config
    from .discover import discover
    from .fmt import format_bytes, unified_diff
    from .fsutil import write_atomic

    changed = refused = 0
    files = discover(paths, load_config(Path.cwd(), config_file))
    for f in files:
        data, name = _read_policy(f)
        result = format_bytes(data, name)
        if result.formatted is None:
            refused += 1
            click.echo(f"{name}: not formatted: {result.error}", err=True)
            if f == "-" and not (check or show_diff):
                click.echo(data.decode("utf-8", "replace"), nl=False)
            continue
        if f == "-" and not (check or show_diff):
            click.echo(result.formatted, nl=False)
            changed += result.changed
            continue
        if not result.changed:
            continue
        changed += 1
        if show_diff:
            click.echo(unified_diff(result), nl=False)
        elif check:
            click.echo(f"would reformat {name}")
        else:
            write_atomic(f, result.formatted, overwrite=True)
            click.echo(f"reformatted {name}")
    if files != ["-"]:
        verb = "would be reformatted" if (check or show_diff) else "reformatted"
        click.echo(f"policylint fmt: {changed} of {len(files)} files {verb}"
                   + (f", {refused} left alone" if refused else ""), err=True)
    sys.exit(1 if refused or ((check or show_diff) and changed) else 0)


# ------------------------------------------------------------------ lint/rules

_LINT_FORMATS = ("text", "json", "sarif", "github")


def _codes(values: tuple[str, ...]) -> list[str]:
    """`--select PL1,PL204 --select x` -> ['PL1', 'PL204', 'x']."""
    return [c.strip() for v in values for c in v.split(",") if c.strip()]


@main.command("lint")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--format", "fmt", type=click.Choice(_LINT_FORMATS), default="text",
              show_default=True, help="Report format; sarif is for GitHub code scanning, "
              "github prints workflow annotations.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Config file to use instead of searching for .policylint.toml / pyproject.toml.")
@click.option("--select", multiple=True, metavar="CODES",
              help="Run only these rules: comma-separated codes, names or code prefixes (PL3); "
              "replaces the config's select.")
@click.option("--ignore", multiple=True, metavar="CODES",
              help="Do not report these rules: comma-separated codes, names or prefixes; "
              "adds to the config's ignore.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to FILE (replaced if it exists) instead of standard output.")
@click.option("--color/--no-color", default=None,
              help="Colour the text report (default: on a terminal, unless NO_COLOR is set).")
@click.option("--stdin-filename", metavar="PATH", default="<stdin>",
              help="Name to report for a policy read from '-' (standard input).")
def lint_cmd(paths, fmt, config_file, select, ignore, output, color, stdin_filename) -> None:
    """Check policies for what GDPR Articles 12-14 require.

    PATHS are files or folders (default: the current folder); '-' reads standard input.
    Exit 0: no errors, 1: errors, 2: failure."""
    from .config import check_rules, load_config
    from .discover import discover, lint_paths, project_root
    from .report import has_errors, render, summary_line, use_color

    if output is not None and str(output) == "-":
        output = None
    config = load_config(Path.cwd(), config_file)
    sel, ign = _codes(select), _codes(ignore)
    if select and not sel:
        raise PolicylintError("--select names no rule", "give codes or names, e.g. --select PL1,PL204")
    check_rules(sel, "--select")
    check_rules(ign, "--ignore")
    config = config.with_rules(sel if select else None, ign if ignore else None)
    files = discover(paths, config)
    if not files:
        excl = (f"; {config.source} excludes {', '.join(config.exclude)}"
                if config.exclude else "")
        click.echo("policylint: no policy files found (looked for "
                   f"{', '.join(config.include)}{excl})", err=True)
    if output is not None and any(f != "-" and Path(f).resolve() == output.resolve() for f in files):
        raise PolicylintError(f"--output {output} is one of the policies being linted",
                              "write the report to another file")
    results = lint_paths(files, config, stdin_name=stdin_filename)
    colored = fmt == "text" and output is None and use_color(color, sys.stdout)
    text = render(fmt, results, color=colored, root=project_root(Path.cwd()))
    if output is not None:
        from .fsutil import write_atomic
        write_atomic(output, text, overwrite=True)
        click.echo(summary_line(results), err=True)
    else:
        click.echo(text, nl=False, color=colored)
    sys.exit(1 if has_errors(results) else 0)


@main.command("rules", short_help="The rules, or one rule's documentation.")
@click.argument("rule", required=False, metavar="[CODE|NAME]")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text",
              show_default=True, help="markdown prints the table the README embeds.")
def rules_cmd(rule, fmt) -> None:
    """List every rule, or document one: why it exists, how to fix, configure or suppress it."""
    from .config import suggest_rule
    from .report import rule_doc, rules_json, rules_markdown, rules_table
    from .rules import all_rules, get_rule

    if rule:
        found = get_rule(rule) or get_rule(rule.upper())
        if found is None:
            raise PolicylintError(f"unknown rule '{rule}'", suggest_rule(rule))
        if fmt == "json":
            click.echo(rules_json([found]), nl=False)
        else:
            click.echo(rule_doc(found), nl=False)
        return
    render_table = {"text": rules_table, "markdown": rules_markdown, "json": rules_json}[fmt]
    click.echo(render_table(all_rules()), nl=False)


# ------------------------------------------------------------------ import/init/render

_IMPORT_LANGS = ("auto", *resources.shipped_langs("lang", ".toml"))
_TEMPLATE_LANGS = resources.shipped_langs("templates/init", ".md")


def _check_output(output, force: bool) -> None:
    """Refuse an existing OUTPUT before doing the work, not after."""
    if output is not None and output != "-" and not force and os.path.lexists(output) \
            and not os.path.isdir(output):
        raise PolicylintError(f"{output} already exists", "pass --force to overwrite it")


def _write_or_print(text: str, output, force: bool) -> None:
    """stdout without -o (or with -o -); otherwise an atomic write that refuses to
    overwrite without --force."""
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    from .fsutil import write_atomic
    write_atomic(output, text, overwrite=force)
    click.echo(f"policylint: wrote {output}", err=True)


@main.command("import", short_help="Convert a text, Markdown or HTML policy.")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the policy to FILE instead of standard output.")
@click.option("--lang", type=click.Choice(_IMPORT_LANGS), default="auto", show_default=True,
              help="Language of the policy; auto detects it.")
@click.option("--from", "fmt", type=click.Choice(("auto", "text", "markdown", "html")),
              default="auto", show_default=True,
              help="Input format; auto goes by file extension, then content.")
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
def import_cmd(file, output, lang, fmt, force) -> None:
    """Convert a published policy (text, Markdown or HTML) to policylint Markdown,
    keeping every word. '-' reads standard input."""
    from .importer import import_text, read_input

    _check_output(output, force)
    text, detected = read_input(file)
    _write_or_print(import_text(text, detected if fmt == "auto" else fmt,
                                None if lang == "auto" else lang), output, force)


@main.command("init", short_help="A starter policy in one of eight languages.")
@click.option("--lang", type=click.Choice(_TEMPLATE_LANGS), default="en", show_default=True,
              help="Language of the starter policy.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the policy to FILE instead of standard output.")
@click.option("--effective", metavar="YYYY-MM-DD",
              help="Date the policy takes effect (default: today).")
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
def init_cmd(lang, output, effective, force) -> None:
    """Print or write a starter policy with every mandatory section and {{ placeholders }}."""
    from .init import starter_policy

    _check_output(output, force)
    _write_or_print(starter_policy(lang, effective), output, force)


@main.command("render", short_help="A policy as a standalone HTML page.")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(("html",)), default="html", show_default=True,
              help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write the page to FILE instead of standard output.")
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
def render_cmd(file, fmt, output, force) -> None:
    """Render a policy as a standalone, accessible HTML page (no external requests)."""
    from .parser import parse_bytes
    from .render import render_html

    _check_output(output, force)
    if file == "-":
        doc = parse_bytes(sys.stdin.buffer.read(), "<stdin>")
    else:
        from pathlib import Path as _P
        if _P(file).exists() and not _P(file).is_file():
            raise PolicylintError(f"{file} is not a regular file", "give the policy file to render")
        try:
            data = _P(file).read_bytes()
        except OSError as exc:
            raise PolicylintError(f"cannot read {file}: {exc.strerror}", "check the path") from None
        doc = parse_bytes(data, file)
    bad = next((d for d in doc.diagnostics if d.rule == "PL002"), None)
    if bad is not None:
        raise PolicylintError(f"{'standard input' if file == '-' else file}: {bad.message}", bad.fix)
    _write_or_print(render_html(doc), output, force)


# ------------------------------------------------------------------ diff/log

class _DashDashCommand(click.Command):
    """Keeps what follows `--` apart (paths), so `diff A -- A` is not read as two revisions."""

    def parse_args(self, ctx, args):
        if "--" in args:
            i = args.index("--")
            ctx.meta["policylint.paths"] = tuple(args[i + 1:])
            args = args[:i]
        return super().parse_args(ctx, args)


def _progress_reporter():
    """A progress callback that draws on stderr only once the walk has taken ~1 s."""
    import time
    if not sys.stderr.isatty():
        return None, lambda: None
    start = time.monotonic()
    shown = [False]

    def report(done: int, total: int) -> None:
        if time.monotonic() - start < 1.0 or not total:
            return
        shown[0] = True
        width = 30
        fill = int(width * done / total)
        sys.stderr.write(f"\rpolicylint log: [{'#' * fill}{'.' * (width - fill)}] {done}/{total} versions")
        sys.stderr.flush()

    def finish() -> None:
        if shown[0]:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
    return report, finish


@main.command("diff", cls=_DashDashCommand,
              short_help="What changed between versions, material or not.",
              context_settings={"ignore_unknown_options": True})
@click.argument("revs", nargs=-1, metavar="[REV_A [REV_B]] [-- PATHS]")
@click.option("--staged", "--cached", "staged", is_flag=True,
              help="Compare the index (what the next commit will hold) with HEAD or REV_A.")
@click.option("--files", "files", nargs=2, metavar="OLD NEW", type=click.Path(dir_okay=False),
              help="Compare two policy files; no git repository needed.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="json follows schemas/diff.json.")
@click.option("--color/--no-color", default=None,
              help="Colour the text report (default: on a terminal, unless NO_COLOR is set).")
def diff_cmd(revs, staged, files, fmt, color) -> None:
    """Semantic diff of policies: what changed and whether it is material, minor or editorial.

    No revision: working tree against HEAD. --staged: index against HEAD. One
    revision: it against the working tree. Two: one against the other. Exit 0 whatever
    the classification (use check-release to gate), 2 on errors."""
    import json

    from .config import load_config
    from .diff import diff_files, render_text, to_json
    from .errors import GitError
    from .report import use_color

    paths = click.get_current_context().meta.get("policylint.paths", ())
    for r in revs:
        if r.startswith("-"):
            raise GitError(f"revision '{r}' starts with '-' (or is an unknown option)",
                           "revisions may not start with '-'; see policylint diff --help")
    if len(revs) > 2:
        raise PolicylintError(f"at most two revisions, got {len(revs)}: {' '.join(revs)}",
                              "put paths after '--': policylint diff REV -- PATH")
    config = load_config(Path.cwd())
    if files:
        if revs or staged or paths:
            raise PolicylintError("--files compares two files; it takes no revisions, "
                                  "--staged or paths", "use either --files OLD NEW or revisions")
        results = [diff_files(files[0], files[1], config)]
    else:
        from .history import diff_revisions
        results = diff_revisions(revs[0] if revs else None, revs[1] if len(revs) > 1 else None,
                                 staged=staged, paths=paths, config=config)
    if fmt == "json":
        click.echo(json.dumps(to_json(results), ensure_ascii=False, indent=2))
        return
    colored = use_color(color, sys.stdout)
    click.echo(render_text(results, colored), nl=False, color=colored)


@main.command("log", short_help="Every version of a policy, classified.", context_settings={"ignore_unknown_options": False})
@click.argument("path")
@click.argument("rev_range", required=False, metavar="[REV_RANGE]")
@click.option("--material-only", is_flag=True, help="Show only versions with material changes.")
@click.option("--no-cache", is_flag=True,
              help="Classify every version afresh instead of reusing .git/policylint/diff-cache.json.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="json: every version with its changes and evidence.")
@click.option("--color/--no-color", default=None,
              help="Colour the text report (default: on a terminal, unless NO_COLOR is set).")
def log_cmd(path, rev_range, material_only, no_cache, fmt, color) -> None:
    """Every version of the policy at PATH, newest first, each classified against the one
    before it. Follows renames (and front matter `id`); merges count on the first-parent
    line. REV_RANGE is REV or A..B."""
    import json

    from .config import load_config
    from .history import log, log_json, render_log_text
    from .report import use_color

    report, finish = _progress_reporter()
    try:
        result = log(path, rev_range, config=load_config(Path.cwd()),
                     material_only=material_only, progress=report, cache=not no_cache)
    finally:
        finish()
    for w in result.warnings:
        click.echo(f"policylint: warning: {w}", err=True)
    if fmt == "json":
        click.echo(json.dumps(log_json(result), ensure_ascii=False, indent=2))
        return
    colored = use_color(color, sys.stdout)
    click.echo(render_log_text(result, colored), nl=False, color=colored)


# ------------------------------------------------------------------ notice/check-release

def _notice_config(config_file, start):
    from pathlib import Path as _Path

    from .config import load_config
    return load_config(_Path(start), explicit=_Path(config_file) if config_file else None)


def _warn(message: str) -> None:
    click.echo(f"policylint: warning: {message}", err=True)


@main.command("notice", short_help="The change notice users receive.")
@click.argument("revs", nargs=-1, metavar="[REV_A..REV_B] [-- PATH]")
@click.option("--files", nargs=2, type=click.Path(exists=True, dir_okay=False), metavar="OLD NEW",
              help="Compare two policy files instead of two revisions.")
@click.option("--format", "fmt", type=click.Choice(["md", "txt", "html", "eml"]), default="md",
              show_default=True, help="Output format; eml is a ready-to-send e-mail.")
@click.option("--from", "from_", metavar="ADDRESS", help="Sender (eml; default: notice.from in the config).")
@click.option("--reply-to", metavar="ADDRESS", help="Reply-To (eml; default: notice.reply-to).")
@click.option("--to", metavar="ADDRESS", help="Recipient (eml; usually set by the mailing tool).")
@click.option("--lang", metavar="LANG", help="Language of the notice (default: the policy's).")
@click.option("--include-minor", is_flag=True, help="List minor and editorial changes too.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), metavar="DATE",
              help="Count days of notice from DATE (default: today).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to a file (atomically).")
@click.option("--force", is_flag=True, help="Overwrite --output if it exists.")
@click.option("--changelog", type=click.Path(dir_okay=False), metavar="FILE",
              help="Add this version to a Markdown changelog (same version: replaced, not repeated).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Config file to use.")
def notice_cmd(revs, files, fmt, from_, reply_to, to, lang, include_minor, today, output, force,
               changelog, config_file) -> None:
    """Write a change notice for the people a policy is about.

    One sentence per material change, in the policy's language, with the effective
    date and days of notice. Compares REV_A..REV_B (git) or --files OLD NEW.
    """
    from . import notice as nt

    if files and revs:
        raise PolicylintError("give either REV_A..REV_B or --files, not both",
                              "use --files OLD NEW alone to compare two files")
    if not files and not revs:
        raise PolicylintError("nothing to compare", "give REV_A..REV_B [-- PATH] or --files OLD NEW")
    config = _notice_config(config_file, files[1] if files else ".")
    if files:
        diff, label = nt.diff_for_files(files[0], files[1], config), files[1]
    else:
        diff, label = nt.diff_for_revisions(".", revs[0], revs[1:], config)
        if diff is None:
            click.echo(f"policylint: no policy changed in {revs[0]}: no notice written", err=True)
            return
    n = nt.build_notice(diff, lang=lang, config=config, include_minor=include_minor,
                        today=today.date() if today else None)
    if not n.material:
        click.echo(f"policylint: no material changes in {label}: no notice written", err=True)
    else:
        for w in n.warnings:
            _warn(w)
        data = nt.render(n, fmt, from_=from_ or getattr(config, "notice_from", None),
                         reply_to=reply_to or getattr(config, "notice_reply_to", None), to=to)
        if output and output != "-":
            from .fsutil import write_atomic
            write_atomic(output, data.decode("utf-8"), overwrite=force)
            click.echo(f"policylint: wrote {output}", err=True)
        else:
            click.echo(data, nl=False)
    if changelog and diff.changes:          # after the notice, so a failed write records nothing
        from . import changelog as cl
        if cl.update_file(changelog, cl.entry_from_notice(n, config), config):
            click.echo(f"policylint: {changelog}: recorded version {n.version or '(none)'}", err=True)


@main.command("check-release", short_help="Block a material change without bump or notice.")
@click.argument("paths", nargs=-1)
@click.option("--base", metavar="REV", help="Compare with REV (default: HEAD when something is "
              "staged, else the newest tag, else HEAD's parent).")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), metavar="DATE",
              help="Check notice periods as of DATE (default: today).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Config file to use.")
def check_release_cmd(paths, base, today, config_file) -> None:
    """Block a release whose material policy change lacks a version bump or notice.

    Exit 0: every changed policy may ship. Exit 1: something to fix (printed).
    """
    from .gate import check_release

    config = _notice_config(config_file, ".")
    result = check_release(".", base=base, paths=list(paths), config=config,
                           today=today.date() if today else None)
    against = f"{result.target} against {result.base}" if result.base else f"{result.target} (no base)"
    for c in result.checks:
        if c.ok:
            version = f" (version {c.new_version})" if c.status == "material" else ""
            click.echo(f"ok      {c.path}: {c.status}{version}")
            for r in c.material:
                click.echo(f"  - {r}")
            continue
        click.echo(f"BLOCKED {c.path}: material change")
        for r in c.material:
            click.echo(f"  - {r}")
        for p in c.problems:
            click.echo(f"  problem: {p}")
        for f in c.fixes:
            click.echo(f"  fix: {f}")
    if not result.checks:
        click.echo(f"check-release: no policy changed ({against})")
    elif result.ok:
        click.echo(f"check-release: {len(result.checks)} changed policies may ship ({against})"
                   if len(result.checks) != 1 else f"check-release: the changed policy may ship ({against})")
    else:
        click.echo(f"check-release: {len(result.failed)} of {len(result.checks)} changed policies "
                   f"blocked ({against})")
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
