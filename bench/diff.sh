#!/usr/bin/env bash
# `nomenclator diff` timings (issue 13, speed targets), side by side with
# Alembic's `compare_metadata`:
#   1. offline: two N-table documents (the generator's, and bench/diff_variant.py's
#      copy of it with a changed unique-constraint template and ALTERED columns);
#   2. live: the new document against an N-table PostgreSQL database made from
#      the old one;
#   3. nomenclator and Alembic on the same SMALL-table PostgreSQL database.
#
# Needs:  PostgreSQL on 127.0.0.1:5432 (user postgres, trust), psql, hyperfine,
#         pip install alembic 'sqlalchemy>=2' psycopg2-binary
# Usage:  bench/diff.sh [N] [SMALL] [ALTERED] [RUNS] [SA_RUNS]   defaults: 10000 1000 300 10 3
# Env:    REUSE=1 keeps the databases of a previous run (same N, SMALL),
#         SKIP_ALEMBIC=1 skips Alembic.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-10000}
SMALL=${2:-1000}
ALTERED=${3:-300}
RUNS=${4:-10}
SA_RUNS=${5:-3}
WORK=${WORK:-$(mktemp -d)}
PG=postgres://postgres@127.0.0.1:5432
mkdir -p "$WORK"

cargo build --release --quiet --bin nomenclator --example generate
BIN=target/release/nomenclator
GEN=target/release/examples/generate

median() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$1"; }
ms() { python3 -c "import sys; print(f'{float(sys.argv[1])*1000:.1f} ms')" "$1"; }

docs() { # N ALTERED -> $WORK/old-N.json, $WORK/new-N.json
    "$GEN" "$1" --format json > "$WORK/old-$1.json"
    python3 bench/diff_variant.py "$WORK/old-$1.json" "$2" > "$WORK/new-$1.json"
}

database() { # N -> database nomenclator_bench_diff_N made from old-N.json
    local db=nomenclator_bench_diff_$1
    if [ "${REUSE:-0}" != 1 ]; then
        psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
        # Statement by statement (psql autocommits each): one transaction of
        # 10,000 tables needs more locks than a default server has.
        "$BIN" ddl "$WORK/old-$1.json" --dialect postgresql \
            | psql -h 127.0.0.1 -U postgres -q -v ON_ERROR_STOP=1 "$db" > /dev/null
    fi
    echo "$PG/$db"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
docs "$N" "$ALTERED"
SMALL_ALTERED=$(( ALTERED * SMALL / N > 0 ? ALTERED * SMALL / N : 1 ))
docs "$SMALL" "$SMALL_ALTERED"

# 1. Offline.
"$BIN" diff "$WORK/old-$N.json" "$WORK/new-$N.json" --dialect postgresql --format json \
    | python3 -c 'import json,sys,collections; c=collections.Counter(x["change"] for x in json.load(sys.stdin)); print("offline changes:", dict(c))'
hyperfine --style basic -N --warmup 2 --runs "$RUNS" --export-json "$WORK/offline.json" \
    -n "diff OLD NEW ($N tables)" \
    "$BIN diff $WORK/old-$N.json $WORK/new-$N.json --dialect postgresql"
OFFLINE=$(median "$WORK/offline.json")

# 2. Live, N tables.
URL=$(database "$N")
"$BIN" diff "$WORK/new-$N.json" --url "$URL" --format json \
    | python3 -c 'import json,sys,collections; c=collections.Counter(x["change"] for x in json.load(sys.stdin)); print("live changes:", dict(c))'
hyperfine --style basic -N --warmup 1 --runs "$RUNS" --export-json "$WORK/live.json" \
    -n "diff NEW --url ($N tables)" "$BIN diff $WORK/new-$N.json --url $URL"
LIVE=$(median "$WORK/live.json")

# 3. Side by side with Alembic, SMALL tables.
SURL=$(database "$SMALL")
hyperfine --style basic -N --warmup 1 --runs "$RUNS" --export-json "$WORK/small.json" \
    -n "diff NEW --url ($SMALL tables)" "$BIN diff $WORK/new-$SMALL.json --url $SURL"
SMALLT=$(median "$WORK/small.json")
if [ "${SKIP_ALEMBIC:-0}" != 1 ]; then
    SA_URL="postgresql+psycopg2://postgres@127.0.0.1/nomenclator_bench_diff_$SMALL"
    python3 bench/alembic_diff.py "$WORK/new-$SMALL.json" "$SA_URL"
    hyperfine --style basic -N --runs "$SA_RUNS" --export-json "$WORK/alembic.json" \
        -n "alembic compare_metadata ($SMALL tables)" \
        "python3 bench/alembic_diff.py $WORK/new-$SMALL.json $SA_URL"
    ALEMBIC=$(median "$WORK/alembic.json")
fi

echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "medians:"
echo "  diff OLD NEW, $N tables, $ALTERED altered columns:  $(ms "$OFFLINE")  (target <= 150 ms)"
echo "  diff NEW --url, $N-table PostgreSQL:               $(ms "$LIVE")  (target <= 3000 ms)"
echo "  diff NEW --url, $SMALL-table PostgreSQL:               $(ms "$SMALLT")"
if [ -n "${ALEMBIC:-}" ]; then
    echo "  Alembic compare_metadata, $SMALL tables:               $(ms "$ALEMBIC")  ratio $(python3 -c "print(round($ALEMBIC/$SMALLT,1))")x (target >= 50x)"
fi
