//! Complete rows for multi-row inserts, one struct a table: every column given (none left
//! to a default), so that SQLite too takes many rows a statement, and a column renamed or
//! retyped in `schema.rs` fails to compile here. The synthetic generator writes them, and
//! an import writes its new officials with them; ids are given, taken beforehand
//! ([`crate::db::reserve_ids`] where other writers may be inserting).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::official::Official;
use super::qualification::Qualification;
use super::UtcTime;
use crate::db::schema::{assignments, classes, enrollments, official_ranks, officials, qualifications};
use crate::domain::{
    Category, CivilServiceRank, ClassStatus, Dimension, EducationLevel, EndReason, EnrollmentResult, EnrollmentStatus,
    Ethnicity, ForeignLanguageLevel, Funding, Gender, ItLevel, OfficialStatus, PoliticalTheoryLevel,
    QualificationSource, Religion, StateManagementLevel, StudyMode, TrainingLocation,
};
use crate::error::ApiError;

#[derive(Insertable)]
#[diesel(table_name = officials, treat_none_as_default_value = false)]
pub struct OfficialRow {
    pub id: i64,
    pub code: String,
    pub full_name: String,
    pub search_name: String,
    pub given_name_key: String,
    pub gender: Gender,
    pub date_of_birth: Option<NaiveDate>,
    pub unit_id: i64,
    pub position_id: Option<i64>,
    pub category: Category,
    pub party_joined_on: Option<NaiveDate>,
    pub status: OfficialStatus,
    pub separated_on: Option<NaiveDate>,
    pub education: &'static str,
    pub political_theory: &'static str,
    pub state_management: &'static str,
    pub it: &'static str,
    pub foreign_language: &'static str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
    pub national_id: Option<String>,
    pub ethnicity: Option<Ethnicity>,
    pub religion: Option<Religion>,
    pub rank: Option<CivilServiceRank>,
    pub general_education: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = official_ranks, treat_none_as_default_value = false)]
pub struct RankRow {
    pub id: i64,
    pub official_id: i64,
    pub rank: CivilServiceRank,
    pub since: NaiveDate,
    pub created_at: NaiveDateTime,
    pub version: i32,
}

impl RankRow {
    /// The record this row stores, as the API shows it.
    pub fn stored(&self) -> super::rank::RankRecord {
        super::rank::RankRecord {
            id: self.id,
            official_id: self.official_id,
            rank: self.rank,
            since: self.since,
            created_at: UtcTime(self.created_at),
            version: self.version,
        }
    }
}

#[derive(Insertable)]
#[diesel(table_name = assignments, treat_none_as_default_value = false)]
pub struct AssignmentRow {
    pub id: i64,
    pub official_id: i64,
    pub unit_id: i64,
    pub position_id: Option<i64>,
    pub category: Category,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<EndReason>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = qualifications, treat_none_as_default_value = false)]
pub struct QualificationRow {
    pub id: i64,
    pub official_id: i64,
    pub dimension: Dimension,
    pub level: &'static str,
    pub field: Option<String>,
    pub institution: Option<String>,
    pub awarded_on: NaiveDate,
    pub certificate_no: Option<String>,
    pub source: QualificationSource,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
    pub enrollment_id: Option<i64>,
    pub level_order: i32,
    pub level_rank: i32,
}

#[derive(Insertable)]
#[diesel(table_name = classes, treat_none_as_default_value = false)]
pub struct ClassRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub search_name: String,
    pub course_id: i64,
    pub organizer_unit_id: i64,
    pub provider: Option<String>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub capacity: Option<i32>,
    pub external_learners: i32,
    pub status: ClassStatus,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
    pub location: TrainingLocation,
    pub study_mode: StudyMode,
    pub funding: Funding,
    pub cost_vnd: i64,
    pub learner_cost_vnd: i64,
}

#[derive(Insertable)]
#[diesel(table_name = enrollments, treat_none_as_default_value = false)]
pub struct EnrollmentRow {
    pub id: i64,
    pub class_id: i64,
    pub official_id: i64,
    pub sending_unit_id: i64,
    pub status: EnrollmentStatus,
    pub result: Option<EnrollmentResult>,
    pub score: Option<f64>,
    pub certificate_no: Option<String>,
    pub completed_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
    pub starts_on: NaiveDate,
    pub location: TrainingLocation,
    pub study_mode: StudyMode,
    pub funding: Funding,
    pub cost_vnd: i64,
    pub course_id: i64,
    pub official_gender: Gender,
    pub official_position_id: Option<i64>,
}

impl OfficialRow {
    /// The official this row stores, as the API shows them (what the audit log keeps of a
    /// multi-row insert, without reading the rows back).
    pub fn stored(&self) -> Result<Official, ApiError> {
        fn level<T>(parse: fn(&str) -> Option<T>, code: &str) -> Result<T, ApiError> {
            parse(code).ok_or_else(|| ApiError::internal(format!("{code} is not a level")))
        }
        Ok(Official {
            id: self.id,
            code: self.code.clone(),
            full_name: self.full_name.clone(),
            search_name: self.search_name.clone(),
            given_name_key: self.given_name_key.clone(),
            gender: self.gender,
            date_of_birth: self.date_of_birth,
            unit_id: self.unit_id,
            position_id: self.position_id,
            category: self.category,
            party_joined_on: self.party_joined_on,
            status: self.status,
            separated_on: self.separated_on,
            education: level(EducationLevel::parse, self.education)?,
            political_theory: level(PoliticalTheoryLevel::parse, self.political_theory)?,
            state_management: level(StateManagementLevel::parse, self.state_management)?,
            it: level(ItLevel::parse, self.it)?,
            foreign_language: level(ForeignLanguageLevel::parse, self.foreign_language)?,
            created_at: UtcTime(self.created_at),
            updated_at: UtcTime(self.updated_at),
            version: self.version,
            national_id: self.national_id.clone(),
            ethnicity: self.ethnicity,
            religion: self.religion,
            rank: self.rank,
            general_education: self.general_education.clone(),
        })
    }
}

impl QualificationRow {
    /// The record this row stores, as the API shows it.
    pub fn stored(&self) -> Qualification {
        Qualification {
            id: self.id,
            official_id: self.official_id,
            dimension: self.dimension,
            level: self.level.to_owned(),
            field: self.field.clone(),
            institution: self.institution.clone(),
            awarded_on: self.awarded_on,
            certificate_no: self.certificate_no.clone(),
            source: self.source,
            created_at: UtcTime(self.created_at),
            updated_at: UtcTime(self.updated_at),
            version: self.version,
            enrollment_id: self.enrollment_id,
            level_order: self.level_order,
            level_rank: self.level_rank,
        }
    }
}
