#!/usr/bin/env python3
"""The evolve corpus's check, with Alembic's autogenerate in place of
`nomenclator migrate`, side by side with `nomenclator migrate` itself.

For every pair tests/corpus/evolve/NNNN/{a,b}.json and every dialect
(SQLite file, PostgreSQL, MariaDB):

1. `nomenclator apply a.json --url URL` on an empty database;
2. three rows into every table (referred tables first, nullable foreign-key
   columns NULL then set by UPDATE; rows the server refuses are left out),
   read back;
3. the migration to b.json:
   - alembic: the SQLAlchemy MetaData of b.json (bench/sqlalchemy_ddl.py's
     loader), `produce_migrations` with compare_type and
     compare_server_default, rendered with `render_python_code` (batch mode
     on SQLite, as Alembic users must) and run against the database, in one
     transaction, the way a generated revision file runs;
   - nomenclator: `nomenclator migrate b.json --url URL --allow-destructive`;
4. `nomenclator diff b.json --url URL` must print nothing (the catalog
   equals the document, names included);
5. every row read in step 2 must still be there in the tables and columns
   a and b share (following b's `renamed_from`).

A control run checks the loader: SQLAlchemy's `create_all` of b.json on an
empty database, then `nomenclator diff b.json` must print nothing (so what
Alembic misses is Alembic's, not the loader's).

Install:  pip install alembic sqlalchemy psycopg2-binary pymysql
Build:    cargo build -p nomenclator-cli
Usage:    python3 bench/alembic_evolve.py [--dialects sqlite,postgresql,mariadb]
              [--pairs 0001,0002] [--tools control,alembic,nomenclator]
              [--nomenclator target/debug/nomenclator] [--json OUT.json] [-v]

The scratch databases are nomen_alembic_evolve (PostgreSQL) and
nomen_alembic_evolve{,_reporting,_s1} (MariaDB), dropped at the end.
"""

import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import traceback

import sqlalchemy as sa
from alembic.autogenerate import produce_migrations, render_python_code
from alembic.migration import MigrationContext
from alembic.operations import Operations

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sqlalchemy_ddl  # noqa: E402  (the document loader)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "tests", "corpus", "evolve")
SCRATCH = "nomen_alembic_evolve"
PG_ADMIN = "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"
MY_ADMIN = "mysql+pymysql://root@127.0.0.1:3306/"


# ---------------------------------------------------------------- targets

class Sqlite:
    name = "sqlite"

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="alembic_evolve_")
        self.file = os.path.join(self.dir, "db.sqlite")
        self.url = f"sqlite://{self.file}"
        self.schemas = ["reporting", "s1"]
        self.default_schema_names = {"main", None}

    def reset(self):
        for f in os.listdir(self.dir):
            os.remove(os.path.join(self.dir, f))

    def document(self, path, scratch):
        return path

    def engine(self, foreign_keys=False):
        e = sa.create_engine(f"sqlite:///{self.file}", poolclass=sa.pool.NullPool)

        @sa.event.listens_for(e, "connect")
        def attach(dbapi, _):
            # Schemas are the files beside the database, as nomenclator does.
            for s in self.schemas:
                f = os.path.join(self.dir, f"db.{s}.sqlite")
                dbapi.execute(f"ATTACH DATABASE '{f}' AS {s}")
            # foreign_keys is on while rows go in (as nomenclator's own
            # connections have it), and otherwise off, SQLite's default and
            # a default Alembic env.py's: batch mode's DROP TABLE fails with it on.
            if foreign_keys:
                dbapi.execute("PRAGMA foreign_keys = ON")
        return e

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)


class Postgres:
    name = "postgresql"

    def __init__(self):
        self.admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        with self.admin.connect() as c:
            c.exec_driver_sql(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")
            c.exec_driver_sql(f"CREATE DATABASE {SCRATCH}")
        self.url = f"postgres://postgres@127.0.0.1:5432/{SCRATCH}"
        self.schemas = ["reporting", "s1"]
        self.default_schema_names = {"public", None}

    def engine(self):
        return sa.create_engine(f"postgresql+psycopg2://postgres@127.0.0.1:5432/{SCRATCH}",
                                poolclass=sa.pool.NullPool)

    def reset(self):
        e = self.engine()
        with e.begin() as c:
            c.exec_driver_sql("DROP SCHEMA IF EXISTS public, reporting, s1 CASCADE; CREATE SCHEMA public; "
                              "CREATE SCHEMA reporting; CREATE SCHEMA s1")
        e.dispose()

    def document(self, path, scratch):
        return path

    def close(self):
        with self.admin.connect() as c:
            c.exec_driver_sql(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")


class Mariadb:
    name = "mariadb"

    def __init__(self):
        self.admin = sa.create_engine(MY_ADMIN, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        self.dbs = [SCRATCH, f"{SCRATCH}_reporting", f"{SCRATCH}_s1"]
        self.url = f"mysql://root@127.0.0.1:3306/{SCRATCH}"
        self.schemas = self.dbs[1:]
        self.default_schema_names = {SCRATCH, None}
        self.reset()

    def engine(self):
        return sa.create_engine(f"mysql+pymysql://root@127.0.0.1:3306/{SCRATCH}", poolclass=sa.pool.NullPool)

    def reset(self):
        with self.admin.connect() as c:
            for db in self.dbs:
                c.exec_driver_sql(f"DROP DATABASE IF EXISTS `{db}`")
                c.exec_driver_sql(f"CREATE DATABASE `{db}`")

    def document(self, path, scratch):
        """The document with its schemas renamed to the scratch databases
        (as cli/tests/engine_support rename_schemas does)."""
        with open(path) as f:
            doc = json.load(f)

        def rename(s, whole):
            for schema in ("reporting", "s1"):
                if s == schema:
                    return f"{SCRATCH}_{schema}"
                if not whole and s.startswith(schema + "."):
                    return f"{SCRATCH}_{schema}{s[len(schema):]}"
            return s
        for t in doc["tables"]:
            if t.get("schema"):
                t["schema"] = rename(t["schema"], True)
            for fk in t.get("foreign_keys", []):
                fk["references"] = rename(fk["references"], False)
            for c in t["columns"]:
                if "references" in c:
                    c["references"] = rename(c["references"], False)
        out = os.path.join(scratch, os.path.basename(path))
        with open(out, "w") as f:
            json.dump(doc, f)
        return out

    def close(self):
        with self.admin.connect() as c:
            for db in self.dbs:
                c.exec_driver_sql(f"DROP DATABASE IF EXISTS `{db}`")


# ---------------------------------------------------------------- the document

def build(doc):
    """The SQLAlchemy MetaData of a schema document: bench/sqlalchemy_ddl.py's
    loader, after resolving what the evolve documents use beyond it
    (column keys in constraints, column-level checks with names)."""
    doc = json.loads(json.dumps(doc))
    keys = {}
    for t in doc["tables"]:
        keys[(t.get("schema"), t["name"])] = {c["name"]: c.get("key", c["name"]) for c in t["columns"]}

    def target_keys(ref):
        parts = ref.split(".")
        return keys.get((".".join(parts[:-1]) or None, parts[-1]), {})
    for t in doc["tables"]:
        own = keys[(t.get("schema"), t["name"])]
        k = lambda cols: [own.get(c, c) for c in cols]  # noqa: E731
        if t.get("primary_key"):
            t["primary_key"]["columns"] = k(t["primary_key"]["columns"])
        for u in t.get("uniques", []):
            u["columns"] = k(u["columns"])
        for ix in t.get("indexes", []):
            ix["columns"] = k(ix["columns"])
        for fk in t.get("foreign_keys", []):
            fk["columns"] = k(fk["columns"])
            tk = target_keys(fk["references"])
            fk["referred_columns"] = [tk.get(c, c) for c in fk.get("referred_columns") or ["id"]]
        for c in t["columns"]:
            if "references" in c:
                parts = c["references"].split(".")
                tk = target_keys(".".join(parts[:-1]))
                c["references"] = ".".join(parts[:-1] + [tk.get(parts[-1], parts[-1])])
            if "check" in c:
                ck = c.pop("check")
                ck = {"sql": ck} if isinstance(ck, str) else ck
                t.setdefault("checks", []).append(ck)
    # Foreign keys are attached once every table exists: a convention with
    # referred_* tokens is evaluated when the constraint is attached, and
    # tables may refer to each other in a cycle.
    fks = []
    for t in doc["tables"]:
        key = (t.get("schema"), t["name"])
        for fk in t.pop("foreign_keys", []):
            fks.append((key, fk["columns"], [f"{fk['references']}.{c}" for c in fk["referred_columns"]], fk))
        for c in t["columns"]:
            if "references" in c:
                ref = c.pop("references")
                fks.append((key, [c.get("key", c["name"])], [ref], c))
    md = sqlalchemy_ddl.build(doc)
    for (schema, name), cols, refs, spec in fks:
        table = md.tables[f"{schema}.{name}" if schema else name]
        table.append_constraint(sa.ForeignKeyConstraint(
            cols, refs, name=spec.get("name") if "columns" in spec else None,
            use_alter=spec.get("use_alter", False), ondelete=spec.get("on_delete"),
            onupdate=spec.get("on_update")))
    # nomenclator, like SQLAlchemy's own advice for SQLite, makes a
    # one-column integer primary key `INTEGER` there (the rowid alias):
    # the variant says so, as a SQLAlchemy user would.
    for t in md.tables.values():
        pk = list(t.primary_key.columns)
        if len(pk) == 1 and isinstance(pk[0].type, (sa.BigInteger, sa.SmallInteger)):
            pk[0].type = pk[0].type.with_variant(sa.Integer(), "sqlite")
        # `timestamp` is TIMESTAMP on SQLite (SQLAlchemy's DateTime says DATETIME).
        for c in t.columns:
            if type(c.type) is sa.DateTime:
                c.type = c.type.with_variant(sa.TIMESTAMP(), "sqlite")
    return md


def load(path):
    with open(path) as f:
        return json.load(f)


# ---------------------------------------------------------------- rows

def literal(kind, ty, i):
    t = (ty or "").lower()
    if t in ("integer", "bigint", "smallint") or not t:
        return str(i)
    if t.startswith("varchar") or t == "text":
        return f"'v{i}'"
    if t.startswith("numeric") or t == "float":
        return f"{i}.5"
    if t == "boolean":
        b = i % 2 == 1
        return ("true" if b else "false") if kind == "postgresql" else str(int(b))
    if t == "date":
        return f"'2024-01-0{i}'"
    if t == "timestamp":
        return f"'2024-01-0{i} 10:00:00'"
    return "NULL"


def qualified(prep, schema, name):
    return (prep.quote_identifier(schema) + "." if schema else "") + prep.quote_identifier(name)


def fill(target, doc):
    """Up to three rows per table, referred tables first; returns
    {(schema, table): (column names, set of row tuples)}."""
    eng = target.engine(foreign_keys=True) if target.name == "sqlite" else target.engine()
    prep = eng.dialect.identifier_preparer
    md = build(doc)
    by_key = {(t.get("schema"), t["name"]): t for t in doc["tables"]}
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        order = [(t.schema, t.name) for t in md.sorted_tables]
    for k in by_key:
        if k not in order:
            order.append(k)
    later = []
    with eng.connect() as conn:
        for key in order:
            t = by_key[key]
            fk_cols = {c["name"] for c in t["columns"] if "references" in c}
            for fk in t.get("foreign_keys", []):
                fk_cols.update(fk["columns"])
            pk = (t.get("primary_key") or {}).get("columns") or [c["name"] for c in t["columns"] if c.get("primary_key")]
            pk = pk[0] if pk else None
            q = qualified(prep, *key)
            for i in (1, 2, 3):
                values, sets = [], []
                for c in t["columns"]:
                    v = literal(target.name, c.get("type"), i)
                    if c["name"] in fk_cols and c.get("nullable", True) and not c.get("primary_key") and pk:
                        sets.append(f"{prep.quote_identifier(c['name'])} = {v}")
                        v = "NULL"
                    values.append(v)
                cols = ", ".join(prep.quote_identifier(c["name"]) for c in t["columns"])
                try:
                    with conn.begin():
                        conn.exec_driver_sql(f"INSERT INTO {q} ({cols}) VALUES ({', '.join(values)})")
                except sa.exc.DBAPIError:
                    continue
                if sets:
                    pkc = next(c for c in t["columns"] if c["name"] == pk)
                    later.append((q, f"{prep.quote_identifier(pk)} = {literal(target.name, pkc.get('type'), i)}", sets))
        for q, where, sets in later:
            for s in sets:
                try:
                    with conn.begin():
                        conn.exec_driver_sql(f"UPDATE {q} SET {s} WHERE {where}")
                except sa.exc.DBAPIError:
                    pass
        rows = {}
        for key in order:
            names = [c["name"] for c in by_key[key]["columns"]]
            rows[key] = (names, read(conn, prep, key, names))
    eng.dispose()
    return rows


def read(conn, prep, key, names):
    cols = ", ".join(prep.quote_identifier(n) for n in names)
    try:
        got = conn.exec_driver_sql(f"SELECT {cols} FROM {qualified(prep, *key)}").fetchall()
    except sa.exc.DBAPIError:
        conn.rollback()
        return None
    return {tuple(None if v is None else str(v) for v in r) for r in got}


def rows_survive(target, before, b):
    """(rows checked, problem or None), following b's renamed_from."""
    eng = target.engine()
    prep = eng.dialect.identifier_preparer
    checked = 0
    problem = None
    with eng.connect() as conn:
        for t in b["tables"]:
            old = (t.get("schema"), t.get("renamed_from", t["name"]))
            if old not in before:
                continue
            old_names, old_rows = before[old]
            shared = [(c["name"], old_names.index(c.get("renamed_from", c["name"])))
                      for c in t["columns"] if c.get("renamed_from", c["name"]) in old_names]
            if not shared or not old_rows:
                continue
            now = read(conn, prep, (t.get("schema"), t["name"]), [n for n, _ in shared])
            expected = {tuple(r[i] for _, i in shared) for r in old_rows}
            if now != expected and problem is None:
                problem = (f"rows of {t['name']} changed: {len(expected)} before, "
                           f"{'table unreadable' if now is None else len(now & expected)} kept")
            checked += len(expected)
    eng.dispose()
    return checked, problem


# ---------------------------------------------------------------- steps

def nomenclator(args, binary):
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    p = subprocess.run([binary] + args, capture_output=True, text=True, env=env)
    return p.returncode, p.stdout, p.stderr


def include_name_for(target):
    wanted = set(target.schemas)

    def include_name(name, type_, parent_names):
        if type_ == "schema":
            return name in wanted or name in target.default_schema_names
        return True
    return include_name


def alembic_migrate(target, b_md):
    """Autogenerate against the database and run the generated upgrade
    in one transaction; returns (script, error or None)."""
    eng = target.engine()
    batch = target.name == "sqlite"
    script = ""
    try:
        with eng.begin() as conn:
            opts = {"compare_type": True, "compare_server_default": True, "include_schemas": True,
                    "include_name": include_name_for(target), "render_as_batch": batch,
                    "target_metadata": b_md}
            ctx = MigrationContext.configure(conn, opts=opts)
            mig = produce_migrations(ctx, b_md)
            script = render_python_code(mig.upgrade_ops, render_as_batch=batch, migration_context=ctx)
            # The body of a revision file's upgrade(), as Alembic writes it.
            code = "def upgrade():\n    pass\n" + "\n".join("    " + line.strip() if i == 0 else line
                                                     for i, line in enumerate(script.splitlines()))
            # A revision file imports the dialect modules its types name.
            from sqlalchemy.dialects import mysql, postgresql, sqlite
            ns = {"op": Operations(ctx), "sa": sa, "mysql": mysql, "postgresql": postgresql, "sqlite": sqlite}
            exec(compile(code, "<alembic upgrade>", "exec"), ns)
            ns["upgrade"]()
    except Exception as e:  # noqa: BLE001  (any failure is a result)
        return script, f"{type(e).__name__}: {str(e).splitlines()[0][:200]}"
    finally:
        eng.dispose()
    return script, None


def sqlalchemy_create(target, b_md):
    eng = target.engine()
    try:
        b_md.create_all(eng)
    except Exception as e:  # noqa: BLE001
        return f"{type(e).__name__}: {str(e).splitlines()[0][:200]}"
    finally:
        eng.dispose()
    return None


DIFF_KINDS = [
    ("rename constraint/index", re.compile(r"RENAME (CONSTRAINT|INDEX)|ALTER INDEX .* RENAME", re.I)),
    ("rename column", re.compile(r"RENAME COLUMN", re.I)),
    ("rename table", re.compile(r"RENAME TO|RENAME TABLE", re.I)),
    ("table rebuild (sqlite)", re.compile(r"INSERT INTO .* SELECT", re.I)),
    ("check constraint", re.compile(r"CHECK\s*\(|DROP CHECK|DROP CONSTRAINT .*ck", re.I)),
    ("foreign key", re.compile(r"FOREIGN KEY", re.I)),
    ("unique", re.compile(r"UNIQUE", re.I)),
    ("primary key", re.compile(r"PRIMARY KEY", re.I)),
    ("index", re.compile(r"(CREATE|DROP) INDEX", re.I)),
    ("column type/null/default", re.compile(r"ALTER COLUMN|MODIFY|SET DEFAULT|DROP DEFAULT|NOT NULL", re.I)),
    ("drop/add column", re.compile(r"(ADD|DROP) COLUMN", re.I)),
    ("create/drop table", re.compile(r"(CREATE|DROP) TABLE", re.I)),
]


def diff_kinds(text):
    kinds = set()
    for stmt in re.split(r";\s*\n", text):
        s = "\n".join(line for line in stmt.splitlines() if not line.strip().startswith("--")).strip()
        if not s:
            continue
        for name, rx in DIFF_KINDS:
            if rx.search(s):
                kinds.add(name)
                break
        else:
            kinds.add("other")
    return kinds


def check(target, pair, tool, binary, scratch, verbose):
    """One pair with one tool: (class, detail). Classes: passed,
    apply-a error, migrate error, diff not empty, rows lost, skipped."""
    d = os.path.join(CORPUS, pair)
    a_path = target.document(os.path.join(d, "a.json"), scratch)
    b_path = target.document(os.path.join(d, "b.json"), scratch)
    a, b = load(a_path), load(b_path)
    target.reset()
    rc, _, err = nomenclator(["apply", "--url", target.url, a_path], binary)
    if rc:
        return "setup error", "apply a: " + err.strip()[:200]
    if tool != "control":
        before = fill(target, a)
    b_md = build(b)
    script = ""
    if tool == "alembic":
        script, err = alembic_migrate(target, b_md)
        if err:
            if verbose:
                print(script, file=sys.stderr)
            return "error while applying", err
    elif tool == "nomenclator":
        rc, _, err = nomenclator(["migrate", "--allow-destructive", "--url", target.url, b_path], binary)
        if rc:
            return "error while applying", err.strip()[:200]
    else:  # control: SQLAlchemy create_all(b) on an empty database
        target.reset()
        err = sqlalchemy_create(target, b_md)
        if err:
            return "error while applying", err
    rc, out, err = nomenclator(["diff", "--url", target.url, b_path], binary)
    if rc:
        return "diff error", err.strip()[:200]
    if out.strip():
        if verbose:
            print(f"--- {target.name} {pair} {tool}: generated\n{script}\n--- diff b afterwards\n{out}",
                  file=sys.stderr)
        return "diff not empty", ", ".join(sorted(diff_kinds(out)))
    if tool == "control":
        return "passed", ""
    checked, problem = rows_survive(target, before, b)
    if problem:
        return "rows lost", problem
    if checked == 0:
        return "skipped", "no row in a shared table"
    return "passed", ""


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dialects", default="sqlite,postgresql,mariadb")
    ap.add_argument("--pairs", default=None)
    ap.add_argument("--tools", default="control,alembic,nomenclator")
    ap.add_argument("--nomenclator", default=os.path.join(ROOT, "target", "debug", "nomenclator"))
    ap.add_argument("--json", default=None, help="write every outcome to this file")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    pairs = args.pairs.split(",") if args.pairs else sorted(
        p for p in os.listdir(CORPUS) if os.path.isdir(os.path.join(CORPUS, p)))
    kinds = {"sqlite": Sqlite, "postgresql": Postgres, "mariadb": Mariadb}
    tools = args.tools.split(",")
    results = []
    scratch = tempfile.mkdtemp(prefix="alembic_evolve_docs_")
    for dialect in args.dialects.split(","):
        target = kinds[dialect]()
        try:
            for pair in pairs:
                for tool in tools:
                    try:
                        cls, detail = check(target, pair, tool, args.nomenclator, scratch, args.verbose)
                    except Exception as e:  # noqa: BLE001
                        traceback.print_exc()
                        cls, detail = "harness error", f"{type(e).__name__}: {e}"
                    results.append({"dialect": dialect, "pair": pair, "tool": tool, "class": cls,
                                    "detail": detail})
                    print(f"{dialect:10} {pair} {tool:11} {cls}{': ' + detail if detail else ''}", flush=True)
        finally:
            target.close()
    shutil.rmtree(scratch, ignore_errors=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    print()
    print(f"{'dialect':10} {'tool':11} {'passed':>6} {'error':>6} {'diff':>6} {'rows':>6} {'other':>6}")
    for dialect in args.dialects.split(","):
        for tool in tools:
            c = collections.Counter(r["class"] for r in results if r["dialect"] == dialect and r["tool"] == tool)
            other = sum(v for k, v in c.items() if k not in
                        ("passed", "error while applying", "diff not empty", "rows lost"))
            print(f"{dialect:10} {tool:11} {c['passed']:>6} {c['error while applying']:>6} "
                  f"{c['diff not empty']:>6} {c['rows lost']:>6} {other:>6}")
    print("\nerror = error while applying; diff = `nomenclator diff b` not empty afterwards; "
          "rows = rows of shared tables/columns lost; other = skipped or setup/harness errors")
    print("\nwhat the diff still found (pairs per kind):")
    for dialect in args.dialects.split(","):
        for tool in tools:
            kc = collections.Counter()
            for r in results:
                if r["dialect"] == dialect and r["tool"] == tool and r["class"] == "diff not empty":
                    kc.update(r["detail"].split(", "))
            if kc:
                print(f"  {dialect} {tool}: " + ", ".join(f"{k} {v}" for k, v in kc.most_common()))


if __name__ == "__main__":
    main()
