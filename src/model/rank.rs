//! Civil-service ranks (ngạch) as dated history: each record says which rank an official
//! holds from a day on, until the next record. The rank held now is kept on the official
//! (`officials.rank`), set in the same transaction as the record that changes it.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::{deleted_at_version, UtcTime};
use crate::clock::now;
use crate::db::schema::{official_ranks, officials};
use crate::db::{lock_row, DbConn, Table};
use crate::domain::CivilServiceRank;
use crate::error::ApiError;

/// A rank held from a day on.
#[derive(Debug, Clone, Queryable, Serialize, ToSchema)]
pub struct RankRecord {
    /// The record's id.
    pub id: i64,
    /// The official.
    pub official_id: i64,
    /// The rank.
    pub rank: CivilServiceRank,
    /// The first day it is held (until the next record's).
    pub since: NaiveDate,
    /// When the record was created (UTC).
    pub created_at: UtcTime,
    /// Version: a record is not changed, only deleted (send it in `If-Match`).
    pub version: i32,
}

impl RankRecord {
    /// Records that the official `official_id` holds `rank` from `since`, and keeps their
    /// current rank (that of the latest record) on the official. Two records of one day are
    /// a 409 on `since`.
    pub fn create(
        conn: &mut DbConn,
        official_id: i64,
        rank: CivilServiceRank,
        since: NaiveDate,
    ) -> Result<RankRecord, ApiError> {
        let record = diesel::insert_into(official_ranks::table)
            .values((
                official_ranks::official_id.eq(official_id),
                official_ranks::rank.eq(rank),
                official_ranks::since.eq(since),
                official_ranks::created_at.eq(now()),
            ))
            .returning(official_ranks::all_columns)
            .get_result(conn)?;
        RankRecord::refresh_current(conn, official_id)?;
        Ok(record)
    }

    /// The official's record with this id.
    pub fn find(conn: &mut DbConn, official_id: i64, id: i64) -> Result<RankRecord, ApiError> {
        official_ranks::table
            .find(id)
            .filter(official_ranks::official_id.eq(official_id))
            .first(conn)
            .optional()?
            .ok_or_else(|| ApiError::NotFound(format!("official {official_id} has no rank record {id}")))
    }

    /// Deletes a record made by mistake, at the version the caller read; the official's
    /// current rank follows from the records left.
    pub fn delete(conn: &mut DbConn, record: &RankRecord, expected: i32) -> Result<(), ApiError> {
        let deleted = diesel::delete(
            official_ranks::table
                .find(record.id)
                .filter(official_ranks::version.eq(expected)),
        )
        .execute(conn)?;
        deleted_at_version(deleted, "rank record", record.id, expected)?;
        RankRecord::refresh_current(conn, record.official_id)
    }

    /// The official's records, oldest first.
    pub fn history(conn: &mut DbConn, official_id: i64) -> Result<Vec<RankRecord>, ApiError> {
        Ok(official_ranks::table
            .filter(official_ranks::official_id.eq(official_id))
            .order_by(official_ranks::since)
            .load(conn)?)
    }

    /// Removes the official's records (with the official).
    pub fn delete_all(conn: &mut DbConn, official_id: i64) -> Result<(), ApiError> {
        diesel::delete(official_ranks::table.filter(official_ranks::official_id.eq(official_id))).execute(conn)?;
        Ok(())
    }

    /// Sets the official's current rank to that of their latest record (none without one).
    fn refresh_current(conn: &mut DbConn, official_id: i64) -> Result<(), ApiError> {
        lock_row(conn, Table::Officials, official_id)?;
        let latest: Option<CivilServiceRank> = official_ranks::table
            .filter(official_ranks::official_id.eq(official_id))
            .order_by(official_ranks::since.desc())
            .select(official_ranks::rank)
            .first(conn)
            .optional()?;
        diesel::update(officials::table.find(official_id))
            .set((
                officials::rank.eq(latest),
                officials::updated_at.eq(now()),
                officials::version.eq(officials::version + 1),
            ))
            .execute(conn)?;
        Ok(())
    }
}
