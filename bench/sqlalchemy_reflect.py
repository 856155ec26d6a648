"""SQLAlchemy 2's MetaData.reflect() of a whole PostgreSQL database: the
anchor `nomenclator reflect` is compared with (bench/reflect.sh).

Usage: python3 bench/sqlalchemy_reflect.py postgresql+psycopg2://postgres@127.0.0.1/db
Prints the number of tables, foreign keys, indexes and checks it read.
"""
import sys

from sqlalchemy import MetaData, create_engine

engine = create_engine(sys.argv[1])
md = MetaData()
md.reflect(bind=engine, views=True)
tables = md.tables.values()
fks = sum(len(t.foreign_keys) for t in tables)
indexes = sum(len(t.indexes) for t in tables)
checks = sum(
    1 for t in tables for c in t.constraints if c.__class__.__name__ == "CheckConstraint"
)
print(f"{len(md.tables)} tables, {fks} foreign keys, {indexes} indexes, {checks} checks")
