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
    match (dimension, level) {
        (Some(dimension), Some(level)) => {
            if dimension.rank_of(level).is_none() {
                let levels: Vec<&str> = dimension.levels().iter().map(|v| v.code).collect();
                checks.add(
                    "confers_level",
                    format!("is not a level of {dimension}: one of {}", levels.join(", ")),
                );
            }
        }
        (Some(_), None) => checks.add("confers_level", "is required with confers_dimension"),
        (None, Some(_)) => checks.add("confers_dimension", "is required with confers_level"),
        (None, None) => {}
    }
}
