//! One shape for both sides of a diff: a schema document's create plan, or
//! a database's catalog, as tables of column, constraint and index
//! definitions with their final names.

use rustc_hash::FxHashMap as HashMap;

use crate::ddl::{create_plan, DdlOptions, Step};
use crate::dialect::Dialect;
use crate::reflect::{Catalog, CatalogTable, IndexPart as CatalogPart};
use crate::schema::{ColumnType, DialectKind, IndexPart, MetaData, ReferentialAction, TableRef};
use crate::sql::{
    CheckDef, ColumnDef, ConstraintDef, CreateIndex, CreateTable, ForeignKeyDef, Statement, ViewDef,
};

use super::DiffError;

/// A schema as a diff compares it: made from a [`MetaData`] with
/// [`Schema::from_metadata`] or from a database's [`Catalog`] with
/// [`Schema::from_catalog`].
#[derive(Clone, Debug, Default)]
pub struct Schema {
    pub(crate) tables: Vec<TableState>,
    pub(crate) views: Vec<ViewDef>,
    /// Statements that re-create what belongs to a table, goes with it
    /// when the table is rebuilt, and the model does not hold (SQLite's
    /// triggers, and indexes with COLLATE, ASC or DESC), by table: indexes
    /// first, then triggers.
    pub(crate) carried: Vec<(TableRef, String)>,
    /// The enumerated types of their own (PostgreSQL's), with their
    /// values, in the order of the first column that uses each.
    pub(crate) enum_types: Vec<(TableRef, Vec<String>)>,
    /// The indexes and constraints the document's own custom DDL makes
    /// (`CREATE INDEX name`, `ADD CONSTRAINT name`), lower-cased: not the
    /// diff's to drop.
    pub(crate) custom: Vec<String>,
    /// The schema the tables without one are in, where the plan was told
    /// (MySQL's database), which the tables' schemas leave out.
    pub(crate) default_schema: Option<String>,
}

/// A primary key or unique constraint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Key {
    pub name: Option<String>,
    pub columns: Vec<String>,
}

/// An index; `implicit` for one the server makes by itself (MySQL's index
/// for a foreign key), which a diff never creates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct IndexState {
    pub name: Option<String>,
    pub def: CreateIndex,
    pub implicit: bool,
}

/// A table with everything it holds.
#[derive(Clone, Debug)]
pub(crate) struct TableState {
    pub table: TableRef,
    pub comment: Option<String>,
    /// Columns without their inline checks (those are in `checks`).
    pub columns: Vec<ColumnDef>,
    pub primary_key: Option<Key>,
    pub foreign_keys: Vec<ForeignKeyDef>,
    pub uniques: Vec<Key>,
    /// The checks; the first of them are those written in their column's
    /// definition (`create_checks`, a document's side only).
    pub checks: Vec<CheckDef>,
    pub indexes: Vec<IndexState>,
    /// The table's statements as a create plan makes it (the document's
    /// side), for creating or rebuilding it; its `CREATE TABLE` without
    /// the columns, which are `columns` (see
    /// [`create_statements`](Self::create_statements)).
    pub create: Vec<Statement>,
    /// The checks that `create`'s `CREATE TABLE` writes in its columns'
    /// definitions, as the plan made them: (column position, check). They
    /// are the first of `checks`, before any name the server gives them.
    pub create_checks: Vec<(usize, CheckDef)>,
    /// The foreign keys its create plan adds after every table exists.
    pub deferred: Vec<ForeignKeyDef>,
    /// The name the document says the table had before.
    pub renamed_from: Option<String>,
    /// The columns' previous names: new name → old name.
    pub column_renames: HashMap<String, String>,
    /// What the database's table is that the model cannot say (SQLite's
    /// `WITHOUT ROWID`, `STRICT`, `AUTOINCREMENT`), lost if it is rebuilt.
    pub unmodelled: Vec<String>,
}

impl TableState {
    pub(crate) fn new(table: TableRef) -> Self {
        TableState {
            table,
            comment: None,
            columns: Vec::new(),
            primary_key: None,
            foreign_keys: Vec::new(),
            uniques: Vec::new(),
            checks: Vec::new(),
            indexes: Vec::new(),
            create: Vec::new(),
            create_checks: Vec::new(),
            deferred: Vec::new(),
            renamed_from: None,
            column_renames: HashMap::default(),
            unmodelled: Vec::new(),
        }
    }

    pub(crate) fn column(&self, name: &str) -> Option<&ColumnDef> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The columns of the first `checks`, those written in their column's
    /// definition.
    pub(crate) fn inline_check_columns(&self) -> impl Iterator<Item = &str> {
        inline_columns(&self.columns, &self.create_checks)
    }

    /// `create` as the plan made it: its `CREATE TABLE` with the columns.
    pub(crate) fn create_statements(&self) -> Vec<Statement> {
        let mut out = self.create.clone();
        for st in &mut out {
            if let Statement::CreateTable(c) = st {
                c.columns = self.created_columns();
            }
        }
        out
    }

    /// The columns as `create`'s `CREATE TABLE` defines them: with the
    /// checks written in their definitions.
    fn created_columns(&self) -> Vec<ColumnDef> {
        let mut columns = self.columns.clone();
        for (i, ck) in &self.create_checks {
            if let Some(column) = columns.get_mut(*i) {
                column.checks.push(ck.clone());
            }
        }
        columns
    }

    fn add_constraint(&mut self, k: &ConstraintDef) {
        match k {
            ConstraintDef::PrimaryKey { name, columns } => {
                self.primary_key = Some(Key {
                    name: name.clone(),
                    columns: columns.clone(),
                })
            }
            ConstraintDef::Unique { name, columns } => self.uniques.push(Key {
                name: name.clone(),
                columns: columns.clone(),
            }),
            ConstraintDef::Check(c) => self.checks.push(c.clone()),
            ConstraintDef::ForeignKey(f) => self.foreign_keys.push(f.clone()),
        }
    }

    /// The table as a `CREATE TABLE` (columns, then keys and checks and,
    /// when `with_foreign_keys`, foreign keys), named `name`.
    pub(crate) fn create_table(&self, name: &TableRef, with_foreign_keys: bool) -> CreateTable {
        if let Some(Statement::CreateTable(c)) = self
            .create
            .iter()
            .find(|s| matches!(s, Statement::CreateTable(_)))
        {
            let mut c = c.clone();
            c.columns = self.created_columns();
            c.table = name.clone();
            if with_foreign_keys {
                for fk in &self.foreign_keys {
                    // The same key, whatever schema qualifies its table
                    // (SQLite's keys refer within their own schema, and
                    // are compared so).
                    let present = c.constraints.iter().any(|k| {
                        matches!(k, ConstraintDef::ForeignKey(f) if f == fk || (
                            f.name == fk.name
                                && f.columns == fk.columns
                                && f.referred_table.name == fk.referred_table.name
                                && f.referred_columns == fk.referred_columns
                        ))
                    });
                    if !present {
                        c.constraints.push(ConstraintDef::ForeignKey(fk.clone()));
                    }
                }
            }
            return c;
        }
        let mut constraints = Vec::new();
        if let Some(pk) = &self.primary_key {
            constraints.push(ConstraintDef::PrimaryKey {
                name: pk.name.clone(),
                columns: pk.columns.clone(),
            });
        }
        for u in &self.uniques {
            constraints.push(ConstraintDef::Unique {
                name: u.name.clone(),
                columns: u.columns.clone(),
            });
        }
        for c in &self.checks {
            constraints.push(ConstraintDef::Check(c.clone()));
        }
        if with_foreign_keys {
            for f in &self.foreign_keys {
                constraints.push(ConstraintDef::ForeignKey(f.clone()));
            }
        }
        CreateTable {
            table: name.clone(),
            comment: self.comment.clone(),
            columns: self.columns.clone(),
            constraints,
        }
    }
}

/// The names of the columns at the positions of `checks`.
fn inline_columns<'t>(
    columns: &'t [ColumnDef],
    checks: &'t [(usize, CheckDef)],
) -> impl Iterator<Item = &'t str> {
    checks
        .iter()
        .map(|(i, _)| columns.get(*i).map_or("", |c| c.name.as_str()))
}

/// A model's create plan and what the plan does not say (earlier names),
/// to be made into a [`Schema`] once the model is no longer needed.
struct Planned {
    steps: Vec<Step>,
    /// How many tables the model has.
    tables: usize,
    /// The tables that have earlier names, or columns that do.
    renamed: Vec<Renamed>,
}

/// A table's earlier name and its columns' (new name, old name).
struct Renamed {
    table: TableRef,
    from: Option<String>,
    columns: Vec<(String, String)>,
}

impl Planned {
    fn of(
        md: &MetaData,
        dialect: &dyn Dialect,
        options: &DdlOptions,
    ) -> Result<Planned, DiffError> {
        let plan = create_plan(md, dialect, options)?;
        // Most tables have no earlier names: nothing to keep.
        let renamed = md
            .tables()
            .iter()
            .filter(|t| {
                t.previous_name().is_some()
                    || t.columns().iter().any(|c| c.previous_name().is_some())
            })
            .map(|t| Renamed {
                table: t.key(),
                from: t.previous_name().map(str::to_owned),
                columns: t
                    .columns()
                    .iter()
                    .filter_map(|c| Some((c.name().to_owned(), c.previous_name()?.to_owned())))
                    .collect(),
            })
            .collect();
        Ok(Planned {
            steps: plan.steps,
            tables: md.tables().len(),
            renamed,
        })
    }

    fn into_schema(self, dialect: &dyn Dialect, default_schema: Option<&str>) -> Schema {
        let norm = |t: &TableRef| -> TableRef {
            match (&t.schema, default_schema) {
                (Some(s), Some(d)) if s == d => TableRef::new(None, &t.name),
                _ => t.clone(),
            }
        };
        // Sized once: grown one by one, the vectors of large values would
        // be copied at each doubling and keep up to half their room empty.
        let count = self.tables;
        let mut tables: Vec<TableState> = Vec::with_capacity(count);
        let mut at: HashMap<TableRef, usize> =
            HashMap::with_capacity_and_hasher(count, Default::default());
        let mut views = Vec::new();
        let mut enum_types = Vec::new();
        let mut custom = Vec::new();
        // How many indexes follow each `CREATE TABLE`, in order.
        let mut counts = Vec::with_capacity(count);
        for step in &self.steps {
            match step {
                Step::Statement(Statement::CreateTable(_)) => counts.push(0),
                Step::Statement(Statement::CreateIndex(_)) => {
                    if let Some(n) = counts.last_mut() {
                        *n += 1;
                    }
                }
                _ => {}
            }
        }
        let mut indexes_of = counts.into_iter();
        // The plan is consumed: its statements move into the tables, with
        // one copy each for `create` instead of two.
        for step in self.steps {
            let Step::Statement(mut st) = step else {
                continue;
            };
            match &mut st {
                Statement::CreateTable(c) => {
                    c.table = norm(&c.table);
                    for k in &mut c.constraints {
                        if let ConstraintDef::ForeignKey(f) = k {
                            f.referred_table = norm(&f.referred_table);
                        }
                    }
                    let mut t = TableState::new(c.table.clone());
                    t.comment = c.comment.clone();
                    let indexes = indexes_of.next().unwrap_or(0);
                    t.indexes.reserve_exact(indexes);
                    t.create.reserve_exact(1 + indexes);
                    // The columns move to the table: `create` keeps the
                    // statement without them (see `create_statements`).
                    t.columns = std::mem::take(&mut c.columns);
                    for (i, col) in t.columns.iter_mut().enumerate() {
                        for ck in col.checks.drain(..) {
                            t.create_checks.push((i, ck.clone()));
                            t.checks.push(ck);
                        }
                    }
                    for k in &c.constraints {
                        t.add_constraint(k);
                    }
                    at.insert(c.table.clone(), tables.len());
                    t.create.push(st);
                    tables.push(t);
                }
                Statement::AddConstraint { table, constraint } => {
                    *table = norm(table);
                    if let ConstraintDef::ForeignKey(f) = constraint {
                        f.referred_table = norm(&f.referred_table);
                    }
                    if let Some(&i) = at.get(table) {
                        tables[i].add_constraint(constraint);
                        if let ConstraintDef::ForeignKey(f) = constraint {
                            tables[i].deferred.push(f.clone());
                        }
                    }
                }
                Statement::CreateIndex(ix) => {
                    ix.table = norm(&ix.table);
                    if let Some(&i) = at.get(&ix.table) {
                        tables[i].indexes.push(IndexState {
                            name: Some(ix.name.clone()),
                            def: ix.clone(),
                            implicit: false,
                        });
                        tables[i].create.push(st);
                    }
                }
                Statement::Comment {
                    table,
                    column,
                    text,
                } => {
                    *table = norm(table);
                    if let Some(&i) = at.get(table) {
                        let t = &mut tables[i];
                        match column {
                            None => t.comment = Some(text.clone()),
                            Some(c) => {
                                if let Some(col) = t.columns.iter_mut().find(|x| &x.name == c) {
                                    col.comment = Some(text.clone());
                                }
                            }
                        }
                        t.create.push(st);
                    }
                }
                Statement::CreateView(v) => {
                    if v.schema.as_deref().is_some() && v.schema.as_deref() == default_schema {
                        v.schema = None;
                    }
                    views.push(v.clone());
                }
                Statement::CreateEnumType { name, values } => {
                    enum_types.push((norm(name), std::mem::take(values)));
                }
                Statement::Custom { sql, .. } => custom.extend(created_names(sql)),
                _ => {}
            }
        }
        for r in self.renamed {
            let Some(&i) = at.get(&norm(&r.table)) else {
                continue;
            };
            tables[i].renamed_from = r.from;
            tables[i].column_renames.extend(r.columns);
        }
        let mut schema = Schema {
            tables,
            views,
            carried: Vec::new(),
            enum_types,
            custom,
            default_schema: default_schema.map(str::to_owned),
        };
        schema.as_server_keeps_it(dialect, true);
        schema
    }
}

impl Schema {
    /// The schema `md` makes on `dialect`: every table, constraint and index
    /// under its final name, as [`create_plan`] writes them.
    ///
    /// `default_schema` is the database's default schema (`public`,
    /// the MySQL database of the connection, `main`): a table the document
    /// puts there explicitly is the same as one without a schema.
    pub fn from_metadata(
        md: &MetaData,
        dialect: &dyn Dialect,
        options: &DdlOptions,
        default_schema: Option<&str>,
    ) -> Result<Schema, DiffError> {
        let planned = Planned::of(md, dialect, options)?;
        Ok(planned.into_schema(dialect, default_schema))
    }

    /// What [`from_metadata`](Self::from_metadata) makes, from a model it
    /// takes: the model is freed as soon as its create plan is made, so
    /// that the schema is built in the memory the model held (a large
    /// schema's model, plan and schema are never held at once).
    pub fn from_metadata_owned(
        md: MetaData,
        dialect: &dyn Dialect,
        options: &DdlOptions,
        default_schema: Option<&str>,
    ) -> Result<Schema, DiffError> {
        let planned = Planned::of(&md, dialect, options)?;
        drop(md);
        Ok(planned.into_schema(dialect, default_schema))
    }

    /// The schema a database's catalog describes. Types are read back with
    /// the dialect's [`Dialect::parse_type`]; objects the model cannot
    /// hold (carried DDL) are not compared, but a table's triggers and
    /// carried indexes are kept to re-create them when the table is rebuilt.
    pub fn from_catalog(catalog: &Catalog, dialect: &dyn Dialect) -> Schema {
        let tables: Vec<TableState> = catalog
            .tables
            .iter()
            .map(|t| table_of_catalog(t, dialect))
            .collect();
        let views = catalog
            .views
            .iter()
            .map(|v| ViewDef {
                schema: v.schema.clone(),
                name: v.name.clone(),
                sql: v.sql.clone(),
            })
            .collect();
        let of_kind = |kind: &'static str| {
            catalog
                .carried
                .iter()
                .filter(move |c| c.kind == kind)
                .filter_map(|c| {
                    let (schema, name) = c.table.clone()?;
                    Some((TableRef::new(schema.as_deref(), &name), c.create.clone()))
                })
        };
        let carried = of_kind("index").chain(of_kind("trigger")).collect();
        let mut enum_types: Vec<(TableRef, Vec<String>)> = Vec::new();
        if dialect.capabilities().enum_types {
            let mut seen: rustc_hash::FxHashSet<TableRef> = Default::default();
            for t in &tables {
                let t: &TableState = t;
                for c in &t.columns {
                    if let ColumnType::Enum(e) = &c.ty {
                        let name = TableRef::new(e.schema(), e.name().unwrap_or(&c.name));
                        if seen.insert(name.clone()) {
                            enum_types.push((name, e.values().to_vec()));
                        }
                    }
                }
            }
        }
        let mut schema = Schema {
            tables,
            views,
            carried,
            enum_types,
            custom: Vec::new(),
            default_schema: None,
        };
        schema.as_server_keeps_it(dialect, false);
        schema
    }

    /// Gives the objects the document leaves unnamed the names a MySQL or
    /// MariaDB server gives them (a unique key its first column's name,
    /// with `_2`, `_3` where that is taken; a foreign key
    /// `<table>_ibfk_<n>`; a check `<table>_chk_<n>` on MySQL, on MariaDB
    /// its column's name when written in the column's definition and
    /// `CONSTRAINT_<n>` otherwise), so that an old document's objects can
    /// be dropped by name in an offline diff. Other dialects: unchanged
    /// (PostgreSQL's names come from the native naming plugin).
    pub fn predict_server_names(&mut self, dialect: &dyn Dialect) {
        if !matches!(dialect.kind(), DialectKind::MySql | DialectKind::MariaDb) {
            return;
        }
        for t in &mut self.tables {
            let mut taken: Vec<String> = t
                .indexes
                .iter()
                .filter_map(|ix| ix.name.clone())
                .chain(t.uniques.iter().filter_map(|u| u.name.clone()))
                .map(|n| n.to_lowercase())
                .collect();
            taken.push("primary".into());
            for u in &mut t.uniques {
                if u.name.is_some() {
                    continue;
                }
                let Some(first) = u.columns.first() else {
                    continue;
                };
                let mut name = first.clone();
                let mut n = 2;
                while taken.contains(&name.to_lowercase()) {
                    name = format!("{first}_{n}");
                    n += 1;
                }
                taken.push(name.to_lowercase());
                u.name = Some(name);
            }
            let mut n = 0;
            for f in &mut t.foreign_keys {
                if f.name.is_none() {
                    n += 1;
                    f.name = Some(format!("{}_ibfk_{n}", t.table.name));
                }
            }
            let mariadb = dialect.kind() == DialectKind::MariaDb;
            let mut taken: Vec<String> = t
                .checks
                .iter()
                .filter_map(|c| c.name.as_deref().map(str::to_lowercase))
                .collect();
            if mariadb {
                let columns = inline_columns(&t.columns, &t.create_checks);
                for (c, column) in t.checks.iter_mut().zip(columns) {
                    if c.name.is_none() {
                        taken.push(column.to_lowercase());
                        c.name = Some(column.to_owned());
                    }
                }
            }
            let mut n = 1;
            for c in &mut t.checks {
                if c.name.is_some() {
                    continue;
                }
                let name = loop {
                    let name = if mariadb {
                        format!("CONSTRAINT_{n}")
                    } else {
                        format!("{}_chk_{n}", t.table.name)
                    };
                    n += 1;
                    if !taken.contains(&name.to_lowercase()) {
                        break name;
                    }
                };
                taken.push(name.to_lowercase());
                c.name = Some(name);
            }
        }
    }

    /// How many tables it has.
    pub fn table_count(&self) -> usize {
        self.tables.len()
    }

    /// What the server keeps differently from what was written:
    /// MySQL's primary key is always `PRIMARY` and a unique index is a
    /// unique key; for a document, MySQL makes an index for each foreign key no index
    /// starts with (named after the constraint, or its first column).
    fn as_server_keeps_it(&mut self, dialect: &dyn Dialect, document: bool) {
        if dialect.kind() == DialectKind::Sqlite {
            // A foreign key refers to a table of its own table's schema
            // (SQLite cannot name another), whatever the document says.
            for t in &mut self.tables {
                for f in t.foreign_keys.iter_mut().chain(t.deferred.iter_mut()) {
                    f.referred_table.schema = t.table.schema.clone();
                }
            }
        }
        if !matches!(dialect.kind(), DialectKind::MySql | DialectKind::MariaDb) {
            return;
        }
        for t in &mut self.tables {
            if let Some(pk) = &mut t.primary_key {
                pk.name = None;
            }
            let mut kept = Vec::new();
            for ix in t.indexes.drain(..) {
                let plain = ix.def.predicate.is_none()
                    && ix
                        .def
                        .parts
                        .iter()
                        .all(|p| matches!(p, IndexPart::Column(_)));
                if ix.def.unique && plain {
                    t.uniques.push(Key {
                        name: ix.name.clone(),
                        columns: ix.def.parts.iter().map(part_text).collect(),
                    });
                } else {
                    kept.push(ix);
                }
            }
            t.indexes = kept;
            if !document {
                continue;
            }
            let fks = t.foreign_keys.clone();
            for fk in fks {
                let covered = |cols: &[String]| {
                    cols.len() >= fk.columns.len()
                        && cols[..fk.columns.len()]
                            .iter()
                            .zip(&fk.columns)
                            .all(|(a, b)| a.eq_ignore_ascii_case(b))
                };
                let by_key = t.primary_key.iter().any(|k| covered(&k.columns))
                    || t.uniques.iter().any(|k| covered(&k.columns));
                let by_index = t.indexes.iter().any(|ix| {
                    let cols: Option<Vec<String>> = ix
                        .def
                        .parts
                        .iter()
                        .map(|p| match p {
                            IndexPart::Column(c) => Some(c.clone()),
                            IndexPart::Expression(_) => None,
                        })
                        .collect();
                    cols.is_some_and(|c| covered(&c))
                });
                if by_key || by_index {
                    continue;
                }
                let name = fk
                    .name
                    .clone()
                    .or_else(|| fk.columns.first().cloned())
                    .unwrap_or_default();
                t.indexes.push(IndexState {
                    name: Some(name.clone()),
                    def: CreateIndex::on_columns(t.table.clone(), name, fk.columns.clone()),
                    implicit: true,
                });
            }
        }
    }
}

fn part_text(p: &IndexPart) -> String {
    match p {
        IndexPart::Column(c) => c.clone(),
        IndexPart::Expression(e) => e.clone(),
    }
}

fn action(a: &Option<String>) -> Option<ReferentialAction> {
    a.as_deref().and_then(|s| s.parse().ok())
}

fn table_of_catalog(t: &CatalogTable, dialect: &dyn Dialect) -> TableState {
    let table = TableRef::new(t.schema.as_deref(), &t.name);
    let mut s = TableState::new(table.clone());
    s.comment = t.comment.clone();
    s.unmodelled.clone_from(&t.options);
    for c in &t.columns {
        let mut ty = dialect.parse_type(&c.ty);
        if let ColumnType::Enum(e) = &mut ty {
            // Its type lives beside its table, as the model makes it.
            e.schema.clone_from(&t.schema);
        }
        s.columns.push(ColumnDef {
            name: c.name.clone(),
            ty,
            auto_increment: c.auto_increment,
            default: c.default.clone(),
            not_null: !c.nullable,
            checks: Vec::new(),
            comment: c.comment.clone(),
        });
    }
    s.primary_key = t.primary_key.as_ref().map(|k| Key {
        name: k.name.clone(),
        columns: k.columns.clone(),
    });
    for f in &t.foreign_keys {
        // SQLite: a foreign key refers to a table of its own table's schema.
        let referred_schema = match (dialect.kind(), &f.referred_schema) {
            (DialectKind::Sqlite, None) => t.schema.as_deref(),
            (_, s) => s.as_deref(),
        };
        s.foreign_keys.push(ForeignKeyDef {
            name: f.name.clone(),
            columns: f.columns.clone(),
            referred_table: TableRef::new(referred_schema, &f.referred_table),
            referred_columns: f.referred_columns.clone(),
            on_delete: action(&f.on_delete),
            on_update: action(&f.on_update),
        });
    }
    for u in &t.uniques {
        s.uniques.push(Key {
            name: u.name.clone(),
            columns: u.columns.clone(),
        });
    }
    // MariaDB's column-level checks live in their columns' definitions:
    // they come first, as a document's do (`create_checks`).
    let mariadb = dialect.kind() == DialectKind::MariaDb;
    let mut column_level = Vec::new();
    let mut table_level = Vec::new();
    for (i, c) in t.checks.iter().enumerate() {
        // MariaDB's JSON (longtext and a check): one type, as the document
        // says it.
        if let Some((column, ty)) = t.type_check(i, dialect) {
            if let Some(col) = s.columns.iter_mut().find(|x| x.name == column.name) {
                col.ty = ty;
            }
            continue;
        }
        let check = CheckDef {
            name: c.name.clone(),
            sql: c.sql.clone(),
        };
        let column = c.column.as_deref().filter(|_| mariadb);
        match column.and_then(|column| s.columns.iter().position(|x| x.name == column)) {
            Some(at) => column_level.push((at, check)),
            None => table_level.push(check),
        }
    }
    s.checks = column_level.iter().map(|(_, c)| c.clone()).collect();
    s.checks.extend(table_level);
    s.create_checks = column_level;
    for ix in &t.indexes {
        s.indexes.push(IndexState {
            name: Some(ix.name.clone()),
            def: CreateIndex {
                table: table.clone(),
                name: ix.name.clone(),
                parts: ix
                    .parts
                    .iter()
                    .map(|p| match p {
                        CatalogPart::Column(c) => IndexPart::Column(c.clone()),
                        CatalogPart::Expression(e) => IndexPart::Expression(e.clone()),
                    })
                    .collect(),
                predicate: ix.predicate.clone(),
                unique: ix.unique,
            },
            implicit: false,
        });
    }
    s
}

/// The names of the indexes and constraints a custom statement makes
/// (`CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] name`, `ADD
/// CONSTRAINT name`), unquoted and lower-cased.
fn created_names(sql: &str) -> Vec<String> {
    let words = crate::sql::sql_words(sql, |c| c.is_whitespace() || c == '(' || c == ',');
    let is = |i: usize, w: &str| words.get(i).is_some_and(|x| x.eq_ignore_ascii_case(w));
    let name = |w: &str| {
        let w = w.trim_matches(|c| c == '"' || c == '`' || c == '[' || c == ']');
        w.rsplit('.').next().unwrap_or(w).to_lowercase()
    };
    let mut out = Vec::new();
    if is(0, "CREATE") {
        let mut i = 1;
        if is(i, "UNIQUE") {
            i += 1;
        }
        if is(i, "INDEX") {
            i += 1;
            if is(i, "CONCURRENTLY") {
                i += 1;
            }
            if is(i, "IF") && is(i + 1, "NOT") && is(i + 2, "EXISTS") {
                i += 3;
            }
            if let Some(w) = words.get(i).filter(|_| !is(i, "ON")) {
                out.push(name(w));
            }
        }
    }
    for i in 0..words.len() {
        if is(i, "ADD") && is(i + 1, "CONSTRAINT") {
            if let Some(w) = words.get(i + 2) {
                out.push(name(w));
            }
        }
    }
    out
}

impl Schema {
    /// This schema with the foreign keys of tables in a schema of their
    /// own that refer to a table without one qualified by `default`: MySQL
    /// reads such a reference in the referring table's database.
    pub(crate) fn with_references_qualified(&self, default: &str) -> Schema {
        let mut s = self.clone();
        let qualify = |own: &TableRef, f: &mut ForeignKeyDef| {
            if own.schema.is_some() && f.referred_table.schema.is_none() {
                f.referred_table.schema = Some(default.to_owned());
            }
        };
        for t in &mut s.tables {
            let own = t.table.clone();
            t.foreign_keys.iter_mut().for_each(|f| qualify(&own, f));
            t.deferred.iter_mut().for_each(|f| qualify(&own, f));
            for st in &mut t.create {
                match st {
                    Statement::CreateTable(c) => {
                        for k in &mut c.constraints {
                            if let ConstraintDef::ForeignKey(f) = k {
                                qualify(&own, f);
                            }
                        }
                    }
                    Statement::AddConstraint {
                        constraint: ConstraintDef::ForeignKey(f),
                        ..
                    } => qualify(&own, f),
                    _ => {}
                }
            }
        }
        s
    }

    /// This schema without the indexes and constraints named in `names`
    /// (lower-cased).
    pub(crate) fn without_named(&self, names: &[String]) -> Schema {
        let mut s = self.clone();
        let keep = |n: &Option<String>| {
            n.as_ref()
                .is_none_or(|n| !names.contains(&n.to_lowercase()))
        };
        for t in &mut s.tables {
            t.indexes.retain(|ix| keep(&ix.name));
            t.uniques.retain(|k| keep(&k.name));
            t.checks.retain(|c| keep(&c.name));
            t.create_checks.retain(|(_, c)| keep(&c.name));
            t.foreign_keys.retain(|f| keep(&f.name));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn custom_statements_tell_the_names_they_make() {
        assert_eq!(
            super::created_names(
                "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"Ix Lower\" ON t (lower(a))"
            ),
            ["ix lower"]
        );
        assert_eq!(
            super::created_names("ALTER TABLE t ADD CONSTRAINT ck_x CHECK (a > 0)"),
            ["ck_x"]
        );
        assert!(super::created_names("CREATE INDEX ON t (a)").is_empty());
        assert!(super::created_names("CREATE TRIGGER tr AFTER INSERT ON t").is_empty());
    }
}
