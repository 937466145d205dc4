"""policylint: a linter and semantic differ for privacy policies written as code."""
__version__ = "0.1.0"
