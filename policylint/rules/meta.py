"""PL9xx: findings about policylint's own annotations."""
from __future__ import annotations

from . import _no_findings, rule

# The engine produces PL901 after applying suppressions (it needs every other finding).
rule("PL901", "unused-suppression", "warning", None,
     summary="Every suppression comment silences at least one finding.",
     rationale="A stale `policylint-disable` hides future problems of that kind, e.g. a "
               "retention period removed later (Art. 13(2)(a) GDPR), without anyone "
               "deciding to accept them; suppressions should be as narrow as the finding "
               "they excuse.",
     fix="remove the directive, or the codes in it that no longer match a finding")(_no_findings)
