//! cadre-records: the training records of a public administration's cadres,
//! civil servants and public employees, as a REST service.

pub mod auth;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod extract;
pub mod model;
pub mod api;
pub mod openapi;
pub mod startup;
pub mod telemetry;
