//! cadre-records: the training records of a public administration's cadres,
//! civil servants and public employees, as a REST service.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout))]

pub mod api;
pub mod auth;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod exchange;
pub mod files;
pub mod metrics;
pub mod model;
pub mod openapi;
pub mod reports;
pub mod startup;
pub mod synthetic;
pub mod telemetry;
