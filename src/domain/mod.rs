//! Domain values: the enumerations with their Vietnamese labels and level order,
//! and the text folding that makes search ignore diacritics.

mod day;
mod enums;
mod lists;
pub mod personal;
mod text;

pub use day::Day;
pub use enums::*;
pub use lists::{Ethnicity, Religion};
pub use text::{fold, given_name_key, hex, Code, GeneralEducation, Name, NationalId};
