//! Qualification records: evidence that an official reached a level in a dimension.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::official::Official;
use super::{deleted_at_version, UtcTime};
use crate::clock::now;
use crate::db::schema::qualifications;
use crate::db::DbConn;
use crate::domain::{Dimension, QualificationSource};
use crate::error::ApiError;

/// A qualification: a level reached in one dimension, and the evidence for it.
#[derive(Debug, Clone, Queryable, Serialize, ToSchema)]
pub struct Qualification {
    /// The record's id.
    pub id: i64,
    /// The official it belongs to.
    pub official_id: i64,
    /// The dimension.
    pub dimension: Dimension,
    /// The level reached: one of the dimension's levels (see `GET /enums`).
    #[schema(value_type = crate::domain::Level)]
    pub level: String,
    /// Field of study (major).
    pub field: Option<String>,
    /// The institution that awarded it.
    pub institution: Option<String>,
    /// When it was awarded; reports count it from that day.
    pub awarded_on: NaiveDate,
    /// Certificate or diploma number.
    pub certificate_no: Option<String>,
    /// Where the record came from.
    pub source: QualificationSource,
    /// When the record was created (UTC).
    pub created_at: UtcTime,
    /// When the record last changed (UTC).
    pub updated_at: UtcTime,
    /// Version for optimistic concurrency.
    pub version: i32,
    /// The enrollment whose completion created it, when `source` is `enrollment`.
    pub enrollment_id: Option<i64>,
    #[serde(skip)]
    pub level_order: i32,
    #[serde(skip)]
    pub level_rank: i32,
}

/// The fields of a new qualification record: what its creator gives, and what follows from it.
#[derive(Debug, Insertable)]
#[diesel(table_name = qualifications)]
pub struct NewQualification {
    #[diesel(embed)]
    pub input: QualificationInput,
    pub source: QualificationSource,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub level_order: i32,
    pub level_rank: i32,
}

impl Qualification {
    /// Records a qualification and raises the official's current level in the same transaction.
    pub fn create(conn: &mut DbConn, new: &NewQualification) -> Result<Qualification, ApiError> {
        let created: Qualification = diesel::insert_into(qualifications::table)
            .values(new)
            .returning(qualifications::all_columns)
            .get_result(conn)?;
        Official::refresh_level(conn, new.input.official_id, new.input.dimension)?;
        Ok(created)
    }

    /// The official's record with this id.
    pub fn find(conn: &mut DbConn, official_id: i64, id: i64) -> Result<Qualification, ApiError> {
        qualifications::table
            .find(id)
            .filter(qualifications::official_id.eq(official_id))
            .first(conn)
            .optional()?
            .ok_or_else(|| ApiError::NotFound(format!("official {official_id} has no qualification {id}")))
    }

    /// The record an enrollment's completion created, if any.
    pub fn of_enrollment(conn: &mut DbConn, enrollment_id: i64) -> Result<Option<Qualification>, ApiError> {
        Ok(qualifications::table
            .filter(qualifications::enrollment_id.eq(enrollment_id))
            .first(conn)
            .optional()?)
    }

    /// Restates when, and under which certificate, a conferred record was awarded.
    /// (The caller keeps the record as it was, for the audit log.)
    pub fn restate(
        conn: &mut DbConn,
        record: &Qualification,
        awarded_on: NaiveDate,
        certificate_no: Option<String>,
    ) -> Result<(), ApiError> {
        diesel::update(qualifications::table.find(record.id))
            .set((
                qualifications::awarded_on.eq(awarded_on),
                qualifications::certificate_no.eq(certificate_no),
                qualifications::updated_at.eq(now()),
                qualifications::version.eq(qualifications::version + 1),
            ))
            .execute(conn)?;
        Ok(())
    }

    /// Deletes a record still at version `expected` and recomputes the official's level in
    /// its dimension.
    pub fn delete(conn: &mut DbConn, record: &Qualification, expected: i32) -> Result<(), ApiError> {
        let deleted = diesel::delete(
            qualifications::table
                .find(record.id)
                .filter(qualifications::version.eq(expected)),
        )
        .execute(conn)?;
        deleted_at_version(deleted, "qualification", record.id, expected)?;
        Official::refresh_level(conn, record.official_id, record.dimension)
    }

    /// An official's records, optionally of one dimension, newest award first.
    pub fn list(
        conn: &mut DbConn,
        official_id: i64,
        dimension: Option<Dimension>,
    ) -> Result<Vec<Qualification>, ApiError> {
        let mut query = qualifications::table
            .filter(qualifications::official_id.eq(official_id))
            .into_boxed();
        if let Some(dimension) = dimension {
            query = query.filter(qualifications::dimension.eq(dimension));
        }
        Ok(query
            .order_by((qualifications::awarded_on.desc(), qualifications::id.desc()))
            .load(conn)?)
    }
}

/// What a new qualification record says, as its creator gives it.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = qualifications)]
pub struct QualificationInput {
    pub official_id: i64,
    pub dimension: Dimension,
    pub level: String,
    pub field: Option<String>,
    pub institution: Option<String>,
    pub awarded_on: NaiveDate,
    pub certificate_no: Option<String>,
    pub enrollment_id: Option<i64>,
}

impl NewQualification {
    /// The same record, marked as brought in by a spreadsheet import.
    pub fn imported(mut self) -> Self {
        self.source = QualificationSource::Import;
        self
    }

    /// An insert form with the level's order and rank filled in; `level` must belong to `dimension`.
    pub fn new(input: QualificationInput) -> Result<Self, ApiError> {
        let (dimension, level) = (input.dimension, input.level.as_str());
        let (Some(order), Some(rank)) = (dimension.order_of(level), dimension.rank_of(level)) else {
            return Err(ApiError::field(
                "level",
                format!("{level} is not a level of {dimension}"),
            ));
        };
        let at = now();
        Ok(NewQualification {
            source: if input.enrollment_id.is_some() {
                QualificationSource::Enrollment
            } else {
                QualificationSource::Manual
            },
            input,
            created_at: at,
            updated_at: at,
            level_order: i32::from(order),
            level_rank: i32::from(rank),
        })
    }
}
