//! Naming conventions: a template per kind, and the name one gives an object.

use std::fmt;
use std::sync::Arc;

use super::error::NamingError;
use super::template::{apply_spec, ColumnAttr, Part, Selector, Template, Token};
use super::token::{TokenContext, TokenProvider};
use crate::schema::{
    Check, Column, Constraint, ForeignKey, Index, IndexPart, Kind, Name, Origin, PrimaryKey, Table,
    Unique,
};

/// A naming convention: at most one template per [`Kind`], and the token
/// providers its custom tokens come from.
#[derive(Clone, Default)]
pub struct NamingConvention {
    templates: [Option<Arc<Template>>; 5],
    providers: Vec<Arc<dyn TokenProvider>>,
}

impl fmt::Debug for NamingConvention {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut m = f.debug_map();
        for k in Kind::ALL {
            if let Some(t) = self.template(k) {
                m.entry(&k.key(), &t.source());
            }
        }
        m.finish()
    }
}

impl NamingConvention {
    /// An empty convention: nothing is named.
    pub fn new() -> Self {
        Self::default()
    }

    /// SQLAlchemy's default: `ix = "ix_%(column_0_label)s"`.
    pub fn sqlalchemy_default() -> Self {
        let mut c = Self::new();
        c.templates[Kind::Index.slot()] = Some(Arc::new(Template::sqlalchemy_default_index()));
        c
    }

    /// Adds a provider of custom tokens (before the templates that use them).
    pub fn add_provider(&mut self, provider: Arc<dyn TokenProvider>) {
        self.providers.push(provider);
    }

    /// Sets the template for `kind`, checking its tokens.
    pub fn set(&mut self, kind: Kind, template: &str) -> Result<(), NamingError> {
        let t = Template::parse(template).map_err(|e| NamingError::Template {
            origin: None,
            key: kind,
            error: e,
        })?;
        t.check_tokens(kind, |name| self.providers.iter().any(|p| p.provides(name)))
            .map_err(|message| NamingError::Token {
                origin: None,
                key: kind,
                template: template.to_owned(),
                message,
            })?;
        self.templates[kind.slot()] = Some(Arc::new(t));
        Ok(())
    }

    /// Builder form of [`set`](Self::set).
    pub fn with(mut self, kind: Kind, template: &str) -> Result<Self, NamingError> {
        self.set(kind, template)?;
        Ok(self)
    }

    /// Removes the template for `kind`.
    pub fn unset(&mut self, kind: Kind) {
        self.templates[kind.slot()] = None;
    }

    /// The template for `kind`.
    pub fn template(&self, kind: Kind) -> Option<&Template> {
        self.templates[kind.slot()].as_deref()
    }

    /// Whether no template is set.
    pub fn is_empty(&self) -> bool {
        self.templates.iter().all(Option::is_none)
    }

    /// The name this convention gives `object` of `table`: the name it
    /// carries once attached, found without attaching it. `referred` is the
    /// table a foreign key refers to; it is read only for a key that
    /// declares no referred columns (they are then that table's primary
    /// key) and only when [`needs_referred_table`](Self::needs_referred_table).
    ///
    /// The rules of the naming specification apply, as when attaching:
    ///
    /// 1. no name and a template for its kind: the template names it (a
    ///    [`Name::Generated`]);
    /// 2. no name and no template: [`Name::Pending`] — the database chooses,
    ///    and for an index [`final_names`](super::final_names) reports it;
    /// 3. an explicit name and a template without `constraint_name`: the
    ///    explicit name;
    /// 4. an explicit name and a template with `constraint_name`: the
    ///    template, given that name;
    /// 5. no name and a template with `constraint_name`:
    ///    [`NamingError::ConstraintNameRequired`];
    /// 6. a [`Name::Final`]: that name; [`Name::Unnamed`]: none;
    /// 7. an explicit name on an object a listener created
    ///    ([`Origin::Listener`]): a value for `constraint_name` only (rule 4);
    ///    under a template without it the object is named as if unnamed
    ///    (rule 1), and without a template it is left unnamed (rule 2), so a
    ///    listener's suggestion never becomes a bare name that could collide.
    ///
    /// A name generated before is made again from the explicit name it
    /// came from, and a template that renders nothing leaves the name the
    /// user gave, if any. For a check the columns are its column if it was
    /// declared on one, else none.
    ///
    /// # Errors
    ///
    /// Rule 5; [`NamingError::ReferredKeyUnknown`] when the referred
    /// columns are needed and `referred` is `None` or has no primary key;
    /// a token without a value.
    ///
    /// ```
    /// use nomenclator::{
    ///     Column, ForeignKey, Kind, NamingConvention, PrimaryKey, Table, TableRef, Unique,
    /// };
    ///
    /// let convention = NamingConvention::new()
    ///     .with(Kind::Unique, "uq_%(table_name)s_%(column_0_N_name)s")?
    ///     .with(Kind::ForeignKey, "fk_%(table_name)s_%(referred_column_0_name)s")?;
    /// let customer = Table::new("customer")
    ///     .column(Column::new("id", "integer"))
    ///     .constraint(PrimaryKey::new(["id"]));
    /// let orders = Table::new("orders")
    ///     .column(Column::new("customer_id", "integer"))
    ///     .column(Column::new("number", "integer"));
    ///
    /// let uq = Unique::new(["customer_id", "number"]);
    /// let name = convention.name_for(&orders, &uq, None)?;
    /// assert_eq!(name.as_str(), Some("uq_orders_customer_id_number"));
    ///
    /// // The referred column is the referred table's primary key.
    /// let fk = ForeignKey::new(["customer_id"], TableRef::new(None, "customer"));
    /// assert!(convention.needs_referred_table(&fk));
    /// let name = convention.name_for(&orders, &fk, Some(&customer))?;
    /// assert_eq!(name.as_str(), Some("fk_orders_id"));
    ///
    /// // An explicit name is kept when the template does not use it (rule 3).
    /// let named = Unique::new(["number"]).named("order_number_key");
    /// assert_eq!(convention.name_for(&orders, &named, None)?.as_str(), Some("order_number_key"));
    /// # Ok::<(), nomenclator::naming::NamingError>(())
    /// ```
    pub fn name_for<'a>(
        &self,
        table: &'a Table,
        object: impl Into<ObjectRef<'a>>,
        referred: Option<&'a Table>,
    ) -> Result<Name, NamingError> {
        let object = object.into();
        let current = object.name();
        let suggested = matches!(current, Name::Explicit(_)) && object.created_by().is_some();
        let Some(template) = self.template(object.kind()) else {
            return Ok(if suggested {
                Name::Pending
            } else {
                current.clone()
            });
        };
        let explicit = match current {
            Name::Final(_) | Name::Unnamed => return Ok(current.clone()),
            Name::Pending => None,
            Name::Explicit(e) if template.uses_constraint_name() => Some(e.as_str()),
            Name::Explicit(_) if suggested => None,
            Name::Explicit(_) => return Ok(current.clone()),
            Name::Generated { explicit, .. } => explicit.as_deref(),
        };
        let mut cx = TokenContext::new(table, object.kind());
        cx = match object {
            ObjectRef::Index(ix) => cx.with_index(ix),
            _ => cx.with_column_names(object.column_list()),
        };
        if let Some(e) = explicit {
            cx = cx.with_explicit_name(e);
        }
        match object {
            ObjectRef::ForeignKey(fk) => {
                cx = cx.with_referred_table(&fk.referred_table);
                if let Some(columns) = self.referred_columns(table, fk, referred)? {
                    cx = cx.with_referred_columns(columns);
                }
            }
            ObjectRef::Check(ck) => cx = cx.with_check_sql(&ck.sql),
            _ => {}
        }
        let generated = self.render(template, &cx)?;
        if generated.is_empty() {
            // As SQLAlchemy (`if newname:`): a template that renders nothing
            // names nothing; the object keeps the name it was given, if any.
            let mut kept = current.clone();
            kept.reset();
            return Ok(kept);
        }
        Ok(Name::Generated {
            name: generated,
            explicit: explicit.map(str::to_owned),
        })
    }

    /// Whether naming `fk` needs the table it refers to: it declares no
    /// referred columns (they are the referred table's primary key) and the
    /// `fk` template uses them, or uses a custom token, whose provider may
    /// ask for them.
    pub fn needs_referred_table(&self, fk: &ForeignKey) -> bool {
        fk.referred_columns.is_empty()
            && self.template(Kind::ForeignKey).is_some_and(|t| {
                t.uses_referred_columns() || t.tokens().any(|t| matches!(t, Token::Custom(_)))
            })
    }

    /// The referred columns the tokens of `fk` see: declared, or the
    /// primary key of `referred` when [`needs_referred_table`](Self::needs_referred_table);
    /// `None` when no token can ask for them.
    fn referred_columns<'a>(
        &self,
        table: &Table,
        fk: &'a ForeignKey,
        referred: Option<&'a Table>,
    ) -> Result<Option<&'a [String]>, NamingError> {
        if !fk.referred_columns.is_empty() {
            return Ok(Some(&fk.referred_columns));
        }
        if !self.needs_referred_table(fk) {
            return Ok(None);
        }
        match referred.and_then(Table::primary_key) {
            Some(pk) => Ok(Some(pk.columns())),
            None => Err(NamingError::ReferredKeyUnknown {
                table: table.key(),
                columns: fk.columns.clone(),
                referred: Box::new(fk.referred_table.clone()),
            }),
        }
    }

    /// Renders `template` for the object described by `cx`.
    pub fn render(
        &self,
        template: &Template,
        cx: &TokenContext<'_>,
    ) -> Result<String, NamingError> {
        // Room for the template's text and a few names: one allocation.
        let mut out = String::with_capacity(template.source().len() + 48);
        for part in template.parts() {
            match part {
                Part::Literal(s) => out.push_str(s),
                Part::Token(tok, None) => self.push_value(tok, template, cx, &mut out)?,
                Part::Token(tok, Some(spec)) => {
                    let mut v = String::new();
                    self.push_value(tok, template, cx, &mut v)?;
                    out.push_str(&apply_spec(spec, &v).map_err(|m| NamingError::Token {
                        origin: None,
                        key: cx.kind(),
                        template: template.source().to_owned(),
                        message: m,
                    })?)
                }
            }
        }
        Ok(out)
    }

    /// Appends the value of `tok` to `out` (written in place: templates are
    /// rendered for every constraint and index attached).
    fn push_value(
        &self,
        tok: &Token,
        template: &Template,
        cx: &TokenContext<'_>,
        out: &mut String,
    ) -> Result<(), NamingError> {
        let push_column = |c: &Column, attr: ColumnAttr, out: &mut String| match attr {
            ColumnAttr::Name => out.push_str(&c.name),
            ColumnAttr::Key => out.push_str(c.key_or_name()),
            ColumnAttr::Label => cx.push_label(c, out),
        };
        match tok {
            Token::TableName => out.push_str(cx.table().name()),
            Token::ConstraintName => match cx.explicit_name() {
                Some(n) => out.push_str(n),
                None => {
                    return Err(NamingError::ConstraintNameRequired {
                        table: cx.table().key(),
                        kind: cx.kind(),
                        columns: cx.columns().iter().map(|c| c.name.clone()).collect(),
                        template: template.source().to_owned(),
                    })
                }
            },
            Token::ReferredTableName => {
                if let Some(t) = cx.referred_table() {
                    out.push_str(&t.name);
                }
            }
            Token::Column(attr, Selector::At(i)) => {
                if let Some(c) = cx.columns().get(*i) {
                    push_column(c, *attr, out);
                }
            }
            Token::Column(attr, sel) => {
                push_joined(cx.columns(), *sel, out, |c, out| push_column(c, *attr, out))
            }
            Token::ReferredColumn(sel) => {
                let cols = cx.referred_columns().unwrap_or(&[]);
                match sel {
                    Selector::At(i) => match cols.get(*i) {
                        Some(c) => out.push_str(c),
                        None => {
                            return Err(NamingError::Token {
                                origin: None,
                                key: cx.kind(),
                                template: template.source().to_owned(),
                                message: format!(
                                    "{tok}: the foreign key of table \"{}\" has only {} referred column(s)",
                                    cx.table().key(),
                                    cols.len()
                                ),
                            })
                        }
                    },
                    _ => push_joined(cols, *sel, out, |c, out| out.push_str(c)),
                }
            }
            Token::Custom(name) => {
                let p = self
                    .providers
                    .iter()
                    .find(|p| p.provides(name))
                    .ok_or_else(|| NamingError::Token {
                        origin: None,
                        key: cx.kind(),
                        template: template.source().to_owned(),
                        message: format!("no plugin provides token {name:?}"),
                    })?;
                let v = p
                    .resolve(name, cx)
                    .map_err(|error| NamingError::TokenValue {
                        origin: None,
                        key: cx.kind(),
                        template: template.source().to_owned(),
                        error,
                    })?;
                out.push_str(&v);
            }
        }
        Ok(())
    }
}

/// A constraint or index, borrowed: what [`NamingConvention::name_for`] names.
///
/// Made from a reference to a [`Constraint`], an [`Index`] or any one
/// constraint type with `.into()`.
#[derive(Clone, Copy, Debug)]
pub enum ObjectRef<'a> {
    /// A primary key.
    PrimaryKey(&'a PrimaryKey),
    /// A foreign key.
    ForeignKey(&'a ForeignKey),
    /// A unique constraint.
    Unique(&'a Unique),
    /// A check constraint.
    Check(&'a Check),
    /// An index.
    Index(&'a Index),
}

impl<'a> ObjectRef<'a> {
    /// The object's kind: its convention key.
    pub fn kind(self) -> Kind {
        match self {
            ObjectRef::PrimaryKey(_) => Kind::PrimaryKey,
            ObjectRef::ForeignKey(_) => Kind::ForeignKey,
            ObjectRef::Unique(_) => Kind::Unique,
            ObjectRef::Check(_) => Kind::Check,
            ObjectRef::Index(_) => Kind::Index,
        }
    }

    /// The listener that created the object, if one did.
    pub fn created_by(self) -> Option<&'a str> {
        match self {
            ObjectRef::PrimaryKey(c) => c.origin.created_by(),
            ObjectRef::ForeignKey(c) => c.origin.created_by(),
            ObjectRef::Unique(c) => c.origin.created_by(),
            ObjectRef::Check(c) => c.origin.created_by(),
            ObjectRef::Index(c) => c.origin.created_by(),
        }
    }

    /// The object's name as it stands.
    pub fn name(self) -> &'a Name {
        match self {
            ObjectRef::PrimaryKey(c) => &c.name,
            ObjectRef::ForeignKey(c) => &c.name,
            ObjectRef::Unique(c) => &c.name,
            ObjectRef::Check(c) => &c.name,
            ObjectRef::Index(c) => &c.name,
        }
    }

    /// The names of the columns the naming tokens see: the key's or index's
    /// columns (an index's expression part as `expr`), a foreign key's local
    /// columns, a column-level check's column, or none.
    pub fn columns(self) -> Vec<&'a str> {
        match self {
            ObjectRef::Index(ix) => ix.parts.iter().map(IndexPart::token_name).collect(),
            _ => self.column_list().iter().map(String::as_str).collect(),
        }
    }

    /// The column list of a constraint; an index's column parts are not
    /// one list, and give none.
    fn column_list(self) -> &'a [String] {
        match self {
            ObjectRef::PrimaryKey(c) => &c.columns,
            ObjectRef::ForeignKey(c) => &c.columns,
            ObjectRef::Unique(c) => &c.columns,
            ObjectRef::Check(c) => match &c.origin {
                Origin::Column(col)
                | Origin::Listener {
                    column: Some(col), ..
                } => std::slice::from_ref(col),
                _ => &[],
            },
            ObjectRef::Index(_) => &[],
        }
    }
}

impl<'a> From<&'a Constraint> for ObjectRef<'a> {
    fn from(c: &'a Constraint) -> Self {
        match c {
            Constraint::PrimaryKey(c) => ObjectRef::PrimaryKey(c),
            Constraint::ForeignKey(c) => ObjectRef::ForeignKey(c),
            Constraint::Unique(c) => ObjectRef::Unique(c),
            Constraint::Check(c) => ObjectRef::Check(c),
        }
    }
}

impl<'a> From<&'a PrimaryKey> for ObjectRef<'a> {
    fn from(c: &'a PrimaryKey) -> Self {
        ObjectRef::PrimaryKey(c)
    }
}

impl<'a> From<&'a ForeignKey> for ObjectRef<'a> {
    fn from(c: &'a ForeignKey) -> Self {
        ObjectRef::ForeignKey(c)
    }
}

impl<'a> From<&'a Unique> for ObjectRef<'a> {
    fn from(c: &'a Unique) -> Self {
        ObjectRef::Unique(c)
    }
}

impl<'a> From<&'a Check> for ObjectRef<'a> {
    fn from(c: &'a Check) -> Self {
        ObjectRef::Check(c)
    }
}

impl<'a> From<&'a Index> for ObjectRef<'a> {
    fn from(c: &'a Index) -> Self {
        ObjectRef::Index(c)
    }
}

/// Appends each of `items` with `push`, joined with `_` (nothing between
/// them for [`Selector::Concat`]): the `column_0N_*` and `column_0_N_*`
/// forms of a token.
fn push_joined<T>(
    items: &[T],
    sel: Selector,
    out: &mut String,
    mut push: impl FnMut(&T, &mut String),
) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 && sel != Selector::Concat {
            out.push('_');
        }
        push(item, out);
    }
}
