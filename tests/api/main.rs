//! Black-box tests: each starts the real service on port 0 over a fresh database
//! (a temporary SQLite file, or a new PostgreSQL database when TEST_DATABASE_URL is set)
//! and talks HTTP to it.

mod helpers;

mod auth;
mod cli;
mod compression;
mod concurrency;
mod copy;
mod demo;
mod enrollments;
mod errors;
mod exports;
mod form_fields;
mod imports;
mod input;
mod matrix;
mod officials;
mod openapi;
mod operations;
mod pages;
mod personal;
mod plans;
mod positions;
mod qualifications;
mod record;
mod reports;
mod schema;
mod search;
mod security;
mod synthetic;
mod throttle;
mod training;
mod training_results;
mod units;
mod users;
mod workforce;
