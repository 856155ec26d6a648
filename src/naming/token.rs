//! What tokens are resolved against, and custom tokens: [`TokenContext`],
//! [`TokenProvider`] and [`TokenError`].

use std::sync::LazyLock;

use crate::schema::{Column, Index, IndexPart, Kind, Table, TableRef};

/// The column an index's expression part stands as for the tokens: named
/// [`IndexPart::EXPRESSION_NAME`], untyped, with no key of its own.
static EXPRESSION: LazyLock<Column> = LazyLock::new(|| Column::untyped(IndexPart::EXPRESSION_NAME));

/// What a template is rendered against: the table, the object's kind, its
/// columns, its explicit name and, for foreign keys, what it refers to.
///
/// The convention handler makes one for every object it names; plugins and
/// tests can make their own, no [`MetaData`](crate::MetaData) needed.
///
/// ```
/// use nomenclator::{Column, Kind, NamingConvention, Table, TableRef, TokenContext};
///
/// let table = Table::new("order_line")
///     .column(Column::new("order_id", "integer"))
///     .column(Column::new("product_id", "integer"));
/// let orders = TableRef::new(None, "orders");
/// let cx = TokenContext::new(&table, Kind::ForeignKey)
///     .with_columns(&table.columns()[..1])
///     .with_referred_table(&orders);
///
/// let convention = NamingConvention::new()
///     .with(Kind::ForeignKey, "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s")?;
/// let template = convention.template(Kind::ForeignKey).expect("set above");
/// assert_eq!(convention.render(template, &cx)?, "fk_order_line_order_id_orders");
/// # Ok::<(), nomenclator::naming::NamingError>(())
/// ```
#[derive(Clone, Debug)]
pub struct TokenContext<'a> {
    table: &'a Table,
    kind: Kind,
    columns: Vec<&'a Column>,
    explicit_name: Option<&'a str>,
    referred_table: Option<&'a TableRef>,
    referred_columns: Option<&'a [String]>,
    check_sql: Option<&'a str>,
    index: Option<&'a Index>,
}

impl<'a> TokenContext<'a> {
    /// A context for an object of `kind` on `table`, with no columns, no
    /// explicit name, nothing referred to and no check expression.
    pub fn new(table: &'a Table, kind: Kind) -> Self {
        TokenContext {
            table,
            kind,
            columns: Vec::new(),
            explicit_name: None,
            referred_table: None,
            referred_columns: None,
            check_sql: None,
            index: None,
        }
    }

    /// Sets the object's columns, in order.
    pub fn with_columns(mut self, columns: impl IntoIterator<Item = &'a Column>) -> Self {
        self.columns = columns.into_iter().collect();
        self
    }

    /// Sets the object's columns by name, as found on the table; a name the
    /// table lacks is left out (as when the object is attached).
    pub fn with_column_names<S: AsRef<str>>(mut self, names: &[S]) -> Self {
        let table = self.table;
        self.columns = names
            .iter()
            .filter_map(|n| table.column_named(n.as_ref()))
            .collect();
        self
    }

    /// Sets the object's columns from an index's parts, in order, and
    /// keeps the index (for [`index`](Self::index)): a column part as found
    /// on the table (left out if the table lacks it), an expression part as
    /// an untyped column named `expr` (so `column_X_name` and
    /// `column_X_key` are `expr`, `column_X_label` is `<table>_expr`).
    ///
    /// ```
    /// use nomenclator::{Column, Index, Kind, Table, TokenContext};
    ///
    /// let t = Table::new("account").column(Column::new("tenant_id", "integer"));
    /// let ix = Index::new(["tenant_id"]).expression("lower(email)");
    /// let cx = TokenContext::new(&t, Kind::Index).with_index(&ix);
    /// let names: Vec<&str> = cx.columns().iter().map(|c| c.name()).collect();
    /// assert_eq!(names, ["tenant_id", "expr"]);
    /// assert_eq!(cx.index().map(|ix| ix.parts().len()), Some(2));
    /// ```
    pub fn with_index(mut self, index: &'a Index) -> Self {
        let table = self.table;
        self.columns = index
            .parts()
            .iter()
            .filter_map(|p| match p {
                IndexPart::Column(c) => table.column_named(c),
                IndexPart::Expression(_) => Some(&*EXPRESSION),
            })
            .collect();
        self.index = Some(index);
        self
    }

    /// Sets the explicit name, the value of `constraint_name`.
    pub fn with_explicit_name(mut self, name: &'a str) -> Self {
        self.explicit_name = Some(name);
        self
    }

    /// Sets the referred table, for a foreign key.
    pub fn with_referred_table(mut self, table: &'a TableRef) -> Self {
        self.referred_table = Some(table);
        self
    }

    /// Sets the referred columns, for a foreign key.
    pub fn with_referred_columns(mut self, columns: &'a [String]) -> Self {
        self.referred_columns = Some(columns);
        self
    }

    /// Sets the SQL expression, for a check constraint.
    pub fn with_check_sql(mut self, sql: &'a str) -> Self {
        self.check_sql = Some(sql);
        self
    }

    /// The table the object belongs to.
    pub fn table(&self) -> &'a Table {
        self.table
    }

    /// The kind of object being named.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The object's columns (a foreign key's local columns; a column-level
    /// check's column; for an index's expression part, an untyped column
    /// named `expr`).
    pub fn columns(&self) -> &[&'a Column] {
        &self.columns
    }

    /// The explicit name, if the user gave one.
    pub fn explicit_name(&self) -> Option<&'a str> {
        self.explicit_name
    }

    /// The referred table, for foreign keys.
    pub fn referred_table(&self) -> Option<&'a TableRef> {
        self.referred_table
    }

    /// The referred column names, for foreign keys (declared, or the referred primary key).
    pub fn referred_columns(&self) -> Option<&'a [String]> {
        self.referred_columns
    }

    /// The SQL expression, for check constraints.
    pub fn check_sql(&self) -> Option<&'a str> {
        self.check_sql
    }

    /// The index being named, when the context was made
    /// [`with_index`](Self::with_index): its parts (expressions included)
    /// and predicate.
    pub fn index(&self) -> Option<&'a Index> {
        self.index
    }

    /// Appends `<table>_<column>`, or `<schema>_<table>_<column>` with each
    /// `.` of the schema as `_`: the value of `column_X_label`.
    pub(crate) fn push_label(&self, c: &Column, out: &mut String) {
        if let Some(s) = &self.table.schema {
            for (i, part) in s.split('.').enumerate() {
                if i > 0 {
                    out.push('_');
                }
                out.push_str(part);
            }
            out.push('_');
        }
        out.push_str(&self.table.name);
        out.push('_');
        out.push_str(&c.name);
    }
}

/// Why a custom token has no value for an object.
///
/// ```
/// use nomenclator::naming::TokenError;
/// let e = TokenError::new("tenant", "the table has no schema");
/// assert_eq!(e.to_string(), "token tenant: the table has no schema");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("token {token}: {reason}")]
pub struct TokenError {
    /// The token.
    pub token: String,
    /// Why it has no value.
    pub reason: String,
}

impl TokenError {
    /// An error for `token`, saying why it has no value.
    pub fn new(token: impl Into<String>, reason: impl Into<String>) -> Self {
        TokenError {
            token: token.into(),
            reason: reason.into(),
        }
    }
}

/// Supplies the values of custom tokens (a plugin's contribution to templates).
///
/// ```
/// use nomenclator::{Column, Kind, Table, TokenContext, TokenProvider};
/// use nomenclator::naming::TokenError;
///
/// /// `%(schema)s`: the table's schema.
/// struct SchemaToken;
/// impl TokenProvider for SchemaToken {
///     fn provides(&self, token: &str) -> bool {
///         token == "schema"
///     }
///     fn resolve(&self, token: &str, cx: &TokenContext<'_>) -> Result<String, TokenError> {
///         cx.table()
///             .schema()
///             .map(str::to_owned)
///             .ok_or_else(|| TokenError::new(token, "the table has no schema"))
///     }
/// }
///
/// let billing = Table::new("invoice").in_schema("billing");
/// let plain = Table::new("invoice");
/// assert_eq!(SchemaToken.resolve("schema", &TokenContext::new(&billing, Kind::Unique)).unwrap(), "billing");
/// assert!(SchemaToken.resolve("schema", &TokenContext::new(&plain, Kind::Unique)).is_err());
/// ```
pub trait TokenProvider: Send + Sync {
    /// Whether this provider knows `token`.
    fn provides(&self, token: &str) -> bool;

    /// The value of `token` for the object described by `context`, or why it has none.
    fn resolve(&self, token: &str, context: &TokenContext<'_>) -> Result<String, TokenError>;
}
