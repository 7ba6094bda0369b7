use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use std::sync::OnceLock;

use crate::error::ApiError;

/// The hasher of new passwords: argon2id with the crate's defaults (19 MiB, 2 passes, one
/// lane) — or, when the test suite builds the crate (feature `fast-test-hashes`), the least
/// memory and time argon2 allows. A hash carries its parameters, so verifying follows them.
fn hasher() -> Argon2<'static> {
    #[cfg(feature = "fast-test-hashes")]
    if let Ok(params) = argon2::Params::new(argon2::Params::MIN_M_COST, 1, 1, None) {
        return Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    }
    Argon2::default()
}

/// An argon2id hash of `password` in PHC string form.
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(ApiError::internal)
}

/// Whether `password` matches the stored `hash`.
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// Verifies against the user's hash, or against a dummy one when there is no such user,
/// so that an unknown username costs the same time as a wrong password.
pub fn verify_password_or_dummy(hash: Option<&str>, password: &str) -> bool {
    static DUMMY: OnceLock<String> = OnceLock::new();
    match hash {
        Some(hash) => verify_password(hash, password),
        None => {
            let dummy = DUMMY.get_or_init(|| hash_password("not a real password").unwrap_or_default());
            let _ = verify_password(dummy, password);
            false
        }
    }
}
