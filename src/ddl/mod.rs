//! DDL plans: dependency order, and the create and drop plans of a whole
//! metadata as [`Statement`](crate::sql::Statement)s.
//!
//! [`sort`] orders tables by their foreign keys and splits out those that
//! must be added after all tables; [`create_plan`] and [`drop_plan`] build
//! the [`Plan`] for a [`MetaData`](crate::MetaData) and a dialect — every
//! statement as data, with its final names, and the DDL events between
//! them — and [`run_plan`] runs it through an [`Executor`] such as
//! [`MockExecutor`]. SQL is written by the plan's dialect only when the
//! plan is rendered ([`Plan::script`]) or run.
//!
//! ```
//! use nomenclator::{Column, MetaData, Table};
//! use nomenclator::ddl::{create_plan, DdlOptions};
//! use nomenclator::dialect::PostgreSql;
//! use nomenclator::sql::Statement;
//!
//! let mut md = MetaData::new();
//! md.add_table(Table::new("user").column(Column::new("id", "integer").primary_key()))?;
//! let plan = create_plan(&md, &PostgreSql, &DdlOptions::default())?;
//! let create = plan.statements().next().unwrap();
//! assert!(matches!(create, Statement::CreateTable(_)));
//! assert_eq!(
//!     plan.script()?,
//!     "CREATE TABLE \"user\" (\n\tid SERIAL NOT NULL,\n\tPRIMARY KEY (id)\n);\n"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod build;
mod error;
mod plan;
pub mod sort;

#[cfg_attr(not(feature = "sqlite"), allow(unused_imports))]
pub(crate) use build::schema_file_name_problem;
pub use build::{
    create_plan, create_script, drop_plan, drop_script, render_custom_ddl, DdlOptions,
};
pub use error::DdlError;
pub use plan::{run_plan, Executor, MockExecutor, Plan, Script, Step};
pub use sort::{
    sort_tables_and_constraints, sorted_tables, table_order, DeferredForeignKey, SortResult,
    TableOrder,
};
