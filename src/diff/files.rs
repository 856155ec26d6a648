//! Migration files: a [`Migration`] written as the up and down scripts of
//! a migration runner (sqlx, diesel, refinery), with the file and folder
//! names that runner expects.
//!
//! Nothing here reads the clock: the caller passes the time the names are
//! stamped with, so that the names can be tested.
//!
//! ```
//! use std::time::{Duration, UNIX_EPOCH};
//! use nomenclator::diff::files::{migration_files, Runner};
//! use nomenclator::diff::{diff, Schema};
//! use nomenclator::ddl::DdlOptions;
//! use nomenclator::dialect::Sqlite;
//! use nomenclator::{Column, MetaData, Table};
//!
//! let mut new = MetaData::new();
//! new.add_table(Table::new("note").column(Column::new("id", "integer").primary_key()))?;
//! let options = DdlOptions::default();
//! let migration = diff(
//!     &Schema::from_metadata(&MetaData::new(), &Sqlite, &options, None)?,
//!     &Schema::from_metadata(&new, &Sqlite, &options, None)?,
//!     &Sqlite,
//! )?;
//! let dir = std::env::temp_dir().join("nomenclator-doc-files");
//! let now = UNIX_EPOCH + Duration::from_secs(1_767_225_600); // 2026-01-01 00:00:00 UTC
//! let files = migration_files(&migration, Runner::Sqlx, &dir, "Add notes!", now)?;
//! assert_eq!(files[0].path, dir.join("20260101000000_add_notes.up.sql"));
//! assert_eq!(files[1].path, dir.join("20260101000000_add_notes.down.sql"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::{DiffError, Migration};
use crate::sql::Statement;

/// The migration runners whose files [`migration_files`] writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Runner {
    /// sqlx: `<YYYYMMDDHHMMSS>_<name>.up.sql` and `.down.sql`, as
    /// `sqlx migrate add -r` names them.
    Sqlx,
    /// diesel: a folder `<YYYY-MM-DD-HHMMSS>_<name>` holding `up.sql` and
    /// `down.sql`.
    Diesel,
    /// refinery: `V<n>__<name>.sql`, `n` one more than the highest version
    /// in the folder. refinery has no down migrations: the down script is
    /// written beside it as `V<n>__<name>.down.sql`, a name refinery's
    /// file pattern does not match, so that it never runs it.
    Refinery,
}

impl Runner {
    /// The runner's name, as the command line spells it (`sqlx`).
    pub fn as_str(self) -> &'static str {
        match self {
            Runner::Sqlx => "sqlx",
            Runner::Diesel => "diesel",
            Runner::Refinery => "refinery",
        }
    }
}

/// Why migration files could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FilesError {
    /// The migration has no statements: there is nothing to write.
    #[error("the two schemas agree: there is no migration to write")]
    Empty,
    /// A file or folder of the migration exists already.
    #[error("{} exists already: nothing was written; choose another --name or remove it", .0.display())]
    Exists(PathBuf),
    /// The next refinery version does not fit refinery's 32-bit versions.
    #[error("{}: the highest refinery version there is {highest}; the next one does not fit in refinery's 32-bit versions", dir.display())]
    VersionOverflow {
        /// The highest version found.
        highest: i64,
        /// The folder.
        dir: PathBuf,
    },
    /// The statements could not be written for the dialect.
    #[error(transparent)]
    Diff(#[from] DiffError),
    /// Reading the folder or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
}

/// One file of a migration: where it goes and what it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MigrationFile {
    /// The path, inside the folder given.
    pub path: PathBuf,
    /// The SQL script.
    pub contents: String,
}

/// `name` as a file name part: lower case ASCII letters, digits and `_`,
/// every other run of characters made one `_`, none at either end;
/// `"migration"` when nothing is left.
///
/// ```
/// use nomenclator::diff::files::sanitize_name;
/// assert_eq!(sanitize_name("Add user e-mail!"), "add_user_e_mail");
/// assert_eq!(sanitize_name("../.."), "migration");
/// ```
pub fn sanitize_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("migration");
    }
    out
}

/// The UTC time as `[year, month, day, hour, minute, second]`.
fn civil(now: SystemTime) -> [u64; 6] {
    let secs = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Days since 1970-01-01 to a civil date (proleptic Gregorian calendar),
    // counted in 400-year eras that start on 0000-03-01.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    [year, month, day, rest / 3600, rest % 3600 / 60, rest % 60]
}

/// The highest version among refinery's migration files under `dir` (its
/// pattern: `U` or `V`, digits, `__`, a word, `.sql`), folders included as
/// refinery walks them; 0 when there is none.
fn highest_refinery_version(dir: &Path) -> Result<i64, FilesError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| FilesError::Io { path, source }
    };
    let mut highest = 0;
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        let entries = match fs::read_dir(&d) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && d == dir => return Ok(0),
            Err(e) => return Err(io(&d)(e)),
        };
        for entry in entries {
            let entry = entry.map_err(io(&d))?;
            let path = entry.path();
            if entry.file_type().map_err(io(&path))?.is_dir() {
                pending.push(path);
            } else if let Some(v) = entry.file_name().to_str().and_then(refinery_version) {
                highest = highest.max(v);
            }
        }
    }
    Ok(highest)
}

/// The version of a refinery migration file's name, if it is one.
fn refinery_version(file: &str) -> Option<i64> {
    let rest = file.strip_prefix(['U', 'V'])?;
    let (version, rest) = rest.split_once("__")?;
    let word = rest.strip_suffix(".sql")?;
    let is_word = !word.is_empty() && word.chars().all(|c| c.is_alphanumeric() || c == '_');
    if !is_word || version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Longer than any i64: refinery cannot parse it either; take it as the highest.
    Some(version.parse().unwrap_or(i64::MAX))
}

/// The statements as a script: each ends with `;`, a blank line between.
fn script(migration: &Migration<'_>, statements: &[Statement]) -> Result<String, FilesError> {
    let mut out = String::new();
    for st in statements {
        if !out.is_empty() {
            out.push('\n');
        }
        migration
            .dialect()
            .write_statement(st, &mut out)
            .map_err(DiffError::from)?;
        out.push_str(";\n");
    }
    Ok(out)
}

/// The table name the down script of an irreversible migration selects
/// from: no such table exists, so the script fails with its name.
pub const NO_DOWN_TABLE: &str = "nomenclator_no_down_migration_see_file";

/// The down script: the inverse statements, or, when the migration cannot
/// be undone, a comment saying why and a statement that fails.
fn down_script(migration: &Migration<'_>, up_file: &str) -> Result<String, FilesError> {
    match migration.inverse() {
        Some(statements) => {
            let mut out = format!("-- Undoes {up_file} (written by nomenclator diff).\n\n");
            out.push_str(&script(migration, &statements)?);
            Ok(out)
        }
        None => Ok(format!(
            "-- {up_file} cannot be undone from what nomenclator's diff knows: it copies\n\
             -- rows into a rebuilt table (or runs SQL written by hand), and the old\n\
             -- table's rows are gone once it has run. Write this down migration\n\
             -- yourself (or restore a backup). Until then it fails on purpose:\n\n\
             SELECT * FROM {NO_DOWN_TABLE};\n"
        )),
    }
}

/// The files of `migration` for `runner` in `dir`, named after `name`
/// (sanitised by [`sanitize_name`]) and, for sqlx and diesel, stamped with
/// `now` in UTC. For refinery, `dir` is read for the highest version there.
///
/// The up script is [`Migration::script`] (with its `-- destructive:`
/// lines); the down script holds [`Migration::inverse`], or, when there is
/// none, a comment saying why and a `SELECT` from the table
/// [`NO_DOWN_TABLE`], which does not exist, so that running it fails.
///
/// Fails with [`FilesError::Empty`] when the migration is empty.
pub fn migration_files(
    migration: &Migration<'_>,
    runner: Runner,
    dir: &Path,
    name: &str,
    now: SystemTime,
) -> Result<Vec<MigrationFile>, FilesError> {
    if migration.is_empty() {
        return Err(FilesError::Empty);
    }
    let name = sanitize_name(name);
    let [y, mo, d, h, mi, s] = civil(now);
    let (up, down) = match runner {
        Runner::Sqlx => {
            let stem = format!("{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}_{name}");
            (
                dir.join(format!("{stem}.up.sql")),
                dir.join(format!("{stem}.down.sql")),
            )
        }
        Runner::Diesel => {
            let folder = dir.join(format!("{y:04}-{mo:02}-{d:02}-{h:02}{mi:02}{s:02}_{name}"));
            (folder.join("up.sql"), folder.join("down.sql"))
        }
        Runner::Refinery => {
            let highest = highest_refinery_version(dir)?;
            let n = highest + 1;
            if n > i64::from(i32::MAX) {
                return Err(FilesError::VersionOverflow {
                    highest,
                    dir: dir.to_path_buf(),
                });
            }
            (
                dir.join(format!("V{n}__{name}.sql")),
                dir.join(format!("V{n}__{name}.down.sql")),
            )
        }
    };
    let up_label = match runner {
        Runner::Diesel => format!("{}/up.sql", folder_name(&up)),
        _ => file_name(&up),
    };
    Ok(vec![
        MigrationFile {
            contents: migration.script()?,
            path: up,
        },
        MigrationFile {
            contents: down_script(migration, &up_label)?,
            path: down,
        },
    ])
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn folder_name(path: &Path) -> String {
    path.parent().map(file_name).unwrap_or_default()
}

/// Writes `files`, making the folders they need; refuses, writing nothing,
/// when any of them (or, for diesel, its folder) exists already.
pub fn write_files(files: &[MigrationFile]) -> Result<(), FilesError> {
    for f in files {
        if f.path.exists() {
            return Err(FilesError::Exists(f.path.clone()));
        }
    }
    for f in files {
        if let Some(parent) = f.path.parent() {
            fs::create_dir_all(parent).map_err(|source| FilesError::Io {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let io = |source| FilesError::Io {
            path: f.path.clone(),
            source,
        };
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&f.path)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => FilesError::Exists(f.path.clone()),
                _ => io(e),
            })?;
        file.write_all(f.contents.as_bytes()).map_err(io)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn names_are_sanitised() {
        assert_eq!(sanitize_name("AddUsers"), "addusers");
        assert_eq!(sanitize_name("add users"), "add_users");
        assert_eq!(sanitize_name("  --add__users--  "), "add_users");
        assert_eq!(sanitize_name("v2: é-mail"), "v2_mail");
        assert_eq!(sanitize_name("../../etc/passwd"), "etc_passwd");
        assert_eq!(sanitize_name(""), "migration");
        assert_eq!(sanitize_name("!!!"), "migration");
    }

    #[test]
    fn times_are_utc_civil_dates() {
        let at = |s| civil(SystemTime::UNIX_EPOCH + Duration::from_secs(s));
        assert_eq!(at(0), [1970, 1, 1, 0, 0, 0]);
        // 2000-02-29 23:59:59, a leap day of a century divisible by 400.
        assert_eq!(at(951_868_799), [2000, 2, 29, 23, 59, 59]);
        assert_eq!(at(1_767_225_599), [2025, 12, 31, 23, 59, 59]);
        assert_eq!(at(1_788_333_845), [2026, 9, 2, 7, 24, 5]);
    }

    #[test]
    fn refinery_versions_follow_its_pattern() {
        assert_eq!(refinery_version("V1__init.sql"), Some(1));
        assert_eq!(refinery_version("U12__seed.sql"), Some(12));
        assert_eq!(refinery_version("V3__x.down.sql"), None);
        assert_eq!(refinery_version("V3__.sql"), None);
        assert_eq!(refinery_version("v3__x.sql"), None);
        assert_eq!(refinery_version("V__x.sql"), None);
        assert_eq!(refinery_version("V2_x.sql"), None);
        assert_eq!(refinery_version("V4__x.rs"), None);
    }
}
