//! `/auth`: logging in.

mod log_in;

pub use log_in::*;
