//! `house-rules`: rules a team holds its schemas to, rejecting what breaks them.

use std::sync::Arc;

use nomenclator::events::{
    ColumnAttached, ConstraintAttached, IndexAttached, ListenOptions, Listener, ListenerError,
    ListenerResult, TableAttached, TableBuilt,
};
use nomenclator::{Constraint, Name, Plugin, PluginSettings, Setting, Table};

/// Rejects, as tables are attached: names longer than a limit (tables,
/// columns, and the final names of constraints and indexes, before any
/// dialect shortens them), tables without a primary key, and foreign keys
/// without an `on_delete` action. The error names the table and the rule,
/// and says how to comply.
///
/// The `house-rules` pack turns all three on, with names of at most 63
/// characters (what fits PostgreSQL, MySQL and MariaDB alike). A pack that
/// extends it changes them:
///
/// ```toml
/// name = "our-rules"
/// extends = "house-rules"
///
/// [settings.house-rules]
/// max_name_length = 30      # 0: no limit
/// require_primary_key = true
/// require_on_delete = false
/// ```
///
/// ```
/// use nomenclator::{Column, MetaData, Table};
/// use nomenclator_conventions::HouseRules;
///
/// let mut md = MetaData::new();
/// md.listen(HouseRules::default());
/// let err = md.add_table(Table::new("log").column(Column::new("line", "text"))).unwrap_err();
/// assert!(err.to_string().contains("table \"log\" has no primary key"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HouseRules {
    /// The longest name, in characters (`None`: no limit).
    pub max_name_length: Option<usize>,
    /// Whether every table needs a primary key.
    pub require_primary_key: bool,
    /// Whether every foreign key needs an `on_delete` action.
    pub require_on_delete: bool,
}

impl Default for HouseRules {
    /// All three rules, names of at most 63 characters.
    fn default() -> Self {
        HouseRules {
            max_name_length: Some(63),
            require_primary_key: true,
            require_on_delete: true,
        }
    }
}

/// The settings `configure` takes.
const KEYS: &str = "max_name_length, require_primary_key, require_on_delete";

/// How an error tells the user to relax a rule.
const RELAX: &str =
    "or change the rule under [settings.house-rules] in a pack that extends \"house-rules\"";

fn broken(message: String) -> ListenerError {
    ListenerError::msg(format!("house rule: {message}"))
}

impl HouseRules {
    fn check_name(&self, what: impl FnOnce() -> String, name: &str) -> ListenerResult {
        let Some(max) = self.max_name_length else {
            return Ok(());
        };
        let length = name.chars().count();
        if length <= max {
            return Ok(());
        }
        Err(broken(format!(
            "{} is named {name:?}, {length} characters, over the limit of {max}; give it a shorter name, {RELAX}",
            what()
        )))
    }

    fn check_object_name(&self, t: &Table, what: &str, name: &Name) -> ListenerResult {
        match name.as_str() {
            Some(n) => self.check_name(|| format!("{what} of table \"{}\"", t.full_name()), n),
            None => Ok(()),
        }
    }
}

impl Listener for HouseRules {
    fn name(&self) -> &str {
        "house-rules"
    }

    fn table_attached(&mut self, e: &mut TableAttached<'_>) -> ListenerResult {
        let name = e.table.name().to_owned();
        self.check_name(|| "table".to_owned(), &name)
    }

    fn column_attached(&mut self, e: &mut ColumnAttached<'_>) -> ListenerResult {
        self.check_name(
            || format!("a column of table \"{}\"", e.table.full_name()),
            e.column.name(),
        )
    }

    fn constraint_attached(&mut self, e: &mut ConstraintAttached<'_>) -> ListenerResult {
        let c = &*e.constraint;
        self.check_object_name(e.table, c.kind().describe(), c.name())?;
        if let Constraint::ForeignKey(fk) = c {
            if self.require_on_delete && fk.on_delete.is_none() {
                return Err(broken(format!(
                    "the foreign key of table \"{}\" on ({}) to \"{}\" has no on_delete; say what deleting a referred row does (on_delete = \"CASCADE\", \"RESTRICT\", \"SET NULL\", ...), {RELAX}",
                    e.table.full_name(),
                    fk.columns().join(", "),
                    fk.referred_table()
                )));
            }
        }
        Ok(())
    }

    fn index_attached(&mut self, e: &mut IndexAttached<'_>) -> ListenerResult {
        self.check_object_name(e.table, "index", &e.index.name)
    }

    fn table_built(&mut self, e: &mut TableBuilt<'_>) -> ListenerResult {
        if self.require_primary_key && e.table.primary_key().is_none() {
            return Err(broken(format!(
                "table \"{}\" has no primary key; declare one, {RELAX}",
                e.table.full_name()
            )));
        }
        Ok(())
    }
}

impl Plugin for HouseRules {
    fn name(&self) -> &str {
        "house-rules"
    }

    fn description(&self) -> &str {
        "rejects long names, tables without a primary key and foreign keys without on_delete"
    }

    fn listeners(&self) -> Vec<(Box<dyn Listener>, ListenOptions)> {
        vec![(Box::new(self.clone()), ListenOptions::new())]
    }

    fn configure(&self, settings: &PluginSettings) -> Result<Arc<dyn Plugin>, String> {
        let mut rules = self.clone();
        for (key, value) in settings {
            let flag = |v: &Setting| match v {
                Setting::Bool(b) => Ok(*b),
                other => Err(format!("{key} must be true or false, not {other}")),
            };
            match key.as_str() {
                "max_name_length" => {
                    rules.max_name_length = match value {
                        Setting::Integer(0) => None,
                        Setting::Integer(n) if *n > 0 => Some(*n as usize),
                        other => {
                            return Err(format!(
                                "max_name_length must be a whole number of characters (0 for no limit), not {other}"
                            ))
                        }
                    }
                }
                "require_primary_key" => rules.require_primary_key = flag(value)?,
                "require_on_delete" => rules.require_on_delete = flag(value)?,
                other => return Err(format!("unknown setting {other:?}; the settings are {KEYS}")),
            }
        }
        Ok(Arc::new(rules))
    }
}
