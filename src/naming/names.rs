//! Final names for a dialect: shortening, length checks and collision detection.

use std::borrow::Cow;

use serde::Serialize;

use super::error::{NamingError, ObjectDesc};
use super::limits::{IdentifierChars, IdentifierLimit};
use crate::schema::{DialectKind, IndexPart, Kind, MetaData, Name, Table, TableRef};

/// Which names must be distinct from which, on one database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Namespaces {
    /// Kinds whose names share one namespace per schema.
    pub per_schema: &'static [Kind],
    /// Whether table and view names are in that per-schema namespace too.
    pub tables_in_schema_namespace: bool,
    /// Kinds whose names share one namespace per table.
    pub per_table: &'static [Kind],
    /// The schema of a table declared without one.
    pub default_schema: Option<&'static str>,
    /// How the database compares names: of schemas, tables and views, of
    /// the constraints and indexes in these namespaces, and of a table's
    /// columns.
    pub case: NameCase,
}

/// How a database compares two names: whether `Users` and `users` are one.
///
/// ```
/// use nomenclator::naming::NameCase;
/// assert!(!NameCase::Sensitive.same("IX_a", "ix_a"));
/// assert!(NameCase::AsciiInsensitive.same("IX_a", "ix_a"));
/// assert!(!NameCase::AsciiInsensitive.same("É", "é"));
/// assert!(NameCase::Insensitive.same("É", "é"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NameCase {
    /// Character for character (PostgreSQL, where nomenclator quotes every
    /// name that folding would change).
    Sensitive,
    /// ASCII letters without regard to case, other characters exactly (SQLite).
    AsciiInsensitive,
    /// Every letter without regard to case (MySQL and MariaDB: index,
    /// constraint and column names always; table and database names on
    /// most installations, and so always here).
    Insensitive,
}

impl NameCase {
    /// `name` in the form in which two names compare equal exactly when
    /// they are one name: unchanged, or in lower case.
    pub fn fold(self, name: &str) -> Cow<'_, str> {
        match self {
            NameCase::Sensitive => Cow::Borrowed(name),
            NameCase::AsciiInsensitive if name.bytes().any(|b| b.is_ascii_uppercase()) => {
                Cow::Owned(name.to_ascii_lowercase())
            }
            NameCase::Insensitive if name.chars().any(|c| c.to_lowercase().ne([c])) => {
                Cow::Owned(name.to_lowercase())
            }
            NameCase::AsciiInsensitive | NameCase::Insensitive => Cow::Borrowed(name),
        }
    }

    /// Whether `a` and `b` are one name.
    pub fn same(self, a: &str, b: &str) -> bool {
        match self {
            NameCase::Sensitive => a == b,
            NameCase::AsciiInsensitive => a.eq_ignore_ascii_case(b),
            NameCase::Insensitive => a == b || self.fold(a) == self.fold(b),
        }
    }

    /// Words for messages: how names are compared.
    fn describe(self) -> &'static str {
        match self {
            NameCase::Sensitive => "exactly",
            NameCase::AsciiInsensitive => "without regard to the case of ASCII letters",
            NameCase::Insensitive => "without regard to case",
        }
    }
}

/// The naming rules of a dialect: its name, identifier limit and namespaces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameRules {
    /// The dialect's name, for messages.
    pub dialect: String,
    /// The identifier limit.
    pub limit: IdentifierLimit,
    /// The namespaces.
    pub namespaces: Namespaces,
    /// The characters identifiers may hold.
    pub chars: IdentifierChars,
}

/// One constraint or index with its final name, as `nomenclator names` prints it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NamedObject {
    /// The table's schema.
    pub schema: Option<String>,
    /// The table.
    pub table: String,
    /// `pk`, `fk`, `uq`, `ck` or `ix`.
    #[serde(serialize_with = "ser_kind")]
    pub kind: Kind,
    /// The column names (`[]` for a table-level check).
    pub columns: Vec<String>,
    /// The final name; `None` where the database chooses.
    pub name: Option<String>,
    /// For indexes: whether unique.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unique: Option<bool>,
    /// The listener that created the object, if one did (see
    /// [`Constraint::created_by`](crate::Constraint::created_by)).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
}

fn ser_kind<S: serde::Serializer>(k: &Kind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(k.key())
}

impl NameRules {
    /// The kind of the dialect the rules are for, if it is a built-in one.
    fn kind(&self) -> Option<DialectKind> {
        self.dialect.parse().ok()
    }

    /// The final name of `name`: generated names shortened to the limit,
    /// explicit and final names checked against it.
    pub fn finalize<'n>(
        &self,
        name: &'n Name,
        what: impl FnOnce() -> String,
    ) -> Result<Option<Cow<'n, str>>, NamingError> {
        match name {
            Name::Pending | Name::Unnamed => Ok(None),
            Name::Generated { name, .. } => Ok(Some(self.limit.shorten(name))),
            Name::Explicit(n) | Name::Final(n) => {
                self.check_length(
                    n,
                    what,
                    ", or let a naming convention make (and shorten) it",
                )?;
                Ok(Some(Cow::Borrowed(n)))
            }
        }
    }

    /// Checks a name against the characters the dialect accepts.
    pub fn check_chars(
        &self,
        name: &str,
        what: impl FnOnce() -> String,
    ) -> Result<(), NamingError> {
        match self.chars.problem(name) {
            None => Ok(()),
            Some(problem) => Err(NamingError::BadCharacters {
                what: what(),
                name: name.to_owned(),
                problem,
                dialect: self.dialect.clone(),
            }),
        }
    }

    /// Checks a table, column or explicit name against the limit.
    pub fn check_length(
        &self,
        name: &str,
        what: impl FnOnce() -> String,
        hint: &'static str,
    ) -> Result<(), NamingError> {
        if self.limit.fits(name) {
            return Ok(());
        }
        Err(NamingError::TooLong {
            what: what(),
            name: name.to_owned(),
            length: self.limit.length(name),
            unit: self.limit.unit_name(),
            limit: self.limit.max.unwrap_or(usize::MAX),
            dialect: self.dialect.clone(),
            hint,
        })
    }
}

/// Every constraint and index of `md` with its final name under `rules`,
/// table by table (primary key, other constraints, indexes, in attachment
/// order). Fails on names over the limit, unnamed indexes and collisions.
pub fn final_names(md: &MetaData, rules: &NameRules) -> Result<Vec<NamedObject>, NamingError> {
    let mut out = Vec::new();
    visit_final_names(md, rules, |t, kind, columns, unique, name| {
        out.push(named_object(t, kind, columns, unique, name));
    })?;
    mark_created_by(md, rules, &mut out);
    Ok(out)
}

/// Fills in [`NamedObject::created_by`] of `out`, which lists the objects of
/// `md` in [`items`] order.
fn mark_created_by(md: &MetaData, rules: &NameRules, out: &mut [NamedObject]) {
    let dialect = rules.kind();
    let made = md.tables().iter().flat_map(|t| {
        let pk = t.primary_key().map(|pk| pk.created_by());
        let cs = made_constraints(t, dialect).map(|c| c.created_by());
        let ixs = t.indexes().iter().map(|ix| ix.created_by());
        pk.into_iter().chain(cs).chain(ixs)
    });
    for (o, by) in out.iter_mut().zip(made) {
        o.created_by = by.map(str::to_owned);
    }
}

/// What [`final_names`] lists, without its check for collisions (names over
/// the limit are still errors): for trial documents, in which two objects
/// may be named alike and only the names are wanted.
pub fn final_names_unchecked(
    md: &MetaData,
    rules: &NameRules,
) -> Result<Vec<NamedObject>, NamingError> {
    let mut out = Vec::new();
    let dialect = rules.kind();
    for t in md.tables() {
        for (kind, name, columns, unique) in items(t, dialect) {
            let name =
                rules.finalize(name, || Seen::Object(t, kind, columns).desc().to_string())?;
            out.push(named_object(t, kind, columns, unique, name.as_deref()));
        }
    }
    mark_created_by(md, rules, &mut out);
    Ok(out)
}

fn named_object(
    t: &Table,
    kind: Kind,
    columns: Cols<'_>,
    unique: Option<bool>,
    name: Option<&str>,
) -> NamedObject {
    NamedObject {
        schema: t.schema.clone(),
        table: t.name.clone(),
        kind,
        columns: columns.to_vec(),
        name: name.map(str::to_owned),
        unique,
        created_by: None,
    }
}

/// Checks what [`final_names`] checks (limits, unnamed indexes, collisions)
/// without listing the names: DDL calls this before rendering.
pub fn check_final_names(md: &MetaData, rules: &NameRules) -> Result<(), NamingError> {
    if names_plainly_distinct(md, rules) {
        return Ok(());
    }
    visit_final_names(md, rules, |_, _, _, _, _| {})
}

/// Whether the names of `md` pass [`check_final_names`] at a glance: every
/// name has its final form, every index a name, and no two namespace keys
/// share a hash. Only hashes are kept, not an entry per object; `false`
/// means only that the full check must look, and it finds what is wrong
/// (or that two keys merely share a hash).
fn names_plainly_distinct(md: &MetaData, rules: &NameRules) -> bool {
    let ns = &rules.namespaces;
    let c = Checker {
        md,
        rules,
        entries: Vec::new(),
    };
    let mut seen = rustc_hash::FxHashSet::<u64>::default();
    seen.reserve(entries_needed(md));
    let views = md.views().iter().map(|v| (&v.schema, v.name.as_str()));
    let tables = md.tables().iter().map(|t| (&t.schema, t.name.as_str()));
    for (schema, name) in views.chain(tables) {
        if !seen.insert(c.hash(c.relations(schema), name)) {
            return false;
        }
    }
    let dialect = rules.kind();
    for (ti, t) in md.tables().iter().enumerate() {
        for (kind, name, _, _) in items(t, dialect) {
            let n = match rules.finalize(name, String::new) {
                Ok(Some(n)) => n,
                Ok(None) if kind != Kind::Index => continue,
                Ok(None) | Err(_) => return false,
            };
            if ns.per_table.contains(&kind) && !seen.insert(c.hash(Scope::Table(pos(ti)), &n)) {
                return false;
            }
            let schema = Scope::Schema(c.schema_of(&t.schema));
            if ns.per_schema.contains(&kind) && !seen.insert(c.hash(schema, &n)) {
                return false;
            }
        }
    }
    true
}

/// At most two namespace entries per constraint and index, one per view
/// and table: room for all of them.
fn entries_needed(md: &MetaData) -> usize {
    let objects: usize = md
        .tables()
        .iter()
        .map(|t| {
            1 + 2
                * (usize::from(t.primary_key().is_some())
                    + t.constraints().len()
                    + t.indexes().len())
        })
        .sum();
    objects + md.views().len()
}

/// Where a name was seen, kept by reference; described only for a
/// collision error.
#[derive(Clone, Copy)]
enum Seen<'m> {
    Relation(Option<&'m str>, &'m str),
    Object(&'m Table, Kind, Cols<'m>),
}

impl Seen<'_> {
    fn desc(self) -> ObjectDesc {
        match self {
            Seen::Relation(schema, name) => ObjectDesc {
                table: TableRef::new(schema, name),
                kind: None,
                columns: vec![],
            },
            Seen::Object(t, kind, columns) => ObjectDesc {
                table: t.key(),
                kind: Some(kind),
                columns: columns.to_vec(),
            },
        }
    }
}

/// One object's entry in a namespace, for collision detection.
#[derive(Clone, Copy)]
struct Entry {
    /// The hash of the namespace key (scope and name).
    hash: u64,
    /// Which object.
    obj: Obj,
    /// Position in the order names are checked in (views, tables, then
    /// each constraint and index, per-table check before per-schema check).
    seq: u32,
    /// Views are only recorded; everything else is checked against the
    /// names recorded before it.
    checked: bool,
    /// The entry is in the object's table's namespace, not its schema's.
    per_table: bool,
}

/// An object with a name: a view, a table, or a table's constraint or
/// index (by position in [`items`] order).
#[derive(Clone, Copy)]
enum Obj {
    View(u32),
    Table(u32),
    Item(u32, u32),
}

/// Finds name collisions by sorting hashed entries rather than keeping maps
/// of every name: a schema of 10,000 tables has 100,000 entries.
struct Checker<'m, 'r> {
    md: &'m MetaData,
    rules: &'r NameRules,
    entries: Vec<Entry>,
}

/// The columns of a constraint, or the parts of an index, as listed in
/// messages and by [`final_names`]: an expression part as its SQL text.
#[derive(Clone, Copy)]
enum Cols<'m> {
    Names(&'m [String]),
    Parts(&'m [IndexPart]),
}

impl Cols<'_> {
    fn to_vec(self) -> Vec<String> {
        match self {
            Cols::Names(n) => n.to_vec(),
            Cols::Parts(p) => p.iter().map(|p| p.text().to_owned()).collect(),
        }
    }
}

/// The constraints and indexes of `t` in naming order, with their kind,
/// name, columns and (for indexes) uniqueness.
fn items(
    t: &Table,
    dialect: Option<DialectKind>,
) -> impl Iterator<Item = (Kind, &Name, Cols<'_>, Option<bool>)> {
    let pk = t
        .primary_key()
        .map(|pk| (Kind::PrimaryKey, &pk.name, Cols::Names(pk.columns()), None));
    let constraints =
        made_constraints(t, dialect).map(|c| (c.kind(), c.name(), Cols::Names(c.columns()), None));
    let indexes = t.indexes().iter().map(|ix| {
        let parts = Cols::Parts(ix.parts());
        (Kind::Index, &ix.name, parts, Some(ix.is_unique()))
    });
    pk.into_iter().chain(constraints).chain(indexes)
}

/// The constraints of `t` that are made on `dialect`: a check restricted to
/// other dialects is not (`None`, a dialect of no known kind: all).
fn made_constraints(
    t: &Table,
    dialect: Option<DialectKind>,
) -> impl Iterator<Item = &crate::schema::Constraint> {
    t.constraints()
        .iter()
        .filter(move |c| dialect.is_none_or(|d| c.applies_to(d)))
}

/// The namespaces a key can live in.
#[derive(Clone, Copy)]
enum Scope<'m> {
    Table(u32),
    Schema(Option<&'m str>),
    /// Tables and views, where they do not share the schema's namespace
    /// with constraints or indexes.
    Relations(Option<&'m str>),
}

impl Scope<'_> {
    /// Whether two scopes are one namespace, schema names compared as `case` says.
    fn same(&self, other: &Scope<'_>, case: NameCase) -> bool {
        let schemas = |a: &Option<&str>, b: &Option<&str>| match (a, b) {
            (Some(a), Some(b)) => case.same(a, b),
            (None, None) => true,
            _ => false,
        };
        match (self, other) {
            (Scope::Table(a), Scope::Table(b)) => a == b,
            (Scope::Schema(a), Scope::Schema(b)) | (Scope::Relations(a), Scope::Relations(b)) => {
                schemas(a, b)
            }
            _ => false,
        }
    }
}

/// A position as `u32` (schemas beyond 4 billion objects are not a concern,
/// but they must not wrap silently).
fn pos(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

impl<'m> Checker<'m, '_> {
    fn schema_of(&self, s: &'m Option<String>) -> Option<&'m str> {
        s.as_deref().or(self.rules.namespaces.default_schema)
    }

    /// The namespace of the views and tables of `schema`.
    fn relations(&self, schema: &'m Option<String>) -> Scope<'m> {
        if self.rules.namespaces.tables_in_schema_namespace {
            Scope::Schema(self.schema_of(schema))
        } else {
            Scope::Relations(self.schema_of(schema))
        }
    }

    /// The hash of the namespace key of `name` in `scope`.
    fn hash(&self, scope: Scope<'_>, name: &str) -> u64 {
        use std::hash::{BuildHasher, Hash, Hasher};
        let case = self.rules.namespaces.case;
        let mut h = rustc_hash::FxBuildHasher.build_hasher();
        match scope {
            Scope::Table(i) => (0u8, i).hash(&mut h),
            Scope::Schema(s) => (1u8, s.map(|s| case.fold(s))).hash(&mut h),
            Scope::Relations(s) => (2u8, s.map(|s| case.fold(s))).hash(&mut h),
        }
        case.fold(name).hash(&mut h);
        h.finish()
    }

    fn push(&mut self, obj: Obj, scope: Scope<'_>, name: &str, checked: bool) {
        self.entries.push(Entry {
            hash: self.hash(scope, name),
            obj,
            seq: pos(self.entries.len()),
            checked,
            per_table: matches!(scope, Scope::Table(_)),
        });
    }

    /// The entry's namespace key and what it names. Entries are pushed only
    /// for objects of `md`, so this is never `None`; if it were, the entry
    /// would collide with nothing.
    fn resolve(&self, e: &Entry) -> Option<(Scope<'m>, Cow<'m, str>, Seen<'m>)> {
        // A view or table: its schema's namespace, under its own name.
        let relation = |schema: &'m Option<String>, name: &'m str| {
            (
                self.relations(schema),
                Cow::Borrowed(name),
                Seen::Relation(schema.as_deref(), name),
            )
        };
        Some(match e.obj {
            Obj::View(i) => {
                let v = self.md.views().get(i as usize)?;
                relation(&v.schema, &v.name)
            }
            Obj::Table(i) => {
                let t = self.md.tables().get(i as usize)?;
                relation(&t.schema, &t.name)
            }
            Obj::Item(ti, k) => {
                let t = self.md.tables().get(ti as usize)?;
                let (kind, name, columns, _) = items(t, self.rules.kind()).nth(k as usize)?;
                let n = self
                    .rules
                    .finalize(name, String::new)
                    .ok()
                    .flatten()
                    .unwrap_or_default();
                let scope = if e.per_table {
                    Scope::Table(ti)
                } else {
                    Scope::Schema(self.schema_of(&t.schema))
                };
                (scope, n, Seen::Object(t, kind, columns))
            }
        })
    }

    /// The first collision in checking order, if any.
    fn first_collision(mut self) -> Option<NamingError> {
        // Names collide only where hashes do, and usually none do: a set of
        // the hashes answers that in one pass, without sorting the entries.
        let mut hashes = rustc_hash::FxHashSet::<u64>::default();
        hashes.reserve(self.entries.len());
        if self.entries.iter().all(|e| hashes.insert(e.hash)) {
            return None;
        }
        drop(hashes);
        let mut entries = std::mem::take(&mut self.entries);
        entries.sort_unstable_by_key(|e| (e.hash, e.seq));
        let mut best: Option<(Entry, Entry)> = None;
        for run in entries.chunk_by(|a, b| a.hash == b.hash) {
            if run.len() < 2 {
                continue;
            }
            // Entries with one hash may still differ in key: compare keys.
            let keys: Vec<_> = run.iter().map(|e| self.resolve(e)).collect();
            for (j, e) in run.iter().enumerate() {
                if !e.checked {
                    continue;
                }
                let Some((scope, name, _)) = &keys[j] else {
                    continue;
                };
                let case = self.rules.namespaces.case;
                let earlier = (0..j).rev().find(|&i| {
                    keys[i]
                        .as_ref()
                        .is_some_and(|(s, n, _)| s.same(scope, case) && case.same(n, name))
                });
                if let Some(i) = earlier {
                    if best.is_none_or(|(_, second)| e.seq < second.seq) {
                        best = Some((run[i], *e));
                    }
                    break;
                }
            }
        }
        let (first, second) = best?;
        let (scope, name, first_seen) = self.resolve(&first)?;
        let (_, second_name, second_seen) = self.resolve(&second)?;
        let ns = &self.rules.namespaces;
        let scope = match (scope, second.obj) {
            (Scope::Relations(_), _) => {
                "tables and views share one namespace per schema".to_owned()
            }
            (_, Obj::Table(_)) => {
                "tables, views and indexes share one namespace per schema".to_owned()
            }
            (Scope::Table(_), _) => format!(
                "names of {} must differ within a table",
                kinds(ns.per_table)
            ),
            (Scope::Schema(_), _) => {
                let what = if ns.tables_in_schema_namespace {
                    "tables and "
                } else {
                    ""
                };
                format!(
                    "{what}names of {} share one namespace per schema",
                    kinds(ns.per_schema)
                )
            }
        };
        let scope = match ns.case {
            NameCase::Sensitive => scope,
            case => format!("{scope}, names compared {}", case.describe()),
        };
        Some(NamingError::Collision {
            second_name: (second_name != name).then(|| second_name.into_owned()),
            name: name.into_owned(),
            first: Box::new(first_seen.desc()),
            second: Box::new(second_seen.desc()),
            scope,
            dialect: self.rules.dialect.clone(),
        })
    }
}

/// Calls `f` for every constraint and index of `md` with its final name,
/// in [`final_names`] order, after checking its length; then checks that
/// names which must differ do. Names are borrowed from the metadata; only
/// shortened names are new strings.
fn visit_final_names<'m>(
    md: &'m MetaData,
    rules: &NameRules,
    mut f: impl FnMut(&'m Table, Kind, Cols<'m>, Option<bool>, Option<&str>),
) -> Result<(), NamingError> {
    let ns = &rules.namespaces;
    let mut c = Checker {
        md,
        rules,
        entries: Vec::with_capacity(entries_needed(md)),
    };
    for (i, v) in md.views().iter().enumerate() {
        let scope = c.relations(&v.schema);
        c.push(Obj::View(pos(i)), scope, &v.name, false);
    }
    for (i, t) in md.tables().iter().enumerate() {
        let scope = c.relations(&t.schema);
        c.push(Obj::Table(pos(i)), scope, &t.name, true);
    }
    // A name over the limit or an unnamed index stops the walk; a collision
    // among the names before it is reported first, as a walk checking each
    // name as it goes would.
    let mut stopped = None;
    let dialect = rules.kind();
    'tables: for (ti, t) in md.tables().iter().enumerate() {
        for (k, (kind, name, columns, unique)) in items(t, dialect).enumerate() {
            let final_name =
                match rules.finalize(name, || Seen::Object(t, kind, columns).desc().to_string()) {
                    Ok(n) => n,
                    Err(e) => {
                        stopped = Some(e);
                        break 'tables;
                    }
                };
            let Some(n) = final_name else {
                if kind == Kind::Index {
                    stopped = Some(NamingError::IndexWithoutName {
                        table: t.key(),
                        columns: columns.to_vec(),
                    });
                    break 'tables;
                }
                f(t, kind, columns, unique, None);
                continue;
            };
            f(t, kind, columns, unique, Some(&n));
            let obj = Obj::Item(pos(ti), pos(k));
            if ns.per_table.contains(&kind) {
                c.push(obj, Scope::Table(pos(ti)), &n, true);
            }
            if ns.per_schema.contains(&kind) {
                c.push(obj, Scope::Schema(c.schema_of(&t.schema)), &n, true);
            }
        }
    }
    if let Some(e) = c.first_collision() {
        return Err(e);
    }
    match stopped {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Checks schema, table, view and column names against the limit, and
/// every identifier against the characters the dialect accepts. DDL calls
/// this before rendering: PostgreSQL would silently cut a longer name, and
/// MySQL refuses an emoji or a trailing space only when the statement runs.
/// ([`final_names`] does not: it lists constraint and index names, which
/// SQLAlchemy reports for such documents too.)
pub fn check_identifier_lengths(md: &MetaData, rules: &NameRules) -> Result<(), NamingError> {
    let hint = "; the database would cut or refuse it";
    let check = |name: &str, what: &dyn Fn() -> String| -> Result<(), NamingError> {
        rules.check_length(name, what, hint)?;
        rules.check_chars(name, what)
    };
    let case = rules.namespaces.case;
    let dialect = rules.kind();
    for t in md.tables() {
        if let Some(s) = &t.schema {
            check(s, &|| "schema".into())?;
        }
        check(&t.name, &|| "table".into())?;
        for c in t.columns() {
            check(&c.name, &|| format!("column of table \"{}\"", t.key()))?;
        }
        if case != NameCase::Sensitive && t.columns().len() > 1 {
            // Exact duplicates are refused by the model; these differ in case.
            let mut seen: rustc_hash::FxHashMap<Cow<'_, str>, &str> = Default::default();
            for c in t.columns() {
                if let Some(first) = seen.insert(case.fold(&c.name), &c.name) {
                    return Err(NamingError::ColumnCollision {
                        table: Box::new(t.key()),
                        first: first.to_owned(),
                        second: c.name.clone(),
                        how: case.describe(),
                        dialect: rules.dialect.clone(),
                    });
                }
            }
        }
        if rules.chars == IdentifierChars::AnyButNul {
            // Constraint names are made of table and column names, already
            // checked, and of template text (no NUL can be typed there).
            continue;
        }
        for (kind, name, columns, _) in items(t, dialect) {
            let raw = match name {
                Name::Pending | Name::Unnamed => continue,
                Name::Generated { name, .. } | Name::Explicit(name) | Name::Final(name) => name,
            };
            // Shortening keeps a prefix and ends in hex digits: only a name
            // with a problem before it needs its final form checked.
            if rules.chars.problem(raw).is_none() {
                continue;
            }
            let what = || Seen::Object(t, kind, columns).desc().to_string();
            if let Some(n) = rules.finalize(name, what)? {
                rules.check_chars(&n, what)?;
            }
        }
    }
    for v in md.views() {
        check(&v.name, &|| "view".into())?;
    }
    Ok(())
}

fn kinds(k: &[Kind]) -> String {
    k.iter().map(|k| k.key()).collect::<Vec<_>>().join("/")
}
