//! The record of each spreadsheet import: who brought in what file, and what it did.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::keyset::{Column, KeyKind, Listed, Order, Window};
use super::UtcTime;
use crate::db::schema::imports;
use crate::db::DbConn;
use crate::domain::{ImportKind, ImportMode};
use crate::error::ApiError;

/// One import of a file.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = imports)]
pub struct ImportRecord {
    /// The import's id.
    pub id: i64,
    /// When it ran (UTC).
    pub at: UtcTime,
    /// The user who ran it; null for the command line.
    pub user_id: Option<i64>,
    /// Their username (`system` for the command line without `--as`).
    pub actor: String,
    /// What the file brought in.
    pub kind: ImportKind,
    /// Whether rows whose key is stored were refused (`create`) or updated (`upsert`).
    pub mode: ImportMode,
    /// A dry run checks everything and writes nothing but this record.
    pub dry_run: bool,
    /// The file's name, as the client gave it.
    pub file_name: Option<String>,
    /// The SHA-256 of the file's bytes, in hex.
    pub sha256: String,
    /// Rows read (the header excluded).
    pub rows: i64,
    /// Records created.
    pub created: i64,
    /// Records changed.
    pub updated: i64,
    /// Rows identical to what is stored, left as they were.
    pub unchanged: i64,
}

/// An import to record.
#[derive(Debug, Insertable)]
#[diesel(table_name = imports)]
pub struct NewImport {
    pub at: NaiveDateTime,
    pub user_id: Option<i64>,
    pub actor: String,
    pub kind: ImportKind,
    pub mode: ImportMode,
    pub dry_run: bool,
    pub file_name: Option<String>,
    pub sha256: String,
    pub rows: i64,
    pub created: i64,
    pub updated: i64,
    pub unchanged: i64,
}

/// An import is never changed: its version is always 1.
impl super::Versioned for ImportRecord {
    fn version(&self) -> i32 {
        1
    }
}

impl ImportRecord {
    /// Records an import.
    pub fn create(conn: &mut DbConn, new: &NewImport) -> Result<ImportRecord, ApiError> {
        Ok(diesel::insert_into(imports::table)
            .values(new)
            .returning(imports::all_columns)
            .get_result(conn)?)
    }

    /// One import of `kind`; `user_id`, when given, must have run it.
    pub fn find(conn: &mut DbConn, kind: ImportKind, id: i64, user_id: Option<i64>) -> Result<ImportRecord, ApiError> {
        let mut query = imports::table
            .filter(imports::id.eq(id))
            .filter(imports::kind.eq(kind))
            .into_boxed();
        if let Some(user) = user_id {
            query = query.filter(imports::user_id.eq(user));
        }
        query
            .select(ImportRecord::as_select())
            .first(conn)
            .optional()?
            .ok_or_else(|| ApiError::NotFound(format!("no import {id}")))
    }

    /// A page of imports, newest first (of one kind, of one user; from a cursor's place, or
    /// an offset), and how many match unless not counted.
    pub fn list(
        conn: &mut DbConn,
        kind: Option<ImportKind>,
        user_id: Option<i64>,
        window: &Window,
    ) -> Result<Listed<ImportRecord>, ApiError> {
        let build = || {
            let mut query = imports::table.into_boxed();
            if let Some(kind) = kind {
                query = query.filter(imports::kind.eq(kind));
            }
            if let Some(user) = user_id {
                query = query.filter(imports::user_id.eq(user));
            }
            query
        };
        let total = window.total(|| build().count().get_result(conn))?;
        let order = Order::fixed(
            "newest",
            vec![
                Column::desc("imports.at", KeyKind::Time),
                Column::desc("imports.id", KeyKind::Int),
            ],
        );
        let rows = order
            .apply(build(), window)?
            .then_order_by((imports::at.desc(), imports::id.desc()))
            .select(ImportRecord::as_select())
            .limit(window.rows())
            .offset(window.offset)
            .load(conn)?;
        Ok(order.page(window, rows, total, |import: &ImportRecord| {
            vec![import.at.into(), import.id.into()]
        }))
    }
}
