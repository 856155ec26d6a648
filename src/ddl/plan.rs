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
        let mut out = String::new();
        self.write_script(&mut out)?;
        Ok(out)
    }

    /// Appends [`script`](Self::script) to `out`; on error `out` is left as it was.
    pub fn write_script(&self, out: &mut String) -> Result<(), DdlError> {
        let start = out.len();
        for (i, st) in self.statements().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            if let Err(e) = self.dialect.write_statement(st, out) {
                out.truncate(start);
                return Err(e.into());
            }
            out.push_str(";\n");
        }
        Ok(())
    }

    /// The statements written as SQL, in order (without `;`).
    pub fn sql(&self) -> Result<Vec<String>, DdlError> {
        self.statements()
            .map(|st| Ok(self.dialect.to_sql(st)?))
            .collect()
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
                    };
                    run(&st, &mut done)?;
                }
            }
            Step::Statement(st) => run(st, &mut done)?,
        }
    }
    Ok(done)
}
