#!/usr/bin/env bash
# Runs the README walkthrough in a temporary git repository and prints each command
# with its real output, for pasting into README.md. Usage: scripts/walkthrough.sh
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
export NO_COLOR=1
cd "$tmp"
git init -q . && git config user.name "Lena Legal" && git config user.email lena@bonan-kafferosteri.se
mkdir policies
show() { echo "\$ $*"; "$@" 2>&1; echo "[exit $?]"; echo; }
cp "$here/docs/walkthrough/kafferosteriet.txt" published.txt
show policylint import published.txt -o policies/privacy.md
show policylint lint policies/privacy.md
cp "$here/docs/walkthrough/privacy-fixed.md" policies/privacy.md
show policylint lint policies/privacy.md
git add policies && git commit -qm "Privacy policy in the dialect"
show policylint diff --files "$here/policies/examples/en/privacy-v1.md" "$here/policies/examples/en/privacy-v2.md"
show policylint notice --files "$here/policies/examples/sv/privacy-v1.md" "$here/policies/examples/sv/privacy-v2.md" --format txt
show policylint notice --files "$here/policies/examples/en/privacy-v1.md" "$here/policies/examples/en/privacy-v2.md" --format txt
# A material change committed without a version bump: the gate closes.
sed -i 's/- \*\*Beställningar och kvitton:\*\* 7 år/- **Beställningar och kvitton:** 10 år/' policies/privacy.md
git add policies
show policylint check-release
