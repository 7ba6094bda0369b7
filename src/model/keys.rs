//! Natural keys by id: what a row of a spreadsheet names other records by (a unit, a
//! position, a course, a class, an official by its `code`), and the first day of each
//! official's current post, for files that hold records.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::db::schema::{assignments, classes, courses, officials, positions, units};
use crate::db::DbConn;
use crate::error::ApiError;

/// How many ids one `IN (…)` carries (well below both backends' parameter limits).
const CHUNK: usize = 10_000;

/// Every unit's code, by id (units are thousands, not millions).
pub fn unit_codes(conn: &mut DbConn) -> Result<HashMap<i64, String>, ApiError> {
    Ok(units::table
        .select((units::id, units::code))
        .load(conn)?
        .into_iter()
        .collect())
}

/// Every position's code, by id.
pub fn position_codes(conn: &mut DbConn) -> Result<HashMap<i64, String>, ApiError> {
    Ok(positions::table
        .select((positions::id, positions::code))
        .load(conn)?
        .into_iter()
        .collect())
}

/// Every course's code, by id.
pub fn course_codes(conn: &mut DbConn) -> Result<HashMap<i64, String>, ApiError> {
    Ok(courses::table
        .select((courses::id, courses::code))
        .load(conn)?
        .into_iter()
        .collect())
}

/// Every class's code, by id.
pub fn class_codes(conn: &mut DbConn) -> Result<HashMap<i64, String>, ApiError> {
    Ok(classes::table
        .select((classes::id, classes::code))
        .load(conn)?
        .into_iter()
        .collect())
}

/// The codes of the officials `ids`.
pub fn official_codes(conn: &mut DbConn, ids: &[i64]) -> Result<HashMap<i64, String>, ApiError> {
    let mut codes = HashMap::with_capacity(ids.len());
    for chunk in distinct(ids).chunks(CHUNK) {
        let rows: Vec<(i64, String)> = officials::table
            .filter(officials::id.eq_any(chunk))
            .select((officials::id, officials::code))
            .load(conn)?;
        codes.extend(rows);
    }
    Ok(codes)
}

/// The first day of the open assignment of each of the officials `ids` that has one.
pub fn posts_since(conn: &mut DbConn, ids: &[i64]) -> Result<HashMap<i64, NaiveDate>, ApiError> {
    let mut since = HashMap::with_capacity(ids.len());
    for chunk in distinct(ids).chunks(CHUNK) {
        let rows: Vec<(i64, NaiveDate)> = assignments::table
            .filter(assignments::official_id.eq_any(chunk))
            .filter(assignments::ended_on.is_null())
            .select((assignments::official_id, assignments::started_on))
            .load(conn)?;
        since.extend(rows);
    }
    Ok(since)
}

fn distinct(ids: &[i64]) -> Vec<i64> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    ids
}
