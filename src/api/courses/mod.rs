//! `/courses`: what is taught, and the level completing it confers.

mod create;
mod delete;
mod get;
mod list;
mod update;

pub use create::*;
pub use delete::*;
pub use get::*;
pub use list::*;
pub use update::*;

use crate::domain::Dimension;
use crate::error::Checks;

/// A course confers a dimension and a level of it together, or neither.
pub(crate) fn check_conferral(checks: &mut Checks, dimension: Option<Dimension>, level: Option<&str>) {
    check_level_of(checks, (dimension, "confers_dimension"), (level, "confers_level"));
}

/// A dimension and one of its levels, given together or not at all, each named by its field.
pub(crate) fn check_level_of(
    checks: &mut Checks,
    (dimension, dimension_field): (Option<Dimension>, &str),
    (level, level_field): (Option<&str>, &str),
) {
    match (dimension, level) {
        (Some(dimension), Some(level)) => {
            if dimension.rank_of(level).is_none() {
                let levels: Vec<&str> = dimension.levels().iter().map(|v| v.code).collect();
                checks.add(
                    level_field,
                    format!("is not a level of {dimension}: one of {}", levels.join(", ")),
                );
            }
        }
        (Some(_), None) => checks.add(level_field, format!("is required with {dimension_field}")),
        (None, Some(_)) => checks.add(dimension_field, format!("is required with {level_field}")),
        (None, None) => {}
    }
}
