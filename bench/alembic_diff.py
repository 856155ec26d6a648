#!/usr/bin/env python3
"""Alembic's autogenerate comparison (`compare_metadata`) of a PostgreSQL
database with a schema document: the anchor `nomenclator diff FILE --url`
is compared with (bench/diff.sh).

The document becomes a SQLAlchemy MetaData exactly as bench/sqlalchemy_ddl.py
builds it (same naming convention, tables, keys, checks and indexes).
Alembic is asked to compare what it can: server defaults and types.

Install: pip install alembic 'sqlalchemy>=2' psycopg2-binary
Usage:   python3 bench/alembic_diff.py FILE.json postgresql+psycopg2://postgres@127.0.0.1/db
Prints how many differences Alembic found, by kind.
"""
import collections
import os
import sys

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sqlalchemy_ddl import build, load  # noqa: E402


def kind(d):
    # A difference is a tuple ("add_table", ...), or a list of
    # ("modify_nullable", ...) tuples for one column.
    return d[0][0] if isinstance(d, list) else d[0]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    md = build(load(sys.argv[1]))
    engine = create_engine(sys.argv[2])
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = compare_metadata(ctx, md)
    counts = collections.Counter(kind(d) for d in diffs)
    print(f"{len(diffs)} differences: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    main()
