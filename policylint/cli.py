"""Command line: parses options and prints. Everything else lives in the library.

Imports of heavy modules (git, jsonschema, markdown-it) happen inside the commands
that need them, so `policylint lint` in a pre-commit hook starts fast.
"""
from __future__ import annotations

import os
import sys

import click

from . import __version__
from .errors import PolicylintError


class Failure(click.ClickException):
    """A user-caused failure: one line, exit code 2."""
    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"policylint: error: {self.format_message()}", err=True)


def fail(exc: PolicylintError) -> Failure:
    return Failure(str(exc))


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except PolicylintError as exc:
            raise fail(exc) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("policylint: interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:
            sys.exit(0)
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
# (parse/fmt: parser + fmt) ------------------------------------------------ PARSE

# (lint/rules: lint + report + config) ------------------------------------- LINT

from pathlib import Path  # noqa: E402  (kept in this region so other regions stay untouched)

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
              help="Run only these rules (comma-separated codes or names); replaces the config's select.")
@click.option("--ignore", multiple=True, metavar="CODES",
              help="Do not report these rules (comma-separated); adds to the config's ignore.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to FILE (replaced if it exists) instead of standard output.")
@click.option("--color/--no-color", default=None,
              help="Colour the text report (default: on a terminal, unless NO_COLOR is set).")
@click.option("--stdin-filename", metavar="PATH", default="<stdin>",
              help="Name to report for a policy read from '-' (standard input).")
def lint_cmd(paths, fmt, config_file, select, ignore, output, color, stdin_filename) -> None:
    """Check policies against GDPR Art. 12-14. PATHS are files or folders (default: the
    current folder); '-' reads standard input. Exit 0: no errors, 1: errors, 2: failure."""
    from .config import check_rules, load_config
    from .discover import discover, lint_paths, project_root
    from .fsutil import write_atomic
    from .report import has_errors, render, summary_line, use_color

    config = load_config(Path.cwd(), config_file)
    sel, ign = _codes(select), _codes(ignore)
    check_rules(sel, "--select")
    check_rules(ign, "--ignore")
    config = config.with_rules(sel if select else None, ign if ignore else None)
    files = discover(paths, config)
    if not files:
        click.echo("policylint: no policy files found (looked for "
                   f"{', '.join(config.include)})", err=True)
    results = lint_paths(files, config, stdin_name=stdin_filename)
    colored = fmt == "text" and output is None and use_color(color, sys.stdout)
    text = render(fmt, results, color=colored, root=project_root(Path.cwd()))
    if output is not None:
        write_atomic(output, text, overwrite=True)
        click.echo(summary_line(results), err=True)
    else:
        click.echo(text, nl=False, color=colored)
    sys.exit(1 if has_errors(results) else 0)


@main.command("rules")
@click.argument("rule", required=False, metavar="[CODE|NAME]")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text",
              show_default=True, help="markdown prints the table the README embeds.")
def rules_cmd(rule, fmt) -> None:
    """List every rule, or document one: why it exists, how to fix, configure or suppress it."""
    from .config import suggest_rule
    from .errors import PolicylintError
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


# (import/init/render: importer + templates + render) ---------------------- IMPORT

# (diff/log: diff + history) ----------------------------------------------- DIFF

# (notice/check-release: notice + gate) ------------------------------------ NOTICE


if __name__ == "__main__":  # pragma: no cover
    main()
