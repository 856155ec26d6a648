#!/usr/bin/env python3
"""Writes a schema document of N tables (default 50) on standard output,
for looking at and timing diagrams of a large schema:

    python3 scripts/gen-er-schema.py 50 > /tmp/fifty.json
    nomenclator graph /tmp/fifty.json --format svg > /tmp/fifty.svg

Deterministic (a fixed seed): tables in a few modules, each with a primary
key, two to five more columns, and foreign keys to one to three earlier
tables (nullable every third one), a unique column now and then, an index
on each foreign key, and, every twentieth table, a foreign key back to a
later table (a cycle, added with use_alter).
"""
import json
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 50
rng = random.Random(15)
modules = ["crm", "billing", "stock", "ship", "hr", "web", "audit", "sales"]
nouns = ["account", "contact", "invoice", "payment", "item", "warehouse", "parcel",
         "employee", "session", "event", "quote", "region", "tax", "vendor", "batch"]
types = ["varchar(80)", "integer", "timestamp", "boolean", "numeric(12,2)", "text", "date"]
names = []
for i in range(n):
    names.append(f"{modules[i % len(modules)]}_{nouns[(i * 7) % len(nouns)]}_{i}")
tables = []
for i, name in enumerate(names):
    cols = [{"name": "id", "type": "integer", "primary_key": True}]
    refs = rng.sample(range(i), min(i, rng.randint(1, 3))) if i else []
    for j, r in enumerate(sorted(refs)):
        col = {"name": f"{names[r].split('_', 1)[1]}_id", "type": "integer",
               "nullable": (i + j) % 3 == 0, "references": f"{names[r]}.id", "index": True}
        cols.append(col)
    for k in range(rng.randint(2, 5)):
        col = {"name": f"{rng.choice(['code', 'title', 'note', 'amount', 'status', 'flag'])}_{k}",
               "type": rng.choice(types), "nullable": rng.random() < 0.5}
        if k == 0 and rng.random() < 0.3:
            col["unique"] = True
        cols.append(col)
    t = {"name": name, "columns": cols}
    if i % 20 == 5 and i + 3 < n:
        cols.append({"name": "owner_id", "type": "integer"})
        t["foreign_keys"] = [{"columns": ["owner_id"], "references": names[i + 3],
                              "use_alter": True}]
    tables.append(t)
json.dump({"conventions": "sqlalchemy", "tables": tables}, sys.stdout, indent=1)
sys.stdout.write("\n")
