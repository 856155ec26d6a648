//! Loading a document into a metadata.

use std::collections::BTreeMap;
use std::fmt;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::{Path, PathBuf};

use super::error::{DocumentError, Place};
use super::locate::{line_col, toml_line_col};
use super::model::{DocColumn, DocDdl, DocFile, DocTable, DocView, StringOrList, Text};
use super::options::{Format, LoadOptions};
use super::stream;
use crate::events::EventKind;
use crate::naming::{ConventionSet, NamingConvention, NamingError, PackError};
use crate::schema::{
    Check, Column, ColumnType, CustomDdl, ForeignKey, Index, Name, PrimaryKey, Reference,
    SchemaError, Table, TableRef, Unique, View,
};
use crate::{Error, MetaData};

const ACTIONS: &[&str] = &[
    "CASCADE",
    "SET NULL",
    "SET DEFAULT",
    "RESTRICT",
    "NO ACTION",
];
const DIALECTS: &[&str] = &["postgresql", "postgres", "sqlite", "mysql", "mariadb"];

/// Loads a document file.
///
/// The file is read whole before it is parsed, so a file that changes
/// meanwhile gives either a document or an error, as any other text would.
///
/// Unless `options` say otherwise, the format follows from the file's
/// extension (else from its first character), errors name the file by its
/// path, and relative pack paths start in the file's directory.
pub fn load_path(path: &Path, options: &LoadOptions) -> Result<MetaData, DocumentError> {
    let file = options
        .name
        .clone()
        .unwrap_or_else(|| path.display().to_string());
    let bytes = std::fs::read(path).map_err(|e| DocumentError {
        file: file.clone(),
        place: Place {
            path: None,
            line_col: None,
        },
        message: format!("cannot read the document: {e}"),
        help: None,
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let before = String::from_utf8_lossy(e.as_bytes().get(..at).unwrap_or_default());
        DocumentError {
            file: file.clone(),
            place: Place {
                path: None,
                line_col: Some(line_col(&before, at)),
            },
            message: format!("the document is not valid UTF-8 (bad byte at offset {at})"),
            help: Some("save the file as UTF-8".into()),
        }
    })?;
    let format = options
        .format
        .unwrap_or_else(|| Format::detect(Some(path), &text));
    let base = options.base.as_deref().or(path.parent());
    load(&text, format, &file, base, options)
}

/// Loads a document from text.
///
/// Unless `options` say otherwise, the format follows from the text's
/// first character (`{` or `[` is JSON), errors name the document
/// `<input>`, and relative pack paths start in the current directory.
pub fn load_str(text: &str, options: &LoadOptions) -> Result<MetaData, DocumentError> {
    let format = options.format.unwrap_or_else(|| Format::detect(None, text));
    let file = options.name.as_deref().unwrap_or("<input>");
    load(text, format, file, options.base.as_deref(), options)
}

fn load(
    text: &str,
    format: Format,
    file: &str,
    base: Option<&Path>,
    options: &LoadOptions,
) -> Result<MetaData, DocumentError> {
    let loader = Loader { text, format, file };
    if text.trim().is_empty() {
        return Err(loader.err(
            None,
            "the document is empty".into(),
            Some("a document needs at least `tables`".into()),
        ));
    }
    if let Some(md) = loader.load_streaming(base, options) {
        return Ok(md);
    }
    // Something is wrong (or naming settings follow the tables): the full
    // passes find it again and say where.
    let doc = loader.parse()?;
    loader.validate(&doc)?;
    loader.build(doc, base, options)
}

/// How many batches of parsed tables may wait for the loading thread.
const STREAM_BUFFER: usize = 4;

struct Loader<'a> {
    text: &'a str,
    format: Format,
    file: &'a str,
}

impl<'a> Loader<'a> {
    fn err(&self, path: Option<String>, message: String, help: Option<String>) -> DocumentError {
        let line_col = match (self.format, &path) {
            (Format::Toml, Some(p)) => toml_line_col(self.text, p),
            _ => None,
        };
        DocumentError {
            file: self.file.to_owned(),
            place: Place { path, line_col },
            message,
            help,
        }
    }

    fn at(&self, path: String, message: String, help: &str) -> DocumentError {
        self.err(
            Some(path),
            message,
            if help.is_empty() {
                None
            } else {
                Some(help.to_owned())
            },
        )
    }

    fn parse(&self) -> Result<DocFile<'a>, DocumentError> {
        match self.format {
            Format::Json => {
                // Fast path: plain serde_json. Path tracking costs about as
                // much as parsing itself, so it only runs again on an error.
                if let Ok(d) = serde_json::from_str::<DocFile<'a>>(self.text) {
                    return Ok(d);
                }
                let mut de = serde_json::Deserializer::from_str(self.text);
                let r: Result<DocFile<'a>, _> = serde_path_to_error::deserialize(&mut de);
                if let Ok(d) = r {
                    return de.end().map(|()| d).map_err(|e| DocumentError {
                        file: self.file.to_owned(),
                        place: Place {
                            path: None,
                            line_col: Some((e.line(), e.column().max(1))),
                        },
                        message: strip_position(&e.to_string()),
                        help: Some("remove what follows the document's closing brace".into()),
                    });
                }
                r.map_err(|e| {
                    let path = e.path().to_string();
                    let inner = e.into_inner();
                    let message = strip_position(&inner.to_string());
                    let help = serde_help(&message);
                    DocumentError {
                        file: self.file.to_owned(),
                        place: Place {
                            path: (path != ".").then_some(path),
                            line_col: (inner.line() > 0)
                                .then(|| (inner.line(), inner.column().max(1))),
                        },
                        message,
                        help,
                    }
                })
            }
            Format::Toml => {
                if let Ok(d) = toml::from_str::<DocFile<'a>>(self.text) {
                    return Ok(d);
                }
                let de =
                    toml::Deserializer::parse(self.text).map_err(|e| self.toml_err(None, &e))?;
                serde_path_to_error::deserialize(de).map_err(|e| {
                    let path = e.path().to_string();
                    self.toml_err((path != ".").then_some(path), e.inner())
                })
            }
        }
    }

    fn toml_err(&self, path: Option<String>, e: &toml::de::Error) -> DocumentError {
        let message = e.message().trim().to_owned();
        let line_col = e
            .span()
            .map(|s| line_col(self.text, s.start))
            .or_else(|| path.as_deref().and_then(|p| toml_line_col(self.text, p)));
        let help = serde_help(&message);
        DocumentError {
            file: self.file.to_owned(),
            place: Place { path, line_col },
            message,
            help,
        }
    }

    fn validate(&self, doc: &DocFile) -> Result<(), DocumentError> {
        let mut tables: HashMap<(Option<&str>, &str), &DocTable> = HashMap::default();
        for (i, t) in doc.tables.iter().enumerate() {
            let p = TablePath(i);
            if t.name.is_empty() {
                return Err(self.at(
                    format!("{p}.name"),
                    "table name is empty".into(),
                    "give the table a name",
                ));
            }
            if t.schema.as_deref() == Some("") {
                return Err(self.at(
                    format!("{p}.schema"),
                    "schema is empty".into(),
                    "remove `schema` or give a name",
                ));
            }
            if tables.insert((t.schema.as_deref(), &t.name), t).is_some() {
                let key = TableRef::new(t.schema.as_deref(), &t.name);
                return Err(self.at(
                    format!("{p}.name"),
                    format!("table \"{key}\" is defined twice"),
                    "rename or remove one of them",
                ));
            }
        }
        let find_table = |r: &TableRef| find_table(&tables, r);
        for (i, t) in doc.tables.iter().enumerate() {
            self.validate_table(i, t, Some(&find_table))?;
        }
        self.validate_rest(&doc.views, &doc.ddl)
    }

    /// Checks the views and the metadata-level DDL.
    fn validate_rest(&self, views: &[DocView], ddl: &[DocDdl]) -> Result<(), DocumentError> {
        for (i, v) in views.iter().enumerate() {
            self.validate_view(i, v)?;
        }
        self.validate_ddl(format_args!("ddl"), ddl)
    }

    fn validate_view(&self, i: usize, v: &DocView) -> Result<(), DocumentError> {
        if v.name.is_empty() {
            return Err(self.at(
                format!("views[{i}].name"),
                "view name is empty".into(),
                "give the view a name",
            ));
        }
        if v.sql.trim().is_empty() {
            return Err(self.at(
                format!("views[{i}].sql"),
                "view has empty `sql`".into(),
                "give the SELECT the view stands for",
            ));
        }
        Ok(())
    }

    /// Checks one table of the document. With `find_table`, references to
    /// other tables are checked too.
    fn validate_table<'t>(
        &self,
        i: usize,
        t: &DocTable<'_>,
        find_table: Option<FindTable<'_, 't>>,
    ) -> Result<(), DocumentError> {
        let p = TablePath(i);
        if t.columns.is_empty() {
            return Err(self.at(
                format!("{p}.columns"),
                format!("table \"{}\" has no columns", t.name),
                "a table needs at least one column",
            ));
        }
        let mut names = HashSet::with_capacity_and_hasher(t.columns.len(), Default::default());
        let mut keys = HashSet::with_capacity_and_hasher(t.columns.len(), Default::default());
        for (j, c) in t.columns.iter().enumerate() {
            let cp = ColumnPath(i, j);
            if c.name.is_empty() {
                return Err(self.at(
                    format!("{cp}.name"),
                    "column name is empty".into(),
                    "give the column a name",
                ));
            }
            if !names.insert(c.name.as_str()) {
                return Err(self.at(
                    format!("{cp}.name"),
                    format!(
                        "column \"{}\" is defined twice in table \"{}\"",
                        c.name, t.name
                    ),
                    "rename or remove one of them",
                ));
            }
            if !keys.insert(c.key.as_deref().unwrap_or(&c.name)) {
                return Err(self.at(
                    format!("{cp}.key"),
                    format!(
                        "column key \"{}\" is used twice in table \"{}\"",
                        c.key.as_deref().unwrap_or(&c.name),
                        t.name
                    ),
                    "give each column a distinct key",
                ));
            }
            self.validate_column(cp, c, find_table)?;
        }
        let has = |col: &str| t.columns.iter().any(|c| c.name == col);
        let check_cols = |path: fmt::Arguments<'_>,
                          cols: &[Text<'_>],
                          what: &str|
         -> Result<(), DocumentError> {
            if cols.is_empty() {
                return Err(self.at(
                    path.to_string(),
                    format!("{what} has no columns"),
                    "list at least one column",
                ));
            }
            for (k, c) in cols.iter().enumerate() {
                if !has(c) {
                    let sugg = crate::schema_closest(c, t.columns.iter().map(|c| c.name.as_str()));
                    let keyed = t
                        .columns
                        .iter()
                        .find(|x| x.key.as_deref() == Some(c))
                        .map(|x| {
                            format!(
                                " (column \"{}\" has this key; constraints list column names)",
                                x.name
                            )
                        });
                    let hint = keyed
                        .or(sugg.map(|s| format!(" (did you mean \"{s}\"?)")))
                        .unwrap_or_default();
                    return Err(self.at(
                        format!("{path}[{k}]"),
                        format!("table \"{}\" has no column \"{c}\"{hint}", t.name),
                        "",
                    ));
                }
            }
            Ok(())
        };
        if let Some(pk) = &t.primary_key {
            check_cols(
                format_args!("{p}.primary_key.columns"),
                &pk.columns,
                "primary key",
            )?;
            let flagged: Vec<&str> = t
                .columns
                .iter()
                .filter(|c| c.primary_key)
                .map(|c| c.name.as_str())
                .collect();
            if !flagged.is_empty()
                && (flagged.len() != pk.columns.len()
                    || !flagged.iter().all(|f| pk.columns.iter().any(|c| c == f)))
            {
                return Err(self.at(
                    format!("{p}.primary_key"),
                    format!("table \"{}\" declares primary key columns ({}) by column flags and ({}) in `primary_key`", t.name, flagged.join(", "), join(&pk.columns)),
                    "declare the primary key once",
                ));
            }
        }
        for (k, u) in t.uniques.iter().enumerate() {
            check_cols(
                format_args!("{p}.uniques[{k}].columns"),
                &u.columns,
                "unique constraint",
            )?;
        }
        for (k, ix) in t.indexes.iter().enumerate() {
            check_cols(
                format_args!("{p}.indexes[{k}].columns"),
                &ix.columns,
                "index",
            )?;
        }
        for (k, ck) in t.checks.iter().enumerate() {
            if ck.sql.trim().is_empty() {
                return Err(self.at(
                    format!("{p}.checks[{k}].sql"),
                    "check constraint has empty `sql`".into(),
                    "give the SQL expression to check",
                ));
            }
        }
        for (k, fk) in t.foreign_keys.iter().enumerate() {
            let fp = ForeignKeyPath(i, k);
            check_cols(format_args!("{fp}.columns"), &fk.columns, "foreign key")?;
            let r = TableRef::parse(&fk.references).ok_or_else(|| {
                self.at(
                    format!("{fp}.references"),
                    format!("cannot read reference {:?}", fk.references),
                    "write \"table\" or \"schema.table\"",
                )
            })?;
            // Checks against the referred table (the streaming loader leaves them
            // to the metadata, and falls back to this pass on any error).
            if let Some(find_table) = find_table {
                let target = find_table(&r).map_err(|m| {
                    self.at(
                        format!("{fp}.references"),
                        m,
                        "define the table, or correct the reference",
                    )
                })?;
                // How many columns the key refers to.
                let referred: usize = match &fk.referred_columns {
                    Some(cols) => {
                        for (m, c) in cols.iter().enumerate() {
                            if !target.columns.iter().any(|x| &x.name == c) {
                                let sugg = crate::schema_closest(
                                    c,
                                    target.columns.iter().map(|c| c.name.as_str()),
                                );
                                return Err(self.at(
                                    format!("{fp}.referred_columns[{m}]"),
                                    format!(
                                        "table \"{r}\" has no column \"{c}\"{}",
                                        sugg.map(|s| format!(" (did you mean \"{s}\"?)"))
                                            .unwrap_or_default()
                                    ),
                                    "",
                                ));
                            }
                        }
                        cols.len()
                    }
                    None => match pk_len(target) {
                        Some(pk) => pk,
                        None => {
                            return Err(self.at(
                                fp.to_string(),
                                format!("table \"{r}\" has no primary key to refer to"),
                                "list `referred_columns`",
                            ))
                        }
                    },
                };
                if referred != fk.columns.len() {
                    return Err(self.at(
                        fp.to_string(),
                        format!(
                            "foreign key has {} column(s) but refers to {} column(s) of \"{r}\"",
                            fk.columns.len(),
                            referred
                        ),
                        "give as many `referred_columns` as `columns`",
                    ));
                }
            } else if fk
                .referred_columns
                .as_ref()
                .is_some_and(|c| c.len() != fk.columns.len())
            {
                // An empty list would mean "the primary key" to the metadata:
                // refuse it here; the full pass words the message.
                return Err(self.at(fp.to_string(), "referred column count".into(), ""));
            }
            self.action(|| format!("{fp}.on_delete"), fk.on_delete.as_deref())?;
            self.action(|| format!("{fp}.on_update"), fk.on_update.as_deref())?;
        }
        self.validate_ddl(format_args!("{p}.ddl"), &t.ddl)?;
        Ok(())
    }

    fn validate_column<'t>(
        &self,
        cp: ColumnPath,
        c: &DocColumn<'_>,
        find_table: Option<FindTable<'_, 't>>,
    ) -> Result<(), DocumentError> {
        if let Some(r) = &c.references {
            let reference = Reference::parse(r).map_err(|_| {
                self.at(
                    format!("{cp}.references"),
                    format!("cannot read reference {r:?}"),
                    "write \"table.column\" or \"schema.table.column\"",
                )
            })?;
            if let Some(find_table) = find_table {
                let target = find_table(&reference.table).map_err(|m| {
                    self.at(
                        format!("{cp}.references"),
                        m,
                        "define the table, or correct the reference",
                    )
                })?;
                if !target.columns.iter().any(|x| x.name == reference.column) {
                    let sugg = crate::schema_closest(
                        &reference.column,
                        target.columns.iter().map(|c| c.name.as_str()),
                    );
                    return Err(self.at(
                        format!("{cp}.references"),
                        format!(
                            "table \"{}\" has no column \"{}\"{}",
                            reference.table,
                            reference.column,
                            sugg.map(|s| format!(" (did you mean \"{s}\"?)"))
                                .unwrap_or_default()
                        ),
                        "",
                    ));
                }
            }
        } else if c.on_delete.is_some() || c.on_update.is_some() {
            let key = if c.on_delete.is_some() {
                "on_delete"
            } else {
                "on_update"
            };
            return Err(self.at(
                format!("{cp}.{key}"),
                format!("`{key}` without `references`"),
                "add `references = \"table.column\"`, or remove it",
            ));
        }
        self.action(|| format!("{cp}.on_delete"), c.on_delete.as_deref())?;
        self.action(|| format!("{cp}.on_update"), c.on_update.as_deref())?;
        if let Some(ck) = &c.check {
            if ck.0.sql.trim().is_empty() {
                return Err(self.at(
                    format!("{cp}.check"),
                    "check has empty `sql`".into(),
                    "give the SQL expression to check",
                ));
            }
        }
        if let Some(ty) = &c.ty {
            if ty.trim().is_empty() {
                return Err(self.at(
                    format!("{cp}.type"),
                    "type is empty".into(),
                    "give a type such as \"integer\" or \"varchar(40)\"",
                ));
            }
        }
        Ok(())
    }

    /// `path` is only built for an error: this runs twice per column and foreign key.
    fn action(
        &self,
        path: impl FnOnce() -> String,
        action: Option<&str>,
    ) -> Result<(), DocumentError> {
        match action {
            Some(a) if !ACTIONS.iter().any(|x| x.eq_ignore_ascii_case(a.trim())) => Err(self.at(
                path(),
                format!("unknown referential action {a:?}"),
                &format!("use one of {}", ACTIONS.join(", ")),
            )),
            _ => Ok(()),
        }
    }

    fn validate_ddl(&self, p: fmt::Arguments<'_>, ddl: &[DocDdl]) -> Result<(), DocumentError> {
        for (k, d) in ddl.iter().enumerate() {
            if EventKind::parse_ddl(&d.when).is_none() {
                return Err(self.at(
                    format!("{p}[{k}].when"),
                    format!("unknown DDL event {:?}", d.when),
                    "use before_create, after_create, before_drop or after_drop",
                ));
            }
            for (m, dialect) in d.dialects.iter().flatten().enumerate() {
                if !DIALECTS.contains(&dialect.to_ascii_lowercase().as_str()) {
                    return Err(self.at(
                        format!("{p}[{k}].dialects[{m}]"),
                        format!("unknown dialect {dialect:?}"),
                        "use postgresql, sqlite or mysql",
                    ));
                }
            }
        }
        Ok(())
    }

    fn conventions(
        &self,
        conventions: Option<&StringOrList>,
        naming_convention: Option<&BTreeMap<String, String>>,
        base: Option<&Path>,
        options: &LoadOptions,
    ) -> Result<(NamingConvention, Vec<std::sync::Arc<dyn crate::Plugin>>), DocumentError> {
        let mut set = ConventionSet::new();
        if let Some(list) = conventions {
            for (j, spec) in list.0.iter().enumerate() {
                let path = if list.1 {
                    "conventions".to_owned()
                } else {
                    format!("conventions[{j}]")
                };
                set.add_pack(spec, base)
                    .map_err(|e| self.pack_err(Some(path), e))?;
            }
        }
        if let Some(nc) = naming_convention {
            set.add_inline(nc, "naming_convention")
                .map_err(|e| self.pack_err(None, e))?;
        }
        let cwd: Option<PathBuf> = std::env::current_dir().ok();
        for spec in &options.conventions {
            set.add_pack(spec, cwd.as_deref())
                .map_err(|e| DocumentError {
                    file: "--conventions".into(),
                    place: Place {
                        path: None,
                        line_col: None,
                    },
                    message: e.to_string(),
                    help: None,
                })?;
        }
        if !set.is_specified() {
            return Ok((NamingConvention::sqlalchemy_default(), Vec::new()));
        }
        set.build(&options.plugins)
            .map_err(|e| self.pack_err(None, e))
    }

    fn pack_err(&self, path: Option<String>, e: PackError) -> DocumentError {
        match e {
            PackError::UnknownKey { origin, key } if origin == "naming_convention" => self.at(
                format!("naming_convention.{key}"),
                format!("unknown convention key {key:?}"),
                "use pk, fk, uq, ck or ix",
            ),
            PackError::Naming(n @ (NamingError::Template { .. } | NamingError::Token { .. })) => {
                let (origin, key) = match &n {
                    NamingError::Template { origin, key, .. }
                    | NamingError::Token { origin, key, .. } => (origin.clone(), *key),
                    _ => unreachable!("matched above"),
                };
                if origin.as_deref() == Some("naming_convention") {
                    let msg = match &n {
                        NamingError::Template { error, .. } => error.to_string(),
                        NamingError::Token {
                            template, message, ..
                        } => format!("template {:?}: {message}", crate::naming::abbrev(template)),
                        _ => n.to_string(),
                    };
                    self.at(
                        format!("naming_convention.{}", key.key()),
                        msg,
                        "fix the template (see docs/reference.md for tokens)",
                    )
                } else {
                    self.err(path, n.to_string(), None)
                }
            }
            other => self.err(path, other.to_string(), None),
        }
    }

    /// Loads by streaming (see the module documentation); `None` on any
    /// problem, which the full passes then report.
    fn load_streaming(&self, base: Option<&Path>, options: &LoadOptions) -> Option<MetaData> {
        let (tx, rx) = std::sync::mpsc::sync_channel(STREAM_BUFFER);
        std::thread::scope(|s| {
            let (text, format) = (self.text, self.format);
            // The parsing thread also checks each table; this thread
            // converts and attaches it: about even shares of the work.
            let check = |i: usize, t: &DocTable<'_>| self.validate_table(i, t, None).is_ok();
            // No thread to be had: the full passes, on this one.
            let parser = std::thread::Builder::new()
                .spawn_scoped(s, move || stream::parse(text, format, &check, tx))
                .ok()?;
            // `receive` owns the receiver: if it stops early, the parser's
            // next send fails and it stops too.
            let md = self.receive(rx, base, options);
            let rest = parser.join().ok()?.ok()?;
            let mut md = md?;
            if rest.naming_after_tables {
                return None;
            }
            self.validate_rest(&rest.views, &rest.ddl).ok()?;
            add_rest(&mut md, rest.views, &rest.ddl);
            self.finish(md).ok()
        })
    }

    /// The loading side of [`load_streaming`](Self::load_streaming): checks
    /// each table as it arrives and adds it to the metadata.
    fn receive(
        &self,
        rx: std::sync::mpsc::Receiver<stream::Msg<'a>>,
        base: Option<&Path>,
        options: &LoadOptions,
    ) -> Option<MetaData> {
        let mut md = None;
        for msg in rx {
            match msg {
                stream::Msg::Head {
                    conventions,
                    naming_convention,
                } => {
                    let (convention, plugins) = self
                        .conventions(
                            conventions.as_ref(),
                            naming_convention.as_ref(),
                            base,
                            options,
                        )
                        .ok()?;
                    md = Some(new_metadata(convention, &plugins));
                }
                stream::Msg::Tables(batch) => {
                    let md = md.as_mut()?;
                    for t in batch {
                        md.add_table(table(t)).ok()?;
                    }
                }
            }
        }
        md
    }

    fn build(
        &self,
        doc: DocFile,
        base: Option<&Path>,
        options: &LoadOptions,
    ) -> Result<MetaData, DocumentError> {
        let (convention, plugins) = self.conventions(
            doc.conventions.as_ref(),
            doc.naming_convention.as_ref(),
            base,
            options,
        )?;
        let mut md = new_metadata(convention, &plugins);
        let DocFile {
            tables, views, ddl, ..
        } = doc;
        add_rest(&mut md, views, &ddl);
        // Tables are moved out of the document, not cloned: each one's text
        // is freed as soon as it is in the metadata.
        for (i, t) in tables.into_iter().enumerate() {
            let table = table(t);
            md.add_table(table)
                .map_err(|e| self.model_err(format!("tables[{i}]"), e.into()))?;
        }
        self.finish(md)
    }

    /// Names what waited for a later table, then checks references between
    /// tables: the last step of either way of loading.
    fn finish(&self, mut md: MetaData) -> Result<MetaData, DocumentError> {
        md.resolve_deferred()
            .map_err(|e| self.model_err(String::new(), e.into()))?;
        md.validate()
            .map_err(|e| self.model_err(String::new(), e.into()))?;
        Ok(md)
    }

    fn model_err(&self, path: String, e: Error) -> DocumentError {
        let help = match &e {
            Error::Naming(NamingError::ConstraintNameRequired { .. }) => None,
            Error::Schema(SchemaError::PrimaryKeyConflict { .. }) => {
                Some("declare the primary key once".to_owned())
            }
            _ => None,
        };
        self.err((!path.is_empty()).then_some(path), e.to_string(), help)
    }
}

/// Looks up a table of the document by reference (a message if it is missing).
type FindTable<'f, 't> = &'f dyn Fn(&TableRef) -> Result<&'t DocTable<'t>, String>;

/// Adds the document's views and metadata-level DDL to `md`.
fn add_rest(md: &mut MetaData, views: Vec<DocView>, ddl_list: &[DocDdl]) {
    for v in views {
        md.add_view(View {
            name: v.name,
            schema: v.schema,
            sql: v.sql,
        });
    }
    for d in ddl_list {
        md.add_ddl(ddl(d));
    }
}

/// A metadata with `convention` and the listeners of `plugins`.
fn new_metadata(
    convention: NamingConvention,
    plugins: &[std::sync::Arc<dyn crate::Plugin>],
) -> MetaData {
    let mut md = MetaData::with_convention(convention);
    for p in plugins {
        for (l, opts) in p.listeners() {
            md.listen_boxed(l, opts);
        }
    }
    md
}

fn find_table<'t>(
    tables: &HashMap<(Option<&str>, &str), &'t DocTable<'t>>,
    r: &TableRef,
) -> Result<&'t DocTable<'t>, String> {
    let key = (r.schema.as_deref(), r.name.as_str());
    tables.get(&key).copied().ok_or_else(|| {
        let all: Vec<String> = tables
            .keys()
            .map(|&(s, n)| TableRef::new(s, n).to_string())
            .collect();
        let sugg = crate::schema_closest(&r.to_string(), all.iter().map(String::as_str));
        format!(
            "table \"{r}\" is not defined{}",
            sugg.map(|s| format!(" (did you mean \"{s}\"?)"))
                .unwrap_or_default()
        )
    })
}

/// The number of primary-key columns of `t`, if it has a primary key.
fn pk_len(t: &DocTable<'_>) -> Option<usize> {
    match &t.primary_key {
        Some(pk) => Some(pk.columns.len()),
        None => {
            let n = t.columns.iter().filter(|c| c.primary_key).count();
            (n > 0).then_some(n)
        }
    }
}

/// Column names separated by `, `, for messages.
fn join(cols: &[Text<'_>]) -> String {
    cols.iter().map(Text::as_str).collect::<Vec<_>>().join(", ")
}

fn name(n: Option<Text<'_>>, convention: Option<bool>) -> Name {
    Name::from_parts(n.map(Into::into), convention.unwrap_or(true))
}

fn ddl(d: &DocDdl) -> CustomDdl {
    // Checked by `validate_ddl`: the event and the dialects are known.
    let when = EventKind::parse_ddl(&d.when).unwrap_or(EventKind::AfterCreate);
    let dialects = d.dialects.iter().flatten().filter_map(|s| s.parse().ok());
    CustomDdl::new(when, d.sql.clone()).only_for(dialects)
}

fn table(t: DocTable) -> Table {
    let mut table = Table::new(t.name);
    if let Some(s) = t.schema {
        table = table.in_schema(s);
    }
    if let Some(c) = t.comment {
        table = table.with_comment(c);
    }
    let table_pk = t.primary_key.is_some();
    // Room for everything below, so no list grows step by step.
    let constraints =
        usize::from(table_pk) + t.foreign_keys.len() + t.uniques.len() + t.checks.len();
    table.columns.reserve_exact(t.columns.len());
    table.constraints.reserve_exact(constraints);
    table.indexes.reserve_exact(t.indexes.len());
    table
        .log
        .reserve_exact(t.columns.len() + constraints + t.indexes.len());
    for c in t.columns {
        let mut col = match &c.ty {
            Some(ty) => Column::new(c.name, ColumnType::parse(ty)),
            None => Column::untyped(c.name),
        };
        if let Some(k) = c.key {
            col = col.key(k);
        }
        if let Some(n) = c.nullable {
            col = col.nullable(n);
        }
        if c.primary_key && !table_pk {
            col = col.primary_key();
        } else if c.primary_key && c.nullable.is_none() {
            col = col.nullable(false);
        }
        if c.unique {
            col = col.unique();
        }
        if c.index {
            col = col.index();
        }
        if let Some(d) = c.default {
            col = col.default_sql(d);
        }
        if let Some(Ok(mut r)) = c.references.as_deref().map(Reference::parse) {
            // Checked by `validate_column`: the actions are known.
            r.on_delete = c.on_delete.and_then(|a| a.as_str().parse().ok());
            r.on_update = c.on_update.and_then(|a| a.as_str().parse().ok());
            col = col.references(r);
        }
        if let Some(ck) = c.check {
            col = col.check(Check::new(ck.0.sql).named(name(ck.0.name, ck.0.convention)));
        }
        if let Some(cm) = c.comment {
            col = col.with_comment(cm);
        }
        table.push_column(col);
    }
    if let Some(pk) = t.primary_key {
        table.push_constraint(
            PrimaryKey::new(pk.columns)
                .named(name(pk.name, pk.convention))
                .into(),
        );
    }
    for fk in t.foreign_keys {
        let r = TableRef::parse(&fk.references).expect("validated");
        let mut f = ForeignKey::new(fk.columns, r)
            .named(name(fk.name, fk.convention))
            .use_alter(fk.use_alter);
        if let Some(rc) = fk.referred_columns {
            f = f.referred_columns(rc);
        }
        f.on_delete = fk.on_delete.and_then(|a| a.as_str().parse().ok());
        f.on_update = fk.on_update.and_then(|a| a.as_str().parse().ok());
        table.push_constraint(f.into());
    }
    for u in t.uniques {
        table.push_constraint(
            Unique::new(u.columns)
                .named(name(u.name, u.convention))
                .into(),
        );
    }
    for ck in t.checks {
        table.push_constraint(
            Check::new(ck.sql)
                .named(name(ck.name, ck.convention))
                .into(),
        );
    }
    for ix in t.indexes {
        table.push_index(
            Index::new(ix.columns)
                .named(name(ix.name, ix.convention))
                .unique(ix.unique),
        );
    }
    for d in &t.ddl {
        table = table.ddl(ddl(d));
    }
    table
}

/// `tables[i]`, formatted only for an error message.
#[derive(Clone, Copy)]
struct TablePath(usize);

impl fmt::Display for TablePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "tables[{}]", self.0)
    }
}

/// `tables[i].columns[j]`, formatted only for an error message.
#[derive(Clone, Copy)]
struct ColumnPath(usize, usize);

impl fmt::Display for ColumnPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "tables[{}].columns[{}]", self.0, self.1)
    }
}

/// `tables[i].foreign_keys[k]`, formatted only for an error message.
#[derive(Clone, Copy)]
struct ForeignKeyPath(usize, usize);

impl fmt::Display for ForeignKeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "tables[{}].foreign_keys[{}]", self.0, self.1)
    }
}

/// Removes serde_json's " at line X column Y" suffix (the place is reported apart).
fn strip_position(m: &str) -> String {
    match m.rfind(" at line ") {
        Some(i) => m[..i].to_owned(),
        None => m.to_owned(),
    }
}

/// Advice for serde's messages.
fn serde_help(message: &str) -> Option<String> {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or("");
        let expected: Vec<&str> = rest.split('`').skip(2).step_by(2).collect();
        let sugg = crate::schema_closest(field, expected.iter().copied());
        return Some(match sugg {
            Some(s) => format!("did you mean `{s}`? Unknown keys are errors so that a typo never drops a constraint"),
            None => "remove the key; unknown keys are errors so that a typo never drops a constraint".to_owned(),
        });
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or("");
        return Some(format!("add `{field}`"));
    }
    if message.starts_with("invalid type") && message.contains("expected a string") {
        return Some("write the value as a string, in quotes".to_owned());
    }
    if message.contains("recursion limit") {
        return Some(
            "the document nests too deeply; a schema document is at most a few levels deep"
                .to_owned(),
        );
    }
    None
}
