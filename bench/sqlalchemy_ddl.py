#!/usr/bin/env python3
"""SQLAlchemy doing what `nomenclator ddl FILE --dialect postgresql` does.

Reads a schema document (JSON, or TOML with Python >= 3.11), builds a
SQLAlchemy MetaData with the same naming convention and the same tables,
constraints and indexes, then runs `create_all` through a mock engine that
compiles every statement for PostgreSQL and prints the script.

Install:  pip install 'sqlalchemy>=2'
Usage:    python3 bench/sqlalchemy_ddl.py FILE.json > script.sql

It covers what `examples/generate.rs` emits (and the common document
features: column flags, table-level pk/fk/uq/ck/ix, named constraints);
it is a benchmark, not a second implementation of the document format.
"""

import json
import re
import sys

import sqlalchemy as sa
from sqlalchemy import (BigInteger, Boolean, CheckConstraint, Column, Date, DateTime, Float,
                        ForeignKeyConstraint, Index, Integer, LargeBinary, MetaData, Numeric,
                        PrimaryKeyConstraint, SmallInteger, String, Table, Text, UniqueConstraint,
                        Uuid, JSON)
from sqlalchemy.schema import CreateIndex, CreateTable

PACKS = {
    "sqlalchemy": {
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    },
}


def load(path):
    if path.endswith(".toml"):
        import tomllib
        with open(path, "rb") as f:
            return tomllib.load(f)
    with open(path, "rb") as f:
        return json.load(f)


def column_type(text):
    t = (text or "").strip().lower()
    m = re.fullmatch(r"varchar\((\d+)\)", t)
    if m:
        return String(int(m.group(1)))
    m = re.fullmatch(r"numeric\((\d+),\s*(\d+)\)", t)
    if m:
        return Numeric(int(m.group(1)), int(m.group(2)))
    return {
        "integer": Integer, "bigint": BigInteger, "smallint": SmallInteger, "varchar": String,
        "text": Text, "boolean": Boolean, "float": Float, "date": Date, "timestamp": DateTime,
        "blob": LargeBinary, "uuid": Uuid, "json": JSON, "numeric": Numeric,
    }.get(t, sa.types.NullType)()


def convention(doc):
    packs = doc.get("conventions")
    nc = {}
    for p in [packs] if isinstance(packs, str) else (packs or []):
        nc.update(PACKS[p])
    nc.update(doc.get("naming_convention") or {})
    if not packs and not doc.get("naming_convention"):
        nc = {"ix": "ix_%(column_0_label)s"}
    return nc


def ref(r):
    return r  # "table" or "schema.table": SQLAlchemy's spelling too


def build(doc):
    md = MetaData(naming_convention=convention(doc))
    for t in doc["tables"]:
        args = []
        pk_table = t.get("primary_key")
        for c in t["columns"]:
            kw = {}
            if "nullable" in c:
                kw["nullable"] = c["nullable"]
            args.append(Column(c["name"], column_type(c.get("type")),
                               primary_key=bool(c.get("primary_key")) and not pk_table,
                               unique=c.get("unique"), index=c.get("index"),
                               server_default=sa.text(c["default"]) if "default" in c else None,
                               key=c.get("key"), **kw))
            if "references" in c:
                args.append(ForeignKeyConstraint([c["name"]], [c["references"]],
                                                 ondelete=c.get("on_delete"), onupdate=c.get("on_update")))
        if pk_table:
            args.append(PrimaryKeyConstraint(*pk_table["columns"], name=pk_table.get("name")))
        for fk in t.get("foreign_keys", []):
            target = fk["references"]
            referred = fk.get("referred_columns") or ["id"] * len(fk["columns"])
            args.append(ForeignKeyConstraint(fk["columns"], [f"{target}.{c}" for c in referred],
                                             name=fk.get("name"), use_alter=fk.get("use_alter", False),
                                             ondelete=fk.get("on_delete"), onupdate=fk.get("on_update")))
        for u in t.get("uniques", []):
            args.append(UniqueConstraint(*u["columns"], name=u.get("name")))
        for ck in t.get("checks", []):
            args.append(CheckConstraint(ck["sql"], name=ck.get("name")))
        for ix in t.get("indexes", []):
            args.append(Index(ix.get("name"), *ix["columns"], unique=ix.get("unique", False)))
        Table(t["name"], md, *args, schema=t.get("schema"))
    return md


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: sqlalchemy_ddl.py FILE.json|FILE.toml")
    md = build(load(sys.argv[1]))
    out = []

    def executor(sql, *multiparams, **params):
        out.append(str(sql.compile(dialect=engine.dialect)).strip())

    engine = sa.create_mock_engine("postgresql://", executor)
    md.create_all(engine, checkfirst=False)
    sys.stdout.write(";\n\n".join(out) + ";\n")


if __name__ == "__main__":
    main()
