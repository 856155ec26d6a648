//! DDL statements as data, each rendered for a dialect.

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
        let r = Renderer {
            d: dialect,
            options,
            rules: dialect.name_rules(options.max_identifier_length),
        };
        match self {
            Statement::CreateTable {
                table,
                metadata,
                deferred,
            } => r.create_table(table, *metadata, deferred),
            Statement::DropTable { table } => Ok(format!("DROP TABLE {}", r.table_name(table))),
            Statement::CreateIndex { table, index } => r.create_index(table, index),
            Statement::DropIndex { table, index } => r.drop_index(table, index),
            Statement::AddConstraint {
                table,
                constraint,
                metadata,
            } => {
                if !dialect.capabilities().alter_add_constraint {
                    return Err(DdlError::Unsupported {
                        dialect: dialect.name(),
                        what: format!("cannot add a constraint to table \"{}\" with ALTER TABLE; declare it in CREATE TABLE", table.key()),
                    });
                }
                let clause = r.constraint_clause(table, constraint, *metadata)?;
                Ok(format!("ALTER TABLE {} ADD {clause}", r.table_name(table)))
            }
            Statement::DropConstraint { table, constraint } => r.drop_constraint(table, constraint),
            Statement::CreateView(v) => Ok(format!(
                "CREATE VIEW {} AS {}",
                dialect.qualified(v.schema.as_deref(), &v.name),
                v.sql
            )),
            Statement::DropView(v) => Ok(format!(
                "DROP VIEW {}",
                dialect.qualified(v.schema.as_deref(), &v.name)
            )),
            Statement::CommentOnTable { table } => {
                r.comment_statements_only()?;
                let text = table.comment_text().unwrap_or_default();
                Ok(format!(
                    "COMMENT ON TABLE {} IS {}",
                    r.table_name(table),
                    dialect.string_literal(text)
                ))
            }
            Statement::CommentOnColumn { table, column } => {
                r.comment_statements_only()?;
                let text = column.comment_text().unwrap_or_default();
                Ok(format!(
                    "COMMENT ON COLUMN {}.{} IS {}",
                    r.table_name(table),
                    dialect.quote(column.name()),
                    dialect.string_literal(text)
                ))
            }
            Statement::Custom(sql) => Ok(sql.clone()),
        }
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

struct Renderer<'o> {
    d: &'o dyn Dialect,
    options: &'o DdlOptions,
    rules: NameRules,
}

impl Renderer<'_> {
    fn table_name(&self, t: &Table) -> String {
        self.d.qualified(t.schema_opt(), t.name())
    }

    fn cols(&self, cols: &[String]) -> String {
        cols.iter()
            .map(|c| self.d.quote(c))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn name(&self, t: &Table, name: &Name, what: &str) -> Result<Option<String>, DdlError> {
        Ok(self
            .rules
            .finalize(name, || format!("{what} of table \"{}\"", t.key()))?)
    }

    fn constraint_prefix(&self, t: &Table, name: &Name, what: &str) -> Result<String, DdlError> {
        Ok(match self.name(t, name, what)? {
            Some(n) => format!("CONSTRAINT {} ", self.d.quote(&n)),
            None => String::new(),
        })
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

    fn column_type(
        &self,
        t: &Table,
        c: &Column,
        md: Option<&MetaData>,
    ) -> Result<ColumnType, DdlError> {
        if let Some(ty) = c.column_type() {
            return Ok(ty.clone());
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
                            return Ok(ty.clone());
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
            let lower = ty.to_string().to_ascii_lowercase();
            let long = matches!(ty, ColumnType::Text | ColumnType::Blob | ColumnType::Json)
                || [
                    "tinytext",
                    "mediumtext",
                    "longtext",
                    "tinyblob",
                    "mediumblob",
                    "longblob",
                ]
                .contains(&lower.as_str());
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
    ) -> Result<String, DdlError> {
        let caps = self.d.capabilities();
        let auto = self.auto_increment_column(t);
        let mut items = Vec::new();
        // Column-level checks that go to the table level.
        let mut late_checks = Vec::new();
        for c in t.columns() {
            let ty = self.column_type(t, c, md)?;
            let is_auto = auto.is_some_and(|a| std::ptr::eq(a, c));
            let ty_sql = if is_auto {
                self.d.auto_increment_type_sql(&ty)?
            } else {
                self.d.type_sql(&ty)?
            };
            let mut s = format!("{} {ty_sql}", self.d.quote(c.name()));
            if let Some(def) = c.server_default() {
                s.push_str(" DEFAULT ");
                s.push_str(def);
            }
            let in_pk = t
                .primary_key()
                .is_some_and(|pk| pk.columns().iter().any(|x| x == c.name()));
            if !c.is_nullable() || in_pk {
                s.push_str(" NOT NULL");
            }
            if let (true, crate::dialect::AutoIncrement::Keyword(k)) =
                (is_auto, caps.auto_increment)
            {
                s.push(' ');
                s.push_str(k);
            }
            for (i, k) in t.constraints().iter().enumerate() {
                let Constraint::Check(ck) = k else { continue };
                if ck.column() != Some(c.name()) {
                    continue;
                }
                match self.name(t, &ck.name, "check constraint")? {
                    None => s.push_str(&format!(" CHECK ({})", ck.sql())),
                    Some(n) if caps.inline_named_column_checks => s.push_str(&format!(
                        " CONSTRAINT {} CHECK ({})",
                        self.d.quote(&n),
                        ck.sql()
                    )),
                    Some(_) => late_checks.push(i),
                }
            }
            if let Some(text) = c.comment_text() {
                match caps.comments {
                    CommentStyle::Inline => {
                        s.push_str(&format!(" COMMENT {}", self.d.string_literal(text)))
                    }
                    CommentStyle::SqlComment => {
                        s.push_str(&format!(" /* {} */", text.replace("*/", "* /")))
                    }
                    CommentStyle::Statements => {}
                }
            }
            items.push(s);
        }
        if let Some(pk) = t.primary_key() {
            self.check_keyable(t, pk.columns(), || "primary key".into(), md)?;
            let prefix = self.constraint_prefix(t, &pk.name, "primary key")?;
            items.push(format!("{prefix}PRIMARY KEY ({})", self.cols(pk.columns())));
        }
        for (i, k) in t.constraints().iter().enumerate() {
            match k {
                Constraint::ForeignKey(_) if deferred.contains(&i) => {}
                Constraint::Check(ck) if ck.column().is_some() && !late_checks.contains(&i) => {}
                k => items.push(self.constraint_clause(t, k, md)?),
            }
        }
        let mut sql = format!(
            "CREATE TABLE {} (\n\t{}\n)",
            self.table_name(t),
            items.join(",\n\t")
        );
        if let (Some(text), CommentStyle::Inline) = (t.comment_text(), caps.comments) {
            sql.push_str(&format!(" COMMENT={}", self.d.string_literal(text)));
        }
        if let (Some(text), CommentStyle::SqlComment) = (t.comment_text(), caps.comments) {
            sql = sql.replacen(
                " (\n",
                &format!(" ( /* {} */\n", text.replace("*/", "* /")),
                1,
            );
        }
        Ok(sql)
    }

    fn constraint_clause(
        &self,
        t: &Table,
        k: &Constraint,
        md: Option<&MetaData>,
    ) -> Result<String, DdlError> {
        Ok(match k {
            Constraint::PrimaryKey(pk) => {
                format!(
                    "{}PRIMARY KEY ({})",
                    self.constraint_prefix(t, &pk.name, "primary key")?,
                    self.cols(pk.columns())
                )
            }
            Constraint::Unique(uq) => {
                self.check_keyable(t, uq.columns(), || "unique constraint".into(), md)?;
                format!(
                    "{}UNIQUE ({})",
                    self.constraint_prefix(t, &uq.name, "unique constraint")?,
                    self.cols(uq.columns())
                )
            }
            Constraint::Check(ck) => format!(
                "{}CHECK ({})",
                self.constraint_prefix(t, &ck.name, "check constraint")?,
                ck.sql()
            ),
            Constraint::ForeignKey(fk) => self.foreign_key(t, fk, md)?,
        })
    }

    fn foreign_key(
        &self,
        t: &Table,
        fk: &ForeignKey,
        md: Option<&MetaData>,
    ) -> Result<String, DdlError> {
        let caps = self.d.capabilities();
        let err = |reason: String| DdlError::Reference {
            table: t.key(),
            columns: fk.columns().to_vec(),
            reason,
        };
        let referred_cols: Vec<String> = match (fk.declared_referred_columns(), md) {
            (_, Some(md)) => md.referred_columns(t, fk).map_err(|e| err(e.to_string()))?.to_vec(),
            ([], None) => {
                return Err(err("it refers to the primary key of its table implicitly; render it with the metadata (Statement::CreateTable { metadata: Some(..), .. })".into()))
            }
            (cols, None) => cols.to_vec(),
        };
        let r = fk.referred_table();
        let target = if !caps.schema_qualified_references {
            self.d.quote(&r.name)
        } else if let Some(s) = &r.schema {
            self.d.qualified(Some(s), &r.name)
        } else if let (Some(own), true) = (t.schema_opt(), caps.references_resolve_in_own_schema) {
            match &self.options.database {
                Some(db) => self.d.qualified(Some(db), &r.name),
                None => {
                    return Err(DdlError::DatabaseNeeded {
                        dialect: self.d.name(),
                        table: t.key(),
                        schema: own.to_owned(),
                        referred: r.clone(),
                    })
                }
            }
        } else {
            self.d.quote(&r.name)
        };
        let mut s = format!(
            "{}FOREIGN KEY ({}) REFERENCES {target} ({})",
            self.constraint_prefix(t, &fk.name, "foreign key")?,
            self.cols(fk.columns()),
            self.cols(&referred_cols)
        );
        if let Some(a) = &fk.on_delete {
            s.push_str(&format!(" ON DELETE {a}"));
        }
        if let Some(a) = &fk.on_update {
            s.push_str(&format!(" ON UPDATE {a}"));
        }
        Ok(s)
    }

    fn index_name(&self, t: &Table, ix: &Index) -> Result<String, DdlError> {
        match self.name(t, &ix.name, "index")? {
            Some(n) => Ok(n),
            None => Err(NamingError::IndexWithoutName {
                table: t.key(),
                columns: ix.columns().to_vec(),
            }
            .into()),
        }
    }

    fn create_index(&self, t: &Table, ix: &Index) -> Result<String, DdlError> {
        let name = self.index_name(t, ix)?;
        self.check_keyable(t, ix.columns(), || format!("index \"{name}\""), None)?;
        let unique = if ix.is_unique() { "UNIQUE " } else { "" };
        let (ix_name, table) = if self.d.capabilities().index_schema_on_index_name {
            (
                self.d.qualified(t.schema_opt(), &name),
                self.d.quote(t.name()),
            )
        } else {
            (self.d.quote(&name), self.table_name(t))
        };
        Ok(format!(
            "CREATE {unique}INDEX {ix_name} ON {table} ({})",
            self.cols(ix.columns())
        ))
    }

    fn drop_index(&self, t: &Table, ix: &Index) -> Result<String, DdlError> {
        let name = self.index_name(t, ix)?;
        if self.d.capabilities().drop_index_on_table {
            Ok(format!(
                "DROP INDEX {} ON {}",
                self.d.quote(&name),
                self.table_name(t)
            ))
        } else {
            Ok(format!(
                "DROP INDEX {}",
                self.d.qualified(t.schema_opt(), &name)
            ))
        }
    }

    fn drop_constraint(&self, t: &Table, k: &Constraint) -> Result<String, DdlError> {
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
        let clause = match k {
            Constraint::ForeignKey(_) => caps.drop_foreign_key,
            _ => "DROP CONSTRAINT",
        };
        Ok(format!(
            "ALTER TABLE {} {clause} {}",
            self.table_name(t),
            self.d.quote(&name)
        ))
    }
}
