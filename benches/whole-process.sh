#!/usr/bin/env bash
# Whole-process benchmarks of the release binary, as a user runs it (issue 13): time with
# hyperfine (median of the runs, user+system CPU) and peak memory with `/usr/bin/time -f %M`.
#
#   benches/whole-process.sh            (from anywhere; run it with `nice -n 10` on a shared box)
#   RUNS=20 benches/whole-process.sh    (more runs per command; default 10)
#
# Projects, each copied or generated into a temporary directory outside any git work tree,
# with `.env` a copy of `.env.example` (the state after `cp .env.example .env`):
#   - example: examples/chat4all;
#   - 1k / 10k / 100k: the synthetic project (benches/support/synthetic.rs) with 100, 1,000
#     and 10,000 services (1,000, 10,000 and 100,000 variables);
#   - 10k env_file: the 10k project with `env_file: .env` on every service;
#   - corpus: the largest real project in tests/fixtures/corpus (supabase).
# Commands: `check` (text and `--format json`), `refs`, `fill --dry-run`; `dotenv-linter
# check` on the example's `.env` when it is installed (cargo install dotenv-linter); `backup`
# of a 1 MiB `.env` against `age -r` encrypting the same file (apt-get install age).
# The TUI's first frame is the criterion bench `cargo bench --bench tui -- first` (it needs
# no terminal); BENCH_TUI=1 runs it here too.
#
# Needs: hyperfine, GNU time (/usr/bin/time), jq. Prints a table of medians and the ratios
# the budgets are stated in.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
runs="${RUNS:-10}"
for tool in hyperfine jq /usr/bin/time; do
  command -v "$tool" >/dev/null || {
    echo "missing $tool: apt-get install -y hyperfine jq time" >&2
    exit 2
  }
done
# The binary as released: on Linux x86_64, `cargo dist` (.cargo/config.toml) links glibc in
# statically; elsewhere the plain release build. Cargo finds the alias from the working directory.
if [ "$(uname -sm)" = "Linux x86_64" ]; then
  (cd "$root" && cargo dist --quiet --bin envward --example synthetic)
  out="$root/target/x86_64-unknown-linux-gnu/release"
else
  cargo build --release --quiet --manifest-path "$root/Cargo.toml" --bin envward --example synthetic
  out="$root/target/release"
fi
bin="$out/envward"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

project() { # NAME SOURCE-DIR EXAMPLE-FILE-NAME
  mkdir -p "$work/$1"
  cp -r "$2/." "$work/$1/"
  cp "$work/$1/$3" "$work/$1/.env"
  chmod 600 "$work/$1/.env"
}
project example "$root/examples/chat4all" .env.example
project corpus "$root/tests/fixtures/corpus/supabase__supabase" .env.example
for n in 100 1000 10000; do
  "$out/examples/synthetic" "$work/s$n" "$n"
done

results="$work/results.tsv"
: >"$results"

# measure LABEL RUNS COMMAND...: median wall and CPU (user+system) seconds, peak KiB.
measure() {
  local label=$1 n=$2
  shift 2
  hyperfine -N --style none --warmup 2 --runs "$n" --ignore-failure \
    --export-json "$work/h.json" "$*" >/dev/null 2>&1
  local wall cpu mem
  wall=$(jq '.results[0].median' "$work/h.json")
  cpu=$(jq '.results[0] | (.user + .system)' "$work/h.json")
  # `check` exits 1 when it finds something: the exit status is not the measurement.
  mem=$( (/usr/bin/time -f %M "$@" 2>&1 >/dev/null || true) | tail -1)
  printf '%s\t%.1f\t%.1f\t%.1f\n' "$label" "$(echo "$wall * 1000" | bc -l)" \
    "$(echo "$cpu * 1000" | bc -l)" "$(echo "$mem / 1024" | bc -l)" | tee -a "$results"
}

echo "label	median ms	cpu ms (mean user+sys)	peak MiB"
for p in example corpus s100 s1000; do
  measure "check $p" "$runs" "$bin" -C "$work/$p" check --no-color
  measure "check --format json $p" "$runs" "$bin" -C "$work/$p" check --format json
  measure "refs $p" "$runs" "$bin" -C "$work/$p" refs
  measure "refs --format json $p" "$runs" "$bin" -C "$work/$p" refs --format json
  measure "fill --dry-run $p" "$runs" "$bin" -C "$work/$p" fill --dry-run --no-color
done
measure "check s10000" 3 "$bin" -C "$work/s10000" check --no-color
measure "check --format json s10000" 3 "$bin" -C "$work/s10000" check --format json
# The 10k project with `env_file: .env` on every service: each of the 1,000 services loads
# all 10,000 variables (this once cost variables x variables per service).
"$out/examples/synthetic" "$work/s1000ef" 1000 --env-file
measure "check s1000 env_file" "$runs" "$bin" -C "$work/s1000ef" check --no-color
measure "--version" "$runs" "$bin" --version

if command -v dotenv-linter >/dev/null; then
  measure "dotenv-linter check example" "$runs" dotenv-linter --plain check "$work/example/.env"
else
  echo "dotenv-linter not installed (cargo install dotenv-linter): no CPU comparison" >&2
fi

# backup of a 1 MiB .env against age -r encrypting the same file.
big="$work/big"
mkdir -p "$big"
printf 'services:\n  app:\n    image: example/app:1\n' >"$big/compose.yaml"
head -c 786432 /dev/urandom | base64 -w 60 | awk '{ printf "KEY_%d=%s\n", NR, $0 }' >"$big/.env"
chmod 600 "$big/.env"
# `key` creates the identity on first use (in a home of its own), then --identity names it.
HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" "$bin" key >"$work/recipient.txt" 2>/dev/null
identity="$work/home/.config/envward/identity.txt"
measure "backup 1 MiB" "$runs" "$bin" --identity "$identity" -C "$big" backup
if command -v age >/dev/null; then
  measure "age -r 1 MiB" "$runs" age -r "$(cat "$work/recipient.txt")" -o "$work/big.age" "$big/.env"
fi

if [ "${BENCH_TUI:-0}" = 1 ]; then
  (cd "$root" && cargo bench --bench tui -- first)
fi

col() { awk -F'\t' -v l="$1" -v c="$2" '$1 == l { print $c }' "$results"; }
ratio() { [ -n "$1" ] && [ -n "$2" ] && printf '%.2f' "$(echo "$1 / $2" | bc -l)" || echo n/a; }
echo
echo "10k/1k check vs example check (time):     $(ratio "$(col 'check s1000' 2)" "$(col 'check example' 2)")x (budget 15x)"
echo "example check vs dotenv-linter (CPU):     $(ratio "$(col 'check example' 3)" "$(col 'dotenv-linter check example' 3)")x (budget 1.0x)"
echo "backup 1 MiB vs age -r (time):            $(ratio "$(col 'backup 1 MiB' 2)" "$(col 'age -r 1 MiB' 2)")x (budget 2.5x)"
echo "growth check 1k -> 10k -> 100k (time):    $(ratio "$(col 'check s1000' 2)" "$(col 'check s100' 2)")x, $(ratio "$(col 'check s10000' 2)" "$(col 'check s1000' 2)")x (linear: 10x each)"
