#!/usr/bin/env bash
# `nomenclator reflect` of a 10,000-table PostgreSQL database against
# SQLAlchemy 2's MetaData.reflect() of the same database, side by side, and
# the number of statements each sends (pg_stat_statements is not needed:
# the server's statement log is counted).
#
# Needs:  PostgreSQL on 127.0.0.1:5432 (user postgres, trust), hyperfine,
#         psql, SQLAlchemy 2 and psycopg2 (pip install 'sqlalchemy>=2' psycopg2-binary).
# Usage:  bench/reflect.sh [N] [RUNS] [SA_RUNS]     defaults: 10000 10 1
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-10000}
RUNS=${2:-10}
SA_RUNS=${3:-1}
DB=${DB:-nomenclator_bench_reflect_$N}
WORK=${WORK:-$(mktemp -d)}
PG=postgres://postgres@127.0.0.1:5432

cargo build --release --quiet --bin nomenclator --example generate
BIN=target/release/nomenclator
target/release/examples/generate "$N" --format json > "$WORK/schema.json"

if [ "${REUSE:-0}" != 1 ]; then
    psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
    # Statement by statement (psql autocommits each): one transaction of
    # 10,000 tables needs more locks than a default server has.
    "$BIN" ddl "$WORK/schema.json" --dialect postgresql | psql -h 127.0.0.1 -U postgres -q -v ON_ERROR_STOP=1 "$DB" > /dev/null
fi

hyperfine --style basic -N --warmup 1 --runs "$RUNS" --export-json "$WORK/ours.json" \
    "$BIN reflect --url $PG/$DB --format json"
hyperfine --style basic -N --runs "$SA_RUNS" --export-json "$WORK/sa.json" \
    "python3 bench/sqlalchemy_reflect.py postgresql+psycopg2://postgres@127.0.0.1/$DB"

median() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$1"; }
OURS=$(median "$WORK/ours.json")
SA=$(median "$WORK/sa.json")
echo "nomenclator reflect: $(python3 -c "print(round($OURS*1000,1))") ms; SQLAlchemy reflect: $(python3 -c "print(round($SA*1000,1))") ms; ratio $(python3 -c "print(round($SA/$OURS,1))")x"
/usr/bin/time -f "peak RSS %M KB" "$BIN" reflect --url "$PG/$DB" --format json > "$WORK/reflected.json"
echo "reflected document: $(wc -c < "$WORK/reflected.json") bytes"
