//! Plans: statements and DDL events in the order they run, and running them.

use crate::dialect::Dialect;
use crate::events::EventKind;
use crate::schema::{MetaData, TableRef};
use crate::sql::Statement;

use super::error::DdlError;

/// One step of a plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// A DDL event: listeners run here and may add statements.
    Event {
        /// `BeforeCreate`, `AfterCreate`, `BeforeDrop` or `AfterDrop`.
        kind: EventKind,
        /// The table, or `None` for the metadata.
        table: Option<TableRef>,
    },
    /// A statement.
    Statement(Statement),
}

/// Statements and DDL events for one dialect, in the order they run.
/// SQL is written only when the plan is rendered ([`Plan::script`]) or run
/// ([`run_plan`]).
#[derive(Clone, Debug)]
pub struct Plan<'d> {
    /// The dialect the plan is for.
    pub dialect: &'d dyn Dialect,
    /// The steps, in order.
    pub steps: Vec<Step>,
}

impl PartialEq for Plan<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.dialect.kind() == other.dialect.kind() && self.steps == other.steps
    }
}

impl<'d> Plan<'d> {
    /// The statements, in order.
    pub fn statements(&self) -> impl Iterator<Item = &Statement> {
        self.steps.iter().filter_map(|s| match s {
            Step::Statement(st) => Some(st),
            Step::Event { .. } => None,
        })
    }

    /// The offline script: every statement followed by `;`, a blank line
    /// between statements. Listeners do not run: events add nothing (the
    /// document's custom DDL is already in the plan as statements).
    pub fn script(&self) -> Result<String, DdlError> {
        let mut script = Script::new(self.dialect);
        for st in self.statements() {
            script.push(st)?;
        }
        Ok(script.into_string())
    }

    /// The statements written as SQL, in order (without `;`).
    pub fn sql(&self) -> Result<Vec<String>, DdlError> {
        self.statements()
            .map(|st| Ok(self.dialect.to_sql(st)?))
            .collect()
    }
}

/// A script as `nomenclator ddl` prints it: every statement followed by
/// `;`, a blank line between statements. It is kept in pieces of about
/// 256 KiB, so that a large script is never copied to grow.
#[derive(Clone, Debug)]
pub struct Script<'d> {
    dialect: &'d dyn Dialect,
    pieces: Vec<String>,
    started: bool,
}

/// The size of a script piece.
const PIECE: usize = 256 * 1024;

/// A statement starts a new piece when less room than this is left in the
/// last one (most statements are far shorter; a longer one grows its piece).
const PIECE_ROOM: usize = 4 * 1024;

impl<'d> Script<'d> {
    /// An empty script for `dialect`.
    pub fn new(dialect: &'d dyn Dialect) -> Self {
        Script {
            dialect,
            pieces: Vec::new(),
            started: false,
        }
    }

    /// The dialect it is written for.
    pub fn dialect(&self) -> &'d dyn Dialect {
        self.dialect
    }

    /// Writes `statement` at the end; on error the script is as it was.
    pub fn push(&mut self, statement: &Statement) -> Result<(), DdlError> {
        let piece = match self.pieces.last_mut() {
            Some(last) if last.capacity() - last.len() >= PIECE_ROOM => last,
            _ => {
                self.pieces.push(String::with_capacity(PIECE));
                let last = self.pieces.len() - 1;
                &mut self.pieces[last]
            }
        };
        let start = piece.len();
        if self.started {
            piece.push('\n');
        }
        if let Err(e) = self.dialect.write_statement(statement, piece) {
            piece.truncate(start);
            return Err(e.into());
        }
        piece.push_str(";\n");
        self.started = true;
        Ok(())
    }

    /// Appends `later`'s statements, as if pushed here.
    pub fn append(&mut self, mut later: Script<'_>) {
        if let (true, Some(first)) = (self.started && later.started, later.pieces.first_mut()) {
            first.insert(0, '\n');
        }
        self.started |= later.started;
        self.pieces.append(&mut later.pieces);
    }

    /// The script in pieces, to be written one after the other.
    pub fn pieces(&self) -> &[String] {
        &self.pieces
    }

    /// The whole script as one string.
    pub fn into_string(self) -> String {
        match <[String; 1]>::try_from(self.pieces) {
            Ok([one]) => one,
            Err(pieces) => pieces.concat(),
        }
    }
}

impl std::fmt::Display for Script<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.pieces.iter().try_for_each(|p| f.write_str(p))
    }
}

/// Runs the statements of a plan, one at a time.
pub trait Executor {
    /// Executes one statement, given as data and as the SQL the plan's
    /// dialect wrote for it (without `;`).
    fn execute(
        &mut self,
        statement: &Statement,
        sql: &str,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>>;
}

/// An executor that only collects the statements: the "mock engine" that
/// dumps the whole create sequence, listeners' statements included.
///
/// ```
/// use nomenclator::{Column, MetaData, Table};
/// use nomenclator::ddl::{create_plan, run_plan, DdlOptions, MockExecutor};
/// use nomenclator::dialect::Sqlite;
///
/// let mut md = MetaData::new();
/// md.add_table(Table::new("t").column(Column::new("id", "integer").primary_key()))?;
/// let plan = create_plan(&md, &Sqlite, &DdlOptions::default())?;
/// let mut mock = MockExecutor::default();
/// run_plan(&mut md, &plan, &mut mock)?;
/// assert_eq!(mock.statements, ["CREATE TABLE t (\n\tid INTEGER NOT NULL,\n\tPRIMARY KEY (id)\n)"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MockExecutor {
    /// The statements received, as SQL, in order.
    pub statements: Vec<String>,
}

impl Executor for MockExecutor {
    fn execute(
        &mut self,
        _statement: &Statement,
        sql: &str,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        self.statements.push(sql.to_owned());
        Ok(())
    }
}

/// Runs a plan: each statement is written by the plan's dialect and
/// executed; each event fires the DDL event on `md` and executes the
/// statements its listeners return, right there. Returns the SQL of every
/// executed statement; stops at the first failure.
pub fn run_plan(
    md: &mut MetaData,
    plan: &Plan<'_>,
    exec: &mut dyn Executor,
) -> Result<Vec<String>, DdlError> {
    let mut done = Vec::new();
    let mut run = |st: &Statement, done: &mut Vec<String>| -> Result<(), DdlError> {
        let sql = plan.dialect.to_sql(st)?;
        exec.execute(st, &sql)
            .map_err(|source| DdlError::Execution {
                sql: sql.clone(),
                source,
            })?;
        done.push(sql);
        Ok(())
    };
    for step in &plan.steps {
        match step {
            Step::Event { kind, table } => {
                for sql in md.fire_ddl(*kind, table.as_ref(), plan.dialect.kind())? {
                    let st = Statement::Custom {
                        sql,
                        table: table.clone(),
                        transactional: true,
                    };
                    run(&st, &mut done)?;
                }
            }
            Step::Statement(st) => run(st, &mut done)?,
        }
    }
    Ok(done)
}
