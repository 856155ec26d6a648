#!/usr/bin/env python3
"""The "new" side of the diff benchmark (bench/diff.sh): a generated schema
document (examples/generate.rs, JSON) with a changed naming convention and
a number of altered columns. Deterministic: the same input and count give
the same bytes.

Usage: python3 bench/diff_variant.py OLD.json [ALTERED] > NEW.json   (ALTERED default 300)

What changes:
- naming convention: the unique constraints' template becomes
  `uq_%(table_name)s_%(column_0_N_name)s` (every table's unique constraint
  is renamed: `uq_t_code` -> `uq_t_code_name`);
- ALTERED columns, spread evenly over the tables, in turn:
  `name` widened varchar(80) -> varchar(120), `amount` made NOT NULL,
  `code` widened varchar(20) -> varchar(40).
"""
import json
import sys

UQ = "uq_%(table_name)s_%(column_0_N_name)s"
EDITS = [
    ("name", lambda c: c.update(type="varchar(120)")),
    ("amount", lambda c: c.update(nullable=False)),
    ("code", lambda c: c.update(type="varchar(40)")),
]


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    with open(sys.argv[1], "rb") as f:
        doc = json.load(f)
    altered = int(sys.argv[2]) if len(sys.argv) == 3 else 300
    tables = doc["tables"]
    doc["naming_convention"] = {"uq": UQ}
    step = max(1, len(tables) // max(1, altered))
    done = 0
    for i in range(0, len(tables), step):
        if done == altered:
            break
        column, edit = EDITS[done % len(EDITS)]
        for c in tables[i]["columns"]:
            if c["name"] == column:
                edit(c)
        done += 1
    # Same layout as the generator: one table per line.
    out = sys.stdout
    out.write("{\n")
    for key in doc:
        if key != "tables":
            out.write(f"{json.dumps(key)}: {json.dumps(doc[key])},\n")
    out.write('"tables": [\n')
    out.write(",\n".join(json.dumps(t) for t in tables))
    out.write("\n]\n}\n")


if __name__ == "__main__":
    main()
