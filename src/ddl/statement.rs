//! DDL statements as data, each rendered for a dialect.

use std::borrow::Cow;

use crate::dialect::{CommentStyle, Dialect};
use crate::naming::{NameRules, NamingError};
use crate::schema::{
    Column, ColumnType, Constraint, CustomDdl, ForeignKey, Index, MetaData, Name, Table, View,
};

use super::error::DdlError;
use super::plan::DdlOptions;

/// One DDL statement, as data. [`Statement::to_sql`] renders it for a dialect
/// (without a trailing `;`).
///
/// ```
/// use nomenclator::{Column, Index, MetaData, Table};
/// use nomenclator::ddl::{DdlOptions, Statement};
/// use nomenclator::dialect::MySql;
///
/// let mut md = MetaData::new();
/// md.add_table(Table::new("note").column(Column::new("body", "varchar(200)")).index(Index::new(["body"])))?;
/// let t = md.table("note").unwrap();
/// let sql = Statement::CreateIndex { table: t, index: &t.indexes()[0] }.to_sql(&MySql, &DdlOptions::default())?;
/// assert_eq!(sql, "CREATE INDEX ix_note_body ON note (body)");
/// # Ok::<(), nomenclator::Error>(())
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Statement<'a> {
    /// `CREATE TABLE` with its columns, primary key, unique and check
    /// constraints, and the foreign keys not listed in `deferred`.
    CreateTable {
        /// The table.
        table: &'a Table,
        /// The metadata, to resolve foreign keys that refer to a primary key
        /// implicitly and columns that take their type from a foreign key.
        metadata: Option<&'a MetaData>,
        /// Positions in `table.constraints()` of foreign keys added later by `ALTER TABLE`.
        deferred: Vec<usize>,
    },
    /// `DROP TABLE`.
    DropTable {
        /// The table.
        table: &'a Table,
    },
    /// `CREATE [UNIQUE] INDEX`.
    CreateIndex {
        /// The table.
        table: &'a Table,
        /// The index.
        index: &'a Index,
    },
    /// `DROP INDEX`.
    DropIndex {
        /// The table.
        table: &'a Table,
        /// The index.
        index: &'a Index,
    },
    /// `ALTER TABLE ... ADD CONSTRAINT`.
    AddConstraint {
        /// The table.
        table: &'a Table,
        /// The constraint (usually a foreign key).
        constraint: &'a Constraint,
        /// The metadata, as for `CreateTable`.
        metadata: Option<&'a MetaData>,
    },
    /// `ALTER TABLE ... DROP CONSTRAINT` (`DROP FOREIGN KEY` on MySQL).
    DropConstraint {
        /// The table.
        table: &'a Table,
        /// The constraint; it must have a name.
        constraint: &'a Constraint,
    },
    /// `CREATE VIEW ... AS ...`.
    CreateView(&'a View),
    /// `DROP VIEW`.
    DropView(&'a View),
    /// `COMMENT ON TABLE` (dialects whose comments are separate statements).
    CommentOnTable {
        /// The table; its comment is used.
        table: &'a Table,
    },
    /// `COMMENT ON COLUMN`.
    CommentOnColumn {
        /// The table.
        table: &'a Table,
        /// The column; its comment is used.
        column: &'a Column,
    },
    /// Any statement, verbatim (custom DDL after substitution).
    Custom(String),
}

impl<'a> Statement<'a> {
    /// `CREATE TABLE` for a table on its own: every foreign key inline; foreign
    /// keys must name their referred columns (use [`Statement::CreateTable`]
    /// with `metadata` otherwise).
    pub fn create_table(table: &'a Table) -> Self {
        Statement::CreateTable {
            table,
            metadata: None,
            deferred: Vec::new(),
        }
    }

    /// The statement for `dialect`, without a trailing `;`.
    pub fn to_sql(&self, dialect: &dyn Dialect, options: &DdlOptions) -> Result<String, DdlError> {
        let mut out = String::new();
        self.write_sql(dialect, options, &mut out)?;
        Ok(out)
    }

    /// Appends the statement for `dialect` (without a trailing `;`) to `out`.
    /// On error `out` is left as it was.
    pub fn write_sql(
        &self,
        dialect: &dyn Dialect,
        options: &DdlOptions,
        out: &mut String,
    ) -> Result<(), DdlError> {
        let rules = dialect.name_rules(options.max_identifier_length);
        self.write_sql_with(dialect, options, &rules, out)
    }

    /// [`write_sql`](Self::write_sql) with the dialect's naming rules made
    /// already (a plan renders many statements under the same rules).
    pub(crate) fn write_sql_with(
        &self,
        dialect: &dyn Dialect,
        options: &DdlOptions,
        rules: &NameRules,
        out: &mut String,
    ) -> Result<(), DdlError> {
        let start = out.len();
        let r = Renderer {
            d: dialect,
            options,
            rules,
        };
        let result = r.statement(self, out);
        if result.is_err() {
            out.truncate(start);
        }
        result
    }
}

/// A custom DDL statement for `dialect`: `%(table)s`, `%(schema)s` and
/// `%(fullname)s` replaced by the quoted name, schema and schema-qualified
/// name of `table`, and `%%` by `%`. Tokens need a table; a table without a
/// schema has no `%(schema)s`.
pub fn render_custom_ddl(
    ddl: &CustomDdl,
    table: Option<&Table>,
    dialect: &dyn Dialect,
) -> Result<String, DdlError> {
    let err = |reason: String| DdlError::CustomDdl {
        sql: ddl.sql.clone(),
        reason,
    };
    let mut out = String::with_capacity(ddl.sql.len());
    let mut rest = ddl.sql.as_str();
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if let Some(r) = rest.strip_prefix("%%") {
            out.push('%');
            rest = r;
            continue;
        }
        let token = ["table", "schema", "fullname"]
            .into_iter()
            .find(|t| rest.starts_with(&format!("%({t})s")));
        let Some(token) = token else {
            out.push('%');
            rest = &rest[1..];
            continue;
        };
        let Some(t) = table else {
            return Err(err(format!(
                "%({token})s needs a table; metadata-level DDL has none"
            )));
        };
        let value = match token {
            "table" => dialect.quote(t.name()),
            "fullname" => dialect.qualified(t.schema_opt(), t.name()),
            _ => match t.schema_opt() {
                Some(s) => dialect.quote(s),
                None => {
                    return Err(err(format!(
                        "%(schema)s: table \"{}\" has no schema",
                        t.key()
                    )))
                }
            },
        };
        out.push_str(&value);
        rest = &rest[token.len() + 4..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Renders statements by appending to one output string.
struct Renderer<'o> {
    d: &'o dyn Dialect,
    options: &'o DdlOptions,
    rules: &'o NameRules,
}

impl Renderer<'_> {
    fn statement(&self, st: &Statement<'_>, out: &mut String) -> Result<(), DdlError> {
        let d = self.d;
        match st {
            Statement::CreateTable {
                table,
                metadata,
                deferred,
            } => self.create_table(table, *metadata, deferred, out)?,
            Statement::DropTable { table } => {
                out.push_str("DROP TABLE ");
                self.table_name(table, out);
            }
            Statement::CreateIndex { table, index } => self.create_index(table, index, out)?,
            Statement::DropIndex { table, index } => self.drop_index(table, index, out)?,
            Statement::AddConstraint {
                table,
                constraint,
                metadata,
            } => {
                if !d.capabilities().alter_add_constraint {
                    return Err(DdlError::Unsupported {
                        dialect: d.name(),
                        what: format!("cannot add a constraint to table \"{}\" with ALTER TABLE; declare it in CREATE TABLE", table.key()),
                    });
                }
                out.push_str("ALTER TABLE ");
                self.table_name(table, out);
                out.push_str(" ADD ");
                self.constraint_clause(table, constraint, *metadata, out)?;
            }
            Statement::DropConstraint { table, constraint } => {
                self.drop_constraint(table, constraint, out)?
            }
            Statement::CreateView(v) => {
                out.push_str("CREATE VIEW ");
                d.push_qualified(out, v.schema.as_deref(), &v.name);
                out.push_str(" AS ");
                out.push_str(&v.sql);
            }
            Statement::DropView(v) => {
                out.push_str("DROP VIEW ");
                d.push_qualified(out, v.schema.as_deref(), &v.name);
            }
            Statement::CommentOnTable { table } => {
                self.comment_statements_only()?;
                out.push_str("COMMENT ON TABLE ");
                self.table_name(table, out);
                out.push_str(" IS ");
                d.push_string_literal(out, table.comment_text().unwrap_or_default());
            }
            Statement::CommentOnColumn { table, column } => {
                self.comment_statements_only()?;
                out.push_str("COMMENT ON COLUMN ");
                self.table_name(table, out);
                out.push('.');
                d.push_quoted(out, column.name());
                out.push_str(" IS ");
                d.push_string_literal(out, column.comment_text().unwrap_or_default());
            }
            Statement::Custom(sql) => out.push_str(sql),
        }
        Ok(())
    }

    fn table_name(&self, t: &Table, out: &mut String) {
        self.d.push_qualified(out, t.schema_opt(), t.name());
    }

    /// The quoted columns, separated by `, `.
    fn cols(&self, cols: &[String], out: &mut String) {
        for (i, c) in cols.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            self.d.push_quoted(out, c);
        }
    }

    fn name<'n>(
        &self,
        t: &Table,
        name: &'n Name,
        what: &str,
    ) -> Result<Option<Cow<'n, str>>, DdlError> {
        Ok(self
            .rules
            .finalize(name, || format!("{what} of table \"{}\"", t.key()))?)
    }

    /// `CONSTRAINT name ` for a named constraint; nothing for an unnamed one.
    fn constraint_prefix(
        &self,
        t: &Table,
        name: &Name,
        what: &str,
        out: &mut String,
    ) -> Result<(), DdlError> {
        if let Some(n) = self.name(t, name, what)? {
            out.push_str("CONSTRAINT ");
            self.d.push_quoted(out, &n);
            out.push(' ');
        }
        Ok(())
    }

    fn comment_statements_only(&self) -> Result<(), DdlError> {
        if self.d.capabilities().comments == CommentStyle::Statements {
            return Ok(());
        }
        Err(DdlError::Unsupported {
            dialect: self.d.name(),
            what: "has no COMMENT ON statement; comments are rendered in CREATE TABLE".into(),
        })
    }

    /// The column that auto-increments, by SQLAlchemy's rule: the only
    /// primary-key column, of an integer type, not in a foreign key, without
    /// a server default.
    fn auto_increment_column<'t>(&self, t: &'t Table) -> Option<&'t Column> {
        let pk = t.primary_key()?;
        let [col] = pk.columns() else { return None };
        let c = t.column_named(col)?;
        let integer = c.column_type().is_some_and(ColumnType::is_integer);
        let in_fk = t
            .foreign_keys()
            .any(|fk| fk.columns().iter().any(|x| x == col));
        (integer && !in_fk && c.server_default().is_none()).then_some(c)
    }

    /// The column's type, or for an untyped column in a foreign key, the
    /// referred column's type.
    fn column_type<'t>(
        &self,
        t: &'t Table,
        c: &'t Column,
        md: Option<&'t MetaData>,
    ) -> Result<&'t ColumnType, DdlError> {
        if let Some(ty) = c.column_type() {
            return Ok(ty);
        }
        for fk in t.foreign_keys() {
            if let Some(i) = fk.columns().iter().position(|x| x == c.name()) {
                if let Some(md) = md {
                    if let (Some(target), Ok(cols)) =
                        (md.get(fk.referred_table()), md.referred_columns(t, fk))
                    {
                        if let Some(ty) =
                            target.column_named(&cols[i]).and_then(Column::column_type)
                        {
                            return Ok(ty);
                        }
                    }
                }
            }
        }
        Err(DdlError::UntypedColumn {
            table: t.key(),
            column: c.name().to_owned(),
        })
    }

    fn check_keyable(
        &self,
        t: &Table,
        cols: &[String],
        what: impl Fn() -> String,
        md: Option<&MetaData>,
    ) -> Result<(), DdlError> {
        if !self.d.capabilities().text_keys_need_prefix {
            return Ok(());
        }
        for col in cols {
            let Some(c) = t.column_named(col) else {
                continue;
            };
            let Ok(ty) = self.column_type(t, c, md) else {
                continue;
            };
            let long = match ty {
                ColumnType::Text | ColumnType::Blob | ColumnType::Json => true,
                ColumnType::Other(s) => [
                    "tinytext",
                    "mediumtext",
                    "longtext",
                    "tinyblob",
                    "mediumblob",
                    "longblob",
                ]
                .iter()
                .any(|x| x.eq_ignore_ascii_case(s)),
                _ => false,
            };
            if long {
                return Err(DdlError::PrefixLengthNeeded {
                    dialect: self.d.name(),
                    table: t.key(),
                    what: what(),
                    column: col.clone(),
                    ty: ty.to_string(),
                });
            }
        }
        Ok(())
    }

    fn create_table(
        &self,
        t: &Table,
        md: Option<&MetaData>,
        deferred: &[usize],
        out: &mut String,
    ) -> Result<(), DdlError> {
        let d = self.d;
        let caps = d.capabilities();
        let auto = self.auto_increment_column(t);
        out.push_str("CREATE TABLE ");
        self.table_name(t, out);
        out.push_str(" (");
        if let (Some(text), CommentStyle::SqlComment) = (t.comment_text(), caps.comments) {
            out.push_str(" /* ");
            out.push_str(&text.replace("*/", "* /"));
            out.push_str(" */");
        }
        out.push_str("\n\t");
        // Column-level checks that go to the table level.
        let mut late_checks = Vec::new();
        for (ci, c) in t.columns().iter().enumerate() {
            if ci > 0 {
                out.push_str(",\n\t");
            }
            let ty = self.column_type(t, c, md)?;
            let is_auto = auto.is_some_and(|a| std::ptr::eq(a, c));
            let ty_sql = if is_auto {
                d.auto_increment_type_sql(ty)?
            } else {
                d.type_sql(ty)?
            };
            d.push_quoted(out, c.name());
            out.push(' ');
            out.push_str(&ty_sql);
            if let Some(def) = c.server_default() {
                out.push_str(" DEFAULT ");
                out.push_str(def);
            }
            let in_pk = t
                .primary_key()
                .is_some_and(|pk| pk.columns().iter().any(|x| x == c.name()));
            if !c.is_nullable() || in_pk {
                out.push_str(" NOT NULL");
            }
            if let (true, crate::dialect::AutoIncrement::Keyword(k)) =
                (is_auto, caps.auto_increment)
            {
                out.push(' ');
                out.push_str(k);
            }
            for (i, k) in t.constraints().iter().enumerate() {
                let Constraint::Check(ck) = k else { continue };
                if ck.column() != Some(c.name()) {
                    continue;
                }
                match self.name(t, &ck.name, "check constraint")? {
                    None => {}
                    Some(n) if caps.inline_named_column_checks => {
                        out.push_str(" CONSTRAINT ");
                        d.push_quoted(out, &n);
                    }
                    Some(_) => {
                        late_checks.push(i);
                        continue;
                    }
                }
                out.push_str(" CHECK (");
                out.push_str(ck.sql());
                out.push(')');
            }
            if let Some(text) = c.comment_text() {
                match caps.comments {
                    CommentStyle::Inline => {
                        out.push_str(" COMMENT ");
                        d.push_string_literal(out, text);
                    }
                    CommentStyle::SqlComment => {
                        out.push_str(" /* ");
                        out.push_str(&text.replace("*/", "* /"));
                        out.push_str(" */");
                    }
                    CommentStyle::Statements => {}
                }
            }
        }
        if let Some(pk) = t.primary_key() {
            self.check_keyable(t, pk.columns(), || "primary key".into(), md)?;
            out.push_str(",\n\t");
            self.constraint_prefix(t, &pk.name, "primary key", out)?;
            out.push_str("PRIMARY KEY (");
            self.cols(pk.columns(), out);
            out.push(')');
        }
        for (i, k) in t.constraints().iter().enumerate() {
            match k {
                Constraint::ForeignKey(_) if deferred.contains(&i) => {}
                Constraint::Check(ck) if ck.column().is_some() && !late_checks.contains(&i) => {}
                k => {
                    out.push_str(",\n\t");
                    self.constraint_clause(t, k, md, out)?;
                }
            }
        }
        out.push_str("\n)");
        if let (Some(text), CommentStyle::Inline) = (t.comment_text(), caps.comments) {
            out.push_str(" COMMENT=");
            d.push_string_literal(out, text);
        }
        Ok(())
    }

    fn constraint_clause(
        &self,
        t: &Table,
        k: &Constraint,
        md: Option<&MetaData>,
        out: &mut String,
    ) -> Result<(), DdlError> {
        match k {
            Constraint::PrimaryKey(pk) => {
                self.constraint_prefix(t, &pk.name, "primary key", out)?;
                out.push_str("PRIMARY KEY (");
                self.cols(pk.columns(), out);
                out.push(')');
            }
            Constraint::Unique(uq) => {
                self.check_keyable(t, uq.columns(), || "unique constraint".into(), md)?;
                self.constraint_prefix(t, &uq.name, "unique constraint", out)?;
                out.push_str("UNIQUE (");
                self.cols(uq.columns(), out);
                out.push(')');
            }
            Constraint::Check(ck) => {
                self.constraint_prefix(t, &ck.name, "check constraint", out)?;
                out.push_str("CHECK (");
                out.push_str(ck.sql());
                out.push(')');
            }
            Constraint::ForeignKey(fk) => self.foreign_key(t, fk, md, out)?,
        }
        Ok(())
    }

    fn foreign_key(
        &self,
        t: &Table,
        fk: &ForeignKey,
        md: Option<&MetaData>,
        out: &mut String,
    ) -> Result<(), DdlError> {
        let d = self.d;
        let caps = d.capabilities();
        let err = |reason: String| DdlError::Reference {
            table: t.key(),
            columns: fk.columns().to_vec(),
            reason,
        };
        let referred_cols: &[String] = match (fk.declared_referred_columns(), md) {
            (_, Some(md)) => md.referred_columns(t, fk).map_err(|e| err(e.to_string()))?,
            ([], None) => {
                return Err(err("it refers to the primary key of its table implicitly; render it with the metadata (Statement::CreateTable { metadata: Some(..), .. })".into()))
            }
            (cols, None) => cols,
        };
        let r = fk.referred_table();
        // The schema that qualifies the referred table, if any.
        let target_schema = if !caps.schema_qualified_references {
            None
        } else if let Some(s) = &r.schema {
            Some(s.as_str())
        } else if let (Some(own), true) = (t.schema_opt(), caps.references_resolve_in_own_schema) {
            match &self.options.database {
                Some(db) => Some(db.as_str()),
                None => {
                    return Err(DdlError::DatabaseNeeded {
                        dialect: d.name(),
                        table: t.key(),
                        schema: own.to_owned(),
                        referred: r.clone(),
                    })
                }
            }
        } else {
            None
        };
        self.constraint_prefix(t, &fk.name, "foreign key", out)?;
        out.push_str("FOREIGN KEY (");
        self.cols(fk.columns(), out);
        out.push_str(") REFERENCES ");
        d.push_qualified(out, target_schema, &r.name);
        out.push_str(" (");
        self.cols(referred_cols, out);
        out.push(')');
        if let Some(a) = &fk.on_delete {
            out.push_str(" ON DELETE ");
            out.push_str(a);
        }
        if let Some(a) = &fk.on_update {
            out.push_str(" ON UPDATE ");
            out.push_str(a);
        }
        Ok(())
    }

    fn index_name<'n>(&self, t: &Table, ix: &'n Index) -> Result<Cow<'n, str>, DdlError> {
        match self.name(t, &ix.name, "index")? {
            Some(n) => Ok(n),
            None => Err(NamingError::IndexWithoutName {
                table: t.key(),
                columns: ix.columns().to_vec(),
            }
            .into()),
        }
    }

    fn create_index(&self, t: &Table, ix: &Index, out: &mut String) -> Result<(), DdlError> {
        let d = self.d;
        let name = self.index_name(t, ix)?;
        self.check_keyable(t, ix.columns(), || format!("index \"{name}\""), None)?;
        out.push_str(if ix.is_unique() {
            "CREATE UNIQUE INDEX "
        } else {
            "CREATE INDEX "
        });
        if d.capabilities().index_schema_on_index_name {
            d.push_qualified(out, t.schema_opt(), &name);
            out.push_str(" ON ");
            d.push_quoted(out, t.name());
        } else {
            d.push_quoted(out, &name);
            out.push_str(" ON ");
            self.table_name(t, out);
        }
        out.push_str(" (");
        self.cols(ix.columns(), out);
        out.push(')');
        Ok(())
    }

    fn drop_index(&self, t: &Table, ix: &Index, out: &mut String) -> Result<(), DdlError> {
        let d = self.d;
        let name = self.index_name(t, ix)?;
        out.push_str("DROP INDEX ");
        if d.capabilities().drop_index_on_table {
            d.push_quoted(out, &name);
            out.push_str(" ON ");
            self.table_name(t, out);
        } else {
            d.push_qualified(out, t.schema_opt(), &name);
        }
        Ok(())
    }

    fn drop_constraint(&self, t: &Table, k: &Constraint, out: &mut String) -> Result<(), DdlError> {
        let caps = self.d.capabilities();
        let what = k.kind().describe();
        let Some(name) = self.name(t, k.name(), what)? else {
            return Err(DdlError::Unsupported {
                dialect: self.d.name(),
                what: format!(
                    "cannot drop the unnamed {what} ({}) of table \"{}\": give it a name",
                    k.columns().join(", "),
                    t.key()
                ),
            });
        };
        if !caps.alter_add_constraint {
            return Err(DdlError::Unsupported {
                dialect: self.d.name(),
                what: format!("cannot drop {what} \"{name}\" of table \"{}\" with ALTER TABLE; drop the table", t.key()),
            });
        }
        out.push_str("ALTER TABLE ");
        self.table_name(t, out);
        out.push(' ');
        out.push_str(match k {
            Constraint::ForeignKey(_) => caps.drop_foreign_key,
            _ => "DROP CONSTRAINT",
        });
        out.push(' ');
        self.d.push_quoted(out, &name);
        Ok(())
    }
}
