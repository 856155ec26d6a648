#!/usr/bin/env bash
# Writes tests/golden/outputs.tsv: for every document of tests/corpus and
# tests/fixtures, the exit status and the MD5 of standard output of the
# offline commands (names --format json, ddl, ddl --drop per dialect; sort,
# sort --reverse). tests/golden.rs runs the current binary over the same
# documents and requires the same figures.
#
#   tests/golden/make.sh path/to/nomenclator > tests/golden/outputs.tsv
set -u
bin=${1:?usage: make.sh NOMENCLATOR_BINARY}
cd "$(dirname "$0")/../.."
out=$(mktemp)
trap 'rm -f "$out"' EXIT
docs=$( (ls tests/corpus/sqlalchemy/*/schema.json; find tests/fixtures -type f \( -name '*.toml' -o -name '*.json' \)) | sort)
for doc in $docs; do
  for args in "names --format json --dialect postgresql" "names --format json --dialect sqlite" "names --format json --dialect mysql" \
              "ddl --dialect postgresql" "ddl --dialect sqlite" "ddl --dialect mysql" \
              "ddl --drop --dialect postgresql" "ddl --drop --dialect sqlite" "ddl --drop --dialect mysql" \
              "sort" "sort --reverse"; do
    set -- $args
    cmd=$1; shift
    "$bin" "$cmd" "$doc" "$@" >"$out" 2>/dev/null
    code=$?
    sum=$(md5sum <"$out" | cut -c1-32)
    printf '%s\t%s\t%s\t%s\n' "$doc" "$args" "$code" "$sum"
  done
done
