//! Tables, views and custom DDL.

use rustc_hash::FxHashMap as HashMap;

use super::column::Column;
use super::constraint::{Constraint, Index, PrimaryKey, TableRef};
use super::dialect_kind::DialectKind;
use crate::events::EventKind;

/// A custom DDL statement run at a DDL event (SQLAlchemy's `DDL`).
///
/// In a table's DDL, `%(table)s`, `%(schema)s` and `%(fullname)s` are
/// replaced by the table's quoted name, schema and qualified name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomDdl {
    /// The DDL event it runs at: one of [`EventKind::DDL`] (at any other
    /// kind it never runs).
    pub when: EventKind,
    /// The statement.
    pub sql: String,
    /// The dialects it is for; empty means all.
    pub dialects: Vec<DialectKind>,
    /// Whether it may run inside the transaction of a create or drop
    /// (default `true`; see [`CustomDdl::outside_transaction`]).
    pub transactional: bool,
}

impl CustomDdl {
    /// A statement for every dialect, run at `when` (a DDL event:
    /// `BeforeCreate`, `AfterCreate`, `BeforeDrop` or `AfterDrop`).
    pub fn new(when: EventKind, sql: impl Into<String>) -> Self {
        CustomDdl {
            when,
            sql: sql.into(),
            dialects: Vec::new(),
            transactional: true,
        }
    }

    /// Marks the statement as one that cannot run inside a transaction
    /// (`VACUUM`, `CREATE INDEX CONCURRENTLY`): an engine commits what ran
    /// before it, runs it on its own, and goes on in a new transaction. A
    /// failure after it can then roll back only what followed it.
    pub fn outside_transaction(mut self) -> Self {
        self.transactional = false;
        self
    }

    /// Restricts the statement to the given dialects (`MySql` includes MariaDB).
    pub fn only_for(mut self, dialects: impl IntoIterator<Item = DialectKind>) -> Self {
        self.dialects = dialects.into_iter().collect();
        self
    }

    /// Whether it runs on `dialect`.
    pub fn applies_to(&self, dialect: DialectKind) -> bool {
        self.dialects.is_empty() || self.dialects.iter().any(|d| d.includes(dialect))
    }
}

/// A view: `CREATE VIEW name AS sql`, created after every table and dropped before any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct View {
    /// The view's name.
    pub name: String,
    /// The view's schema.
    pub schema: Option<String>,
    /// The `SELECT` it stands for.
    pub sql: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Item {
    Column(usize),
    PrimaryKey,
    Constraint(usize),
    Index(usize),
}

/// A table: columns, constraints and indexes in declaration order.
///
/// A table built with [`Table::new`] is *detached*: its items are recorded
/// but no event fires and column flags are not yet constraints. When it is
/// added to a [`MetaData`](crate::MetaData) its attachments are replayed in
/// declaration order, firing events, and it becomes *attached*.
#[derive(Clone, Debug, Default)]
pub struct Table {
    pub(crate) name: String,
    pub(crate) schema: Option<String>,
    pub(crate) comment: Option<String>,
    pub(crate) columns: Vec<Column>,
    pub(crate) primary_key: Option<PrimaryKey>,
    pub(crate) constraints: Vec<Constraint>,
    pub(crate) indexes: Vec<Index>,
    pub(crate) ddl: Vec<CustomDdl>,
    pub(crate) renamed_from: Option<String>,
    pub(crate) by_name: HashMap<String, usize>,
    pub(crate) log: Vec<Item>,
    pub(crate) attached: bool,
}

impl Table {
    /// A detached table with no schema.
    pub fn new(name: impl Into<String>) -> Self {
        Table {
            name: name.into(),
            ..Default::default()
        }
    }

    /// Puts the table in `schema` (a PostgreSQL schema, a MySQL database, an
    /// attached SQLite database).
    pub fn in_schema(mut self, schema: impl Into<String>) -> Self {
        self.schema = Some(schema.into());
        self
    }

    /// Says the table was called `old` before: `diff` and `migrate` rename
    /// a table `old` to this one, keeping its rows, instead of dropping one
    /// and creating the other. DDL ignores it.
    pub fn renamed_from(mut self, old: impl Into<String>) -> Self {
        self.renamed_from = Some(old.into());
        self
    }

    /// The name the table had before, as [`Table::renamed_from`] set it.
    pub fn previous_name(&self) -> Option<&str> {
        self.renamed_from.as_deref()
    }

    /// Sets the comment.
    pub fn with_comment(mut self, comment: impl Into<String>) -> Self {
        self.comment = Some(comment.into());
        self
    }

    /// Adds a column (builder form of [`push_column`](Self::push_column)).
    pub fn column(mut self, column: Column) -> Self {
        self.push_column(column);
        self
    }

    /// Adds a constraint (builder form).
    pub fn constraint(mut self, constraint: impl Into<Constraint>) -> Self {
        self.push_constraint(constraint.into());
        self
    }

    /// Adds an index (builder form).
    pub fn index(mut self, index: Index) -> Self {
        self.push_index(index);
        self
    }

    /// Adds custom DDL (builder form).
    pub fn ddl(mut self, ddl: CustomDdl) -> Self {
        self.ddl.push(ddl);
        self
    }

    /// Records a column of a detached table. Problems (duplicates, unknown
    /// columns) are reported when the table is added to a metadata.
    pub fn push_column(&mut self, column: Column) {
        debug_assert!(
            !self.attached,
            "use MetaData::table_mut to change an attached table"
        );
        self.log.push(Item::Column(self.columns.len()));
        self.columns.push(column);
    }

    /// Records a constraint of a detached table.
    pub fn push_constraint(&mut self, constraint: Constraint) {
        debug_assert!(
            !self.attached,
            "use MetaData::table_mut to change an attached table"
        );
        match constraint {
            Constraint::PrimaryKey(pk) if self.primary_key.is_none() => {
                self.log.push(Item::PrimaryKey);
                self.primary_key = Some(pk);
            }
            other => {
                self.log.push(Item::Constraint(self.constraints.len()));
                self.constraints.push(other);
            }
        }
    }

    /// Records an index of a detached table.
    pub fn push_index(&mut self, index: Index) {
        debug_assert!(
            !self.attached,
            "use MetaData::table_mut to change an attached table"
        );
        self.log.push(Item::Index(self.indexes.len()));
        self.indexes.push(index);
    }

    /// The table's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The table's schema, if any.
    pub fn schema(&self) -> Option<&str> {
        self.schema.as_deref()
    }

    /// `schema.name`, or `name` without a schema.
    pub fn full_name(&self) -> String {
        match &self.schema {
            Some(s) => format!("{s}.{}", self.name),
            None => self.name.clone(),
        }
    }

    /// The reference that identifies the table in its metadata.
    pub fn key(&self) -> TableRef {
        TableRef {
            schema: self.schema.clone(),
            name: self.name.clone(),
        }
    }

    /// The table's comment.
    pub fn comment(&self) -> Option<&str> {
        self.comment.as_deref()
    }

    /// Sets the comment (for listeners).
    pub fn set_comment(&mut self, comment: impl Into<String>) {
        self.comment = Some(comment.into());
    }

    /// Adds custom DDL (for listeners).
    pub fn add_ddl(&mut self, ddl: CustomDdl) {
        self.ddl.push(ddl);
    }

    /// The columns, in declaration order.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// The column with this name.
    pub fn column_named(&self, name: &str) -> Option<&Column> {
        if self.by_name.is_empty() {
            return self.columns.iter().find(|c| c.name == name);
        }
        self.by_name.get(name).map(|&i| &self.columns[i])
    }

    /// Appends an attached column, indexing names by hash only for wide
    /// tables (a scan of a few names is faster than hashing, and the map
    /// would cost every table a copy of its column names).
    pub(crate) fn push_attached_column(&mut self, col: Column) {
        const WIDE: usize = 16;
        if !self.by_name.is_empty() {
            self.by_name.insert(col.name.clone(), self.columns.len());
        } else if self.columns.len() + 1 >= WIDE {
            self.by_name = self
                .columns
                .iter()
                .chain(std::iter::once(&col))
                .enumerate()
                .map(|(i, c)| (c.name.clone(), i))
                .collect();
        }
        self.columns.push(col);
    }

    /// The primary key, if any.
    pub fn primary_key(&self) -> Option<&PrimaryKey> {
        self.primary_key.as_ref()
    }

    /// The foreign key, unique and check constraints, in attachment order (the primary key is apart).
    pub fn constraints(&self) -> &[Constraint] {
        &self.constraints
    }

    /// The foreign keys.
    pub fn foreign_keys(&self) -> impl Iterator<Item = &super::ForeignKey> {
        self.constraints
            .iter()
            .filter_map(Constraint::as_foreign_key)
    }

    /// The indexes, in attachment order.
    pub fn indexes(&self) -> &[Index] {
        &self.indexes
    }

    /// The custom DDL statements.
    pub fn custom_ddl(&self) -> &[CustomDdl] {
        &self.ddl
    }

    /// Whether the table belongs to a metadata.
    pub fn is_attached(&self) -> bool {
        self.attached
    }

    /// A detached copy whose attachments replay as declared: generated names
    /// return to what the user gave, so another metadata names them anew,
    /// and constraints and indexes listeners made are left out, so its
    /// listeners make their own.
    pub fn to_detached(&self) -> Table {
        let mut t = Table {
            name: self.name.clone(),
            schema: self.schema.clone(),
            comment: self.comment.clone(),
            ddl: self.ddl.clone(),
            renamed_from: self.renamed_from.clone(),
            ..Default::default()
        };
        for c in &self.columns {
            let mut c = c.clone();
            // Column flags were turned into constraints; replay those as table items.
            c.primary_key = false;
            c.unique = false;
            c.index = false;
            t.push_column(c);
        }
        // What listeners made is made again by the listeners of the
        // metadata the table joins, not copied.
        if let Some(pk) = self
            .primary_key
            .as_ref()
            .filter(|pk| pk.origin.created_by().is_none())
        {
            let mut pk = pk.clone();
            pk.name.reset();
            pk.origin = super::Origin::Table;
            t.push_constraint(Constraint::PrimaryKey(pk));
        }
        for c in self.constraints.iter().filter(|c| c.created_by().is_none()) {
            let mut c = c.clone();
            c.name_mut().reset();
            t.push_constraint(c);
        }
        for i in self.indexes.iter().filter(|i| i.created_by().is_none()) {
            let mut i = i.clone();
            i.name.reset();
            t.push_index(i);
        }
        t
    }
}
