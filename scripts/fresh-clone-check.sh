#!/usr/bin/env bash
# Proves the README's two commands work on a fresh clone in a new virtual environment.
# It clones the committed HEAD into a temporary folder, then runs, as written in
# README.md, the command marked <!-- cmd:install-and-run --> and the one marked
# <!-- cmd:test -->.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
git clone -q "$here" "$tmp/policylint"
cd "$tmp/policylint"
extract() {  # the first fenced line after the marker
  awk -v m="<!-- cmd:$1 -->" '$0 ~ m {f=1; next} f && /^```/ {if (g) exit; g=1; next} f && g {print; exit}' README.md
}
install_cmd="$(extract install-and-run)"
test_cmd="$(extract test)"
[ -n "$install_cmd" ] && [ -n "$test_cmd" ] || { echo "README markers not found" >&2; exit 2; }
python3 -m venv "$tmp/venv"
. "$tmp/venv/bin/activate"
echo "+ $install_cmd"; bash -c "$install_cmd"
echo "+ $test_cmd"; bash -c "$test_cmd"
echo "fresh clone: both README commands succeeded"
