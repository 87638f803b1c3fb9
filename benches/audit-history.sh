#!/usr/bin/env bash
# `envward audit` on a generated repository of N commits (default 10,000): each commit changes
# a few lines in one of 200 files; commit 1,234 adds a `.env` holding the live password and
# the next one removes it. Prints the time of the whole audit (the history scan dominates)
# and checks that the leak was found.
#
#   benches/audit-history.sh [COMMITS]      (run from the repository root)
#
# The repository is generated here with `git fast-import`; nothing of it is committed.
set -euo pipefail
cd "$(dirname "$0")/.."

commits="${1:-10000}"
cargo build --release --quiet
bin="$PWD/target/release/envward"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
repo="$work/repo"
mkdir -p "$repo"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null

password="Zr4qW9xLp2mN7vBk3Jd8sQ1tY6uE0oRa"
python3 - "$commits" "$password" >"$work/stream" <<'EOF'
import sys
n, password = int(sys.argv[1]), sys.argv[2]
out = sys.stdout
def blob(text):
    data = text.encode()
    out.write(f"data {len(data)}\n")
    out.flush()
    sys.stdout.buffer.write(data)
    out.write("\n")
for i in range(1, n + 1):
    out.write("commit refs/heads/main\n")
    out.write(f"committer bench <bench@example.com> {1600000000 + i * 60} +0000\n")
    blob(f"change {i}\n")
    if i == 1234:
        out.write("M 100644 inline .env\n")
        blob(f"DB_PASSWORD={password}\nLOG_LEVEL=info\n")
    elif i == 1235:
        out.write("D .env\n")
    f = i % 200
    out.write(f"M 100644 inline src/file{f}.txt\n")
    blob("".join(f"line {j} of file {f} at commit {i}\n" for j in range(5)))
    out.write("\n")
EOF
git -C "$repo" init -q
git -C "$repo" fast-import --quiet <"$work/stream"
git -C "$repo" checkout -q main
cat >"$repo/compose.yaml" <<'EOF'
services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: ${DB_PASSWORD}
EOF
printf 'DB_PASSWORD=\n' >"$repo/.env.example"
printf '.env\n' >"$repo/.gitignore"
(umask 077; printf 'DB_PASSWORD=%s\n' "$password" >"$repo/.env")

echo "repository: $(git -C "$repo" rev-list --count --all) commits"
start=$(date +%s.%N)
set +e
"$bin" -C "$repo" --identity "$work/no-identity.txt" audit --format json >"$work/report.json"
code=$?
set -e
end=$(date +%s.%N)
python3 - "$work/report.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
h = [i for i in r["items"] if i["id"] == "git-history"][0]
print("git-history:", h["status"], "-", h["summary"])
for e in h["evidence"]:
    print("  ", e["text"])
EOF
echo "exit code $code; audit took $(echo "$end - $start" | bc) s"
