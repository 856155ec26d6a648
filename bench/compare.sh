#!/usr/bin/env bash
# Whole-process comparison: `nomenclator ddl --dialect postgresql` against
# SQLAlchemy 2.x doing the same job (bench/sqlalchemy_ddl.py), side by side.
#
# Needs:  hyperfine   (apt-get install -y hyperfine)
#         SQLAlchemy  (pip install 'sqlalchemy>=2')
#         GNU time    (/usr/bin/time, apt-get install -y time) for peak RSS
#
# Usage:  bench/compare.sh [N] [RUNS] [SA_RUNS]     defaults: 10000 10 3
# Env:    FORMAT=json|toml (default json), SKIP_SA=1 to skip SQLAlchemy,
#         SKIP_LARGE=1 to skip the 10 N scaling run, SCALING_ROUNDS (default 7)
#         for its paired rounds (bench/scaling.py).
#
# Prints the medians, their ratio, our peak RSS, the 10N / N ratio and the
# listeners overhead (from the divan bench, if RUN_DIVAN=1).
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-10000}
RUNS=${2:-10}
SA_RUNS=${3:-3}
FORMAT=${FORMAT:-json}
BIG=$((N * 10))
WORK=${WORK:-$(mktemp -d)}
mkdir -p "$WORK"

cargo build --release --quiet --bin nomenclator --example generate
BIN=target/release/nomenclator
GEN=target/release/examples/generate

DOC="$WORK/schema-$N.$FORMAT"
BIGDOC="$WORK/schema-$BIG.$FORMAT"
"$GEN" "$N" --format "$FORMAT" > "$DOC"
echo "document: $DOC ($(wc -c < "$DOC") bytes, $N tables)"

median() { # hyperfine JSON export -> median seconds
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$1"
}

hyperfine --style basic --warmup 2 --runs "$RUNS" --export-json "$WORK/ours.json" \
    -n "nomenclator ddl ($N tables)" "$BIN ddl $DOC --dialect postgresql > /dev/null"
OURS=$(median "$WORK/ours.json")

RSS_KB=$( { /usr/bin/time -f '%M' "$BIN" ddl "$DOC" --dialect postgresql > /dev/null; } 2>&1 | tail -1 )
echo "peak RSS (nomenclator, $N tables): $((RSS_KB / 1024)) MiB ($RSS_KB KB)"

if [ "${SKIP_SA:-0}" != 1 ]; then
    python3 -c 'import sqlalchemy; assert sqlalchemy.__version__ >= "2"' \
        || { echo "install SQLAlchemy: pip install 'sqlalchemy>=2'" >&2; exit 1; }
    # Same statements? (whitespace aside: SQLAlchemy ends column lines with ", ")
    "$BIN" ddl "$DOC" --dialect postgresql | sed 's/, *$/,/; s/FOREIGN KEY(/FOREIGN KEY (/' | sort > "$WORK/ours.sql"
    python3 bench/sqlalchemy_ddl.py "$DOC" | sed 's/, *$/,/; s/FOREIGN KEY(/FOREIGN KEY (/' | sort > "$WORK/sa.sql"
    if cmp -s "$WORK/ours.sql" "$WORK/sa.sql"; then echo "same statements as SQLAlchemy: yes"; else
        echo "same statements as SQLAlchemy: NO ($(diff "$WORK/ours.sql" "$WORK/sa.sql" | grep -c '^[<>]') differing lines)"; fi
    hyperfine --style basic --runs "$SA_RUNS" --export-json "$WORK/sa.json" \
        -n "SQLAlchemy create_all, mock engine ($N tables)" "python3 bench/sqlalchemy_ddl.py $DOC > /dev/null"
    SA=$(median "$WORK/sa.json")
    python3 -c "import sys; o,s=float(sys.argv[1]),float(sys.argv[2]); print(f'median: nomenclator {o*1000:.1f} ms, SQLAlchemy {s*1000:.0f} ms, ratio {s/o:.1f}x')" "$OURS" "$SA"
fi

if [ "${SKIP_LARGE:-0}" != 1 ]; then
    "$GEN" "$BIG" --format "$FORMAT" > "$BIGDOC"
    hyperfine --style basic --warmup 1 --runs 3 --export-json "$WORK/big.json" \
        -n "nomenclator ddl ($BIG tables)" "$BIN ddl $BIGDOC --dialect postgresql > /dev/null"
    BIGT=$(median "$WORK/big.json")
    python3 -c "import sys; o,b=float(sys.argv[1]),float(sys.argv[2]); print(f'scaling (separate runs): {sys.argv[3]} tables {b*1000:.0f} ms / {sys.argv[4]} tables {o*1000:.0f} ms = {b/o:.1f}x')" "$OURS" "$BIGT" "$BIG" "$N"
    # The same, timed side by side in rounds (the machine's speed drifts).
    python3 bench/scaling.py "$BIN" "$DOC" "$BIGDOC" "${SCALING_ROUNDS:-7}"
fi

if [ "${RUN_DIVAN:-0}" = 1 ]; then
    # Listener overhead: build_metadata::ten_noop_listeners vs no_listeners.
    cargo bench --bench metadata -- build_metadata
fi
echo "work files in $WORK"
