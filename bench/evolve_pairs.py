#!/usr/bin/env python3
"""Makes evolve pairs like tests/corpus/evolve's, from the SQLAlchemy corpus,
for trying `migrate` on cases the shipped corpus does not hold.

Usage: bench/evolve_pairs.py OUT_DIR [COUNT] [SEED] [--bin NOMENCLATOR]

Each OUT_DIR/NNNN/ gets a.json (a corpus document), b.json (one to four
changes of the kinds tests/corpus/evolve/README.md lists, drop_fk
included) and changes.json. A pair whose b.json some dialect's `ddl`
refuses is made again with another draw. Run the pairs with
EVOLVE_CORPUS=OUT_DIR cargo test -p nomenclator-cli --test evolve_live.
"""
import copy
import json
import os
import random
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SOURCE = os.path.join(ROOT, "tests", "corpus", "sqlalchemy")
DIALECTS = ["postgresql", "sqlite", "mysql"]
# Words the corpus uses as column names that SQL reserves: a check's text
# would have to quote them.
RESERVED = {"check", "order", "group", "user", "select", "table", "key", "index",
            "primary", "references", "default", "from", "where", "to", "by"}


def fks(t):
    """Every foreign key of a table as (holder, key, form): a table-level
    entry or a column with `references`."""
    out = []
    for fk in t.get("foreign_keys", []):
        out.append((t["foreign_keys"], fk, "table"))
    for c in t["columns"]:
        if "references" in c:
            out.append((t["columns"], c, "column"))
    return out


def used_columns(t):
    """Columns some key, index, check or foreign key names."""
    used = set()
    pk = t.get("primary_key")
    if pk:
        used.update(pk["columns"])
    for c in t["columns"]:
        if c.get("primary_key") or "references" in c:
            used.add(c["name"])
    for k in t.get("uniques", []) + t.get("indexes", []):
        used.update(x for x in k.get("columns", []) if isinstance(x, str))
        if "expressions" in k or "where" in k:
            used.update(c["name"] for c in t["columns"])
    for fk in t.get("foreign_keys", []):
        used.update(fk["columns"])
    for ck in t.get("checks", []) + [c for c in t["columns"] if "check" in c]:
        used.update(c["name"] for c in t["columns"])
    return used


def referred_by_others(doc, t):
    name = t["name"]
    for o in doc["tables"]:
        for _, fk, form in fks(o):
            # A column's "table.col" or "schema.table.col"; a table-level
            # key's "table" or "schema.table".
            parts = fk["references"].split(".")
            tname = parts[-2] if form == "column" else parts[-1]
            if tname == name and o is not t:
                return True
    return False


def simple(doc):
    """Tables without a schema, the ones the changes touch."""
    return [t for t in doc["tables"] if not t.get("schema")]


def change(doc, kind, rng, n):
    ts = simple(doc)
    if not ts:
        return None
    t = rng.choice(ts)
    plain = [c for c in t["columns"] if c["name"] not in used_columns(t)]
    if kind == "drop_fk":
        keys = [x for x in fks(t) if x[2] == "table"] or fks(t)
        if not keys:
            return None
        holder, fk, form = rng.choice(keys)
        if form == "table":
            holder.remove(fk)
        else:
            del fk["references"]
        return {"table": t["name"], "object": fk.get("name"), "detail": "foreign key dropped"}
    if kind == "change_on_delete":
        keys = fks(t)
        if not keys:
            return None
        _, fk, _ = rng.choice(keys)
        new = rng.choice(["CASCADE", "SET NULL", "RESTRICT"])
        if fk.get("on_delete") == new:
            return None
        fk["on_delete"] = new
        return {"table": t["name"], "object": fk.get("name"), "detail": f"ON DELETE {new}"}
    if kind == "widen_type":
        cands = [c for c in t["columns"] if c["type"] in ("integer", "smallint")
                 or c["type"].startswith("varchar(")]
        # A column whose only use is a column's check widens too (the
        # check keeps holding).
        stripped = dict(t, columns=[{k: v for k, v in c.items() if k != "check"}
                                    for c in t["columns"]])
        cands = [c for c in cands if c["name"] not in used_columns(stripped)]
        if not cands:
            return None
        c = rng.choice(cands)
        ty = c["type"]
        c["type"] = {"integer": "bigint", "smallint": "integer"}.get(ty) or \
            f"varchar({int(ty[8:-1]) * 2})"
        return {"table": t["name"], "object": c["name"], "detail": f"{ty} -> {c['type']}"}
    if kind == "rename_column":
        # A column renamed once in a pair is not renamed again.
        plain = [c for c in plain if "renamed_from" not in c]
        if not plain:
            return None
        c = rng.choice(plain)
        c["renamed_from"] = c["name"]
        c["name"] = c["name"] + "_rn"
        return {"table": t["name"], "object": c["name"], "detail": "renamed"}
    if kind == "rename_table":
        if referred_by_others(doc, t) or "renamed_from" in t:
            return None
        old = t["name"]
        t["renamed_from"] = old
        t["name"] = old + "_rn"
        return {"table": t["name"], "object": t["name"], "detail": f"{old} renamed"}
    if kind == "drop_column":
        if len(plain) < 1 or len(t["columns"]) < 3:
            return None
        c = rng.choice(plain)
        t["columns"].remove(c)
        return {"table": t["name"], "object": c["name"], "detail": "dropped", "destructive": True}
    if kind == "add_column":
        t["columns"].append({"name": f"evo_c{n}", "type": rng.choice(["integer", "varchar(30)", "date"])})
        return {"table": t["name"], "object": f"evo_c{n}", "detail": "added"}
    if kind == "drop_not_null":
        cands = [c for c in plain if c.get("nullable") is False]
        if not cands:
            return None
        c = rng.choice(cands)
        del c["nullable"]
        return {"table": t["name"], "object": c["name"], "detail": "nullable"}
    if kind == "change_default":
        cands = [c for c in plain if c["type"] in ("integer", "bigint", "smallint")]
        if not cands:
            return None
        c = rng.choice(cands)
        c["default"] = str(rng.randint(1, 99))
        return {"table": t["name"], "object": c["name"], "detail": f"default {c['default']}"}
    if kind == "add_index":
        if not t["columns"]:
            return None
        c = rng.choice(t["columns"])
        t.setdefault("indexes", []).append({"columns": [c["name"]], "name": f"evo_ix{n}"})
        return {"table": t["name"], "object": f"evo_ix{n}", "detail": f"index ({c['name']})"}
    if kind == "drop_index":
        # Not one this pair added (the two would cancel out).
        ix = [x for x in t.get("indexes") or [] if not str(x.get("name", "")).startswith("evo_")]
        if not ix:
            return None
        x = rng.choice(ix)
        t["indexes"].remove(x)
        return {"table": t["name"], "object": x.get("name"), "detail": "index dropped"}
    if kind == "drop_unique":
        uq = t.get("uniques") or []
        if not uq:
            return None
        x = rng.choice(uq)
        uq.remove(x)
        return {"table": t["name"], "object": x.get("name"), "detail": "unique dropped"}
    if kind == "add_check":
        # Check text is SQL as written: only names that need no quoting.
        cands = [c for c in t["columns"] if c["type"] in ("integer", "bigint", "smallint")
                 and c["name"].isidentifier() and c["name"] == c["name"].lower()
                 and c["name"] not in RESERVED]
        if not cands:
            return None
        c = rng.choice(cands)
        t.setdefault("checks", []).append({"sql": f"{c['name']} > -1000000", "name": f"evo_ck{n}"})
        return {"table": t["name"], "object": f"evo_ck{n}", "detail": "check"}
    if kind == "drop_check":
        # A table's check (not one this pair added), or a column's.
        ck = [x for x in t.get("checks") or [] if not str(x.get("name", "")).startswith("evo_")]
        on_columns = [c for c in t["columns"] if "check" in c]
        if not ck and not on_columns:
            return None
        pick = rng.randrange(len(ck) + len(on_columns))
        if pick < len(ck):
            x = ck[pick]
            t["checks"].remove(x)
            return {"table": t["name"], "object": x.get("name"), "detail": "check dropped"}
        c = on_columns[pick - len(ck)]
        x = c.pop("check")
        name = x.get("name") if isinstance(x, dict) else None
        return {"table": t["name"], "object": name or c["name"], "detail": "column check dropped"}
    if kind == "drop_table":
        if referred_by_others(doc, t) or len(doc["tables"]) < 2:
            return None
        doc["tables"].remove(t)
        return {"table": t["name"], "object": t["name"], "detail": "dropped", "destructive": True}
    if kind == "add_table":
        pk = next((c for c in t["columns"] if c.get("primary_key")), None)
        if pk is None:
            return None
        doc["tables"].append({"name": f"evo_t{n}", "columns": [
            {"name": "id", "type": "integer", "primary_key": True},
            {"name": "ref_id", "type": pk["type"], "references": f"{t['name']}.{pk['name']}"},
        ]})
        return {"table": f"evo_t{n}", "object": f"evo_t{n}", "detail": "added"}
    if kind == "change_convention":
        nc = doc.setdefault("naming_convention", {})
        key = rng.choice(["pk", "fk", "uq", "ix", "ck"])
        default = {"pk": "pk_%(table_name)s", "fk": "fk_%(table_name)s_%(column_0_name)s",
                   "uq": "uq_%(table_name)s_%(column_0_name)s",
                   "ix": "ix_%(table_name)s_%(column_0_name)s",
                   "ck": "ck_%(table_name)s_%(constraint_name)s"}[key]
        nc[key] = "nm_" + nc.get(key, default)
        return {"table": None, "object": key, "detail": nc[key]}
    return None


KINDS = ["drop_fk", "change_on_delete", "widen_type", "rename_column", "rename_table",
         "drop_column", "add_column", "drop_not_null", "change_default", "add_index",
         "drop_index", "drop_unique", "add_check", "drop_check", "drop_table", "add_table",
         "change_convention"]


def accepted(binary, path):
    for d in DIALECTS:
        r = subprocess.run([binary, "ddl", path, "--dialect", d], capture_output=True)
        if r.returncode != 0:
            return False
    return True


def main():
    args = [a for a in sys.argv[1:]]
    binary = os.path.join(ROOT, "target", "debug", "nomenclator")
    if "--bin" in args:
        i = args.index("--bin")
        binary = args[i + 1]
        del args[i:i + 2]
    if not args:
        sys.exit(__doc__)
    out = args[0]
    count = int(args[1]) if len(args) > 1 else 40
    rng = random.Random(int(args[2]) if len(args) > 2 else 7)
    sources = sorted(os.listdir(SOURCE))
    made = 0
    while made < count:
        src = rng.choice(sources)
        a_path = os.path.join(SOURCE, src, "schema.json")
        if not os.path.exists(a_path):
            continue
        a = json.load(open(a_path))
        b = copy.deepcopy(a)
        changes = []
        want = rng.randint(1, 4)
        tries = 0
        while len(changes) < want and tries < 30:
            tries += 1
            kind = rng.choice(KINDS)
            c = change(b, kind, rng, len(changes) + 1)
            if c:
                changes.append(dict(kind=kind, destructive=c.pop("destructive", False), **c))
        if not changes:
            continue
        d = os.path.join(out, f"{made + 1:04d}")
        os.makedirs(d, exist_ok=True)
        json.dump(a, open(os.path.join(d, "a.json"), "w"), indent=1)
        json.dump(b, open(os.path.join(d, "b.json"), "w"), indent=1)
        if not accepted(binary, os.path.join(d, "b.json")) or not accepted(binary, os.path.join(d, "a.json")):
            for f in os.listdir(d):
                os.remove(os.path.join(d, f))
            os.rmdir(d)
            continue
        json.dump({"source": f"sqlalchemy/{src}", "destructive": any(c["destructive"] for c in changes),
                   "changes": changes}, open(os.path.join(d, "changes.json"), "w"), indent=1)
        made += 1
    print(f"{made} pairs in {out}")


if __name__ == "__main__":
    main()
