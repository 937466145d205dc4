"""Errors a user can cause. The CLI prints them as one line with the fix; never a traceback."""
from __future__ import annotations


class PolicylintError(Exception):
    """A failure with a message a user can act on. ``hint`` says what to do."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class ConfigError(PolicylintError):
    """Bad configuration: names the file, the key and its line."""


class GitError(PolicylintError):
    """Bad git state or arguments: not a repository, unknown revision, shallow clone…"""
