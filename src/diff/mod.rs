//! Comparing two schemas: the changes that bring one to the other, as data,
//! and the statements that make them, in an order that runs.
//!
//! Both sides are a [`Schema`]: a document's ([`Schema::from_metadata`])
//! or a database's catalog ([`Schema::from_catalog`]). Tables and columns
//! are matched by name, or by the `renamed_from` the document gives;
//! constraints and indexes are matched by definition, never by name, so a
//! constraint whose definition is unchanged but whose name differs is
//! renamed, not dropped and added. Types, defaults and expressions are
//! compared in a normal form (`character varying(40)` is `VARCHAR(40)`).
//!
//! ```
//! use nomenclator::diff::{diff, Schema};
//! use nomenclator::ddl::DdlOptions;
//! use nomenclator::dialect::PostgreSql;
//! use nomenclator::{Column, MetaData, Table};
//!
//! let mut old = MetaData::new();
//! old.add_table(Table::new("note").column(Column::new("id", "integer").primary_key()))?;
//! let mut new = MetaData::new();
//! new.add_table(
//!     Table::new("note")
//!         .column(Column::new("id", "integer").primary_key())
//!         .column(Column::new("body", "text")),
//! )?;
//! let options = DdlOptions::default();
//! let migration = diff(
//!     &Schema::from_metadata(&old, &PostgreSql, &options, None)?,
//!     &Schema::from_metadata(&new, &PostgreSql, &options, None)?,
//!     &PostgreSql,
//! )?;
//! assert_eq!(migration.script()?, "ALTER TABLE note ADD COLUMN body TEXT;\n");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod files;
mod live;
mod normalize;
mod state;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::fmt;

use serde::Serialize;

use crate::ddl::{DdlError, Plan, Step};
use crate::dialect::postgres_names::make_object_name;
use crate::dialect::{rename_identifiers, CommentStyle, Dialect, DialectError};
use crate::schema::{DialectKind, IndexPart, Kind, ReferentialAction, TableRef};
use crate::sql::{
    CheckDef, ColumnDef, ConstraintDef, CreateIndex, ForeignKeyDef, Statement, ViewDef,
};

pub use live::{diff_database, diff_database_catalog, Server};
use normalize::{default_key, expr_key, type_key, view_key, widens};
pub use state::Schema;
use state::{IndexState, Key, TableState};

/// Why a diff could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DiffError {
    /// The document's create plan could not be made.
    #[error(transparent)]
    Ddl(#[from] DdlError),
    /// A statement could not be written for the dialect.
    #[error(transparent)]
    Dialect(#[from] DialectError),
    /// The database could not be reached.
    #[error(transparent)]
    Engine(#[from] crate::engine::EngineError),
    /// The database's catalog could not be read.
    #[error(transparent)]
    Reflect(#[from] crate::reflect::ReflectError),
    /// An enumerated type whose values would have to be removed or put in
    /// another order, which PostgreSQL cannot do to a type in use.
    #[error("enumerated type \"{name}\" has values ({}) and is to have ({}); PostgreSQL can only add values to a type, so keep the old values in their order (new ones may go anywhere), or give the column a type of another name and move the rows yourself", .from.join(", "), .to.join(", "))]
    EnumValues {
        /// The type.
        name: TableRef,
        /// Its values now.
        from: Vec<String>,
        /// The values the document gives it.
        to: Vec<String>,
    },
    /// Renames that hand a name from one table (or column) to another in
    /// the same migration: `a` renamed to `b` while `b` is renamed too.
    #[error("{what} \"{name}\" is renamed from \"{from}\", and \"{from}\" is itself renamed from \"{from_from}\": renames that pass a name on (a swap or a chain) are not made in one migration; rename one of them to a name neither side uses, migrate, then rename it to its final name")]
    PassedOnName {
        /// `table "t"` or `column of table "t"`.
        what: String,
        /// The new name.
        name: String,
        /// The name it had, which another object takes.
        from: String,
        /// The name the object now called `from` had.
        from_from: String,
    },
    /// A query of the database failed.
    #[error("{context}: {source}")]
    Database {
        /// What was being done.
        context: String,
        /// The database's error.
        source: crate::engine::DbError,
    },
}

/// What a [`Change`] does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ChangeKind {
    /// SQLite: foreign keys off before tables are rebuilt.
    ForeignKeysOff,
    /// A view dropped (or dropped to be made again).
    DropView,
    /// A foreign key dropped.
    DropForeignKey,
    /// A table renamed (`renamed_from`).
    RenameTable,
    /// A column renamed (`renamed_from`).
    RenameColumn,
    /// PostgreSQL: a serial column's sequence renamed with its table or column.
    RenameSequence,
    /// PostgreSQL: a serial column's sequence given the column's new type.
    AlterSequence,
    /// A primary key dropped.
    DropPrimaryKey,
    /// A unique constraint dropped.
    DropUnique,
    /// A check constraint dropped.
    DropCheck,
    /// An index dropped.
    DropIndex,
    /// A constraint renamed.
    RenameConstraint,
    /// An index renamed.
    RenameIndex,
    /// A table dropped.
    DropTable,
    /// A column added.
    AddColumn,
    /// A column's type, nullability or default changed.
    AlterColumn,
    /// A table's or column's comment changed.
    ChangeComment,
    /// A column dropped.
    DropColumn,
    /// A primary key added.
    AddPrimaryKey,
    /// A unique constraint added.
    AddUnique,
    /// SQLite: a table made again with its new definition, rows copied.
    RebuildTable,
    /// A table created.
    AddTable,
    /// A check constraint added.
    AddCheck,
    /// An index created.
    AddIndex,
    /// A foreign key added.
    AddForeignKey,
    /// A view created.
    AddView,
    /// SQLite: foreign keys checked and enforced again after rebuilds.
    ForeignKeyCheck,
    /// PostgreSQL: an enumerated type created.
    AddEnumType,
    /// PostgreSQL: a value added to an enumerated type.
    AddEnumValue,
    /// PostgreSQL: an enumerated type no column uses any more dropped.
    DropEnumType,
}

impl ChangeKind {
    /// The kind's name, as the JSON form writes it (`add_column`).
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::ForeignKeysOff => "foreign_keys_off",
            ChangeKind::DropView => "drop_view",
            ChangeKind::DropForeignKey => "drop_foreign_key",
            ChangeKind::RenameTable => "rename_table",
            ChangeKind::RenameColumn => "rename_column",
            ChangeKind::RenameSequence => "rename_sequence",
            ChangeKind::AlterSequence => "alter_sequence",
            ChangeKind::DropPrimaryKey => "drop_primary_key",
            ChangeKind::DropUnique => "drop_unique",
            ChangeKind::DropCheck => "drop_check",
            ChangeKind::DropIndex => "drop_index",
            ChangeKind::RenameConstraint => "rename_constraint",
            ChangeKind::RenameIndex => "rename_index",
            ChangeKind::DropTable => "drop_table",
            ChangeKind::AddColumn => "add_column",
            ChangeKind::AlterColumn => "alter_column",
            ChangeKind::ChangeComment => "change_comment",
            ChangeKind::DropColumn => "drop_column",
            ChangeKind::AddPrimaryKey => "add_primary_key",
            ChangeKind::AddUnique => "add_unique",
            ChangeKind::RebuildTable => "rebuild_table",
            ChangeKind::AddTable => "add_table",
            ChangeKind::AddCheck => "add_check",
            ChangeKind::AddIndex => "add_index",
            ChangeKind::AddForeignKey => "add_foreign_key",
            ChangeKind::AddView => "add_view",
            ChangeKind::ForeignKeyCheck => "foreign_key_check",
            ChangeKind::AddEnumType => "add_enum_type",
            ChangeKind::AddEnumValue => "add_enum_value",
            ChangeKind::DropEnumType => "drop_enum_type",
        }
    }
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One change, with the statements that make it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// What it does.
    pub kind: ChangeKind,
    /// The table (or view) it concerns.
    pub table: TableRef,
    /// The column, constraint or index, where there is one.
    pub object: Option<String>,
    /// What it could lose, for a destructive change (a table or column
    /// dropped, a type narrowed, a column made NOT NULL).
    pub destructive: Option<String>,
    /// A line saying what changes.
    pub detail: String,
    /// The statements, in order.
    pub statements: Vec<Statement>,
}

/// A change as the JSON form writes it (`spec/evolve.md`).
#[derive(Clone, Debug, Serialize)]
pub struct ChangeRecord {
    /// The kind, as [`ChangeKind::as_str`].
    pub change: &'static str,
    /// The table's name.
    pub table: String,
    /// The table's schema.
    pub schema: Option<String>,
    /// The column, constraint or index.
    pub object: Option<String>,
    /// Whether it can lose data.
    pub destructive: bool,
    /// What changes.
    pub detail: String,
    /// The statements as SQL, without `;`.
    pub sql: Vec<String>,
}

/// The changes that bring one schema to another, in the order their
/// statements run.
#[derive(Clone, Debug)]
pub struct Migration<'d> {
    dialect: &'d dyn Dialect,
    changes: Vec<Change>,
}

impl<'d> Migration<'d> {
    /// The changes, in order.
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// Whether the two schemas agree.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The changes that can lose data.
    pub fn destructive(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|c| c.destructive.is_some())
    }

    /// The dialect it is written for.
    pub fn dialect(&self) -> &'d dyn Dialect {
        self.dialect
    }

    /// Every statement, in order.
    pub fn statements(&self) -> impl Iterator<Item = &Statement> {
        self.changes.iter().flat_map(|c| c.statements.iter())
    }

    /// The statements as a [`Plan`], to run with an engine.
    pub fn plan(&self) -> Plan<'d> {
        Plan {
            dialect: self.dialect,
            steps: self.statements().cloned().map(Step::Statement).collect(),
        }
    }

    /// The statements that undo the migration, in the order to run them
    /// (a down migration); `None` when one cannot be undone from what the
    /// diff knows (copied rows, custom SQL).
    pub fn inverse(&self) -> Option<Vec<Statement>> {
        // A comment on, an index of, or custom SQL for a table this
        // migration creates goes with the table when the inverse drops it.
        let created: HashSet<&TableRef> = self
            .statements()
            .filter_map(|st| match st {
                Statement::CreateTable(c) => Some(&c.table),
                _ => None,
            })
            .collect();
        let mut out = Vec::new();
        for st in self.statements().collect::<Vec<_>>().into_iter().rev() {
            match st {
                Statement::Comment { table, .. } if created.contains(table) => {}
                // MySQL refuses to drop an index a foreign key needs; the
                // table's drop takes its indexes anyway.
                Statement::CreateIndex(ix) if created.contains(&ix.table) => {}
                Statement::Custom {
                    table: Some(table), ..
                } if created.contains(table) => {}
                Statement::CopyRows { .. } => return None,
                Statement::ForeignKeys { enabled } => {
                    out.push(Statement::ForeignKeys { enabled: !enabled })
                }
                Statement::ForeignKeyCheck => {}
                other => out.extend(other.inverse()?),
            }
        }
        // SQLite: foreign keys off first, checked and on last, as before.
        if let Some(i) = out
            .iter()
            .position(|s| matches!(s, Statement::ForeignKeys { enabled: false }))
        {
            let off = out.remove(i);
            out.insert(0, off);
            if let Some(j) = out
                .iter()
                .position(|s| matches!(s, Statement::ForeignKeys { enabled: true }))
            {
                let on = out.remove(j);
                out.push(Statement::ForeignKeyCheck);
                out.push(on);
            }
        }
        Some(out)
    }

    /// The SQL script, in the `ddl` format: each statement ends with `;`,
    /// a blank line between statements, and a destructive change preceded
    /// by a `-- destructive: ...` line. Empty when the schemas agree.
    pub fn script(&self) -> Result<String, DiffError> {
        let mut out = String::new();
        for c in &self.changes {
            for (i, st) in c.statements.iter().enumerate() {
                if !out.is_empty() {
                    out.push('\n');
                }
                if i == 0 {
                    if let Some(why) = &c.destructive {
                        out.push_str("-- destructive: ");
                        out.push_str(&why.replace('\n', " "));
                        out.push('\n');
                    }
                }
                self.dialect.write_statement(st, &mut out)?;
                out.push_str(";\n");
            }
        }
        Ok(out)
    }

    /// The changes in their JSON form.
    pub fn records(&self) -> Result<Vec<ChangeRecord>, DiffError> {
        self.changes
            .iter()
            .map(|c| {
                Ok(ChangeRecord {
                    change: c.kind.as_str(),
                    table: c.table.name.clone(),
                    schema: c.table.schema.clone(),
                    object: c.object.clone(),
                    destructive: c.destructive.is_some(),
                    detail: c.detail.clone(),
                    sql: c
                        .statements
                        .iter()
                        .map(|s| self.dialect.to_sql(s))
                        .collect::<Result<_, _>>()?,
                })
            })
            .collect()
    }
}

/// The order changes run in: views and foreign keys out of the way first,
/// renames, drops, columns, keys, new tables, then checks, indexes and
/// foreign keys, and views last.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Phase {
    PragmaOff,
    DropViews,
    DropForeignKeys,
    RenameTables,
    RenameColumns,
    EarlyIndexes,
    /// MySQL: a column stops auto-incrementing before its key goes (the
    /// server keeps an auto-increment column keyed).
    UnsetAutoIncrement,
    DropKeys,
    Renames,
    CreateTypes,
    DropTables,
    Columns,
    DropColumns,
    AddKeys,
    /// MySQL: a column starts auto-incrementing once its key is there.
    SetAutoIncrement,
    Rebuilds,
    CreateTables,
    AddChecksAndIndexes,
    AddForeignKeys,
    CreateViews,
    DropTypes,
    PragmaOn,
}

struct Builder<'a> {
    dialect: &'a dyn Dialect,
    /// Tables (old and new names, lower case) whose columns change in a
    /// way a view over them cannot follow: a type changed, a column
    /// dropped, the table rebuilt.
    reshaped: HashSet<String>,
    out: Vec<(Phase, usize, Change)>,
    seq: usize,
}

impl<'a> Builder<'a> {
    /// A builder with no change yet.
    fn new(dialect: &'a dyn Dialect) -> Self {
        Builder {
            dialect,
            reshaped: HashSet::default(),
            out: Vec::new(),
            seq: 0,
        }
    }

    fn push(&mut self, phase: Phase, change: Change) {
        self.seq += 1;
        self.out.push((phase, self.seq, change));
    }

    fn change(
        &mut self,
        phase: Phase,
        kind: ChangeKind,
        table: &TableRef,
        object: Option<&str>,
        detail: String,
        statements: Vec<Statement>,
    ) {
        self.push(
            phase,
            Change {
                kind,
                table: table.clone(),
                object: object.map(str::to_owned),
                destructive: None,
                detail,
                statements,
            },
        );
    }

    /// Takes on what `other`, a builder that started empty, collected: its
    /// changes after this one's, in its order.
    fn extend(&mut self, other: Builder<'_>) {
        let base = self.seq;
        self.out
            .extend(other.out.into_iter().map(|(p, seq, c)| (p, base + seq, c)));
        self.seq = base + other.seq;
        self.reshaped.extend(other.reshaped);
    }
}

/// From this many pairs of tables, their changes are found on two threads.
const PARALLEL_PAIRS: usize = 512;

/// The changes of each pair of tables (old, new) in `pairs`, in order, into
/// `b`; the new names of the tables that are rebuilt. From `parallel_from`
/// pairs, the second half is compared on a second thread into a builder of its own,
/// joined after the first half: the changes, their order and the first
/// error are those of one thread.
fn paired_changes(
    b: &mut Builder<'_>,
    ctx: &Ctx<'_>,
    old: &Schema,
    new: &Schema,
    pairs: &[(usize, usize)],
    parallel_from: usize,
) -> Result<Vec<TableRef>, DiffError> {
    let run = |b: &mut Builder<'_>, part: &[(usize, usize)]| -> Result<Vec<TableRef>, DiffError> {
        let mut rebuilt = Vec::new();
        for &(oi, ni) in part {
            let (o, n) = (&old.tables[oi], &new.tables[ni]);
            if unchanged(ctx, o, n) {
                continue;
            }
            if table_changes(b, ctx, o, n)? {
                rebuilt.push(n.table.clone());
            }
        }
        Ok(rebuilt)
    };
    if pairs.len() < parallel_from.max(2) {
        return run(b, pairs);
    }
    let (first, second) = pairs.split_at(pairs.len() / 2);
    let dialect = b.dialect;
    let second_half = || {
        let mut other = Builder::new(dialect);
        let made = run(&mut other, second);
        (other, made)
    };
    let (mine, (other, theirs)) = std::thread::scope(|s| {
        let helper = std::thread::Builder::new().spawn_scoped(s, second_half);
        let mine = run(b, first);
        let theirs = match helper {
            Ok(h) => h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
            // No second thread to be had: this one goes on.
            Err(_) => second_half(),
        };
        (mine, theirs)
    });
    let mut rebuilt = mine?;
    rebuilt.extend(theirs?);
    b.extend(other);
    Ok(rebuilt)
}

/// The enumerated types of their own to create, extend and drop.
fn enum_types(b: &mut Builder<'_>, old: &Schema, new: &Schema) -> Result<(), DiffError> {
    let old_types: HashMap<&TableRef, &Vec<String>> =
        old.enum_types.iter().map(|(n, v)| (n, v)).collect();
    let new_names: HashSet<&TableRef> = new.enum_types.iter().map(|(n, _)| n).collect();
    for (name, values) in &new.enum_types {
        let Some(was) = old_types.get(name).copied() else {
            b.change(
                Phase::CreateTypes,
                ChangeKind::AddEnumType,
                name,
                Some(&name.name),
                format!("enumerated type {name} ({})", values.join(", ")),
                vec![Statement::CreateEnumType {
                    name: name.clone(),
                    values: values.clone(),
                }],
            );
            continue;
        };
        if was == values {
            continue;
        }
        // The old values must keep their order among the new ones.
        let mut rest = values.iter();
        if !was.iter().all(|w| rest.any(|v| v == w)) {
            return Err(DiffError::EnumValues {
                name: name.clone(),
                from: was.clone(),
                to: values.clone(),
            });
        }
        for (i, v) in values.iter().enumerate() {
            if was.contains(v) {
                continue;
            }
            let before = values[i + 1..].iter().find(|x| was.contains(x)).cloned();
            b.change(
                Phase::CreateTypes,
                ChangeKind::AddEnumValue,
                name,
                Some(&name.name),
                format!("value {v:?} added to enumerated type {name}"),
                vec![Statement::AddEnumValue {
                    name: name.clone(),
                    value: v.clone(),
                    before,
                }],
            );
        }
    }
    for (name, values) in &old.enum_types {
        if new_names.contains(name) {
            continue;
        }
        b.change(
            Phase::DropTypes,
            ChangeKind::DropEnumType,
            name,
            Some(&name.name),
            format!("enumerated type {name} dropped"),
            vec![Statement::DropEnumType {
                name: name.clone(),
                values: values.clone(),
            }],
        );
    }
    Ok(())
}

/// Whether a table is the same on both sides in every part, under the
/// same name, with no rename asked for and no foreign key to a column
/// whose type changes (MySQL drops and adds those keys): then it has no
/// change, and its parts need not be matched one by one. (Two documents'
/// tables that did not change are alike to the byte; a reflected table
/// seldom is, and is compared part by part.)
fn unchanged(ctx: &Ctx<'_>, o: &TableState, n: &TableState) -> bool {
    n.renamed_from.is_none()
        && n.column_renames.is_empty()
        && o.table == n.table
        && o.comment == n.comment
        && o.columns == n.columns
        && o.primary_key == n.primary_key
        && o.foreign_keys == n.foreign_keys
        && o.uniques == n.uniques
        && o.checks == n.checks
        && o.inline_check_columns().eq(n.inline_check_columns())
        && o.indexes == n.indexes
        && (ctx.retyped.is_empty()
            || !n.foreign_keys.iter().any(|f| {
                ctx.retyped
                    .iter()
                    .any(|(t, _)| *t == f.referred_table || *t == n.table)
            }))
        && (ctx.rekeyed.is_empty()
            || !n
                .foreign_keys
                .iter()
                .any(|f| ctx.rekeyed.iter().any(|(t, _)| *t == f.referred_table)))
}

/// The changes that bring `old` to `new` on `dialect`.
pub fn diff<'d>(
    old: &Schema,
    new: &Schema,
    dialect: &'d dyn Dialect,
) -> Result<Migration<'d>, DiffError> {
    diff_with(old, new, dialect, PARALLEL_PAIRS)
}

/// [`diff`], comparing the pairs of tables on two threads from
/// `parallel_from` pairs.
fn diff_with<'d>(
    old: &Schema,
    new: &Schema,
    dialect: &'d dyn Dialect,
    parallel_from: usize,
) -> Result<Migration<'d>, DiffError> {
    // What the document's own custom DDL makes is not the diff's to drop.
    let kept;
    let old = if new.custom.is_empty() {
        old
    } else {
        kept = old.without_named(&new.custom);
        &kept
    };
    // MySQL reads an unqualified reference in the referring table's own
    // database: a table in another schema names the default one's tables
    // with it, on both sides alike.
    let (qualified_old, qualified_new);
    let caps = dialect.capabilities();
    let resolve_in_own = caps.schema_qualified_references && caps.references_resolve_in_own_schema;
    let (old, new) = match (&new.default_schema, resolve_in_own) {
        (Some(db), true)
            if new
                .tables
                .iter()
                .chain(&old.tables)
                .any(|t| t.table.schema.is_some()) =>
        {
            qualified_old = old.with_references_qualified(db);
            qualified_new = new.with_references_qualified(db);
            (&qualified_old, &qualified_new)
        }
        _ => (old, new),
    };
    let mut b = Builder::new(dialect);
    let sqlite = dialect.kind() == DialectKind::Sqlite;
    let mysql = matches!(dialect.kind(), DialectKind::MySql | DialectKind::MariaDb);

    // Tables: by name, or by the name the document says they had.
    fn key(t: &TableRef) -> (Option<&str>, &str) {
        (t.schema.as_deref(), t.name.as_str())
    }
    let old_at: HashMap<(Option<&str>, &str), usize> = old
        .tables
        .iter()
        .enumerate()
        .map(|(i, t)| (key(&t.table), i))
        .collect();
    let new_names: HashSet<(Option<&str>, &str)> =
        new.tables.iter().map(|t| key(&t.table)).collect();
    passed_on_names(old, new, &old_at)?;
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut added: Vec<usize> = Vec::new();
    let mut old_used = vec![false; old.tables.len()];
    for (ni, n) in new.tables.iter().enumerate() {
        let found = old_at.get(&key(&n.table)).copied().or_else(|| {
            let prev = n.renamed_from.as_ref()?;
            let k = (n.table.schema.as_deref(), prev.as_str());
            if new_names.contains(&k) {
                return None;
            }
            old_at.get(&k).copied()
        });
        match found {
            Some(oi) if !old_used[oi] => {
                old_used[oi] = true;
                pairs.push((oi, ni));
            }
            _ => added.push(ni),
        }
    }
    // Old table → new name, and its columns' old → new names.
    let mut table_map: HashMap<&TableRef, &TableRef> = HashMap::default();
    let mut column_maps: HashMap<&TableRef, HashMap<&str, &str>> = HashMap::default();
    table_map.reserve(pairs.len());
    column_maps.reserve(pairs.len());
    for &(oi, ni) in &pairs {
        let (o, n) = (&old.tables[oi], &new.tables[ni]);
        table_map.insert(&o.table, &n.table);
        column_maps.insert(&o.table, column_pairs(o, n));
    }

    // MySQL cannot change the type of a column a foreign key uses: those
    // foreign keys are dropped and added again.
    let mut retyped: HashSet<(TableRef, String)> = HashSet::default();
    if mysql {
        for &(oi, ni) in &pairs {
            let (o, n) = (&old.tables[oi], &new.tables[ni]);
            let map = &column_maps[&o.table];
            for oc in &o.columns {
                let Some(nc) = map.get(oc.name.as_str()).and_then(|nn| n.column(nn)) else {
                    continue;
                };
                if type_changes(dialect, oc, nc).is_some() {
                    retyped.insert((n.table.clone(), nc.name.clone()));
                }
            }
        }
    }

    // A foreign key rests on the key of the columns it refers to: when
    // that key is dropped (a primary key moved, a unique constraint gone),
    // the foreign key is dropped before it and added again after the new
    // keys (PostgreSQL refuses to drop a key a foreign key depends on;
    // MySQL, an index one needs). SQLite rebuilds both tables.
    let mut rekeyed: HashSet<(TableRef, Vec<String>)> = HashSet::default();
    if !sqlite {
        for &(oi, ni) in &pairs {
            let (o, n) = (&old.tables[oi], &new.tables[ni]);
            if n.column_renames.is_empty()
                && o.primary_key == n.primary_key
                && o.uniques == n.uniques
                && o.indexes == n.indexes
            {
                continue;
            }
            let map = &column_maps[&o.table];
            let new_cols = |cols: &[String]| -> Vec<String> {
                cols.iter()
                    .map(|c| map.get(c.as_str()).copied().unwrap_or(c).to_lowercase())
                    .collect()
            };
            let lower = |cols: &[String]| -> Vec<String> {
                cols.iter().map(|c| c.to_lowercase()).collect()
            };
            let unique_indexes = |t: &'_ TableState| -> Vec<Vec<String>> {
                t.indexes
                    .iter()
                    .filter(|ix| ix.def.unique && ix.def.predicate.is_none())
                    .filter_map(|ix| {
                        ix.def
                            .parts
                            .iter()
                            .map(|p| match p {
                                IndexPart::Column(c) => Some(c.clone()),
                                IndexPart::Expression(_) => None,
                            })
                            .collect::<Option<Vec<String>>>()
                    })
                    .collect()
            };
            // A key gives way to one of its own kind only: a unique
            // constraint made a unique index is dropped all the same.
            let new_pk = n.primary_key.as_ref().map(|k| lower(&k.columns));
            let new_uniques: Vec<Vec<String>> =
                n.uniques.iter().map(|k| lower(&k.columns)).collect();
            let new_indexes: Vec<Vec<String>> =
                unique_indexes(n).iter().map(|c| lower(c)).collect();
            let mut gone: Vec<Vec<String>> = Vec::new();
            if let Some(k) = &o.primary_key {
                let cols = new_cols(&k.columns);
                if new_pk.as_ref() != Some(&cols) {
                    gone.push(cols);
                }
            }
            for cols in o.uniques.iter().map(|k| new_cols(&k.columns)) {
                if !new_uniques.contains(&cols) {
                    gone.push(cols);
                }
            }
            for cols in unique_indexes(o).iter().map(|c| new_cols(c)) {
                if !new_indexes.contains(&cols) {
                    gone.push(cols);
                }
            }
            for mut cols in gone {
                cols.sort();
                rekeyed.insert((n.table.clone(), cols));
            }
        }
    }

    let ctx = Ctx {
        dialect,
        carried: &old.carried,
        table_map: &table_map,
        column_maps: &column_maps,
        retyped: &retyped,
        rekeyed: &rekeyed,
    };
    let rebuilt = paired_changes(&mut b, &ctx, old, new, &pairs, parallel_from)?;

    // New tables, in the document's (dependency) order.
    for &ni in &added {
        let n = &new.tables[ni];
        let mut create = n.create_statements();
        let later = n.deferred.clone();
        if create.is_empty() {
            create.push(Statement::CreateTable(n.create_table(&n.table, true)));
        }
        let cols = n.columns.len();
        b.change(
            Phase::CreateTables,
            ChangeKind::AddTable,
            &n.table,
            None,
            format!("table {} with {cols} columns", n.table),
            create,
        );
        for f in later {
            add_foreign_key(&mut b, &n.table, f);
        }
    }

    // Dropped tables: referring ones before the tables they refer to. A
    // migration runner's own history table is never the document's.
    let dropped: Vec<&TableState> = old
        .tables
        .iter()
        .zip(&old_used)
        .filter(|(t, used)| !**used && !is_runner_table(&t.table.name))
        .map(|(t, _)| t)
        .collect();
    let (order, in_a_circle) = drop_order(&dropped);
    for t in order {
        let restore = {
            let mut r = vec![Statement::CreateTable(t.create_table(&t.table, true))];
            r.extend(
                t.indexes
                    .iter()
                    .filter(|ix| !ix.implicit)
                    .map(|ix| Statement::CreateIndex(ix.def.clone())),
            );
            r
        };
        b.push(
            Phase::DropTables,
            Change {
                kind: ChangeKind::DropTable,
                table: t.table.clone(),
                object: None,
                destructive: Some(format!("table {} and every row in it is dropped", t.table)),
                detail: format!("table {} dropped", t.table),
                statements: vec![Statement::DropTable {
                    table: t.table.clone(),
                    restore,
                }],
            },
        );
    }
    // Foreign keys between dropped tables that refer to each other in a
    // circle go first.
    let dropped_names: HashSet<&TableRef> = dropped.iter().map(|t| &t.table).collect();
    if in_a_circle {
        for t in &dropped {
            for f in &t.foreign_keys {
                if dropped_names.contains(&f.referred_table)
                    && f.referred_table != t.table
                    && f.name.is_some()
                {
                    drop_foreign_key(&mut b, &t.table, f);
                }
            }
        }
    }

    for t in &rebuilt {
        b.reshaped.insert(t.name.to_lowercase());
    }
    views(&mut b, old, new, sqlite && !rebuilt.is_empty());
    enum_types(&mut b, old, new)?;

    if sqlite && !rebuilt.is_empty() {
        let first = rebuilt[0].clone();
        b.change(
            Phase::PragmaOff,
            ChangeKind::ForeignKeysOff,
            &first,
            None,
            "foreign keys off while tables are rebuilt".into(),
            vec![Statement::ForeignKeys { enabled: false }],
        );
        b.change(
            Phase::PragmaOn,
            ChangeKind::ForeignKeyCheck,
            &first,
            None,
            "every foreign key checked, then enforced again".into(),
            vec![
                Statement::ForeignKeyCheck,
                Statement::ForeignKeys { enabled: true },
            ],
        );
    }

    let mut out = b.out;
    out.sort_by_key(|(phase, seq, _)| (*phase, *seq));
    Ok(Migration {
        dialect,
        changes: out.into_iter().map(|(_, _, c)| c).collect(),
    })
}

struct Ctx<'a> {
    dialect: &'a dyn Dialect,
    carried: &'a [(TableRef, String)],
    table_map: &'a HashMap<&'a TableRef, &'a TableRef>,
    column_maps: &'a HashMap<&'a TableRef, HashMap<&'a str, &'a str>>,
    retyped: &'a HashSet<(TableRef, String)>,
    /// (New table, its columns lower-cased and sorted) whose key goes:
    /// the foreign keys that refer to them are made again.
    rekeyed: &'a HashSet<(TableRef, Vec<String>)>,
}

impl Ctx<'_> {
    /// An old table's new reference.
    fn table(&self, t: &TableRef) -> TableRef {
        self.table_map
            .get(t)
            .map_or_else(|| t.clone(), |&n| n.clone())
    }

    /// An old table's column's new name.
    fn column(&self, t: &TableRef, c: &str) -> String {
        self.column_maps
            .get(t)
            .and_then(|m| m.get(c))
            .map_or_else(|| c.to_owned(), |&n| n.to_owned())
    }

    /// An old table's column's new name, borrowed.
    fn column_name<'s>(&'s self, t: &TableRef, c: &'s str) -> &'s str {
        self.column_maps
            .get(t)
            .and_then(|m| m.get(c))
            .map_or(c, |&n| n)
    }

    fn names_equal(&self, a: &str, b: &str) -> bool {
        match self.dialect.kind() {
            DialectKind::MySql | DialectKind::MariaDb => a.eq_ignore_ascii_case(b),
            _ => a == b,
        }
    }
}

/// The comparable forms of two columns' types, when they differ. Equal
/// types have equal forms, so only different ones are normalised.
fn type_changes(dialect: &dyn Dialect, oc: &ColumnDef, nc: &ColumnDef) -> Option<(String, String)> {
    if oc.ty == nc.ty && oc.auto_increment == nc.auto_increment {
        return None;
    }
    let (ot, nt) = (
        type_key(dialect, &oc.ty, oc.auto_increment),
        type_key(dialect, &nc.ty, nc.auto_increment),
    );
    (ot != nt).then_some((ot, nt))
}

/// Makes the column alteration `sts` (one [`Statement::AlterColumn`])
/// start (`on`) or stop auto-incrementing; the phase it runs in.
///
/// MySQL's `MODIFY COLUMN` writes the whole column, `AUTO_INCREMENT`
/// included, but the server wants an auto-increment column keyed: it stops
/// before the primary key is dropped and starts after it is added.
/// PostgreSQL's serial column is a sequence owned by the column and a
/// `nextval` default: the sequence (`<table>_<column>_seq`) is dropped with
/// the default, or made, set past the column's largest value and made its
/// default.
fn auto_increment_change(
    dialect: &dyn Dialect,
    t: &TableRef,
    sts: &mut Vec<Statement>,
    on: bool,
) -> Phase {
    if dialect.kind() != DialectKind::PostgreSql {
        return if on {
            Phase::SetAutoIncrement
        } else {
            Phase::UnsetAutoIncrement
        };
    }
    let Some(Statement::AlterColumn { from, to, .. }) = sts.first_mut() else {
        return Phase::Columns;
    };
    let column = to.name.clone();
    let name = make_object_name(&t.name, Some(&column), "seq");
    let mut seq = String::new();
    dialect.push_qualified(&mut seq, t.schema.as_deref(), &name);
    let nextval = format!("nextval({}::regclass)", dialect.string_literal(&seq));
    let custom = |sql: String| Statement::Custom {
        sql,
        table: Some(t.clone()),
        transactional: true,
    };
    if !on {
        from.default = Some(nextval);
        sts.push(custom(format!("DROP SEQUENCE IF EXISTS {seq}")));
        return Phase::Columns;
    }
    to.default = Some(nextval);
    let ty = dialect
        .type_sql(&to.ty)
        .unwrap_or_else(|_| "integer".into());
    let mut table = String::new();
    dialect.push_qualified(&mut table, t.schema.as_deref(), &t.name);
    let col = dialect.quote(&column);
    sts.insert(
        0,
        custom(format!(
            "CREATE SEQUENCE {seq} AS {ty} OWNED BY {table}.{col}"
        )),
    );
    sts.push(custom(format!(
        "SELECT setval({}, GREATEST(COALESCE(MAX({col}), 0) + 1, 1), false) FROM {table}",
        dialect.string_literal(&seq)
    )));
    Phase::Columns
}

/// The statements that rename table `from` to `to`. SQLite compares
/// table names without case and refuses `order` to `Order` (the name is
/// taken): the table goes through a name of its own first.
fn rename_table(dialect: &dyn Dialect, from: &TableRef, to: &str) -> Vec<Statement> {
    if dialect.kind() == DialectKind::Sqlite && from.name.eq_ignore_ascii_case(to) {
        let through = format!("{to}__nomenclator_case");
        let mut via = from.clone();
        via.name.clone_from(&through);
        return vec![
            Statement::RenameTable {
                from: from.clone(),
                to: through,
            },
            Statement::RenameTable {
                from: via,
                to: to.to_owned(),
            },
        ];
    }
    vec![Statement::RenameTable {
        from: from.clone(),
        to: to.to_owned(),
    }]
}

/// Refuses renames that pass a name on: a new table `b` renamed from
/// `a` while the new table `a` is renamed from another old table (or the
/// same within a table's columns). Matched by name, as they would be,
/// their rows would end up under the wrong names. A `renamed_from` left
/// in the document after its migration ran (the old name no longer in
/// the database) is not one.
fn passed_on_names(
    old: &Schema,
    new: &Schema,
    old_at: &HashMap<(Option<&str>, &str), usize>,
) -> Result<(), DiffError> {
    let new_at: HashMap<(Option<&str>, &str), usize> = new
        .tables
        .iter()
        .enumerate()
        .filter(|(_, t)| t.renamed_from.is_some() || !t.column_renames.is_empty())
        .map(|(i, t)| ((t.table.schema.as_deref(), t.table.name.as_str()), i))
        .collect();
    for n in &new.tables {
        let schema = n.table.schema.as_deref();
        if let Some(prev) = &n.renamed_from {
            let other = new_at
                .get(&(schema, prev.as_str()))
                .map(|&i| &new.tables[i]);
            if let Some(pp) = other.and_then(|o| o.renamed_from.as_ref()) {
                if *prev != n.table.name
                    && old_at.contains_key(&(schema, prev.as_str()))
                    && old_at.contains_key(&(schema, pp.as_str()))
                {
                    return Err(DiffError::PassedOnName {
                        what: "table".into(),
                        name: n.table.to_string(),
                        from: prev.clone(),
                        from_from: pp.clone(),
                    });
                }
            }
        }
        if n.column_renames.is_empty() {
            continue;
        }
        // The old table: by its name, else by the name it had.
        let o = old_at
            .get(&(schema, n.table.name.as_str()))
            .or_else(|| old_at.get(&(schema, n.renamed_from.as_deref()?)))
            .map(|&i| &old.tables[i]);
        let Some(o) = o else { continue };
        for (name, prev) in &n.column_renames {
            let Some(pp) = n.column_renames.get(prev) else {
                continue;
            };
            if prev != name && o.column(prev).is_some() && o.column(pp).is_some() {
                return Err(DiffError::PassedOnName {
                    what: format!("table {}: column", n.table),
                    name: name.clone(),
                    from: prev.clone(),
                    from_from: pp.clone(),
                });
            }
        }
    }
    Ok(())
}

/// Old column name → new column name, for the columns both sides have.
fn column_pairs<'s>(o: &'s TableState, n: &'s TableState) -> HashMap<&'s str, &'s str> {
    let mut map = HashMap::with_capacity_and_hasher(n.columns.len(), Default::default());
    let old_names: HashSet<&str> = o.columns.iter().map(|c| c.name.as_str()).collect();
    for c in &n.columns {
        if old_names.contains(c.name.as_str()) {
            map.insert(c.name.as_str(), c.name.as_str());
        } else if let Some(prev) = n.column_renames.get(&c.name) {
            if old_names.contains(prev.as_str()) && n.column(prev).is_none() {
                map.insert(prev.as_str(), c.name.as_str());
            }
        }
    }
    map
}

/// A definition, written so that equal definitions are equal keys.
type Sig = String;

/// The passes of [`pair_up`].
#[derive(Clone, Copy)]
enum Pass {
    SameName,
    /// A new name that keeps most of an old one (a template changed
    /// around it, a table renamed inside it).
    Similar,
    Unnamed,
    Renamed,
}

/// Pairs old and new objects of one kind by definition: first those whose
/// names agree too, then the rest (renamed). `None` as a new name takes any.
fn pair_up(
    ctx: &Ctx<'_>,
    old: &[(Sig, Option<String>)],
    new: &[(Sig, Option<String>)],
) -> (Vec<(usize, usize)>, Vec<usize>, Vec<usize>) {
    let mut old_done = vec![false; old.len()];
    let mut new_done = vec![false; new.len()];
    let mut pairs = Vec::new();
    // First the named objects whose names agree, then the unnamed ones
    // (which take any name), then the rest: an unnamed object never takes
    // the one whose name another object of the same definition has.
    for pass in [Pass::SameName, Pass::Similar, Pass::Unnamed, Pass::Renamed] {
        for (ni, (ns, nn)) in new.iter().enumerate() {
            if new_done[ni] {
                continue;
            }
            let mut candidates = old.iter().enumerate().filter(|(oi, (os, on))| {
                !old_done[*oi]
                    && os == ns
                    && match (pass, on, nn) {
                        (Pass::SameName, Some(a), Some(b)) => ctx.names_equal(a, b),
                        (Pass::SameName, _, _) => false,
                        (Pass::Similar, Some(a), Some(b)) => similar(a, b),
                        (Pass::Similar, _, _) => false,
                        (Pass::Unnamed, _, None) => true,
                        (Pass::Unnamed, _, Some(_)) => false,
                        (Pass::Renamed, _, _) => true,
                    }
            });
            let Some(first) = candidates.next() else {
                continue;
            };
            // Among objects of one definition, a named one takes the old
            // name it keeps most of, whichever order the two sides list
            // them in (a document's, a catalog's); an unnamed one the
            // first (a table's unique constraints come before its unique
            // indexes, as the server numbers its names).
            let oi = match nn.as_deref() {
                None => first.0,
                Some(nn) => {
                    candidates
                        .fold(first, |best, c| {
                            if closer(nn, c.1 .1.as_deref(), best.1 .1.as_deref()) {
                                c
                            } else {
                                best
                            }
                        })
                        .0
                }
            };
            old_done[oi] = true;
            new_done[ni] = true;
            pairs.push((oi, ni));
        }
    }
    let mut dropped: Vec<usize> = (0..old.len()).filter(|&i| !old_done[i]).collect();
    // By name, as a catalog lists them, whichever side is old.
    dropped.sort_by(|&a, &b| by_name(old[a].1.as_deref(), old[b].1.as_deref()));
    let added = (0..new.len()).filter(|&i| !new_done[i]).collect();
    (pairs, dropped, added)
}

/// Names in order, the unnamed last.
fn by_name(a: Option<&str>, b: Option<&str>) -> std::cmp::Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.cmp(b),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
}

/// How much of old name `old` new name `new` keeps, in bytes (without
/// regard to case): all of it when `new` holds it (a template wrapped
/// around it), else the start and the end they share (a table's name
/// changed inside it).
fn kept(old: &str, new: &str) -> usize {
    let (o, n) = (old.as_bytes(), new.as_bytes());
    if o.is_empty() || n.windows(o.len()).any(|w| w.eq_ignore_ascii_case(o)) {
        return o.len();
    }
    let same = |(a, b): &(&u8, &u8)| a.eq_ignore_ascii_case(b);
    let start = o.iter().zip(n).take_while(same).count();
    let end = o[start..]
        .iter()
        .rev()
        .zip(n[start..].iter().rev())
        .take_while(same)
        .count();
    start + end
}

/// Whether new name `new` keeps most of old name `old` (see [`kept`]).
fn similar(old: &str, new: &str) -> bool {
    let k = kept(old, new);
    k >= 4 && 2 * k >= old.len()
}

/// Whether old name `a` suits new name `new` better than old name `b`
/// does: the one the new name keeps more of (see [`kept`]); else first by
/// name.
fn closer(new: &str, a: Option<&str>, b: Option<&str>) -> bool {
    let score = |o: Option<&str>| o.map_or(0, |o| kept(o, new));
    let (ka, kb) = (score(a), score(b));
    if ka != kb {
        return ka > kb;
    }
    by_name(a, b) == std::cmp::Ordering::Less
}

/// Whether a matched pair needs a rename: the new side names it, and not
/// as the old side does.
fn renamed(ctx: &Ctx<'_>, old: &Option<String>, new: &Option<String>) -> bool {
    match (old, new) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some(a), Some(b)) => !ctx.names_equal(a, b),
    }
}

/// Appends `s` in lower case.
fn push_lower(sig: &mut String, s: &str) {
    if s.is_ascii() {
        let start = sig.len();
        sig.push_str(s);
        sig[start..].make_ascii_lowercase();
    } else {
        sig.push_str(&s.to_lowercase());
    }
}

/// Appends the columns `cols` of `t`, lower case and comma-separated; the
/// old side's under their new names.
fn push_columns(sig: &mut String, ctx: &Ctx<'_>, t: &TableRef, cols: &[String], old: bool) {
    // The table's map, looked up once (what `Ctx::column_name` does per column).
    let renames = if old { ctx.column_maps.get(t) } else { None };
    for (i, c) in cols.iter().enumerate() {
        if i > 0 {
            sig.push(',');
        }
        let name = renames.and_then(|m| m.get(c.as_str()).copied());
        push_lower(sig, name.unwrap_or(c));
    }
}

fn key_sig(ctx: &Ctx<'_>, t: &TableRef, cols: &[String], old: bool) -> Sig {
    let mut sig = String::with_capacity(64);
    push_columns(&mut sig, ctx, t, cols, old);
    sig
}

fn fk_sig(ctx: &Ctx<'_>, t: &TableRef, f: &ForeignKeyDef, old: bool) -> Sig {
    let mysql = matches!(
        ctx.dialect.kind(),
        DialectKind::MySql | DialectKind::MariaDb
    );
    let act = |a: Option<ReferentialAction>| match a {
        None | Some(ReferentialAction::NoAction) => "",
        Some(ReferentialAction::Restrict) if mysql => "",
        Some(a) => a.sql(),
    };
    let referred = if old {
        ctx.table_map
            .get(&f.referred_table)
            .map_or(&f.referred_table, |&n| n)
    } else {
        &f.referred_table
    };
    let mut sig = String::with_capacity(64);
    push_columns(&mut sig, ctx, t, &f.columns, old);
    sig.push('>');
    sig.push_str(referred.schema.as_deref().unwrap_or(""));
    sig.push('.');
    push_lower(&mut sig, &referred.name);
    sig.push('(');
    push_columns(&mut sig, ctx, &f.referred_table, &f.referred_columns, old);
    sig.push_str(")|");
    sig.push_str(act(f.on_delete));
    sig.push('|');
    sig.push_str(act(f.on_update));
    // A side that must be made again never equals the other: when a
    // column it uses changes type (only MySQL retypes) or the key it
    // refers to is dropped. The lookups need the new names, which cost:
    // only when there are any.
    if ctx.retyped.is_empty() && ctx.rekeyed.is_empty() {
        return sig;
    }
    let referred_columns: Vec<String> = f
        .referred_columns
        .iter()
        .map(|c| {
            if old {
                ctx.column(&f.referred_table, c)
            } else {
                c.clone()
            }
        })
        .collect();
    let retyped = !ctx.retyped.is_empty() && {
        let new_table = if old { ctx.table(t) } else { t.clone() };
        f.columns.iter().any(|c| {
            let c = if old { ctx.column(t, c) } else { c.clone() };
            ctx.retyped.contains(&(new_table.clone(), c))
        }) || referred_columns
            .iter()
            .any(|c| ctx.retyped.contains(&(referred.clone(), c.clone())))
    };
    let rekeyed = !retyped && !ctx.rekeyed.is_empty() && {
        let mut key: Vec<String> = referred_columns.iter().map(|c| c.to_lowercase()).collect();
        key.sort();
        ctx.rekeyed.contains(&(referred.clone(), key))
    };
    if retyped || rekeyed {
        sig.push_str(if old { "|old" } else { "|new" });
    }
    sig
}

/// An expression's key with the old side's column names made new.
fn expr_sig(ctx: &Ctx<'_>, t: &TableRef, sql: &str, old: bool) -> Sig {
    let key = expr_key(ctx.dialect, sql);
    if !old {
        return key;
    }
    let Some(map) = ctx.column_maps.get(t) else {
        return key;
    };
    // No column renamed: every name is its own new name.
    if map.iter().all(|(o, n)| o == n) {
        return key;
    }
    let fold = ctx.dialect.kind() != DialectKind::PostgreSql;
    key.split(' ')
        .map(|tok| {
            let hit = map.iter().find(|(o, _)| {
                if fold {
                    o.to_lowercase() == tok
                } else {
                    **o == tok
                }
            });
            match hit {
                Some((_, n)) if fold => n.to_lowercase(),
                Some((_, n)) => (*n).to_owned(),
                None => tok.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn index_sig(ctx: &Ctx<'_>, t: &TableRef, ix: &CreateIndex, old: bool) -> Sig {
    let mut sig = String::with_capacity(64);
    if ix.unique {
        sig.push_str("unique:");
    }
    for (i, p) in ix.parts.iter().enumerate() {
        if i > 0 {
            sig.push(',');
        }
        match p {
            IndexPart::Column(c) => {
                push_lower(&mut sig, if old { ctx.column_name(t, c) } else { c })
            }
            IndexPart::Expression(e) => {
                sig.push('(');
                sig.push_str(&expr_sig(ctx, t, e, old));
                sig.push(')');
            }
        }
    }
    sig.push('|');
    if let Some(p) = &ix.predicate {
        sig.push_str(&expr_sig(ctx, t, p, old));
    }
    sig
}

fn drop_foreign_key(b: &mut Builder<'_>, table: &TableRef, f: &ForeignKeyDef) {
    b.change(
        Phase::DropForeignKeys,
        ChangeKind::DropForeignKey,
        table,
        f.name.as_deref(),
        format!(
            "foreign key ({}) to {} dropped",
            f.columns.join(", "),
            f.referred_table
        ),
        vec![Statement::DropConstraint {
            table: table.clone(),
            constraint: ConstraintDef::ForeignKey(f.clone()),
        }],
    );
}

fn add_foreign_key(b: &mut Builder<'_>, table: &TableRef, f: ForeignKeyDef) {
    let detail = format!(
        "foreign key ({}) to {}({}){}",
        f.columns.join(", "),
        f.referred_table,
        f.referred_columns.join(", "),
        f.on_delete
            .map(|a| format!(" ON DELETE {a}"))
            .unwrap_or_default()
    );
    let name = f.name.clone();
    b.change(
        Phase::AddForeignKeys,
        ChangeKind::AddForeignKey,
        table,
        name.as_deref(),
        detail,
        vec![Statement::AddConstraint {
            table: table.clone(),
            constraint: ConstraintDef::ForeignKey(f),
        }],
    );
}

/// The changes of one table both sides have; `true` when SQLite rebuilds it.
fn table_changes(
    b: &mut Builder<'_>,
    ctx: &Ctx<'_>,
    o: &TableState,
    n: &TableState,
) -> Result<bool, DiffError> {
    let dialect = ctx.dialect;
    let sqlite = dialect.kind() == DialectKind::Sqlite;
    let t = &n.table;
    let mut rebuild = false;
    // Changes SQLite makes with ALTER TABLE; the rest waits to see
    // whether the table is rebuilt.
    let mut pending: Vec<(Phase, Change)> = Vec::new();
    let mut pend = |phase: Phase,
                    kind: ChangeKind,
                    object: Option<&str>,
                    detail: String,
                    sts: Vec<Statement>,
                    destructive: Option<String>| {
        pending.push((
            phase,
            Change {
                kind,
                table: t.clone(),
                object: object.map(str::to_owned),
                destructive,
                detail,
                statements: sts,
            },
        ));
    };

    if o.table != n.table {
        b.change(
            Phase::RenameTables,
            ChangeKind::RenameTable,
            t,
            None,
            format!("table {} renamed to {}", o.table, n.table.name),
            rename_table(ctx.dialect, &o.table, &n.table.name),
        );
    }
    // Columns.
    let map = &ctx.column_maps[&o.table];
    let mut destructive_parts: Vec<String> = Vec::new();
    for oc in &o.columns {
        match map.get(oc.name.as_str()) {
            Some(&nn) if nn != oc.name => b.change(
                Phase::RenameColumns,
                ChangeKind::RenameColumn,
                t,
                Some(nn),
                format!("column {t}.{} renamed to {nn}", oc.name),
                vec![Statement::RenameColumn {
                    table: t.clone(),
                    from: oc.name.clone(),
                    to: nn.to_owned(),
                }],
            ),
            Some(_) => {}
            None => {
                b.reshaped.insert(o.table.name.to_lowercase());
                b.reshaped.insert(t.name.to_lowercase());
                let why = format!("column {t}.{} and its values are dropped", oc.name);
                destructive_parts.push(why.clone());
                rebuild |= sqlite;
                pend(
                    Phase::DropColumns,
                    ChangeKind::DropColumn,
                    Some(&oc.name),
                    format!("column {t}.{} dropped", oc.name),
                    vec![Statement::DropColumn {
                        table: t.clone(),
                        column: oc.clone(),
                    }],
                    Some(why),
                );
            }
        }
    }
    let old_of: HashMap<&str, &str> = map.iter().map(|(&o, &n)| (n, o)).collect();
    // MariaDB keeps a column's unnamed check in the column's definition,
    // under the column's name: `DROP CONSTRAINT` does not reach it, and
    // `MODIFY COLUMN` replaces it. Such checks change with their column.
    let column_checks = dialect.kind() == DialectKind::MariaDb;
    let inline_of = |s: &TableState, column: &str, old: bool| -> Vec<(Sig, CheckDef)> {
        let table = if old { &o.table } else { t };
        // The first `checks` are `create_checks`, with the names the
        // server gave them.
        let mut v: Vec<(Sig, CheckDef)> = s
            .inline_check_columns()
            .zip(&s.checks)
            .filter(|(c, _)| *c == column)
            .map(|(_, ck)| (expr_sig(ctx, table, &ck.sql, old), ck.clone()))
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    };
    let written = |checks: &[(Sig, CheckDef)]| -> Vec<CheckDef> {
        checks
            .iter()
            .map(|(_, ck)| CheckDef {
                name: None,
                sql: ck.sql.clone(),
            })
            .collect()
    };
    // PostgreSQL: a serial column's sequence is named after its table and
    // column (`<table>_<column>_seq`, shortened as the server shortens
    // names: `makeObjectName`) and follows neither a rename nor a
    // new type (`ALTER COLUMN ... TYPE` leaves the sequence's own type,
    // and its largest value, as they were).
    if dialect.kind() == DialectKind::PostgreSql {
        let sequence = |name: &str, then: &str| {
            let mut sql = String::from("ALTER SEQUENCE IF EXISTS ");
            dialect.push_qualified(&mut sql, t.schema.as_deref(), name);
            sql.push_str(then);
            vec![Statement::Custom {
                sql,
                table: Some(t.clone()),
                transactional: true,
            }]
        };
        // An identity column's sequence is named so too, and does not
        // follow a rename either.
        for nc in n
            .columns
            .iter()
            .filter(|c| c.auto_increment || c.ty.is_identity())
        {
            let Some(&on) = old_of.get(nc.name.as_str()) else {
                continue;
            };
            let from = make_object_name(&o.table.name, Some(on), "seq");
            let to = make_object_name(&n.table.name, Some(&nc.name), "seq");
            if from != to {
                b.change(
                    Phase::RenameColumns,
                    ChangeKind::RenameSequence,
                    t,
                    Some(&to),
                    format!("sequence {from} renamed to {to}"),
                    vec![Statement::RenameSequence {
                        table: t.clone(),
                        from: from.clone(),
                        to: to.clone(),
                    }],
                );
            }
            let retyped = o
                .column(on)
                .filter(|oc| oc.auto_increment && type_changes(dialect, oc, nc).is_some());
            if let (Some(_), Ok(ty)) = (retyped, dialect.type_sql(&nc.ty)) {
                b.change(
                    Phase::Columns,
                    ChangeKind::AlterSequence,
                    t,
                    Some(&to),
                    format!("sequence {to} made {ty}"),
                    sequence(&to, &format!(" AS {ty}")),
                );
            }
        }
    }
    let comments_apart = dialect.capabilities().comments == CommentStyle::Statements;
    for nc in &n.columns {
        let Some(oc) = old_of.get(nc.name.as_str()).and_then(|on| o.column(on)) else {
            let simple = !nc.not_null || nc.default.as_deref().is_some_and(constant_default);
            rebuild |= sqlite && !simple;
            let mut column = nc.clone();
            if column_checks {
                column.checks = written(&inline_of(n, &nc.name, false));
            }
            let mut sts = vec![Statement::AddColumn {
                table: t.clone(),
                column,
            }];
            if comments_apart {
                if let Some(c) = &nc.comment {
                    sts[0] = Statement::AddColumn {
                        table: t.clone(),
                        column: crate::sql::ColumnDef {
                            comment: None,
                            ..nc.clone()
                        },
                    };
                    sts.push(Statement::Comment {
                        table: t.clone(),
                        column: Some(nc.name.clone()),
                        text: c.clone(),
                    });
                }
            }
            pend(
                Phase::Columns,
                ChangeKind::AddColumn,
                Some(&nc.name),
                format!("column {t}.{} added", nc.name),
                sts,
                None,
            );
            continue;
        };
        let type_change = type_changes(dialect, oc, nc);
        let type_changed = type_change.is_some();
        let (ot, nt) = type_change.unwrap_or_default();
        let null_changed = oc.not_null != nc.not_null;
        let default_changed = default_key(dialect, oc.default.as_deref())
            != default_key(dialect, nc.default.as_deref());
        let comment = |c: &Option<String>| c.clone().filter(|s| !s.is_empty());
        let comment_changed = comment(&oc.comment) != comment(&nc.comment);
        // SQLite's auto-increment is its rowid, which follows the primary
        // key the table is rebuilt with.
        let auto_changed = !sqlite && oc.auto_increment != nc.auto_increment;
        let (old_checks, new_checks) = if column_checks {
            (inline_of(o, &oc.name, true), inline_of(n, &nc.name, false))
        } else {
            (Vec::new(), Vec::new())
        };
        // Changed, or kept under the old column's name (MariaDB does not
        // rename a column's check with its column).
        let checks_changed = old_checks.len() != new_checks.len()
            || old_checks.iter().zip(&new_checks).any(|((a, ck), (b, _))| {
                a != b
                    || !ck
                        .name
                        .as_deref()
                        .is_none_or(|x| ctx.names_equal(x, &nc.name))
            });
        let mut whys = Vec::new();
        if type_changed && !widens(&ot, &nt) {
            whys.push(format!(
                "column {t}.{} changes type from {ot} to {nt}: values may not fit",
                nc.name
            ));
        }
        if null_changed && nc.not_null {
            whys.push(format!(
                "column {t}.{} is made NOT NULL: rows holding NULL are refused",
                nc.name
            ));
        }
        let mut details = Vec::new();
        if type_changed {
            details.push(format!("type {ot} → {nt}"));
        }
        let either = |on: bool, yes: &str, no: &str| String::from(if on { yes } else { no });
        if null_changed {
            details.push(either(nc.not_null, "NOT NULL", "nullable"));
        }
        if default_changed {
            details.push(format!(
                "default {} → {}",
                oc.default.as_deref().unwrap_or("none"),
                nc.default.as_deref().unwrap_or("none")
            ));
        }
        if auto_changed {
            details.push(either(
                nc.auto_increment,
                "auto-increment",
                "no auto-increment",
            ));
        }
        if checks_changed {
            details.push("check".into());
        }
        let alter =
            type_changed || null_changed || default_changed || auto_changed || checks_changed;
        if type_changed {
            b.reshaped.insert(o.table.name.to_lowercase());
            b.reshaped.insert(t.name.to_lowercase());
        }
        if alter || (comment_changed && !comments_apart) {
            rebuild |= sqlite;
            if comment_changed && !comments_apart {
                details.push("comment".into());
            }
            // What does not change is written as the new side has it.
            let mut from = oc.clone();
            from.name = nc.name.clone();
            if !type_changed {
                from.ty = nc.ty.clone();
            }
            if !default_changed {
                from.default = nc.default.clone();
            }
            let why = (!whys.is_empty()).then(|| whys.join("; "));
            if let Some(w) = &why {
                destructive_parts.push(w.clone());
            }
            let mut to = nc.clone();
            if column_checks {
                from.checks = written(&old_checks);
                to.checks = written(&new_checks);
            }
            let mut phase = Phase::Columns;
            let mut sts = vec![Statement::AlterColumn {
                table: t.clone(),
                from: Box::new(from),
                to: Box::new(to),
            }];
            if auto_changed {
                phase = auto_increment_change(dialect, t, &mut sts, nc.auto_increment);
            }
            pend(
                phase,
                ChangeKind::AlterColumn,
                Some(&nc.name),
                format!("column {t}.{}: {}", nc.name, details.join(", ")),
                sts,
                why,
            );
        }
        if comment_changed && comments_apart {
            pend(
                Phase::Columns,
                ChangeKind::ChangeComment,
                Some(&nc.name),
                format!("comment of column {t}.{}", nc.name),
                vec![Statement::Comment {
                    table: t.clone(),
                    column: Some(nc.name.clone()),
                    text: nc.comment.clone().unwrap_or_default(),
                }],
                None,
            );
        }
    }
    let tc = |c: &Option<String>| c.clone().filter(|s| !s.is_empty());
    if tc(&o.comment) != tc(&n.comment) {
        rebuild |= sqlite;
        pend(
            Phase::Columns,
            ChangeKind::ChangeComment,
            None,
            format!("comment of table {t}"),
            vec![Statement::Comment {
                table: t.clone(),
                column: None,
                text: n.comment.clone().unwrap_or_default(),
            }],
            None,
        );
    }

    // Primary key, unique constraints, checks.
    let (pk_o, pk_n) = (o.primary_key.as_slice(), n.primary_key.as_slice());
    rebuild |= constraints(b, ctx, &mut pend, o, t, Kind::PrimaryKey, pk_o, pk_n);
    rebuild |= constraints(
        b,
        ctx,
        &mut pend,
        o,
        t,
        Kind::Unique,
        &o.uniques,
        &n.uniques,
    );
    let (o_checks, n_checks) = if column_checks {
        let level = |s: &'_ TableState| s.create_checks.len().min(s.checks.len());
        (&o.checks[level(o)..], &n.checks[level(n)..])
    } else {
        (&o.checks[..], &n.checks[..])
    };
    rebuild |= constraints(b, ctx, &mut pend, o, t, Kind::Check, o_checks, n_checks);
    // Foreign keys.
    let fk_o: Vec<_> = o
        .foreign_keys
        .iter()
        .map(|f| (fk_sig(ctx, &o.table, f, true), f.name.clone()))
        .collect();
    let fk_n: Vec<_> = n
        .foreign_keys
        .iter()
        .map(|f| (fk_sig(ctx, t, f, false), f.name.clone()))
        .collect();
    let (pairs, dropped, added) = pair_up(ctx, &fk_o, &fk_n);
    let mut fk_changes: Vec<(Option<&ForeignKeyDef>, Option<&ForeignKeyDef>)> = Vec::new();
    let mut kept_fks: Vec<Vec<String>> = Vec::new();
    for (oi, ni) in pairs {
        let (of, nf) = (&o.foreign_keys[oi], &n.foreign_keys[ni]);
        let was_renamed = renamed(ctx, &of.name, &nf.name);
        let readd =
            was_renamed && !(dialect.can_rename_constraint(Kind::ForeignKey) && of.name.is_some());
        if !readd {
            kept_fks.push(nf.columns.iter().map(|c| c.to_lowercase()).collect());
        }
        if was_renamed {
            if dialect.can_rename_constraint(Kind::ForeignKey) && of.name.is_some() {
                b.change(
                    Phase::Renames,
                    ChangeKind::RenameConstraint,
                    t,
                    nf.name.as_deref(),
                    format!(
                        "foreign key {} renamed to {}",
                        of.name.as_deref().unwrap_or(""),
                        nf.name.as_deref().unwrap_or("")
                    ),
                    vec![Statement::RenameConstraint {
                        table: t.clone(),
                        kind: Kind::ForeignKey,
                        from: of.name.clone().unwrap_or_default(),
                        to: nf.name.clone().unwrap_or_default(),
                    }],
                );
            } else {
                fk_changes.push((Some(of), Some(nf)));
            }
        }
    }
    for oi in dropped {
        fk_changes.push((Some(&o.foreign_keys[oi]), None));
    }
    for ni in added {
        fk_changes.push((None, Some(&n.foreign_keys[ni])));
    }
    for (of, nf) in fk_changes {
        rebuild |= sqlite;
        if let Some(f) = of {
            if sqlite {
                pending.push((
                    Phase::DropForeignKeys,
                    Change {
                        kind: ChangeKind::DropForeignKey,
                        table: t.clone(),
                        object: f.name.clone(),
                        destructive: None,
                        detail: format!(
                            "foreign key ({}) to {} dropped",
                            f.columns.join(", "),
                            f.referred_table
                        ),
                        statements: vec![],
                    },
                ));
            } else if f.name.is_some() {
                // Foreign keys go before tables are renamed: the old name.
                drop_foreign_key(b, &o.table, f);
            }
        }
        if let Some(f) = nf {
            if !sqlite {
                add_foreign_key(b, t, f.clone());
            }
        }
    }
    // Indexes.
    let ix_o: Vec<_> = o
        .indexes
        .iter()
        .map(|ix| (index_sig(ctx, &o.table, &ix.def, true), ix.name.clone()))
        .collect();
    let ix_n: Vec<_> = n
        .indexes
        .iter()
        .map(|ix| (index_sig(ctx, t, &ix.def, false), ix.name.clone()))
        .collect();
    let (pairs, dropped, added) = pair_up(ctx, &ix_o, &ix_n);
    let mut index_ops: Vec<(Phase, Change)> = Vec::new();
    for (oi, ni) in pairs {
        let (oix, nix) = (&o.indexes[oi], &n.indexes[ni]);
        if !renamed(ctx, &oix.name, &nix.name) {
            continue;
        }
        let (from, to) = (oix.def.name.clone(), nix.def.name.clone());
        if dialect.can_rename_index() {
            let detail = format!("index {from} renamed to {to}");
            let object = to.clone();
            index_ops.push((
                Phase::Renames,
                change(
                    ChangeKind::RenameIndex,
                    t,
                    Some(&object),
                    detail,
                    vec![Statement::RenameIndex {
                        table: t.clone(),
                        from,
                        to,
                    }],
                ),
            ));
        } else {
            index_ops.push((Phase::DropKeys, drop_index(t, oix)));
            index_ops.push((Phase::AddChecksAndIndexes, create_index(t, nix)));
        }
    }
    for oi in dropped {
        let oix = &o.indexes[oi];
        if server_drops_it(ctx, o, n, oix) {
            continue;
        }
        index_ops.push((Phase::DropKeys, drop_index(t, oix)));
    }
    for ni in added {
        let nix = &n.indexes[ni];
        if nix.implicit {
            // The server makes it with its foreign key; a foreign key
            // that stays, and lost the index it relied on, needs it made.
            let cols: Vec<String> = nix
                .def
                .parts
                .iter()
                .map(|p| match p {
                    IndexPart::Column(c) => c.to_lowercase(),
                    IndexPart::Expression(e) => e.clone(),
                })
                .collect();
            let fk_kept = kept_fks.contains(&cols);
            if fk_kept {
                index_ops.push((Phase::EarlyIndexes, create_index(t, nix)));
            }
            continue;
        }
        index_ops.push((Phase::AddChecksAndIndexes, create_index(t, nix)));
    }

    if rebuild {
        // SQLite: one rebuild makes the table as the document has it.
        let mut whys = destructive_parts;
        whys.dedup();
        if !o.unmodelled.is_empty() {
            whys.push(format!(
                "table {t} is made again as the document says, without {}, which a document \
                 cannot say",
                o.unmodelled.join(", ")
            ));
        }
        let tmp = TableRef::new(t.schema.as_deref(), &format!("{}__nomenclator_new", t.name));
        let mut sts = vec![Statement::CreateTable(n.create_table(&tmp, true))];
        let columns: Vec<(String, String)> = n
            .columns
            .iter()
            // A generated column computes its values again.
            .filter(|c| old_of.contains_key(c.name.as_str()) && !c.ty.is_generated())
            .map(|c| (c.name.clone(), c.name.clone()))
            .collect();
        sts.push(Statement::CopyRows {
            from: t.clone(),
            to: tmp.clone(),
            columns,
        });
        sts.push(Statement::DropTable {
            table: t.clone(),
            restore: Vec::new(),
        });
        sts.push(Statement::RenameTable {
            from: tmp,
            to: t.name.clone(),
        });
        for ix in &n.indexes {
            if !ix.implicit {
                sts.push(Statement::CreateIndex(ix.def.clone()));
            }
        }
        // What the catalog carries for the table, as it was read: a table
        // or column renamed in this migration is written by its new name
        // (SQLite's RENAME rewrote the text, but the old one is what the
        // plan holds).
        let mut renames: Vec<(&str, &str)> = map
            .iter()
            .filter(|(o, n)| o != n)
            .map(|(&o, &n)| (o, n))
            .collect();
        if o.table.name != t.name {
            renames.push((o.table.name.as_str(), t.name.as_str()));
        }
        let caps = ctx.dialect.capabilities();
        let case = ctx.dialect.namespaces().case;
        let quote = |name: &str| ctx.dialect.quote(name);
        for (table, create) in ctx.carried {
            if *table == o.table || *table == *t {
                let sql = if renames.is_empty() {
                    create.clone()
                } else {
                    rename_identifiers(create, &caps.lexical, case, &renames, &quote)
                };
                sts.push(Statement::Custom {
                    sql,
                    table: Some(t.clone()),
                    transactional: true,
                });
            }
        }
        let what: Vec<String> = pending.iter().map(|(_, c)| c.detail.clone()).collect();
        b.push(
            Phase::Rebuilds,
            Change {
                kind: ChangeKind::RebuildTable,
                table: t.clone(),
                object: None,
                destructive: (!whys.is_empty()).then(|| whys.join("; ")),
                detail: format!("table {t} rebuilt: {}", what.join("; ")),
                statements: sts,
            },
        );
        let _ = index_ops;
        return Ok(true);
    }
    for (phase, c) in pending.into_iter().chain(index_ops) {
        b.push(phase, c);
    }
    Ok(false)
}

/// MySQL: the index it made for a foreign key that stays goes by itself
/// once another index or key can serve that foreign key (and cannot be
/// dropped before).
fn server_drops_it(ctx: &Ctx<'_>, o: &TableState, n: &TableState, ix: &IndexState) -> bool {
    if !matches!(
        ctx.dialect.kind(),
        DialectKind::MySql | DialectKind::MariaDb
    ) {
        return false;
    }
    let cols: Vec<String> = ix
        .def
        .parts
        .iter()
        .filter_map(|p| match p {
            IndexPart::Column(c) => Some(ctx.column(&o.table, c).to_lowercase()),
            IndexPart::Expression(_) => None,
        })
        .collect();
    let lower = |v: &[String]| v.iter().map(|c| c.to_lowercase()).collect::<Vec<_>>();
    let starts = |key: &[String], fk: &[String]| {
        key.len() >= fk.len() && lower(&key[..fk.len()]) == lower(fk)
    };
    n.foreign_keys.iter().any(|f| {
        lower(&f.columns) == cols
            && (n.primary_key.iter().any(|k| starts(&k.columns, &f.columns))
                || n.uniques.iter().any(|k| starts(&k.columns, &f.columns))
                || n.indexes.iter().any(|x| {
                    let xc: Vec<String> = x
                        .def
                        .parts
                        .iter()
                        .filter_map(|p| match p {
                            IndexPart::Column(c) => Some(c.clone()),
                            IndexPart::Expression(_) => None,
                        })
                        .collect();
                    starts(&xc, &f.columns)
                }))
    })
}

fn change(
    kind: ChangeKind,
    t: &TableRef,
    object: Option<&str>,
    detail: String,
    statements: Vec<Statement>,
) -> Change {
    Change {
        kind,
        table: t.clone(),
        object: object.map(str::to_owned),
        destructive: None,
        detail,
        statements,
    }
}

fn drop_index(t: &TableRef, ix: &IndexState) -> Change {
    let mut def = ix.def.clone();
    def.table = t.clone();
    change(
        ChangeKind::DropIndex,
        t,
        Some(&def.name.clone()),
        format!("index {} dropped", def.name),
        vec![Statement::DropIndex { index: def }],
    )
}

fn create_index(t: &TableRef, ix: &IndexState) -> Change {
    let parts: Vec<String> = ix
        .def
        .parts
        .iter()
        .map(|p| match p {
            IndexPart::Column(c) => c.clone(),
            IndexPart::Expression(e) => format!("({e})"),
        })
        .collect();
    change(
        ChangeKind::AddIndex,
        t,
        Some(&ix.def.name),
        format!(
            "{}index {} ({})",
            if ix.def.unique { "unique " } else { "" },
            ix.def.name,
            parts.join(", ")
        ),
        vec![Statement::CreateIndex(ix.def.clone())],
    )
}

type Pend<'a> =
    dyn FnMut(Phase, ChangeKind, Option<&str>, String, Vec<Statement>, Option<String>) + 'a;

/// What [`constraints`] needs of a primary key, a unique constraint or a
/// check.
trait Constraint: Clone {
    /// Its name, if it has one.
    fn name(&self) -> &Option<String>;
    /// What it is, whatever it is called: its signature in table `t`.
    fn sig(&self, ctx: &Ctx<'_>, t: &TableRef, old: bool) -> Sig;
    /// It as a statement's constraint of `kind`.
    fn def(&self, kind: Kind) -> ConstraintDef;
    /// `self`, the old one, as it is just before its rename to `new`'s
    /// name: its columns are already the new ones.
    fn before_rename(&self, new: &Self, kind: Kind) -> ConstraintDef;
    /// How a change names it: `primary key (a, b)`, `check (x > 0)`.
    fn describe(&self, kind: Kind) -> String;
    /// It, named `name`.
    fn named(&self, name: Option<String>) -> Self;
    /// The name the server would give it in old table `t` once the diff's
    /// renames are made, where that is not the name it has: `None` but
    /// for a name the server chose after a renamed column.
    fn server_name_after(&self, ctx: &Ctx<'_>, t: &TableRef, kind: Kind) -> Option<String> {
        let _ = (ctx, t, kind);
        None
    }
    /// For an unnamed one, the name the server would likely give it, so
    /// that it pairs with an old object of that name before any other of
    /// the same definition: `None` where there is no such guess.
    fn server_name_hint(&self, ctx: &Ctx<'_>, kind: Kind) -> Option<String> {
        let _ = (ctx, kind);
        None
    }
}

impl Constraint for Key {
    fn name(&self) -> &Option<String> {
        &self.name
    }

    fn sig(&self, ctx: &Ctx<'_>, t: &TableRef, old: bool) -> Sig {
        key_sig(ctx, t, &self.columns, old)
    }

    fn def(&self, kind: Kind) -> ConstraintDef {
        let (name, columns) = (self.name.clone(), self.columns.clone());
        match kind {
            Kind::PrimaryKey => ConstraintDef::PrimaryKey { name, columns },
            _ => ConstraintDef::Unique { name, columns },
        }
    }

    fn before_rename(&self, new: &Self, kind: Kind) -> ConstraintDef {
        Key {
            name: self.name.clone(),
            columns: new.columns.clone(),
        }
        .def(kind)
    }

    fn describe(&self, kind: Kind) -> String {
        format!("{} ({})", kind.describe(), self.columns.join(", "))
    }

    fn named(&self, name: Option<String>) -> Self {
        Key {
            name,
            columns: self.columns.clone(),
        }
    }

    /// MySQL and MariaDB name an unnamed unique key after its first column.
    fn server_name_hint(&self, ctx: &Ctx<'_>, kind: Kind) -> Option<String> {
        let mysql = matches!(
            ctx.dialect.kind(),
            DialectKind::MySql | DialectKind::MariaDb
        );
        (mysql && kind == Kind::Unique && self.name.is_none())
            .then(|| self.columns.first().cloned())
            .flatten()
    }

    /// MySQL and MariaDB name an unnamed unique key after its first column
    /// (`_2`, `_3` where that is taken) and keep the name when the column
    /// is renamed; a new table would have the new column's name.
    fn server_name_after(&self, ctx: &Ctx<'_>, t: &TableRef, kind: Kind) -> Option<String> {
        let mysql = matches!(
            ctx.dialect.kind(),
            DialectKind::MySql | DialectKind::MariaDb
        );
        if !mysql || kind != Kind::Unique {
            return None;
        }
        let (name, first) = (self.name.as_deref()?, self.columns.first()?);
        let suffix = name
            .get(..first.len())
            .filter(|p| p.eq_ignore_ascii_case(first))
            .map(|_| &name[first.len()..])?;
        let numbered = suffix
            .strip_prefix('_')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        let now = ctx.column_name(t, first);
        (now != first.as_str() && (suffix.is_empty() || numbered)).then(|| format!("{now}{suffix}"))
    }
}

impl Constraint for CheckDef {
    fn name(&self) -> &Option<String> {
        &self.name
    }

    fn sig(&self, ctx: &Ctx<'_>, t: &TableRef, old: bool) -> Sig {
        expr_sig(ctx, t, &self.sql, old)
    }

    fn def(&self, _kind: Kind) -> ConstraintDef {
        ConstraintDef::Check(self.clone())
    }

    fn before_rename(&self, _new: &Self, kind: Kind) -> ConstraintDef {
        self.def(kind)
    }

    fn describe(&self, _kind: Kind) -> String {
        format!("check ({})", self.sql.trim())
    }

    fn named(&self, name: Option<String>) -> Self {
        CheckDef {
            name,
            sql: self.sql.clone(),
        }
    }
}

/// Primary keys, unique constraints and checks of kind `kind`, `old` in
/// the old table `o` and `new` in `t`: paired by definition, then renamed,
/// dropped, added. `true` when SQLite must rebuild.
#[allow(clippy::too_many_arguments)]
fn constraints<C: Constraint>(
    b: &mut Builder<'_>,
    ctx: &Ctx<'_>,
    pend: &mut Pend<'_>,
    o: &TableState,
    t: &TableRef,
    kind: Kind,
    old: &[C],
    new: &[C],
) -> bool {
    let sqlite = ctx.dialect.kind() == DialectKind::Sqlite;
    let (drop_kind, add_kind, add_phase) = match kind {
        Kind::PrimaryKey => (
            ChangeKind::DropPrimaryKey,
            ChangeKind::AddPrimaryKey,
            Phase::AddKeys,
        ),
        Kind::Check => (
            ChangeKind::DropCheck,
            ChangeKind::AddCheck,
            Phase::AddChecksAndIndexes,
        ),
        _ => (
            ChangeKind::DropUnique,
            ChangeKind::AddUnique,
            Phase::AddKeys,
        ),
    };
    let sig_o: Vec<_> = old
        .iter()
        .map(|c| (c.sig(ctx, &o.table, true), c.name().clone()))
        .collect();
    let sig_n: Vec<_> = new
        .iter()
        .map(|c| {
            let name = c.name().clone().or_else(|| c.server_name_hint(ctx, kind));
            (c.sig(ctx, t, false), name)
        })
        .collect();
    let (pairs, dropped, added) = pair_up(ctx, &sig_o, &sig_n);
    let mut rebuild = false;
    for (oi, ni) in pairs {
        let (oc, nc) = (&old[oi], &new[ni]);
        let target = match nc.name() {
            Some(_) => nc.clone(),
            None => nc.named(oc.server_name_after(ctx, &o.table, kind)),
        };
        if renamed(ctx, oc.name(), target.name()) {
            rebuild |= sqlite;
            rename_or_readd(
                b,
                ctx,
                pend,
                t,
                kind,
                oc.name().as_deref(),
                target.name().as_deref().unwrap_or(""),
                oc.before_rename(&target, kind),
                target.def(kind),
            );
        }
    }
    for &oi in &dropped {
        rebuild |= sqlite;
        let c = &old[oi];
        pend(
            Phase::DropKeys,
            drop_kind,
            c.name().as_deref(),
            format!("{} dropped", c.describe(kind)),
            vec![Statement::DropConstraint {
                table: t.clone(),
                constraint: c.def(kind),
            }],
            None,
        );
    }
    // MySQL keeps a foreign key on an index whose first columns are the
    // key's, and refuses to drop it (1553) while no other index leads with
    // them: a new unique key that does is added before the old one goes.
    let mysql = matches!(
        ctx.dialect.kind(),
        DialectKind::MySql | DialectKind::MariaDb
    );
    let columns_of = |d: &ConstraintDef| -> Vec<String> {
        match d {
            ConstraintDef::Unique { columns, .. } => {
                columns.iter().map(|c| c.to_lowercase()).collect()
            }
            _ => Vec::new(),
        }
    };
    let leads = |key: &[String], fk: &ForeignKeyDef| {
        fk.columns.len() <= key.len()
            && fk
                .columns
                .iter()
                .zip(key)
                .all(|(f, k)| f.eq_ignore_ascii_case(k))
    };
    let dropped_keys: Vec<(Option<String>, Vec<String>)> = dropped
        .iter()
        .map(|&oi| (old[oi].name().clone(), columns_of(&old[oi].def(kind))))
        .collect();
    for ni in added {
        rebuild |= sqlite;
        let c = &new[ni];
        let def = c.def(kind);
        let cols = columns_of(&def);
        let early = mysql
            && kind == Kind::Unique
            && cols
                .iter()
                .all(|c| o.columns.iter().any(|x| x.name.eq_ignore_ascii_case(c)))
            && !dropped_keys.iter().any(|(name, _)| {
                name.as_deref()
                    .zip(c.name().as_deref())
                    .is_some_and(|(a, b)| a.eq_ignore_ascii_case(b))
            })
            && o.foreign_keys
                .iter()
                .any(|fk| leads(&cols, fk) && dropped_keys.iter().any(|(_, key)| leads(key, fk)));
        pend(
            if early {
                Phase::EarlyIndexes
            } else {
                add_phase
            },
            add_kind,
            c.name().as_deref(),
            c.describe(kind),
            vec![Statement::AddConstraint {
                table: t.clone(),
                constraint: def,
            }],
            None,
        );
    }
    rebuild
}

/// A constraint renamed in place where the dialect can, else dropped and
/// added under its new name.
#[allow(clippy::too_many_arguments)]
fn rename_or_readd(
    b: &mut Builder<'_>,
    ctx: &Ctx<'_>,
    pend: &mut Pend<'_>,
    t: &TableRef,
    kind: Kind,
    from: Option<&str>,
    to: &str,
    old: ConstraintDef,
    new: ConstraintDef,
) {
    if ctx.dialect.kind() == DialectKind::Sqlite {
        pend(
            Phase::Renames,
            ChangeKind::RenameConstraint,
            Some(to),
            format!(
                "{} {} renamed to {to}",
                kind.describe(),
                from.unwrap_or("(unnamed)")
            ),
            vec![],
            None,
        );
        return;
    }
    let Some(from) = from else { return };
    if ctx.dialect.can_rename_constraint(kind) {
        b.change(
            Phase::Renames,
            ChangeKind::RenameConstraint,
            t,
            Some(to),
            format!("{} {from} renamed to {to}", kind.describe()),
            vec![Statement::RenameConstraint {
                table: t.clone(),
                kind,
                from: from.to_owned(),
                to: to.to_owned(),
            }],
        );
        return;
    }
    let (dk, ak, phase) = match kind {
        Kind::PrimaryKey => (
            ChangeKind::DropPrimaryKey,
            ChangeKind::AddPrimaryKey,
            Phase::AddKeys,
        ),
        Kind::Unique => (
            ChangeKind::DropUnique,
            ChangeKind::AddUnique,
            Phase::AddKeys,
        ),
        _ => (
            ChangeKind::DropCheck,
            ChangeKind::AddCheck,
            Phase::AddChecksAndIndexes,
        ),
    };
    pend(
        Phase::DropKeys,
        dk,
        Some(from),
        format!("{} {from} dropped to be added as {to}", kind.describe()),
        vec![Statement::DropConstraint {
            table: t.clone(),
            constraint: old,
        }],
        None,
    );
    pend(
        phase,
        ak,
        Some(to),
        format!("{} {from} added again as {to}", kind.describe()),
        vec![Statement::AddConstraint {
            table: t.clone(),
            constraint: new,
        }],
        None,
    );
}

/// Whether SQLite's `ADD COLUMN` takes `d` as a NOT NULL column's default.
fn constant_default(d: &str) -> bool {
    let d = d.trim();
    !d.contains('(') && !d.to_ascii_uppercase().starts_with("CURRENT_")
}

/// Views: dropped, changed (dropped and made again) and added. With
/// `all`, every view both sides have is made again (SQLite rebuilds).
fn views(b: &mut Builder<'_>, old: &Schema, new: &Schema, all: bool) {
    let dialect = b.dialect;
    let key = |v: &ViewDef| (v.schema.clone(), v.name.clone());
    // A view over a reshaped table is made again: PostgreSQL refuses to
    // change a column's type under a view, and SQLite's rebuilt table is
    // a new one.
    let over_reshaped = |v: &ViewDef| {
        let k = view_key(dialect, &v.sql);
        k.split(' ').any(|w| b.reshaped.contains(w))
    };
    let remade: HashSet<(Option<String>, String)> = old
        .views
        .iter()
        .filter(|v| over_reshaped(v))
        .map(key)
        .collect();
    let all_or = |v: &ViewDef| all || remade.contains(&key(v));
    for ov in &old.views {
        let same = new.views.iter().find(|nv| key(nv) == key(ov));
        let changed = match same {
            None => true,
            Some(nv) => all_or(ov) || view_key(dialect, &nv.sql) != view_key(dialect, &ov.sql),
        };
        if changed {
            let t = TableRef::new(ov.schema.as_deref(), &ov.name);
            b.change(
                Phase::DropViews,
                ChangeKind::DropView,
                &t,
                None,
                format!("view {t} dropped"),
                vec![Statement::DropView(ov.clone())],
            );
        }
    }
    for nv in &new.views {
        let same = old.views.iter().find(|ov| key(ov) == key(nv));
        let changed = match same {
            None => true,
            Some(ov) => all_or(ov) || view_key(dialect, &nv.sql) != view_key(dialect, &ov.sql),
        };
        if changed {
            let t = TableRef::new(nv.schema.as_deref(), &nv.name);
            b.change(
                Phase::CreateViews,
                ChangeKind::AddView,
                &t,
                None,
                format!("view {t}"),
                vec![Statement::CreateView(nv.clone())],
            );
        }
    }
}

/// The tables migration runners keep their history in (refinery, sqlx,
/// diesel, Alembic, Flyway, Rails and golang-migrate): a database that a
/// runner migrates holds one, which no schema document describes.
pub const RUNNER_TABLES: &[&str] = &[
    "refinery_schema_history",
    "_sqlx_migrations",
    "__diesel_schema_migrations",
    "alembic_version",
    "flyway_schema_history",
    "schema_migrations",
];

/// Whether `name` is one of [`RUNNER_TABLES`] (compared without case).
fn is_runner_table(name: &str) -> bool {
    RUNNER_TABLES.iter().any(|r| r.eq_ignore_ascii_case(name))
}

/// Dropped tables, each before the dropped tables it refers to; ties by
/// (schema, name), so that a document and a catalog, which list tables in
/// orders of their own, give the same script. `true` with them when some
/// refer to each other in a circle (the order then breaks it anywhere).
fn drop_order<'a>(tables: &[&'a TableState]) -> (Vec<&'a TableState>, bool) {
    let mut left: Vec<&TableState> = tables.to_vec();
    left.sort_by(|a, b| {
        (a.table.schema.as_deref(), &a.table.name).cmp(&(b.table.schema.as_deref(), &b.table.name))
    });
    let mut out = Vec::new();
    let mut circle = false;
    while !left.is_empty() {
        let free = left.iter().position(|t| {
            !left.iter().any(|o| {
                o.table != t.table && o.foreign_keys.iter().any(|f| f.referred_table == t.table)
            })
        });
        circle |= free.is_none();
        out.push(left.remove(free.unwrap_or(0)));
    }
    (out, circle)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two documents of `n` tables that differ in every way a pair of
    /// tables can: renamed constraints, altered, renamed, added and
    /// dropped columns, a rebuilt SQLite table, foreign keys to renamed
    /// columns of other tables, spread over both halves of the pairs.
    fn pair_of_documents(n: usize) -> (String, String) {
        let table = |i: usize, new: bool| {
            let prev = if i > 0 { i - 1 } else { n - 1 };
            let (code, code_from) = match (new, i % 4) {
                (true, 1) => ("label", r#", "renamed_from": "code""#),
                _ => ("code", ""),
            };
            let amount = match (new, i % 3) {
                (true, 0) => r#"{"name": "amount", "type": "numeric(14,2)"}"#,
                (true, 2) => r#"{"name": "amount", "type": "numeric(12,2)", "nullable": false}"#,
                _ => r#"{"name": "amount", "type": "numeric(12,2)"}"#,
            };
            let extra = match (new, i % 5) {
                (true, 0) => r#", {"name": "added", "type": "integer"}"#,
                (false, 3) => r#", {"name": "gone", "type": "integer"}"#,
                _ => "",
            };
            let uq = if new && i.is_multiple_of(2) {
                "uq_new_"
            } else {
                "uq_"
            };
            let prev_code = if new && prev % 4 == 1 {
                "label"
            } else {
                "code"
            };
            format!(
                r#"{{"name": "t{i}", "columns": [{{"name": "id", "type": "bigint", "primary_key": true}},
                  {{"name": "{code}", "type": "varchar(20)"{code_from}}}, {amount},
                  {{"name": "ref", "type": "varchar(20)"}}{extra}],
                 "uniques": [{{"name": "{uq}t{i}_{code}", "columns": ["{code}"]}}],
                 "foreign_keys": [{{"columns": ["ref"], "references": "t{prev}", "referred_columns": ["{prev_code}"]}}],
                 "checks": [{{"name": "ck_t{i}_amount", "sql": "amount >= 0"}}],
                 "indexes": [{{"name": "ix_t{i}_ref", "columns": ["ref"]}}]}}"#
            )
        };
        let doc = |new: bool| {
            let tables: Vec<String> = (0..n).map(|i| table(i, new)).collect();
            format!(r#"{{"tables": [{}]}}"#, tables.join(",\n"))
        };
        (doc(false), doc(true))
    }

    /// The pairs of tables compared on two threads give the migration one
    /// thread gives: the same changes in the same order, in every dialect.
    /// Names passed on by renames (a swap, a chain) are refused rather
    /// than matched by name, which would leave each table's rows, or each
    /// column's values, under the other's name; a `renamed_from` left in
    /// the document after its migration ran is still no change.
    /// SQLite takes `order` to `Order` through a name of its own (it
    /// refuses the rename in one step: the name is taken); elsewhere, and
    /// for other renames, one statement.
    #[test]
    fn a_rename_of_case_only_goes_through_another_name_on_sqlite() {
        let order = TableRef::new(None, "order");
        let sql = |d: &dyn Dialect, to: &str| {
            rename_table(d, &order, to)
                .iter()
                .map(|st| d.to_sql(st).unwrap())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            sql(&crate::dialect::Sqlite, "Order"),
            [
                r#"ALTER TABLE "order" RENAME TO Order__nomenclator_case"#,
                r#"ALTER TABLE Order__nomenclator_case RENAME TO "Order""#
            ]
        );
        assert_eq!(sql(&crate::dialect::Sqlite, "orders").len(), 1);
        assert_eq!(sql(&PostgreSql, "Order").len(), 1);
    }

    /// PostgreSQL: a serial key made `bigint` takes its sequence with it
    /// (else the sequence stops at 2^31 - 1); a column without a sequence
    /// and other dialects have no such statement.
    /// A table in a schema of its own that refers to a table without one,
    /// its key's action changed: MySQL names the referred table's database
    /// (it would read the name in the referring table's), and SQLite's
    /// rebuild declares the key once.
    #[test]
    fn a_key_from_another_schema_is_made_again_where_it_refers() {
        let options = crate::document::LoadOptions::new();
        let doc = |action: &str| {
            let text = format!(
                r#"{{"tables": [{{"name": "account", "columns": [{{"name": "id", "type": "integer", "primary_key": true}}]}},
                {{"name": "audit_log", "schema": "audit", "columns": [{{"name": "id", "type": "integer", "primary_key": true}},
                {{"name": "account_id", "type": "integer", "references": "account.id", "on_delete": "{action}"}}]}}]}}"#
            );
            crate::document::load_str(&text, &options).unwrap()
        };
        let (a, b) = (doc("set null"), doc("cascade"));
        let script = |d: &dyn Dialect, database: Option<&str>| {
            let ddl = DdlOptions {
                database: database.map(str::to_owned),
                ..DdlOptions::default()
            };
            let old = Schema::from_metadata(&a, d, &ddl, database).unwrap();
            let new = Schema::from_metadata(&b, d, &ddl, database).unwrap();
            diff(&old, &new, d).unwrap().script().unwrap()
        };
        let my = script(&crate::dialect::MariaDb, Some("app"));
        assert!(
            my.contains("REFERENCES app.account (id) ON DELETE CASCADE"),
            "{my}"
        );
        let lite = script(&crate::dialect::Sqlite, None);
        assert_eq!(lite.matches("FOREIGN KEY").count(), 1, "{lite}");
    }

    /// The inverse (a down script) of a renamed table with a serial key
    /// renames the sequence back; that of a new table with a comment and
    /// an index is its drop alone.
    #[test]
    fn renames_and_new_tables_with_comments_and_indexes_have_inverses() {
        let options = crate::document::LoadOptions::new();
        let load = |text: &str| crate::document::load_str(text, &options).unwrap();
        let ddl = DdlOptions::default();
        let inverse = |a: &str, b: &str, d: &dyn Dialect| -> Vec<String> {
            let old = Schema::from_metadata(&load(a), d, &ddl, None).unwrap();
            let new = Schema::from_metadata(&load(b), d, &ddl, None).unwrap();
            let m = diff(&old, &new, d).unwrap();
            m.inverse()
                .expect("an inverse")
                .iter()
                .map(|st| d.to_sql(st).unwrap())
                .collect()
        };
        let coupon = r#"{"tables": [{"name": "coupon", "columns": [{"name": "id", "type": "integer", "primary_key": true}]}]}"#;
        let promo = r#"{"tables": [{"name": "promo", "renamed_from": "coupon", "columns": [{"name": "id", "type": "integer", "primary_key": true}]}]}"#;
        let back = inverse(coupon, promo, &PostgreSql);
        assert!(
            back.contains(
                &"ALTER SEQUENCE IF EXISTS promo_id_seq RENAME TO coupon_id_seq".to_owned()
            ),
            "{back:?}"
        );
        let with_b = r#"{"tables": [{"name": "coupon", "columns": [{"name": "id", "type": "integer", "primary_key": true}]},
            {"name": "b", "comment": "the b", "columns": [{"name": "id", "type": "integer", "primary_key": true},
            {"name": "c", "type": "integer", "references": "coupon.id", "index": true}]}]}"#;
        for d in [&PostgreSql as &dyn Dialect, &crate::dialect::MariaDb] {
            assert_eq!(inverse(coupon, with_b, d), ["DROP TABLE b"], "{}", d.name());
        }
    }

    /// MySQL keeps a foreign key on the unique key that leads with its
    /// column: the unique key that replaces it is added first.
    #[test]
    fn mysql_adds_the_unique_key_a_foreign_key_moves_to_before_dropping_the_old() {
        let options = crate::document::LoadOptions::new();
        let doc = |second: &str| {
            let text = format!(
                r#"{{"tables": [{{"name": "project", "columns": [{{"name": "id", "type": "integer", "primary_key": true}}]}},
                {{"name": "sprint", "columns": [{{"name": "id", "type": "integer", "primary_key": true}},
                {{"name": "project_id", "type": "integer", "nullable": false, "references": "project.id"}},
                {{"name": "starts_on", "type": "date"}}, {{"name": "ends_on", "type": "date"}}],
                "uniques": [{{"columns": ["project_id", "{second}"], "name": "uq_{second}"}}]}}]}}"#
            );
            crate::document::load_str(&text, &options).unwrap()
        };
        let ddl = DdlOptions::default();
        let d = &crate::dialect::MariaDb;
        let old = Schema::from_metadata(&doc("starts_on"), d, &ddl, None).unwrap();
        let new = Schema::from_metadata(&doc("ends_on"), d, &ddl, None).unwrap();
        let script = diff(&old, &new, d).unwrap().script().unwrap();
        let at = |s: &str| script.find(s).unwrap_or_else(|| panic!("{s}: {script}"));
        assert!(
            at("ADD CONSTRAINT uq_ends_on") < at("DROP CONSTRAINT uq_starts_on"),
            "{script}"
        );
    }

    #[test]
    fn an_identity_columns_sequence_follows_its_table_and_column() {
        let options = crate::document::LoadOptions::new();
        let doc = |table: &str, extra: &str| {
            let text = format!(
                r#"{{"tables": [{{"name": "{table}", {extra} "columns": [{{"name": "id",
                "type": "bigint GENERATED ALWAYS AS IDENTITY", "primary_key": true,
                "autoincrement": false}}]}}]}}"#
            );
            crate::document::load_str(&text, &options).unwrap()
        };
        let (a, b) = (
            doc("client", ""),
            doc("customer", r#""renamed_from": "client","#),
        );
        let ddl = DdlOptions::default();
        let old = Schema::from_metadata(&a, &PostgreSql, &ddl, None).unwrap();
        let new = Schema::from_metadata(&b, &PostgreSql, &ddl, None).unwrap();
        let pg = diff(&old, &new, &PostgreSql).unwrap().script().unwrap();
        assert!(
            pg.contains("ALTER SEQUENCE IF EXISTS client_id_seq RENAME TO customer_id_seq"),
            "{pg}"
        );
    }

    #[test]
    fn a_widened_serial_widens_its_sequence() {
        let options = crate::document::LoadOptions::new();
        let doc = |id: &str, v: &str| {
            let text = format!(
                r#"{{"tables": [{{"name": "tally", "columns": [{{"name": "id", "type": "{id}", "primary_key": true}},
                {{"name": "v", "type": "{v}"}}]}}]}}"#
            );
            crate::document::load_str(&text, &options).unwrap()
        };
        let (a, b) = (doc("integer", "integer"), doc("bigint", "bigint"));
        let script = |d: &dyn Dialect| {
            let ddl = DdlOptions::default();
            let old = Schema::from_metadata(&a, d, &ddl, None).unwrap();
            let new = Schema::from_metadata(&b, d, &ddl, None).unwrap();
            diff(&old, &new, d).unwrap().script().unwrap()
        };
        let pg = script(&PostgreSql);
        assert!(
            pg.contains("ALTER SEQUENCE IF EXISTS tally_id_seq AS BIGINT"),
            "{pg}"
        );
        assert!(!pg.contains("tally_v_seq"), "{pg}");
        assert!(!script(&crate::dialect::MariaDb).contains("SEQUENCE"));

        // A long name is shortened as the server shortens it: the longer
        // of table and column first, to 63 bytes in all.
        let (table, column) = ("t".repeat(40), "c".repeat(40));
        let long = |ty: &str| {
            let text = format!(
                r#"{{"tables": [{{"name": "{table}", "columns": [{{"name": "{column}", "type": "{ty}", "primary_key": true}}]}}]}}"#
            );
            crate::document::load_str(&text, &options).unwrap()
        };
        let ddl = DdlOptions::default();
        let old = Schema::from_metadata(&long("integer"), &PostgreSql, &ddl, None).unwrap();
        let new = Schema::from_metadata(&long("bigint"), &PostgreSql, &ddl, None).unwrap();
        let pg = diff(&old, &new, &PostgreSql).unwrap().script().unwrap();
        let seq = format!("{}_{}_seq", "t".repeat(29), "c".repeat(29));
        assert!(
            pg.contains(&format!("ALTER SEQUENCE IF EXISTS {seq} AS BIGINT")),
            "{pg}"
        );
    }

    /// A primary key moved from an auto-increment `id` to `code`, with a
    /// foreign key that keeps referring to `id` (now unique): the foreign
    /// key goes before the key it rests on and comes back after the new
    /// keys; MySQL drops its `PRIMARY` key by the clause it has, and the
    /// column stops auto-incrementing before, and starts after, its key;
    /// PostgreSQL's serial column loses or gains its sequence.
    #[test]
    fn a_moved_primary_key_takes_its_auto_increment_and_foreign_keys_along() {
        let options = crate::document::LoadOptions::new();
        let doc = |pk_on_id: bool| {
            let (id, code, uniques) = if pk_on_id {
                (r#""primary_key": true"#, r#""nullable": false"#, "[]")
            } else {
                (
                    r#""nullable": false"#,
                    r#""primary_key": true"#,
                    r#"[{"name": "uq_parent_id", "columns": ["id"]}]"#,
                )
            };
            let text = format!(
                r#"{{"naming_convention": {{"pk": "%(table_name)s_pkey"}},
                "tables": [{{"name": "parent", "columns": [{{"name": "id", "type": "integer", {id}}},
                {{"name": "code", "type": "varchar(10)", {code}}}], "uniques": {uniques}}},
                {{"name": "child", "columns": [{{"name": "id", "type": "integer", "primary_key": true}},
                {{"name": "parent_id", "type": "integer"}}],
                "foreign_keys": [{{"name": "fk_child", "columns": ["parent_id"], "references": "parent", "referred_columns": ["id"]}}]}}]}}"#
            );
            crate::document::load_str(&text, &options).unwrap()
        };
        let script = |d: &dyn Dialect, from: bool| {
            let ddl = DdlOptions::default();
            let mut old = Schema::from_metadata(&doc(from), d, &ddl, None).unwrap();
            old.predict_server_names(d);
            let new = Schema::from_metadata(&doc(!from), d, &ddl, None).unwrap();
            let sql = diff(&old, &new, d).unwrap().script().unwrap();
            sql.split(";\n")
                .map(|s| s.trim().to_owned())
                .collect::<Vec<_>>()
        };
        let at = |sts: &[String], what: &str| {
            sts.iter()
                .position(|s| s.contains(what))
                .unwrap_or_else(|| panic!("no {what} in {sts:#?}"))
        };
        let in_order = |sts: &[String], order: &[&str]| {
            let places: Vec<usize> = order.iter().map(|w| at(sts, w)).collect();
            assert!(places.is_sorted(), "{sts:#?}");
        };
        let my = script(&crate::dialect::MariaDb, true);
        in_order(
            &my,
            &[
                "DROP FOREIGN KEY fk_child",
                "MODIFY COLUMN id INTEGER NOT NULL",
                "ALTER TABLE parent DROP PRIMARY KEY",
                "ADD PRIMARY KEY (code)",
                "ADD CONSTRAINT uq_parent_id UNIQUE (id)",
                "ALTER TABLE child ADD CONSTRAINT fk_child FOREIGN KEY",
            ],
        );
        assert!(!my.iter().any(|s| s.contains("AUTO_INCREMENT")), "{my:#?}");
        let back = script(&crate::dialect::MariaDb, false);
        assert!(
            at(&back, "ADD PRIMARY KEY (id)")
                < at(&back, "MODIFY COLUMN id INTEGER NOT NULL AUTO_INCREMENT"),
            "{back:#?}"
        );

        let pg = script(&PostgreSql, true);
        in_order(
            &pg,
            &[
                "DROP CONSTRAINT fk_child",
                "DROP CONSTRAINT parent_pkey",
                "ADD CONSTRAINT parent_pkey PRIMARY KEY (code)",
                "ADD CONSTRAINT fk_child",
            ],
        );
        at(&pg, "ALTER COLUMN id DROP DEFAULT");
        at(&pg, "DROP SEQUENCE IF EXISTS parent_id_seq");
        let back = script(&PostgreSql, false);
        assert!(
            at(
                &back,
                "CREATE SEQUENCE parent_id_seq AS INTEGER OWNED BY parent.id"
            ) < at(&back, "SET DEFAULT nextval('parent_id_seq'::regclass)"),
            "{back:#?}"
        );
        at(&back, "SELECT setval('parent_id_seq'");
    }

    /// MariaDB keeps a column's unnamed check in the column's definition,
    /// under the column's name: it changes with its column (`MODIFY
    /// COLUMN` with the check, or without it to drop it), never with
    /// `DROP CONSTRAINT`, which the server refuses for it; a widened
    /// column keeps its check; a renamed column's check is declared again
    /// (the server keeps the old name); an added column brings its check.
    #[test]
    fn mariadb_column_checks_change_with_their_column() {
        let options = crate::document::LoadOptions::new();
        let doc = |text: &str| crate::document::load_str(text, &options).unwrap();
        let a = doc(
            r#"{"tables": [{"name": "item", "columns": [{"name": "id", "type": "integer", "primary_key": true},
            {"name": "qty", "type": "integer", "check": "qty > 0"},
            {"name": "price", "type": "integer", "check": "price > 0"},
            {"name": "note", "type": "varchar(10)", "check": "note <> ''"}]}]}"#,
        );
        let b = doc(
            r#"{"tables": [{"name": "item", "columns": [{"name": "id", "type": "integer", "primary_key": true},
            {"name": "qty", "type": "bigint", "check": "qty > 0"},
            {"name": "price", "type": "integer"},
            {"name": "memo", "type": "varchar(10)", "check": "memo <> ''", "renamed_from": "note"},
            {"name": "extra", "type": "integer", "check": "extra > 5"}]}]}"#,
        );
        let d = &crate::dialect::MariaDb;
        let ddl = DdlOptions::default();
        let mut old = Schema::from_metadata(&a, d, &ddl, None).unwrap();
        old.predict_server_names(d);
        let new = Schema::from_metadata(&b, d, &ddl, None).unwrap();
        let script = diff(&old, &new, d).unwrap().script().unwrap();
        let sts: Vec<&str> = script
            .split(";\n")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        assert_eq!(
            sts,
            [
                "ALTER TABLE item RENAME COLUMN note TO memo",
                "ALTER TABLE item MODIFY COLUMN qty BIGINT CHECK (qty > 0)",
                "ALTER TABLE item MODIFY COLUMN price INTEGER",
                "ALTER TABLE item MODIFY COLUMN memo VARCHAR(10) CHECK (memo <> '')",
                "ALTER TABLE item ADD COLUMN extra INTEGER CHECK (extra > 5)",
            ],
            "{script}"
        );
    }

    /// Objects of one definition pair up the same whichever order the
    /// sides list them in (a document in its order, a catalog by name):
    /// each old name goes to the new name that holds it, and what is
    /// dropped goes by name. (The offline diff and the live one differed.)
    #[test]
    fn twins_pair_up_by_name_not_by_the_order_they_are_listed_in() {
        let options = crate::document::LoadOptions::new();
        let doc = |checks: &[(&str, &str)], indexes: &[&str]| {
            let checks: Vec<String> = checks
                .iter()
                .map(|(n, sql)| format!(r#"{{"name": "{n}", "sql": "{sql}"}}"#))
                .collect();
            let indexes: Vec<String> = indexes
                .iter()
                .map(|n| format!(r#"{{"name": "{n}", "columns": ["x"]}}"#))
                .collect();
            let text = format!(
                r#"{{"tables": [{{"name": "t", "columns": [{{"name": "id", "type": "integer", "primary_key": true}},
                {{"name": "x", "type": "integer"}}], "checks": [{}], "indexes": [{}]}}]}}"#,
                checks.join(", "),
                indexes.join(", ")
            );
            crate::document::load_str(&text, &options).unwrap()
        };
        let new = doc(&[("nm_ck_a", "x > 0"), ("nm_ck_b", "x > 0")], &[]);
        let script = |old: &crate::schema::MetaData| {
            let ddl = DdlOptions::default();
            let old = Schema::from_metadata(old, &PostgreSql, &ddl, None).unwrap();
            let new = Schema::from_metadata(&new, &PostgreSql, &ddl, None).unwrap();
            diff(&old, &new, &PostgreSql).unwrap().script().unwrap()
        };
        let one = script(&doc(
            &[("ck_a", "x > 0"), ("ck_b", "x > 0")],
            &["ix_b", "ix_a"],
        ));
        let other = script(&doc(
            &[("ck_b", "x > 0"), ("ck_a", "x > 0")],
            &["ix_a", "ix_b"],
        ));
        assert_eq!(one, other);
        let at = |what: &str| {
            one.find(what)
                .unwrap_or_else(|| panic!("no {what} in {one}"))
        };
        at("RENAME CONSTRAINT ck_a TO nm_ck_a");
        at("RENAME CONSTRAINT ck_b TO nm_ck_b");
        assert!(at("DROP INDEX ix_a") < at("DROP INDEX ix_b"), "{one}");
    }

    /// A name that keeps most of an old one (a table renamed inside it)
    /// takes that one before an unnamed object of the same definition
    /// takes any: on MariaDB, a renamed table's unnamed unique key (the
    /// server names it `val`) and its unique index `ix_<table>_val_ix`,
    /// both unique keys on `(val)`, keep their partners (by name alone,
    /// `val` would go to the index).
    #[test]
    fn a_name_that_keeps_most_of_an_old_one_is_its_rename() {
        assert_eq!(
            kept("ix_task_team_account_ix", "ix_task_team_rn_account_ix"),
            23
        );
        assert_eq!(kept("ck_a", "nm_CK_A"), 4);
        assert_eq!(kept("line_session", "ix_task_team_rn_account_ix"), 0);
        let options = crate::document::LoadOptions::new();
        let doc = |name: &str, renamed: &str| {
            let text = format!(
                r#"{{"naming_convention": {{"ix": "ix_%(table_name)s_%(constraint_name)s"}},
                "tables": [{{"name": "{name}"{renamed}, "columns": [{{"name": "id", "type": "integer", "primary_key": true}},
                {{"name": "val", "type": "integer", "unique": true}}],
                "indexes": [{{"name": "val_ix", "columns": ["val"], "unique": true}}]}}]}}"#
            );
            crate::document::load_str(&text, &options).unwrap()
        };
        let d = &crate::dialect::MariaDb;
        let ddl = DdlOptions::default();
        let mut old = Schema::from_metadata(&doc("team", ""), d, &ddl, None).unwrap();
        old.predict_server_names(d);
        let new = doc("team_rn", r#", "renamed_from": "team""#);
        let new = Schema::from_metadata(&new, d, &ddl, None).unwrap();
        let script = diff(&old, &new, d).unwrap().script().unwrap();
        assert_eq!(
            script,
            "ALTER TABLE team RENAME TO team_rn;\n\n\
             ALTER TABLE team_rn RENAME INDEX ix_team_val_ix TO ix_team_rn_val_ix;\n"
        );
    }

    /// PostgreSQL: a unique constraint that becomes a unique index on the
    /// same columns is dropped all the same, and the foreign key that
    /// rests on it goes before and comes back after (the server refused
    /// the drop, 2BP01).
    #[test]
    fn a_unique_constraint_made_an_index_takes_its_foreign_keys_along() {
        let options = crate::document::LoadOptions::new();
        let doc = |as_index: bool| {
            let (unique, indexes) = if as_index {
                (
                    "",
                    r#"[{"name": "ix_parent_code", "columns": ["code"], "unique": true}]"#,
                )
            } else {
                (r#", "unique": true"#, "[]")
            };
            let text = format!(
                r#"{{"naming_convention": {{"uq": "%(table_name)s_%(column_0_name)s_key"}},
                "tables": [{{"name": "parent", "columns": [{{"name": "id", "type": "integer", "primary_key": true}},
                {{"name": "code", "type": "varchar(10)", "nullable": false{unique}}}], "indexes": {indexes}}},
                {{"name": "child", "columns": [{{"name": "id", "type": "integer", "primary_key": true}},
                {{"name": "parent_code", "type": "varchar(10)"}}],
                "foreign_keys": [{{"name": "fk_child", "columns": ["parent_code"], "references": "parent", "referred_columns": ["code"]}}]}}]}}"#
            );
            crate::document::load_str(&text, &options).unwrap()
        };
        let ddl = DdlOptions::default();
        let sql = |from: bool| {
            let old = Schema::from_metadata(&doc(from), &PostgreSql, &ddl, None).unwrap();
            let new = Schema::from_metadata(&doc(!from), &PostgreSql, &ddl, None).unwrap();
            diff(&old, &new, &PostgreSql).unwrap().script().unwrap()
        };
        for (from, key) in [(false, "CREATE UNIQUE INDEX"), (true, "UNIQUE (code)")] {
            let script = sql(from);
            let at = |w: &str| {
                script
                    .find(w)
                    .unwrap_or_else(|| panic!("no {w} in {script}"))
            };
            assert!(at("DROP CONSTRAINT fk_child") < at(key), "{script}");
            assert!(at(key) < at("ADD CONSTRAINT fk_child"), "{script}");
        }
    }

    /// MariaDB keeps a JSON column as `longtext` with a check
    /// `json_valid(col)` named as the column: the live side reads the two
    /// as the JSON type the document gives, and asks for no change to it
    /// (it used to drop the check, which the server refuses, and retype
    /// the column as a destructive change).
    #[test]
    fn mariadb_json_is_its_longtext_and_check() {
        use crate::reflect::{Catalog, CatalogCheck, CatalogColumn, CatalogTable};
        let d = &crate::dialect::MariaDb;
        let md = crate::document::load_str(
            r#"{"tables": [{"name": "t", "columns": [{"name": "id", "type": "integer", "primary_key": true},
            {"name": "doc", "type": "json"}, {"name": "n", "type": "integer", "check": "n > 0"}]}]}"#,
            &crate::document::LoadOptions::new(),
        )
        .unwrap();
        let new = Schema::from_metadata(&md, d, &DdlOptions::default(), None).unwrap();
        let column = |name: &str, ty: &str| CatalogColumn {
            name: name.into(),
            ty: ty.into(),
            nullable: name != "id",
            ..Default::default()
        };
        let check = |name: &str, sql: &str| CatalogCheck {
            name: Some(name.into()),
            sql: sql.into(),
            column: None,
        };
        let catalog = Catalog {
            dialect: "mariadb".into(),
            tables: vec![CatalogTable {
                name: "t".into(),
                columns: vec![
                    column("id", "int(11)"),
                    column("doc", "longtext"),
                    column("n", "int(11)"),
                ],
                checks: vec![check("doc", "json_valid(`doc`)"), check("n", "`n` > 1")],
                ..Default::default()
            }],
            ..Default::default()
        };
        let m = diff(&Schema::from_catalog(&catalog, d), &new, d).unwrap();
        let touched: Vec<_> = m
            .changes()
            .iter()
            .filter_map(|c| c.object.clone())
            .collect();
        assert!(
            !touched.iter().any(|o| o == "doc"),
            "{}",
            m.script().unwrap()
        );
        // An ordinary check named as its column is still compared.
        assert!(
            m.script().unwrap().contains("n > 0"),
            "{}",
            m.script().unwrap()
        );
    }

    #[test]
    fn renames_that_pass_a_name_on_are_refused() {
        let options = crate::document::LoadOptions::new();
        let schema = |text: &str| {
            let md = crate::document::load_str(text, &options).unwrap();
            Schema::from_metadata(&md, &PostgreSql, &DdlOptions::default(), None).unwrap()
        };
        let tables = |a: &str, b: &str| {
            format!(
                r#"{{"tables": [{{"name": "alpha"{a}, "columns": [{{"name": "id", "type": "integer", "primary_key": true}}]}},
                {{"name": "beta"{b}, "columns": [{{"name": "id", "type": "integer", "primary_key": true}}]}}]}}"#
            )
        };
        let old = schema(&tables("", ""));
        let swapped = schema(&tables(
            r#", "renamed_from": "beta""#,
            r#", "renamed_from": "alpha""#,
        ));
        let err = diff(&old, &swapped, &PostgreSql).unwrap_err().to_string();
        assert!(
            err.contains(r#"table "alpha" is renamed from "beta""#),
            "{err}"
        );
        // Left over from a migration that ran: alpha no longer has a beta to come from.
        let stale = schema(&tables(r#", "renamed_from": "gamma""#, ""));
        assert!(diff(&old, &stale, &PostgreSql)
            .unwrap()
            .changes()
            .is_empty());

        let columns = |x: &str, y: &str| {
            schema(&format!(
                r#"{{"tables": [{{"name": "pt", "columns": [{{"name": "id", "type": "integer", "primary_key": true}},
                {{"name": "x", "type": "integer"{x}}}, {{"name": "y", "type": "integer"{y}}}]}}]}}"#
            ))
        };
        let old = columns("", "");
        let swapped = columns(r#", "renamed_from": "y""#, r#", "renamed_from": "x""#);
        let err = diff(&old, &swapped, &PostgreSql).unwrap_err().to_string();
        assert!(
            err.contains(r#"table pt: column "x" is renamed from "y""#),
            "{err}"
        );
        let stale = columns(r#", "renamed_from": "z""#, "");
        assert!(diff(&old, &stale, &PostgreSql)
            .unwrap()
            .changes()
            .is_empty());
    }

    #[test]
    fn two_threads_find_what_one_finds() {
        let (a, b) = pair_of_documents(24);
        let options = crate::document::LoadOptions::new();
        let (old_md, new_md) = (
            crate::document::load_str(&a, &options).unwrap(),
            crate::document::load_str(&b, &options).unwrap(),
        );
        for d in crate::dialect::all() {
            let ddl = crate::ddl::DdlOptions::default();
            let old = Schema::from_metadata(&old_md, d, &ddl, None).unwrap();
            let new = Schema::from_metadata(&new_md, d, &ddl, None).unwrap();
            let one = diff_with(&old, &new, d, usize::MAX).unwrap();
            let two = diff_with(&old, &new, d, 2).unwrap();
            let (one_sql, two_sql) = (one.script().unwrap(), two.script().unwrap());
            assert!(one_sql.contains("RENAME"), "{}: {one_sql}", d.name());
            assert_eq!(one_sql, two_sql, "{}", d.name());
            let json = |m: &Migration<'_>| serde_json::to_string(&m.records().unwrap()).unwrap();
            assert_eq!(json(&one), json(&two), "{}", d.name());
            let inverse = |m: &Migration<'_>| format!("{:?}", m.inverse());
            assert_eq!(inverse(&one), inverse(&two), "{}", d.name());
        }
    }

    /// A schema made from a model it takes (freed once its plan is made)
    /// is the one made from a borrowed model, earlier names included: the
    /// migrations between them agree, with renames, in every dialect.
    #[test]
    fn a_taken_model_makes_the_borrowed_ones_schema() {
        let (a, b) = pair_of_documents(24);
        let options = crate::document::LoadOptions::new();
        let load = |text: &str| crate::document::load_str(text, &options).unwrap();
        let ddl = crate::ddl::DdlOptions::default();
        for d in crate::dialect::all() {
            let old = Schema::from_metadata(&load(&a), d, &ddl, None).unwrap();
            let borrowed = Schema::from_metadata(&load(&b), d, &ddl, None).unwrap();
            let taken = Schema::from_metadata_owned(load(&b), d, &ddl, None).unwrap();
            let one = diff(&old, &borrowed, d).unwrap();
            let two = diff(&old, &taken, d).unwrap();
            let (one_sql, two_sql) = (one.script().unwrap(), two.script().unwrap());
            assert!(one_sql.contains("RENAME"), "{}: {one_sql}", d.name());
            assert_eq!(one_sql, two_sql, "{}", d.name());
            assert_eq!(
                format!("{:?}", borrowed),
                format!("{:?}", taken),
                "{}",
                d.name()
            );
        }
    }

    /// A table's create statements, kept without their columns, are
    /// given back as the plan made them: columns with their checks
    /// (named or not, several on one column) and comments, in every dialect.
    #[test]
    fn create_statements_are_the_plans() {
        let doc = r#"{"tables": [
            {"name": "a", "comment": "the a",
             "columns": [{"name": "id", "type": "integer", "primary_key": true},
                         {"name": "n", "type": "integer", "check": "n > 0", "comment": "count"},
                         {"name": "m", "type": "integer", "check": {"sql": "m < 9", "name": "m_small"}},
                         {"name": "flag", "type": "boolean", "default": "true"}],
             "checks": [{"sql": "n < m"}],
             "indexes": [{"columns": ["n"]}, {"columns": ["m", "n"], "unique": true}]},
            {"name": "b", "columns": [{"name": "id", "type": "integer", "primary_key": true},
                                      {"name": "a_id", "type": "integer", "references": "a.id"}]}
        ]}"#;
        let md = crate::document::load_str(doc, &crate::document::LoadOptions::new()).unwrap();
        for d in crate::dialect::all() {
            let ddl = crate::ddl::DdlOptions::default();
            let plan = crate::ddl::create_plan(&md, d, &ddl).unwrap();
            let planned: Vec<Statement> = plan
                .statements()
                .filter(|s| {
                    matches!(
                        s,
                        Statement::CreateTable(_)
                            | Statement::CreateIndex(_)
                            | Statement::Comment { .. }
                    )
                })
                .cloned()
                .collect();
            let mut schema = Schema::from_metadata(&md, d, &ddl, None).unwrap();
            let kept = |schema: &Schema| -> Vec<Statement> {
                schema
                    .tables
                    .iter()
                    .flat_map(TableState::create_statements)
                    .collect()
            };
            assert_eq!(kept(&schema), planned, "{}", d.name());
            // Names the server would give (MySQL's `b_ibfk_1`) are the
            // schema's, not the statement's.
            schema.predict_server_names(d);
            assert_eq!(kept(&schema), planned, "{} with server names", d.name());
            let inline = schema.tables[0].create_table(&TableRef::new(None, "a"), false);
            let Some(Statement::CreateTable(first)) = planned.first() else {
                panic!("{}: no CREATE TABLE first", d.name());
            };
            assert_eq!(&inline, first, "{}", d.name());
            assert!(
                inline.columns.iter().any(|c| !c.checks.is_empty()),
                "{}: no check in a column's definition",
                d.name()
            );
            let Some(Statement::CreateTable(second)) = planned
                .iter()
                .find(|s| matches!(s, Statement::CreateTable(c) if c.table.name == "b"))
            else {
                panic!("{}: no CREATE TABLE b", d.name());
            };
            let b = schema.tables[1].create_table(&TableRef::new(None, "b"), false);
            assert_eq!(&b, second, "{}", d.name());
            assert!(
                b.constraints
                    .iter()
                    .any(|k| matches!(k, ConstraintDef::ForeignKey(_))),
                "{}: no foreign key in b's CREATE TABLE",
                d.name()
            );
        }
    }

    #[test]
    fn tables_are_dropped_in_one_order_whatever_order_they_come_in() {
        let t = |name: &str, refers: Option<&str>| {
            let mut t = TableState::new(TableRef::new(None, name));
            if let Some(r) = refers {
                t.foreign_keys.push(ForeignKeyDef {
                    name: None,
                    columns: vec!["x".into()],
                    referred_table: TableRef::new(None, r),
                    referred_columns: vec!["id".into()],
                    on_delete: None,
                    on_update: None,
                });
            }
            t
        };
        let (a, b, c) = (t("city", None), t("note", None), t("line", Some("city")));
        let names = |order: (Vec<&TableState>, bool)| {
            assert!(!order.1, "no circle");
            order
                .0
                .iter()
                .map(|t| t.table.name.clone())
                .collect::<Vec<_>>()
        };
        let one = names(drop_order(&[&a, &b, &c]));
        assert_eq!(one, ["line", "city", "note"]);
        assert_eq!(names(drop_order(&[&c, &b, &a])), one);
        assert_eq!(names(drop_order(&[&b, &a, &c])), one);
        // Two tables that refer to each other: a circle, broken anywhere.
        let (x, y) = (t("x", Some("y")), t("y", Some("x")));
        let (order, circle) = drop_order(&[&y, &x]);
        assert!(circle);
        assert_eq!(order.len(), 2);
    }
    use crate::ddl::DdlOptions;
    use crate::dialect::PostgreSql;
    use crate::{Column, MetaData, Table, View};

    fn schema(md: &MetaData) -> Schema {
        Schema::from_metadata(md, &PostgreSql, &DdlOptions::default(), None).unwrap()
    }

    fn note(body: &str) -> MetaData {
        let mut md = MetaData::new();
        md.add_table(
            Table::new("note")
                .column(Column::new("id", "integer").primary_key())
                .column(Column::new("body", body)),
        )
        .unwrap();
        md.add_view(View {
            name: "notes".into(),
            schema: None,
            sql: "SELECT id, body FROM note".into(),
        });
        md
    }

    #[test]
    fn a_view_over_a_column_whose_type_changes_is_made_again() {
        let m = diff(
            &schema(&note("varchar(40)")),
            &schema(&note("text")),
            &PostgreSql,
        )
        .unwrap();
        let kinds: Vec<ChangeKind> = m.changes().iter().map(|c| c.kind).collect();
        assert_eq!(
            kinds,
            [
                ChangeKind::DropView,
                ChangeKind::AlterColumn,
                ChangeKind::AddView
            ]
        );
        // Nothing changes: nothing to do, the view included.
        let same = diff(&schema(&note("text")), &schema(&note("text")), &PostgreSql).unwrap();
        assert!(same.is_empty());
    }

    #[test]
    fn a_constraint_whose_name_alone_changes_is_renamed() {
        let mk = |name: &str| {
            let mut md = MetaData::new();
            md.add_table(
                Table::new("t")
                    .column(Column::new("id", "integer").primary_key())
                    .column(Column::new("code", "text"))
                    .constraint(crate::Unique::new(["code"]).named(crate::Name::explicit(name))),
            )
            .unwrap();
            md
        };
        let m = diff(
            &schema(&mk("t_code_key")),
            &schema(&mk("uq_t_code")),
            &PostgreSql,
        )
        .unwrap();
        assert_eq!(
            m.script().unwrap(),
            "ALTER TABLE t RENAME CONSTRAINT t_code_key TO uq_t_code;\n"
        );
    }
}
