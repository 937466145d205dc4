"""Regenerate the README's generated parts: the rule table (`policylint rules --format
markdown`) and the walkthrough (the output of scripts/walkthrough.sh, run for real)."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

from policylint import rules
from policylint.report import rules_markdown

README = Path(__file__).resolve().parents[1] / "README.md"

text = README.read_text("utf-8")
table = rules_markdown(rules.all_rules()).strip()
new = re.sub(r"(<!-- rules:start -->\n).*?(<!-- rules:end -->)",
             lambda m: m.group(1) + table + "\n" + m.group(2), text, flags=re.S)
walk = subprocess.run(["bash", str(README.parent / "scripts" / "walkthrough.sh")], check=True,
                      capture_output=True, text=True).stdout.strip()
new = re.sub(r"(<!-- walkthrough:start -->\n).*?(<!-- walkthrough:end -->)",
             lambda m: m.group(1) + walk + "\n" + m.group(2), new, flags=re.S)
README.write_text(new, "utf-8")
print("README rule table and walkthrough:", "updated" if new != text else "already in sync")
