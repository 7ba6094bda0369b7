//! Rebuilds the crate when a migration is added or changed: `embed_migrations!` reads the
//! migration folders at compile time, and cargo cannot see a new folder by itself.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
