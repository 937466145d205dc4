#!/usr/bin/env bash
# Runs the README walkthrough in a temporary git repository and prints it as Markdown:
# each step's prose, then each command with its real output. The README holds this
# output between <!-- walkthrough:start --> and <!-- walkthrough:end -->, and
# tests/test_walkthrough.py checks that it still matches. Usage: scripts/walkthrough.sh
# Dates are pinned with --today so that the output does not change from day to day.
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
export NO_COLOR=1 COLUMNS=100
cd "$tmp"
git init -q . && git config user.name "Lena Legal" && git config user.email lena@bonan-kafferosteri.se
git config commit.gpgsign false
mkdir policies
cp -r "$here/policies/examples" examples
say() { printf '%s\n\n' "$*"; }
show() { printf '```console\n$ %s\n' "$*"; "$@" 2>&1; printf '[exit %s]\n```\n\n' "$?"; }

say "A coffee roaster's privacy policy as it stands on its website" \
    "([docs/walkthrough/kafferosteriet.txt](docs/walkthrough/kafferosteriet.txt), plain text)" \
    "comes into the dialect: headings recognised and tagged, front matter filled in from the text."
cp "$here/docs/walkthrough/kafferosteriet.txt" published.txt
show policylint import published.txt -o policies/privacy.md
show head -n 16 policies/privacy.md
say "The linter says what GDPR Art. 13 items the policy lacks and what is out of date, with a fix for each:"
show policylint lint policies/privacy.md
say "The writer adds a retention section, the right to complain to IMY, a version and an effective date" \
    "([docs/walkthrough/privacy-fixed.md](docs/walkthrough/privacy-fixed.md)). It lints clean and is committed."
cp "$here/docs/walkthrough/privacy-fixed.md" policies/privacy.md
show policylint lint policies/privacy.md
git add policies examples && git commit -qm "Privacy policy 1.0"
say "Later someone keeps receipts for ten years instead of seven. The differ reads the change" \
    "from git, section by section, and calls it material:"
sed -i 's/- \*\*Beställningar och kvitton:\*\* 7 år/- **Beställningar och kvitton:** 10 år/' policies/privacy.md
show policylint diff
say "Staged without a version bump and with an effective date that gives users no notice," \
    "the release gate (run in CI or as a pre-commit hook) closes, and says how to open it:"
git add policies
show policylint check-release --today 2026-12-03
say "With the version bumped and the effective date 30 days or more away, it opens:"
sed -i 's/^version: "1.0"/version: "1.1"/; s/^effective: 2026-12-01/effective: 2027-01-15/' policies/privacy.md
git add policies
show policylint check-release --today 2026-12-03
git commit -qm "Privacy policy 1.1: receipts kept 10 years"
say "The release manager generates the notice to customers, in the policy's language" \
    "(also as Markdown, HTML or a ready-to-send \`.eml\`):"
show policylint notice HEAD~1..HEAD --format txt --today 2026-12-03
say "The worked examples in [policies/examples/](policies/examples/) (Swedish, Danish, English)" \
    "show more kinds of change. Version 2 of the English one adds a purpose and a recipient," \
    "lengthens a retention period, and rewords and corrects elsewhere; only the first three are material:"
show policylint diff --files examples/en/privacy-v1.md examples/en/privacy-v2.md
show policylint notice --files examples/en/privacy-v1.md examples/en/privacy-v2.md --format txt --today 2026-12-03
