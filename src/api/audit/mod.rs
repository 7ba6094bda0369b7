//! `/audit-log`: every write, who made it, and the record before and after. Read-only.

mod list;

pub use list::*;
