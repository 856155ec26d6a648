//! What the naming rules read of a table: its columns, and each constraint
//! and index with the name it keeps or the mark that the server names it.

use nomenclator::events::ObjectAt;
use nomenclator::{Check, Constraint, DialectKind, Index, IndexPart, Name, PrimaryKey, Table};

/// One part of a key or index: a column, or (in an index) an expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Part<'a> {
    Column(&'a str),
    Expression(&'a str),
}

impl<'a> Part<'a> {
    /// The column's name or the expression's text.
    pub fn text(self) -> &'a str {
        match self {
            Part::Column(t) | Part::Expression(t) => t,
        }
    }
}

fn column_parts(columns: &[String]) -> Vec<Part<'_>> {
    columns.iter().map(|c| Part::Column(c)).collect()
}

/// What a constraint or index is, as far as naming goes.
#[derive(Clone, Copy, Debug)]
pub(crate) enum What<'a> {
    PrimaryKey,
    Unique,
    ForeignKey { use_alter: bool },
    Check(&'a Check),
    Index,
}

/// One constraint or index of a [`View`].
#[derive(Clone, Debug)]
pub(crate) struct Obj<'a> {
    /// Where it sits in its table.
    pub at: ObjectAt,
    pub what: What<'a>,
    /// Its columns (a foreign key's local ones, a column-level check's
    /// column), or an index's parts.
    pub parts: Vec<Part<'a>>,
    /// The name it keeps (the user's, or one another convention gave it);
    /// `None` when the server names it, and so the rules do.
    pub fixed: Option<&'a str>,
}

impl Obj<'_> {
    /// Whether the rules name it.
    pub fn is_ours(&self) -> bool {
        self.fixed.is_none()
    }
}

/// A table as the naming rules see it.
#[derive(Clone, Debug)]
pub(crate) struct View<'a> {
    pub name: &'a str,
    pub schema: Option<&'a str>,
    pub columns: Vec<&'a str>,
    pub primary_key: Option<Obj<'a>>,
    pub constraints: Vec<Obj<'a>>,
    pub indexes: Vec<Obj<'a>>,
}

impl<'a> View<'a> {
    /// The view of `t`; `ours` tells, for each object and its name, whether
    /// the rules name it (otherwise it keeps its name).
    pub fn of(t: &'a Table, mut ours: impl FnMut(ObjectAt, &Name) -> bool) -> Self {
        let mut fixed = |at: ObjectAt, name: &'a Name| {
            if ours(at, name) {
                None
            } else {
                name.as_str()
            }
        };
        View {
            name: t.name(),
            schema: t.schema(),
            columns: t.columns().iter().map(|c| c.name()).collect(),
            primary_key: t.primary_key().map(|pk| {
                let at = ObjectAt::PrimaryKey;
                primary_key(pk, at, fixed(at, &pk.name))
            }),
            constraints: t
                .constraints()
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let at = ObjectAt::Constraint(i);
                    constraint(c, at, fixed(at, c.name()))
                })
                .collect(),
            indexes: t
                .indexes()
                .iter()
                .enumerate()
                .map(|(i, ix)| {
                    let at = ObjectAt::Index(i);
                    index(ix, at, fixed(at, &ix.name))
                })
                .collect(),
        }
    }

    /// Adds a constraint being attached, which the rules name.
    pub fn push_constraint(&mut self, c: &'a Constraint) -> ObjectAt {
        match c {
            Constraint::PrimaryKey(pk) => {
                let at = ObjectAt::PrimaryKey;
                self.primary_key = Some(primary_key(pk, at, None));
                at
            }
            c => {
                let at = ObjectAt::Constraint(self.constraints.len());
                self.constraints.push(constraint(c, at, None));
                at
            }
        }
    }

    /// Adds a primary key being named again as a column joins it.
    pub fn push_primary_key(&mut self, pk: &'a PrimaryKey) -> ObjectAt {
        let at = ObjectAt::PrimaryKey;
        self.primary_key = Some(primary_key(pk, at, None));
        at
    }

    /// Adds an index being attached, which the rules name.
    pub fn push_index(&mut self, ix: &'a Index) -> ObjectAt {
        let at = ObjectAt::Index(self.indexes.len());
        self.indexes.push(index(ix, at, None));
        at
    }

    /// The foreign keys created with `ALTER TABLE` after every table as
    /// far as this table alone tells: those marked `use_alter`.
    pub fn use_alter_keys(&self) -> Vec<usize> {
        self.constraints
            .iter()
            .enumerate()
            .filter(|(_, o)| matches!(o.what, What::ForeignKey { use_alter: true }))
            .map(|(i, _)| i)
            .collect()
    }

    /// The check constraints in the order a `CREATE TABLE` names them:
    /// those written in their column's definition (column by column),
    /// then the table's (a named column-level check is one of these on a
    /// server that takes no `CONSTRAINT name` inside a column). Checks
    /// restricted to other dialects than `dialect` are not made, and not
    /// listed.
    pub fn checks(&self, inline_named: bool, dialect: DialectKind) -> Vec<(&Obj<'a>, bool)> {
        let inline = |o: &Obj<'_>, col: &str| match o.what {
            What::Check(ck) => ck.column() == Some(col) && (inline_named || o.is_ours()),
            _ => false,
        };
        let made = |o: &&Obj<'a>| match o.what {
            What::Check(ck) => ck.applies_to(dialect),
            _ => true,
        };
        let mut out: Vec<(&Obj<'a>, bool)> = Vec::new();
        for col in &self.columns {
            out.extend(
                self.constraints
                    .iter()
                    .filter(|o| inline(o, col))
                    .filter(made)
                    .map(|o| (o, true)),
            );
        }
        for o in self.constraints.iter().filter(made) {
            if matches!(o.what, What::Check(_)) && !out.iter().any(|(x, _)| x.at == o.at) {
                out.push((o, false));
            }
        }
        out
    }
}

fn primary_key<'a>(pk: &'a PrimaryKey, at: ObjectAt, fixed: Option<&'a str>) -> Obj<'a> {
    Obj {
        at,
        what: What::PrimaryKey,
        parts: column_parts(pk.columns()),
        fixed,
    }
}

fn constraint<'a>(c: &'a Constraint, at: ObjectAt, fixed: Option<&'a str>) -> Obj<'a> {
    let what = match c {
        Constraint::PrimaryKey(_) => What::PrimaryKey,
        Constraint::Unique(_) => What::Unique,
        Constraint::ForeignKey(fk) => What::ForeignKey {
            use_alter: fk.use_alter,
        },
        Constraint::Check(ck) => What::Check(ck),
    };
    Obj {
        at,
        what,
        parts: column_parts(c.columns()),
        fixed,
    }
}

fn index<'a>(ix: &'a Index, at: ObjectAt, fixed: Option<&'a str>) -> Obj<'a> {
    Obj {
        at,
        what: What::Index,
        parts: ix
            .parts()
            .iter()
            .map(|p| match p {
                IndexPart::Column(c) => Part::Column(c),
                IndexPart::Expression(e) => Part::Expression(e),
            })
            .collect(),
        fixed,
    }
}

/// A name the rules chose for one object: `None` when the server creates
/// no such object (PostgreSQL's repeated unique constraint).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Chosen {
    /// The table, by position in the views.
    pub table: usize,
    pub at: ObjectAt,
    pub name: Option<String>,
}

/// The creation order the rules follow: tables by position, then the
/// foreign keys added after every table (table position, constraint
/// position), in order.
#[derive(Clone, Debug, Default)]
pub(crate) struct Order {
    pub tables: Vec<usize>,
    pub deferred: Vec<(usize, usize)>,
}

impl Order {
    /// The order of one table alone: its `use_alter` keys come last.
    pub fn single(view: &View<'_>) -> Self {
        Order {
            tables: vec![0],
            deferred: view.use_alter_keys().into_iter().map(|c| (0, c)).collect(),
        }
    }
}
