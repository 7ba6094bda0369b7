//! Natural keys by id: what a row of a spreadsheet names other records by (a unit, a
//! position, a course, a class, an official by its `code`), and the first day of each
//! official's current post, for files that hold records.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::db::schema::{
    assignments, classes, courses, enrollments, official_ranks, officials, plan_needs, plans, positions,
    qualifications, units,
};
use crate::db::DbConn;
use crate::domain::{CivilServiceRank, Dimension};
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

/// The latest rank record of each of the officials `ids` that has one: its rank and first day.
pub fn ranks_since(conn: &mut DbConn, ids: &[i64]) -> Result<HashMap<i64, (CivilServiceRank, NaiveDate)>, ApiError> {
    let mut latest: HashMap<i64, (CivilServiceRank, NaiveDate)> = HashMap::with_capacity(ids.len());
    for chunk in distinct(ids).chunks(CHUNK) {
        let rows: Vec<(i64, CivilServiceRank, NaiveDate)> = official_ranks::table
            .filter(official_ranks::official_id.eq_any(chunk))
            .select((official_ranks::official_id, official_ranks::rank, official_ranks::since))
            .load(conn)?;
        for (id, rank, since) in rows {
            let entry = latest.entry(id).or_insert((rank, since));
            if since > entry.1 {
                *entry = (rank, since);
            }
        }
    }
    Ok(latest)
}

fn distinct(ids: &[i64]) -> Vec<i64> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Every unit's id, by code (what a file's `unit_code` and `parent_code` name).
pub fn unit_ids(conn: &mut DbConn) -> Result<HashMap<String, i64>, ApiError> {
    Ok(units::table
        .select((units::code, units::id))
        .load(conn)?
        .into_iter()
        .collect())
}

/// Every position's id, by code.
pub fn position_ids(conn: &mut DbConn) -> Result<HashMap<String, i64>, ApiError> {
    Ok(positions::table
        .select((positions::code, positions::id))
        .load(conn)?
        .into_iter()
        .collect())
}

/// The official with this code, if any.
pub fn official_id(conn: &mut DbConn, code: &str) -> Result<Option<i64>, ApiError> {
    Ok(officials::table
        .filter(officials::code.eq(code))
        .select(officials::id)
        .first(conn)
        .optional()?)
}

/// The officials with these codes that are stored, by code.
pub fn official_ids(conn: &mut DbConn, codes: &[String]) -> Result<HashMap<String, i64>, ApiError> {
    let mut ids = HashMap::with_capacity(codes.len());
    for chunk in codes.chunks(CHUNK) {
        let rows: Vec<(String, i64)> = officials::table
            .filter(officials::code.eq_any(chunk))
            .select((officials::code, officials::id))
            .load(conn)?;
        ids.extend(rows);
    }
    Ok(ids)
}

/// The stored officials that hold these personal identification numbers: their codes, by
/// number.
pub fn national_id_holders(conn: &mut DbConn, numbers: &[String]) -> Result<HashMap<String, String>, ApiError> {
    let mut holders = HashMap::new();
    for chunk in numbers.chunks(CHUNK) {
        let rows: Vec<(Option<String>, String)> = officials::table
            .filter(officials::national_id.eq_any(chunk))
            .select((officials::national_id, officials::code))
            .load(conn)?;
        holders.extend(rows.into_iter().filter_map(|(number, code)| Some((number?, code))));
    }
    Ok(holders)
}

/// The class with this code, if any.
pub fn class_id(conn: &mut DbConn, code: &str) -> Result<Option<i64>, ApiError> {
    Ok(classes::table
        .filter(classes::code.eq(code))
        .select(classes::id)
        .first(conn)
        .optional()?)
}

/// The enrollment of an official in a class, if any.
pub fn enrollment_id(conn: &mut DbConn, class_id: i64, official_id: i64) -> Result<Option<i64>, ApiError> {
    Ok(enrollments::table
        .filter(enrollments::class_id.eq(class_id))
        .filter(enrollments::official_id.eq(official_id))
        .select(enrollments::id)
        .first(conn)
        .optional()?)
}

/// An official's record of a level in a dimension awarded on a day, if any.
pub fn qualification_id(
    conn: &mut DbConn,
    official_id: i64,
    dimension: Dimension,
    level: &str,
    awarded_on: NaiveDate,
) -> Result<Option<i64>, ApiError> {
    Ok(qualifications::table
        .filter(qualifications::official_id.eq(official_id))
        .filter(qualifications::dimension.eq(dimension))
        .filter(qualifications::level.eq(level))
        .filter(qualifications::awarded_on.eq(awarded_on))
        .select(qualifications::id)
        .first(conn)
        .optional()?)
}

/// The course with this code, if any.
pub fn course_id(conn: &mut DbConn, code: &str) -> Result<Option<i64>, ApiError> {
    Ok(courses::table
        .filter(courses::code.eq(code))
        .select(courses::id)
        .first(conn)
        .optional()?)
}

/// The plan of a unit for a year, if any.
pub fn plan_id(conn: &mut DbConn, unit_id: i64, year: i32) -> Result<Option<i64>, ApiError> {
    Ok(plans::table
        .filter(plans::unit_id.eq(unit_id))
        .filter(plans::year.eq(year))
        .select(plans::id)
        .first(conn)
        .optional()?)
}

/// The need an official has in `year`, in any plan, for a level (a dimension's `level`), or
/// else for the item `item_id` (an item that names no level).
pub fn need_id(
    conn: &mut DbConn,
    official_id: i64,
    year: i32,
    level: Option<(Dimension, &str)>,
    item_id: Option<i64>,
) -> Result<Option<i64>, ApiError> {
    let query = plan_needs::table
        .filter(plan_needs::official_id.eq(official_id))
        .filter(plan_needs::year.eq(year))
        .select(plan_needs::id);
    Ok(match (level, item_id) {
        (Some((dimension, level)), _) => query
            .filter(plan_needs::dimension.eq(dimension))
            .filter(plan_needs::level.eq(level))
            .first(conn)
            .optional()?,
        (None, Some(item_id)) => query.filter(plan_needs::item_id.eq(item_id)).first(conn).optional()?,
        (None, None) => None,
    })
}
