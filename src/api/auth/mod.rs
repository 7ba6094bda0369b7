//! `/auth`: logging in, who am I, changing one's password.

mod log_in;
mod me;
mod password;

pub use log_in::*;
pub use me::*;
pub use password::*;
