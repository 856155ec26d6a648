#!/usr/bin/env bash
# The cost of the constraint conventions: `nomenclator ddl` on N generated
# tables (each with a boolean column, an enum column and foreign keys) with
# and without the `boolean-checks`, `enums` and `index-foreign-keys` packs,
# side by side in one hyperfine run. Target: at most 1.5 times the time
# without them (docs/performance.md).
#
# Needs:  hyperfine (apt-get install -y hyperfine), python3
# Usage:  bench/conventions.sh [N] [RUNS] [DIALECT]   defaults: 10000 30 sqlite
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-10000}
RUNS=${2:-30}
DIALECT=${3:-sqlite}
WORK=${WORK:-$(mktemp -d)}
mkdir -p "$WORK"

cargo build --release --quiet --bin nomenclator --example generate
BIN=target/release/nomenclator
target/release/examples/generate "$N" --format json > "$WORK/base.json"

python3 - "$WORK" <<'PY'
import json, sys
work = sys.argv[1]
doc = json.load(open(f"{work}/base.json"))
for t in doc["tables"]:
    t["columns"].append({"name": "state", "type": "enum('draft', 'live', 'gone')"})
json.dump(doc, open(f"{work}/plain.json", "w"))
doc["conventions"] = ["sqlalchemy", "boolean-checks", "enums", "index-foreign-keys"]
json.dump(doc, open(f"{work}/plugins.json", "w"))
PY

# The plugins do make something: count it.
plain=$("$BIN" ddl "$WORK/plain.json" --dialect "$DIALECT" | grep -c . || true)
with=$("$BIN" ddl "$WORK/plugins.json" --dialect "$DIALECT" | grep -c . || true)
echo "script lines: $plain without the plugins, $with with them ($DIALECT, $N tables)"

hyperfine -N --style basic --warmup 3 --runs "$RUNS" --export-json "$WORK/conventions.json" \
    -n without "$BIN ddl $WORK/plain.json --dialect $DIALECT" \
    -n with "$BIN ddl $WORK/plugins.json --dialect $DIALECT" > /dev/null
python3 - "$WORK/conventions.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
a, b = r["without"]["median"], r["with"]["median"]
print(f"median without: {a*1000:.1f} ms, with: {b*1000:.1f} ms, ratio {b/a:.2f} (target <= 1.5)")
PY
