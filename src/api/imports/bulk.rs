//! New officials, many rows a statement. An officials file is mostly people the database does
//! not hold yet (an office's first load, 100,000 rows): through the API's writes each would
//! cost some twenty statements. Instead each such row is checked in memory by the rules of
//! `POST /officials` and of recording a level (the run module's `newcomer`), on the units and
//! positions read once ([`Places`]), and the rows checked are written together: officials,
//! first assignments and level records by multi-row inserts, each official's current levels
//! the highest of their records (as the API's writes leave them), the counters by their
//! triggers, then the audit entries of the records as stored (the rows as the API shows them). A dry run writes none of them.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::clock::now;
use crate::db::schema::{assignments, official_ranks, officials, positions, qualifications, units};
use crate::db::{insert_many, reserve_ids, Audit, DbConn};
use crate::domain::{AuditEntity, CivilServiceRank, Dimension, OfficialStatus};
use crate::error::ApiError;
use crate::model::official::NewOfficial;
use crate::model::position::Position;
use crate::model::qualification::NewQualification;
use crate::model::rows::{AssignmentRow, OfficialRow, QualificationRow, RankRow};
use crate::model::unit::Unit;

/// How many checked rows are kept before they are written (in a real run).
pub const WRITE_EVERY: usize = 5_000;

/// The units and positions a file's rows are placed in, read once, by id.
#[derive(Default)]
pub struct Places {
    units: HashMap<i64, Unit>,
    positions: HashMap<i64, Position>,
}

impl Places {
    /// Every unit and position (thousands, not millions).
    pub fn load(conn: &mut DbConn) -> Result<Self, ApiError> {
        let units: Vec<Unit> = units::table.load(conn)?;
        let positions: Vec<Position> = positions::table.load(conn)?;
        Ok(Places {
            units: units.into_iter().map(|u| (u.id, u)).collect(),
            positions: positions.into_iter().map(|p| (p.id, p)).collect(),
        })
    }

    /// The unit with this id, or the 422 the API gives for a missing one.
    pub fn unit(&self, id: i64) -> Result<Unit, ApiError> {
        self.units
            .get(&id)
            .cloned()
            .ok_or_else(|| ApiError::field("unit_id", format!("no unit has the id {id}")))
    }

    /// The position with this id, or the 422 the API gives for a missing one.
    pub fn position(&self, id: i64) -> Result<Position, ApiError> {
        self.positions
            .get(&id)
            .cloned()
            .ok_or_else(|| ApiError::field("position_id", format!("no position has the id {id}")))
    }
}

/// One checked row: the official, the first day of their post, the level records (their
/// `official_id` is given when written).
pub struct Newcomer {
    /// The official to insert.
    pub official: NewOfficial,
    /// The first day of their first assignment.
    pub started_on: NaiveDate,
    /// Their level records.
    pub records: Vec<NewQualification>,
    /// Their civil-service rank, and from when.
    pub rank: Option<(CivilServiceRank, NaiveDate)>,
}

/// The rows checked and not yet written.
#[derive(Default)]
pub struct Newcomers {
    rows: Vec<Newcomer>,
    codes: HashSet<String>,
}

impl Newcomers {
    /// Whether a row checked and not yet written brings in the official with this code.
    pub fn holds(&self, code: &str) -> bool {
        self.codes.contains(code)
    }

    /// How many rows wait.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Keeps a checked row.
    pub fn add(&mut self, row: Newcomer) {
        self.codes.insert(row.official.input.code.clone());
        self.rows.push(row);
    }

    /// Writes the rows kept, with their audit entries, and adds the new officials' ids to
    /// `ids` (by code).
    pub fn write(
        &mut self,
        conn: &mut DbConn,
        audit: &mut Audit,
        ids: &mut HashMap<String, i64>,
    ) -> Result<(), ApiError> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let rows = std::mem::take(&mut self.rows);
        self.codes.clear();
        let official_ids = reserve_ids(conn, "officials", rows.len())?;
        let assignment_ids = reserve_ids(conn, "assignments", rows.len())?;
        let record_count = rows.iter().map(|row| row.records.len()).sum();
        let mut record_ids = reserve_ids(conn, "qualifications", record_count)?.into_iter();
        let rank_count = rows.iter().filter(|row| row.rank.is_some()).count();
        let mut rank_ids = reserve_ids(conn, "official_ranks", rank_count)?.into_iter();
        let mut ranks = Vec::with_capacity(rank_count);
        let at = now();
        let mut people = Vec::with_capacity(rows.len());
        let mut posts = Vec::with_capacity(rows.len());
        let mut records = Vec::with_capacity(record_count);
        for ((row, id), assignment_id) in rows.into_iter().zip(official_ids.iter().copied()).zip(assignment_ids) {
            let level = |dimension: Dimension| {
                dimension.highest(
                    row.records
                        .iter()
                        .filter(|r| r.input.dimension == dimension)
                        .filter_map(|r| dimension.level_at(r.level_order)),
                )
            };
            let (education, political_theory, state_management, it, foreign_language) = (
                level(Dimension::Education),
                level(Dimension::PoliticalTheory),
                level(Dimension::StateManagement),
                level(Dimension::It),
                level(Dimension::ForeignLanguage),
            );
            let NewOfficial {
                input,
                search_name,
                given_name_key,
                created_at,
                updated_at,
            } = row.official;
            posts.push(AssignmentRow {
                id: assignment_id,
                official_id: id,
                unit_id: input.unit_id,
                position_id: input.position_id,
                category: input.category,
                started_on: row.started_on,
                ended_on: None,
                end_reason: None,
                created_at: at,
                updated_at: at,
            });
            for record in row.records {
                let level = record.input.dimension.level_at(record.level_order).unwrap_or("none");
                records.push(QualificationRow {
                    id: record_ids
                        .next()
                        .ok_or_else(|| ApiError::internal("too few qualification ids"))?,
                    official_id: id,
                    dimension: record.input.dimension,
                    level,
                    field: record.input.field,
                    institution: record.input.institution,
                    awarded_on: record.input.awarded_on,
                    certificate_no: record.input.certificate_no,
                    source: record.source,
                    created_at: record.created_at,
                    updated_at: record.updated_at,
                    version: 1,
                    enrollment_id: None,
                    level_order: record.level_order,
                    level_rank: record.level_rank,
                });
            }
            if let Some((rank, since)) = row.rank {
                ranks.push(RankRow {
                    id: rank_ids.next().ok_or_else(|| ApiError::internal("too few rank ids"))?,
                    official_id: id,
                    rank,
                    since,
                    created_at: at,
                    version: 1,
                });
            }
            ids.insert(input.code.clone(), id);
            people.push(OfficialRow {
                id,
                code: input.code,
                full_name: input.full_name,
                search_name,
                given_name_key,
                gender: input.gender,
                date_of_birth: input.date_of_birth,
                unit_id: input.unit_id,
                position_id: input.position_id,
                category: input.category,
                party_joined_on: input.party_joined_on,
                national_id: input.national_id,
                ethnicity: input.ethnicity,
                religion: input.religion,
                general_education: input.general_education,
                rank: row.rank.map(|(rank, _)| rank),
                status: OfficialStatus::Active,
                separated_on: None,
                education,
                political_theory,
                state_management,
                it,
                foreign_language,
                created_at,
                updated_at,
                version: 1,
            });
        }
        insert_many!(conn, officials, &people);
        insert_many!(conn, assignments, &posts);
        insert_many!(conn, qualifications, &records);
        insert_many!(conn, official_ranks, &ranks);
        // Each record's entry holds it as stored, as a GET shows it; the rows of an official
        // are in `records` in the order of `people`.
        let mut records = records.iter().peekable();
        let mut ranks = ranks.iter().peekable();
        for person in &people {
            audit.created(AuditEntity::Official, person.id, &person.stored()?)?;
            while let Some(record) = records.next_if(|r| r.official_id == person.id) {
                audit.created(AuditEntity::Qualification, record.id, &record.stored())?;
            }
            if let Some(rank) = ranks.next_if(|r| r.official_id == person.id) {
                audit.created(AuditEntity::Rank, rank.id, &rank.stored())?;
            }
        }
        audit.flush(conn)?;
        Ok(())
    }
}
