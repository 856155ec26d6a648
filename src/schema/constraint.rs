//! Constraints and indexes.

use std::fmt;
use std::str::FromStr;

use super::dialect_kind::DialectKind;
use super::kind::Kind;
use super::name::Name;

/// What a foreign key does when the referred row is deleted or updated.
///
/// ```
/// use nomenclator::ReferentialAction;
/// assert_eq!("set null".parse::<ReferentialAction>(), Ok(ReferentialAction::SetNull));
/// assert_eq!(ReferentialAction::NoAction.to_string(), "NO ACTION");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReferentialAction {
    /// `CASCADE`: delete or update the referring rows too.
    Cascade,
    /// `SET NULL`.
    SetNull,
    /// `SET DEFAULT`.
    SetDefault,
    /// `RESTRICT`: refuse at once.
    Restrict,
    /// `NO ACTION`: refuse at the end of the statement (the default).
    NoAction,
}

impl ReferentialAction {
    /// Every action.
    pub const ALL: [ReferentialAction; 5] = [
        ReferentialAction::Cascade,
        ReferentialAction::SetNull,
        ReferentialAction::SetDefault,
        ReferentialAction::Restrict,
        ReferentialAction::NoAction,
    ];

    /// The SQL spelling: `CASCADE`, `SET NULL`, `SET DEFAULT`, `RESTRICT`, `NO ACTION`.
    pub fn sql(self) -> &'static str {
        match self {
            ReferentialAction::Cascade => "CASCADE",
            ReferentialAction::SetNull => "SET NULL",
            ReferentialAction::SetDefault => "SET DEFAULT",
            ReferentialAction::Restrict => "RESTRICT",
            ReferentialAction::NoAction => "NO ACTION",
        }
    }
}

impl fmt::Display for ReferentialAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.sql())
    }
}

/// Text that is not a referential action.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown referential action {0:?}: use CASCADE, SET NULL, SET DEFAULT, RESTRICT or NO ACTION"
)]
pub struct UnknownAction(pub String);

impl FromStr for ReferentialAction {
    type Err = UnknownAction;

    /// Parses an action case-insensitively, with any run of spaces or
    /// underscores between its words (`set null`, `SET_NULL`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let words: Vec<String> = s
            .split(|c: char| c.is_whitespace() || c == '_')
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_uppercase)
            .collect();
        let joined = words.join(" ");
        Self::ALL
            .into_iter()
            .find(|a| a.sql() == joined)
            .ok_or_else(|| UnknownAction(s.to_owned()))
    }
}

/// A reference to a table, optionally in a schema.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TableRef {
    /// The schema, if any.
    pub schema: Option<String>,
    /// The table name.
    pub name: String,
}

impl TableRef {
    /// A reference to `name` in `schema`.
    pub fn new(schema: Option<&str>, name: &str) -> Self {
        TableRef {
            schema: schema.map(str::to_owned),
            name: name.to_owned(),
        }
    }

    /// Parses `"table"` or `"schema.table"`.
    pub fn parse(text: &str) -> Option<Self> {
        let parts: Vec<&str> = text.split('.').collect();
        match parts.as_slice() {
            [t] if !t.is_empty() => Some(TableRef::new(None, t)),
            [s, t] if !s.is_empty() && !t.is_empty() => Some(TableRef::new(Some(s), t)),
            _ => None,
        }
    }
}

impl std::fmt::Display for TableRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.schema {
            Some(s) => write!(f, "{s}.{}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

/// The target of a column-level foreign key: `table.column` or `schema.table.column`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Reference {
    /// The referenced table.
    pub table: TableRef,
    /// The referenced column's name.
    pub column: String,
    /// `ON DELETE` action.
    pub on_delete: Option<ReferentialAction>,
    /// `ON UPDATE` action.
    pub on_update: Option<ReferentialAction>,
}

/// Why text is not a `table.column` or `schema.table.column` reference.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not a column reference: {reason}; write \"table.column\" or \"schema.table.column\"")]
pub struct ReferenceError {
    /// The text.
    pub text: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl Reference {
    /// Parses `"table.column"` or `"schema.table.column"`; the error says
    /// what is wrong.
    pub fn parse(text: &str) -> Result<Self, ReferenceError> {
        let err = |reason| ReferenceError {
            text: text.to_owned(),
            reason,
        };
        let parts: Vec<&str> = text.split('.').collect();
        let (schema, table, column) = match parts.as_slice() {
            [_] => return Err(err("it has no column (no \".\")")),
            [t, c] => (None, *t, *c),
            [s, t, c] => (Some(*s), *t, *c),
            _ => return Err(err("it has more than three dot-separated parts")),
        };
        if table.is_empty() || column.is_empty() || schema.is_some_and(str::is_empty) {
            return Err(err("a part is empty"));
        }
        Ok(Reference {
            table: TableRef::new(schema, table),
            column: column.to_owned(),
            on_delete: None,
            on_update: None,
        })
    }

    /// Sets the `ON DELETE` action.
    pub fn on_delete(mut self, action: ReferentialAction) -> Self {
        self.on_delete = Some(action);
        self
    }

    /// Sets the `ON UPDATE` action.
    pub fn on_update(mut self, action: ReferentialAction) -> Self {
        self.on_update = Some(action);
        self
    }
}

/// Where a constraint or index was declared.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Origin {
    /// Declared on the table.
    Table,
    /// Created by a flag or a check on the named column.
    Column(String),
    /// Created by a listener (see [`ColumnAttached::add_constraint`](crate::events::ColumnAttached::add_constraint)).
    Listener {
        /// The listener's [`name`](crate::events::Listener::name).
        by: String,
        /// The column it was made for, if any: a check made for a column
        /// sees it as its `column_0` in naming tokens.
        column: Option<String>,
    },
}

impl Origin {
    /// The column a column-level object belongs to: the column whose flag
    /// or check made it, or the column a listener made it for.
    pub fn column(&self) -> Option<&str> {
        match self {
            Origin::Column(c) => Some(c),
            Origin::Listener { column, .. } => column.as_deref(),
            Origin::Table => None,
        }
    }

    /// The name of the listener that created the object, if one did.
    pub fn created_by(&self) -> Option<&str> {
        match self {
            Origin::Listener { by, .. } => Some(by),
            _ => None,
        }
    }

    /// This origin as the origin of an object the listener `by` created.
    pub(crate) fn created(&mut self, by: &str) {
        let column = match std::mem::replace(self, Origin::Table) {
            Origin::Column(c) => Some(c),
            Origin::Listener { column, .. } => column,
            Origin::Table => None,
        };
        *self = Origin::Listener {
            by: by.to_owned(),
            column,
        };
    }
}

/// A primary key constraint.
#[derive(Clone, Debug, PartialEq)]
pub struct PrimaryKey {
    /// The constraint's name.
    pub name: Name,
    pub(crate) columns: Vec<String>,
    pub(crate) origin: Origin,
}

impl PrimaryKey {
    /// A primary key on the given columns (by name).
    pub fn new<I, S>(columns: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        PrimaryKey {
            name: Name::Pending,
            columns: column_names(columns),
            origin: Origin::Table,
        }
    }

    /// Sets the name.
    pub fn named(mut self, name: impl Into<Name>) -> Self {
        self.name = name.into();
        self
    }

    /// The column names, in key order.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// The name of the listener that created the key, if one did.
    pub fn created_by(&self) -> Option<&str> {
        self.origin.created_by()
    }

    /// Whether the key was made from columns' `primary_key` flags.
    pub fn is_implicit(&self) -> bool {
        matches!(self.origin, Origin::Column(_))
    }
}

/// A foreign key constraint.
#[derive(Clone, Debug, PartialEq)]
pub struct ForeignKey {
    /// The constraint's name.
    pub name: Name,
    pub(crate) columns: Vec<String>,
    pub(crate) referred_table: TableRef,
    pub(crate) referred_columns: Vec<String>,
    /// `ON DELETE` action.
    pub on_delete: Option<ReferentialAction>,
    /// `ON UPDATE` action.
    pub on_update: Option<ReferentialAction>,
    /// Whether it is created with `ALTER TABLE` after all tables.
    pub use_alter: bool,
    pub(crate) origin: Origin,
}

impl ForeignKey {
    /// A foreign key from `columns` to `table` (`"table"` or `"schema.table"` as a [`TableRef`]).
    /// Without [`referred_columns`](ForeignKey::referred_columns) it refers to the table's primary key.
    pub fn new<I, S>(columns: I, table: TableRef) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        ForeignKey {
            name: Name::Pending,
            columns: column_names(columns),
            referred_table: table,
            referred_columns: Vec::new(),
            on_delete: None,
            on_update: None,
            use_alter: false,
            origin: Origin::Table,
        }
    }

    /// Sets the referred columns.
    pub fn referred_columns<I, S>(mut self, columns: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.referred_columns = column_names(columns);
        self
    }

    /// Sets the name.
    pub fn named(mut self, name: impl Into<Name>) -> Self {
        self.name = name.into();
        self
    }

    /// Marks the key to be added with `ALTER TABLE` after all tables are created.
    pub fn use_alter(mut self, yes: bool) -> Self {
        self.use_alter = yes;
        self
    }

    /// Sets `ON DELETE`.
    pub fn on_delete(mut self, action: ReferentialAction) -> Self {
        self.on_delete = Some(action);
        self
    }

    /// Sets `ON UPDATE`.
    pub fn on_update(mut self, action: ReferentialAction) -> Self {
        self.on_update = Some(action);
        self
    }

    /// The local column names.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// The referred table.
    pub fn referred_table(&self) -> &TableRef {
        &self.referred_table
    }

    /// The referred column names as declared; empty means the referred table's primary key.
    pub fn declared_referred_columns(&self) -> &[String] {
        &self.referred_columns
    }
}

/// A unique constraint.
#[derive(Clone, Debug, PartialEq)]
pub struct Unique {
    /// The constraint's name.
    pub name: Name,
    pub(crate) columns: Vec<String>,
    pub(crate) origin: Origin,
}

impl Unique {
    /// A unique constraint on the given columns.
    pub fn new<I, S>(columns: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Unique {
            name: Name::Pending,
            columns: column_names(columns),
            origin: Origin::Table,
        }
    }

    /// Sets the name.
    pub fn named(mut self, name: impl Into<Name>) -> Self {
        self.name = name.into();
        self
    }

    /// The column names.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }
}

/// A check constraint with a raw SQL expression.
#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    /// The constraint's name.
    pub name: Name,
    pub(crate) sql: String,
    pub(crate) origin: Origin,
    pub(crate) dialects: Option<Vec<DialectKind>>,
}

impl Check {
    /// A check constraint on the SQL expression.
    pub fn new(sql: impl Into<String>) -> Self {
        Check {
            name: Name::Pending,
            sql: sql.into(),
            origin: Origin::Table,
            dialects: None,
        }
    }

    /// Sets the name.
    pub fn named(mut self, name: impl Into<Name>) -> Self {
        self.name = name.into();
        self
    }

    /// The SQL expression.
    pub fn sql(&self) -> &str {
        &self.sql
    }

    /// The column a column-level check belongs to.
    pub fn column(&self) -> Option<&str> {
        self.origin.column()
    }

    /// Makes this a check of `column`: naming tokens see it as `column_0`,
    /// as they do a check declared on the column. The column must be the
    /// table's.
    pub fn on_column(mut self, column: impl Into<String>) -> Self {
        self.origin = Origin::Column(column.into());
        self
    }

    /// Restricts the check to the given dialects (`MySql` includes
    /// MariaDB): other dialects neither create nor expect it. Checks that
    /// stand in for a type a dialect lacks (a boolean, an enumeration) are
    /// made this way.
    pub fn only_for(mut self, dialects: impl IntoIterator<Item = DialectKind>) -> Self {
        self.dialects = Some(dialects.into_iter().collect());
        self
    }

    /// The dialects the check is restricted to, if it is.
    pub fn dialects(&self) -> Option<&[DialectKind]> {
        self.dialects.as_deref()
    }

    /// Whether the check is made on `dialect`.
    pub fn applies_to(&self, dialect: DialectKind) -> bool {
        self.dialects
            .as_ref()
            .is_none_or(|ds| ds.iter().any(|d| d.includes(dialect)))
    }
}

/// One part of an index's key: a column of the table, or an SQL expression
/// (an expression index, `CREATE INDEX ... ((lower(email)))`).
///
/// ```
/// use nomenclator::IndexPart;
///
/// let col = IndexPart::from("tenant_id");
/// let expr = IndexPart::expression("lower(email)");
/// assert_eq!(col.column(), Some("tenant_id"));
/// assert_eq!(expr.expression_sql(), Some("lower(email)"));
/// // Naming tokens see an expression as a column named `expr`.
/// assert_eq!(expr.token_name(), "expr");
/// assert_eq!(expr.to_string(), "lower(email)");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum IndexPart {
    /// A column of the table, by name.
    Column(String),
    /// An SQL expression, carried as the user wrote it (without the
    /// parentheses the dialect writes around it).
    Expression(String),
}

impl IndexPart {
    /// The name an expression part has for the naming tokens
    /// (`column_X_name`, `column_X_key`; its `column_X_label` is
    /// `<table>_expr`): `expr`, as PostgreSQL names expression indexes.
    pub const EXPRESSION_NAME: &'static str = "expr";

    /// An expression part.
    pub fn expression(sql: impl Into<String>) -> Self {
        IndexPart::Expression(sql.into())
    }

    /// The column's name, if this is a column part.
    pub fn column(&self) -> Option<&str> {
        match self {
            IndexPart::Column(c) => Some(c),
            IndexPart::Expression(_) => None,
        }
    }

    /// The SQL expression, if this is an expression part.
    pub fn expression_sql(&self) -> Option<&str> {
        match self {
            IndexPart::Column(_) => None,
            IndexPart::Expression(e) => Some(e),
        }
    }

    /// Whether this is an expression part.
    pub fn is_expression(&self) -> bool {
        matches!(self, IndexPart::Expression(_))
    }

    /// The name the naming tokens see: the column's name, or
    /// [`EXPRESSION_NAME`](Self::EXPRESSION_NAME) for an expression.
    pub fn token_name(&self) -> &str {
        match self {
            IndexPart::Column(c) => c,
            IndexPart::Expression(_) => Self::EXPRESSION_NAME,
        }
    }

    /// The text of the part: the column's name or the expression (what
    /// `nomenclator names` lists in `columns`).
    pub fn text(&self) -> &str {
        match self {
            IndexPart::Column(t) | IndexPart::Expression(t) => t,
        }
    }
}

impl fmt::Display for IndexPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text())
    }
}

impl From<&str> for IndexPart {
    /// A column part.
    fn from(name: &str) -> Self {
        IndexPart::Column(name.to_owned())
    }
}

impl From<String> for IndexPart {
    /// A column part.
    fn from(name: String) -> Self {
        IndexPart::Column(name)
    }
}

/// An index: columns and expressions, optionally unique, optionally partial
/// (with a `WHERE` predicate).
///
/// ```
/// use nomenclator::{Index, IndexPart};
///
/// let ix = Index::new(["tenant_id"])
///     .expression("lower(email)")
///     .with_where("deleted_at IS NULL")
///     .unique(true);
/// assert_eq!(
///     ix.parts(),
///     [IndexPart::from("tenant_id"), IndexPart::expression("lower(email)")]
/// );
/// assert_eq!(ix.columns().collect::<Vec<_>>(), ["tenant_id"]);
/// assert!(ix.has_expressions());
/// assert_eq!(ix.predicate(), Some("deleted_at IS NULL"));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Index {
    /// The index's name.
    pub name: Name,
    pub(crate) parts: Vec<IndexPart>,
    pub(crate) predicate: Option<String>,
    pub(crate) unique: bool,
    pub(crate) origin: Origin,
}

impl Index {
    /// An index on the given columns.
    pub fn new<I, S>(columns: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Index::with_parts(columns.into_iter().map(|c| IndexPart::Column(c.into())))
    }

    /// An index on the given parts (columns and expressions), in key order.
    pub fn with_parts<I>(parts: I) -> Self
    where
        I: IntoIterator<Item = IndexPart>,
    {
        let mut parts: Vec<IndexPart> = parts.into_iter().collect();
        parts.shrink_to_fit();
        Index {
            name: Name::Pending,
            parts,
            predicate: None,
            unique: false,
            origin: Origin::Table,
        }
    }

    /// Appends a column part.
    pub fn column(mut self, name: impl Into<String>) -> Self {
        self.parts.push(IndexPart::Column(name.into()));
        self
    }

    /// Appends an expression part: SQL, written as given between
    /// parentheses (`lower(email)`).
    pub fn expression(mut self, sql: impl Into<String>) -> Self {
        self.parts.push(IndexPart::Expression(sql.into()));
        self
    }

    /// Makes the index partial: only rows for which the SQL predicate holds
    /// are indexed (`CREATE INDEX ... WHERE sql`).
    pub fn with_where(mut self, sql: impl Into<String>) -> Self {
        self.predicate = Some(sql.into());
        self
    }

    /// Sets the name.
    pub fn named(mut self, name: impl Into<Name>) -> Self {
        self.name = name.into();
        self
    }

    /// Makes the index unique.
    pub fn unique(mut self, unique: bool) -> Self {
        self.unique = unique;
        self
    }

    /// The parts of the key, in order.
    pub fn parts(&self) -> &[IndexPart] {
        &self.parts
    }

    /// The names of the columns among the parts, in order (expressions
    /// left out).
    pub fn columns(&self) -> impl Iterator<Item = &str> + Clone + '_ {
        self.parts.iter().filter_map(IndexPart::column)
    }

    /// Whether a part is an expression.
    pub fn has_expressions(&self) -> bool {
        self.parts.iter().any(IndexPart::is_expression)
    }

    /// The `WHERE` predicate of a partial index.
    pub fn predicate(&self) -> Option<&str> {
        self.predicate.as_deref()
    }

    /// Whether the index is unique.
    pub fn is_unique(&self) -> bool {
        self.unique
    }

    /// Where it was declared.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    /// The name of the listener that created the index, if one did.
    pub fn created_by(&self) -> Option<&str> {
        self.origin.created_by()
    }
}

/// A table constraint.
#[derive(Clone, Debug, PartialEq)]
pub enum Constraint {
    /// A primary key.
    PrimaryKey(PrimaryKey),
    /// A foreign key.
    ForeignKey(ForeignKey),
    /// A unique constraint.
    Unique(Unique),
    /// A check constraint.
    Check(Check),
}

impl Constraint {
    /// The constraint's kind.
    pub fn kind(&self) -> Kind {
        match self {
            Constraint::PrimaryKey(_) => Kind::PrimaryKey,
            Constraint::ForeignKey(_) => Kind::ForeignKey,
            Constraint::Unique(_) => Kind::Unique,
            Constraint::Check(_) => Kind::Check,
        }
    }

    /// The constraint's name.
    pub fn name(&self) -> &Name {
        match self {
            Constraint::PrimaryKey(c) => &c.name,
            Constraint::ForeignKey(c) => &c.name,
            Constraint::Unique(c) => &c.name,
            Constraint::Check(c) => &c.name,
        }
    }

    /// The constraint's name, mutably.
    pub fn name_mut(&mut self) -> &mut Name {
        match self {
            Constraint::PrimaryKey(c) => &mut c.name,
            Constraint::ForeignKey(c) => &mut c.name,
            Constraint::Unique(c) => &mut c.name,
            Constraint::Check(c) => &mut c.name,
        }
    }

    /// The columns the naming tokens see: the key's columns, a foreign key's
    /// local columns, a column-level check's column, or none.
    pub fn columns(&self) -> &[String] {
        match self {
            Constraint::PrimaryKey(c) => &c.columns,
            Constraint::ForeignKey(c) => &c.columns,
            Constraint::Unique(c) => &c.columns,
            Constraint::Check(c) => match &c.origin {
                Origin::Column(col)
                | Origin::Listener {
                    column: Some(col), ..
                } => std::slice::from_ref(col),
                _ => &[],
            },
        }
    }

    /// Where the constraint was declared.
    pub fn origin(&self) -> &Origin {
        match self {
            Constraint::PrimaryKey(c) => &c.origin,
            Constraint::ForeignKey(c) => &c.origin,
            Constraint::Unique(c) => &c.origin,
            Constraint::Check(c) => &c.origin,
        }
    }

    /// Where the constraint was declared, mutably.
    pub(crate) fn origin_mut(&mut self) -> &mut Origin {
        match self {
            Constraint::PrimaryKey(c) => &mut c.origin,
            Constraint::ForeignKey(c) => &mut c.origin,
            Constraint::Unique(c) => &mut c.origin,
            Constraint::Check(c) => &mut c.origin,
        }
    }

    /// The name of the listener that created the constraint, if one did.
    pub fn created_by(&self) -> Option<&str> {
        self.origin().created_by()
    }

    /// Whether the constraint is made on `dialect` (only a check can be
    /// restricted to some dialects).
    pub fn applies_to(&self, dialect: DialectKind) -> bool {
        match self {
            Constraint::Check(c) => c.applies_to(dialect),
            _ => true,
        }
    }

    /// The foreign key, if this is one.
    pub fn as_foreign_key(&self) -> Option<&ForeignKey> {
        match self {
            Constraint::ForeignKey(fk) => Some(fk),
            _ => None,
        }
    }
}

impl From<PrimaryKey> for Constraint {
    fn from(c: PrimaryKey) -> Self {
        Constraint::PrimaryKey(c)
    }
}
impl From<ForeignKey> for Constraint {
    fn from(c: ForeignKey) -> Self {
        Constraint::ForeignKey(c)
    }
}
impl From<Unique> for Constraint {
    fn from(c: Unique) -> Self {
        Constraint::Unique(c)
    }
}
impl From<Check> for Constraint {
    fn from(c: Check) -> Self {
        Constraint::Check(c)
    }
}

/// Column names as owned strings, holding no spare capacity: a schema keeps
/// tens of thousands of these lists (and a list collected in place from a
/// parsed document's vector would keep that vector's capacity).
fn column_names<I, S>(columns: I) -> Vec<String>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let mut names: Vec<String> = columns.into_iter().map(Into::into).collect();
    names.shrink_to_fit();
    names
}
