#!/usr/bin/env bash
# Times `envward check` on the example project against `dotenv-linter check` on the same
# `.env`, with hyperfine. envward also reads and analyses the compose file; the target is a
# ratio of at most 1.0.
#
# Needs: hyperfine (apt-get install -y hyperfine) and dotenv-linter
# (cargo install dotenv-linter). Usage: benches/check-vs-dotenv-linter.sh
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
for tool in hyperfine dotenv-linter; do
  command -v "$tool" >/dev/null || {
    echo "missing $tool: apt-get install -y hyperfine / cargo install dotenv-linter" >&2
    exit 2
  }
done
# The binary as released (see benches/whole-process.sh).
if [ "$(uname -sm)" = "Linux x86_64" ]; then
  (cd "$root" && cargo dist --quiet --bin envward)
  bin="$root/target/x86_64-unknown-linux-gnu/release/envward"
else
  cargo build --release --quiet --manifest-path "$root/Cargo.toml" --bin envward
  bin="$root/target/release/envward"
fi

# The example as a user has it after `cp .env.example .env` (placeholders in place), outside
# any git work tree so that neither tool looks at git.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$root/examples/chat4all/." "$work/"
cp "$work/.env.example" "$work/.env"
chmod 600 "$work/.env"

hyperfine --warmup 20 --min-runs 200 -N --ignore-failure \
  --export-markdown "$work/result.md" \
  -n "envward check" "$bin -C $work check --no-color" \
  -n "dotenv-linter check" "dotenv-linter --plain check $work/.env"
cat "$work/result.md"
