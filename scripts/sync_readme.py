"""Regenerate the README's rule table from `policylint rules --format markdown`."""
from __future__ import annotations

import re
from pathlib import Path

from policylint import rules
from policylint.report import rules_markdown

README = Path(__file__).resolve().parents[1] / "README.md"

text = README.read_text("utf-8")
table = rules_markdown(rules.all_rules()).strip()
new = re.sub(r"(<!-- rules:start -->\n).*?(<!-- rules:end -->)",
             lambda m: m.group(1) + table + "\n" + m.group(2), text, flags=re.S)
README.write_text(new, "utf-8")
print("README rule table:", "updated" if new != text else "already in sync")
