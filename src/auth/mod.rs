//! Authentication and rights: password hashing, access tokens, and the extractors
//! that make a handler's signature say who may call it.

mod caller;
mod client;
mod password;
mod throttle;
mod token;

pub use caller::{Admin, Caller, Overseer, Scope, Writer};
pub use client::{parse_trusted_proxies, ClientAddress, TrustedProxies};
pub use password::{hash_password, verify_password, verify_password_or_dummy};
pub use throttle::{count_attempt, Counted};
pub use token::{Claims, TokenKeys};
