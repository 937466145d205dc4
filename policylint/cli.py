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

# (import/init/render: importer + templates + render) ---------------------- IMPORT

# (diff/log: diff + history) ----------------------------------------------- DIFF

# (notice/check-release: notice + gate) ------------------------------------ NOTICE


if __name__ == "__main__":  # pragma: no cover
    main()
