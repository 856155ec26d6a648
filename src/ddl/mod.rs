//! DDL: statements as data, dependency order, and create/drop plans.
//!
//! A [`Statement`] renders for one [`Dialect`](crate::dialect::Dialect);
//! [`sort`] orders tables by their foreign keys and splits out those that
//! must be added after all tables; [`create_plan`] and [`drop_plan`] build the
//! whole script for a [`MetaData`](crate::MetaData), with its DDL events, and
//! [`run_plan`] runs it through an [`Executor`] such as [`MockExecutor`].
//!
//! ```
//! use nomenclator::{Column, MetaData, Table};
//! use nomenclator::ddl::{DdlOptions, Statement};
//! use nomenclator::dialect::PostgreSql;
//!
//! let mut md = MetaData::new();
//! md.add_table(Table::new("user").column(Column::new("id", "integer").primary_key()))?;
//! let create = Statement::create_table(md.table("user").unwrap());
//! assert_eq!(
//!     create.to_sql(&PostgreSql, &DdlOptions::default())?,
//!     "CREATE TABLE \"user\" (\n\tid SERIAL NOT NULL,\n\tPRIMARY KEY (id)\n)"
//! );
//! # Ok::<(), nomenclator::Error>(())
//! ```

mod error;
mod plan;
pub mod sort;
mod statement;

pub use error::DdlError;
pub use plan::{
    create_plan, create_script, drop_plan, drop_script, run_plan, DdlOptions, Executor,
    MockExecutor, Plan, Step, StepKind,
};
pub(crate) use plan::{create_script_pieces, drop_script_pieces};
pub use sort::{sort_tables_and_constraints, sorted_tables, DeferredForeignKey, SortResult};
pub use statement::{render_custom_ddl, Statement};
