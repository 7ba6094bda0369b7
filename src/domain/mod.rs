//! Domain values: the enumerations with their Vietnamese labels and level order,
//! and the text folding that makes search ignore diacritics.

mod enums;
mod text;

pub use enums::*;
pub use text::fold;
