//! Officials and their assignment history. The current unit and position are those
//! of the open assignment; the current levels are the maximum of the qualifications.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::keyset::{Beyond, Key, KeyKind, Listed, Order, Window};
use super::search::{walk_bound, InOrder, Kind, Scope, Search, RANKS};
use super::{order_by_sort, Sort, UtcTime};
use crate::clock::now;
use crate::db::schema::{assignments, enrollments, officials, qualifications, units};
use crate::db::{lock_row, DbConn, Table};
use crate::domain::{
    fold, given_name_key, Category, CivilServiceRank, Dimension, EducationLevel, EndReason, Ethnicity,
    ForeignLanguageLevel, Gender, ItLevel, OfficialStatus, PoliticalTheoryLevel, Religion, StateManagementLevel,
};
use crate::error::{ApiError, ConflictKind};

/// A person: cadre, civil servant or public employee.
#[derive(Debug, Clone, Queryable, Serialize, ToSchema)]
pub struct Official {
    /// The official's id.
    pub id: i64,
    /// Staff number, unique.
    pub code: String,
    /// Full name, e.g. "Lê Minh Công".
    pub full_name: String,
    #[serde(skip)]
    pub search_name: String,
    /// Gender.
    pub gender: Gender,
    /// Date of birth.
    pub date_of_birth: Option<NaiveDate>,
    /// Current unit: that of the open assignment (the last one after a separation).
    pub unit_id: i64,
    /// Current position: that of the open assignment.
    pub position_id: Option<i64>,
    /// Current category.
    pub category: Category,
    /// When the official joined the Party. Sensitive: left out where the caller may not see it
    /// (auditors; lists and files unless asked).
    pub party_joined_on: Option<NaiveDate>,
    /// Employment status; changed by `POST /officials/{id}/separation`.
    pub status: OfficialStatus,
    /// When the official separated (retired, left…), if they did.
    pub separated_on: Option<NaiveDate>,
    /// Current education level: the highest of their qualification records (read-only).
    pub education: EducationLevel,
    /// Current political theory level (read-only).
    pub political_theory: PoliticalTheoryLevel,
    /// Current state management level (read-only).
    pub state_management: StateManagementLevel,
    /// Current IT level (read-only).
    pub it: ItLevel,
    /// Current foreign language level (read-only).
    pub foreign_language: ForeignLanguageLevel,
    /// When the record was created (UTC).
    pub created_at: UtcTime,
    /// When the record last changed (UTC).
    pub updated_at: UtcTime,
    /// Version for optimistic concurrency: send it back in `If-Match`.
    pub version: i32,
    /// Personal identification number (12 digits), unique; masked (`••••••••1234`) where the
    /// caller may not see it in full (auditors; lists and files unless asked).
    pub national_id: Option<String>,
    /// Ethnic group (`GET /enums`: `ethnicity`). Sensitive: left out where the caller may not
    /// see it (auditors; lists and files unless asked).
    pub ethnicity: Option<Ethnicity>,
    /// Religion (`GET /enums`: `religion`; `00` none); null when unknown. Sensitive: left out
    /// where the caller may not see it (auditors; lists and files unless asked).
    pub religion: Option<Religion>,
    /// Current civil-service rank: that of the latest record of `/officials/{id}/ranks` (read-only).
    pub rank: Option<CivilServiceRank>,
    /// General education: the last grade completed over the system's grades (`12/12`).
    pub general_education: Option<String>,
    /// The name as Vietnamese lists order it ([`given_name_key`]), for `sort=given_name`.
    #[serde(skip)]
    pub given_name_key: String,
}

/// The fields of a new official: what their creator gives, and what follows from it.
#[derive(Debug, Insertable)]
#[diesel(table_name = officials)]
pub struct NewOfficial {
    #[diesel(embed)]
    pub input: OfficialInput,
    pub search_name: String,
    pub given_name_key: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The fields a write may change on an official: a PATCH's, a move's (unit, position,
/// category) or a separation's (status, day).
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = officials)]
pub struct OfficialChanges {
    pub code: Option<String>,
    pub full_name: Option<String>,
    pub search_name: Option<String>,
    pub given_name_key: Option<String>,
    pub gender: Option<Gender>,
    pub date_of_birth: Option<Option<NaiveDate>>,
    pub unit_id: Option<i64>,
    pub position_id: Option<Option<i64>>,
    pub category: Option<Category>,
    pub party_joined_on: Option<Option<NaiveDate>>,
    pub status: Option<OfficialStatus>,
    pub separated_on: Option<Option<NaiveDate>>,
    pub national_id: Option<Option<String>>,
    pub ethnicity: Option<Option<Ethnicity>>,
    pub religion: Option<Option<Religion>>,
    pub general_education: Option<Option<String>>,
}

/// One period in which an official held a position in a unit.
#[derive(Debug, Clone, Queryable, Serialize, ToSchema)]
pub struct Assignment {
    /// The assignment's id.
    pub id: i64,
    /// The official.
    pub official_id: i64,
    /// The unit they worked in.
    pub unit_id: i64,
    /// The position they held.
    pub position_id: Option<i64>,
    /// Their category in this post.
    pub category: Category,
    /// First day of the assignment.
    pub started_on: NaiveDate,
    /// The day it ended (the next assignment starts that day); open when null.
    pub ended_on: Option<NaiveDate>,
    /// Why it ended.
    pub end_reason: Option<EndReason>,
    /// When the record was created (UTC).
    pub created_at: UtcTime,
    /// When the record last changed (UTC).
    pub updated_at: UtcTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = assignments)]
struct NewAssignment {
    official_id: i64,
    unit_id: i64,
    position_id: Option<i64>,
    category: Category,
    started_on: NaiveDate,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// Where an official goes, and from when.
#[derive(Debug, Clone, Copy)]
pub struct Move {
    pub unit_id: i64,
    pub position_id: Option<i64>,
    pub category: Category,
    pub effective_on: NaiveDate,
}

super::sort_columns!(
    /// The columns `GET /officials` can be sorted by (the first is the default): `given_name`
    /// as Vietnamese lists order people (given name, middle names, family name; the
    /// Vietnamese alphabet, tones after letters), `full_name` as written (family name first).
    OfficialSort { GivenName = "given_name", Id = "id", Code = "code", FullName = "full_name", DateOfBirth = "date_of_birth" }
);

/// Filters of `GET /officials`.
#[derive(Debug, Default)]
pub struct OfficialFilter {
    pub q: Option<Search>,
    /// Whether `q` may find people by their national ID (callers who may read it).
    pub national_ids: bool,
    pub within: Option<super::unit::Subtree>,
    pub category: Option<Category>,
    pub status: Option<OfficialStatus>,
    pub position_id: Option<i64>,
    pub gender: Option<Gender>,
}

// Every write about one official (its fields, moves, qualifications, enrollments) starts
// with `Official::lock`, so that such writes run one after the other.
super::record_reads!(Official, officials, "official", Table::Officials);
// Every write of an official runs `write` (the version-guarded UPDATE) before anything else,
// so that a stale version is a 412 whatever else is wrong; a refusal after it rolls it back.
super::record_writes!(Official, officials, "official", NewOfficial, OfficialChanges);

impl Official {
    /// Whether the personal field `field` (by its API name) holds a value.
    pub fn holds(&self, field: &str) -> bool {
        match field {
            "full_name" | "gender" => true,
            "date_of_birth" => self.date_of_birth.is_some(),
            "national_id" => self.national_id.is_some(),
            "ethnicity" => self.ethnicity.is_some(),
            "religion" => self.religion.is_some(),
            "party_joined_on" => self.party_joined_on.is_some(),
            _ => false,
        }
    }

    /// Clears the sensitive field `field` (by its API name), or masks it when it is the
    /// national ID: what a reader who may not see it gets.
    pub fn withhold(&mut self, field: &str) {
        match field {
            "national_id" => {
                self.national_id = self
                    .national_id
                    .as_deref()
                    .map(crate::domain::personal::mask_national_id);
            }
            "ethnicity" => self.ethnicity = None,
            "religion" => self.religion = None,
            "party_joined_on" => self.party_joined_on = None,
            _ => {}
        }
    }

    /// The official's current level in `dimension`.
    pub fn level(&self, dimension: Dimension) -> &'static str {
        match dimension {
            Dimension::Education => self.education.code(),
            Dimension::PoliticalTheory => self.political_theory.code(),
            Dimension::StateManagement => self.state_management.code(),
            Dimension::It => self.it.code(),
            Dimension::ForeignLanguage => self.foreign_language.code(),
        }
    }

    /// Inserts an official and opens their first assignment, starting `started_on`.
    pub fn create(conn: &mut DbConn, new: &NewOfficial, started_on: NaiveDate) -> Result<Official, ApiError> {
        let official = Official::insert(conn, new)?;
        open_assignment(
            conn,
            official.id,
            new.input.unit_id,
            new.input.position_id,
            new.input.category,
            started_on,
        )?;
        Ok(official)
    }

    /// Applies a PATCH if the official is still at version `expected`; a changed unit,
    /// position or category corrects the open assignment in place.
    pub fn update(
        conn: &mut DbConn,
        current: &Official,
        changes: &OfficialChanges,
        expected: i32,
    ) -> Result<Official, ApiError> {
        let updated = Official::write(conn, current.id, changes, expected)?;
        if changes.unit_id.is_some() || changes.position_id.is_some() || changes.category.is_some() {
            if let Some(open) = Official::open_assignment(conn, current.id)? {
                diesel::update(assignments::table.find(open.id))
                    .set((
                        assignments::unit_id.eq(changes.unit_id.unwrap_or(open.unit_id)),
                        assignments::position_id.eq(changes.position_id.unwrap_or(open.position_id)),
                        assignments::category.eq(changes.category.unwrap_or(open.category)),
                        assignments::updated_at.eq(now()),
                    ))
                    .execute(conn)?;
            }
        }
        Ok(updated)
    }

    /// Deletes an official at version `expected` with their assignment history; one with
    /// qualification records or enrollments is a 409.
    pub fn delete(conn: &mut DbConn, id: i64, expected: i32) -> Result<(), ApiError> {
        let records: i64 = qualifications::table
            .filter(qualifications::official_id.eq(id))
            .count()
            .get_result(conn)?;
        if records > 0 {
            return Err(ApiError::Conflict(
                ConflictKind::StillReferenced,
                format!("official {id} has {records} qualification records: delete them first"),
            ));
        }
        let sent: i64 = enrollments::table
            .filter(enrollments::official_id.eq(id))
            .count()
            .get_result(conn)?;
        if sent > 0 {
            return Err(ApiError::Conflict(
                ConflictKind::StillReferenced,
                format!("official {id} has {sent} enrollments: delete them first"),
            ));
        }
        diesel::delete(assignments::table.filter(assignments::official_id.eq(id))).execute(conn)?;
        super::rank::RankRecord::delete_all(conn, id)?;
        Official::remove(conn, id, expected, "is still referenced")
    }

    /// The open assignment, if the official has one.
    pub fn open_assignment(conn: &mut DbConn, id: i64) -> Result<Option<Assignment>, ApiError> {
        Ok(assignments::table
            .filter(assignments::official_id.eq(id))
            .filter(assignments::ended_on.is_null())
            .order_by(assignments::started_on.desc())
            .first(conn)
            .optional()?)
    }

    /// Every assignment, oldest first.
    pub fn assignments(conn: &mut DbConn, id: i64) -> Result<Vec<Assignment>, ApiError> {
        Ok(assignments::table
            .filter(assignments::official_id.eq(id))
            .order_by((assignments::started_on.asc(), assignments::id.asc()))
            .load(conn)?)
    }

    /// A 409 `not_active` unless the official is active, saying why (`refused`).
    fn require_active(&self, refused: &str) -> Result<(), ApiError> {
        if self.status == OfficialStatus::Active {
            return Ok(());
        }
        Err(ApiError::Conflict(
            ConflictKind::NotActive,
            format!("official {} is {}: {refused}", self.id, self.status),
        ))
    }

    /// Closes the open assignment on `to.effective_on` and opens the next one that day
    /// (the official must still be at version `expected`).
    pub fn transfer(conn: &mut DbConn, current: &Official, to: Move, expected: i32) -> Result<Official, ApiError> {
        let moved = OfficialChanges {
            unit_id: Some(to.unit_id),
            position_id: Some(to.position_id),
            category: Some(to.category),
            ..Default::default()
        };
        let updated = Official::write(conn, current.id, &moved, expected)?;
        current.require_active("only an active official can be transferred")?;
        close_open_assignment(conn, current.id, to.effective_on, EndReason::Transfer, true)?;
        open_assignment(
            conn,
            current.id,
            to.unit_id,
            to.position_id,
            to.category,
            to.effective_on,
        )?;
        Ok(updated)
    }

    /// Records that the official (still at version `expected`) left service on
    /// `effective_on`, closing the open assignment.
    pub fn separate(
        conn: &mut DbConn,
        current: &Official,
        status: OfficialStatus,
        effective_on: NaiveDate,
        expected: i32,
    ) -> Result<Official, ApiError> {
        let reason = match status {
            OfficialStatus::Retired => EndReason::Retired,
            OfficialStatus::TransferredOut => EndReason::TransferredOut,
            OfficialStatus::Deceased => EndReason::Deceased,
            OfficialStatus::Dismissed => EndReason::Dismissed,
            OfficialStatus::Active => {
                return Err(ApiError::field(
                    "status",
                    "must be a separation: retired, transferred_out, deceased or dismissed",
                ))
            }
        };
        let separated = OfficialChanges {
            status: Some(status),
            separated_on: Some(Some(effective_on)),
            ..Default::default()
        };
        let updated = Official::write(conn, current.id, &separated, expected)?;
        current.require_active("separation applies to active officials")?;
        close_open_assignment(conn, current.id, effective_on, reason, false)?;
        Ok(updated)
    }

    /// Sets the official's current level in `dimension` to the highest of their records,
    /// under the lock of the official's row: two writers adding records at once each see
    /// the other's, so the kept level is the maximum of all of them.
    pub fn refresh_level(conn: &mut DbConn, id: i64, dimension: Dimension) -> Result<(), ApiError> {
        lock_row(conn, Table::Officials, id)?;
        let levels: Vec<String> = qualifications::table
            .filter(qualifications::official_id.eq(id))
            .filter(qualifications::dimension.eq(dimension))
            .select(qualifications::level)
            .load(conn)?;
        let highest = dimension.highest(levels.iter().map(String::as_str)).to_owned();
        let target = officials::table.find(id);
        let touched = (
            officials::updated_at.eq(now()),
            officials::version.eq(officials::version + 1),
        );
        match dimension {
            Dimension::Education => diesel::update(target)
                .set((officials::education.eq(highest), touched))
                .execute(conn)?,
            Dimension::PoliticalTheory => diesel::update(target)
                .set((officials::political_theory.eq(highest), touched))
                .execute(conn)?,
            Dimension::StateManagement => diesel::update(target)
                .set((officials::state_management.eq(highest), touched))
                .execute(conn)?,
            Dimension::It => diesel::update(target)
                .set((officials::it.eq(highest), touched))
                .execute(conn)?,
            Dimension::ForeignLanguage => diesel::update(target)
                .set((officials::foreign_language.eq(highest), touched))
                .execute(conn)?,
        };
        Ok(())
    }

    /// A page of officials (and the total matching, unless not counted): from a cursor's
    /// place in the order, or an offset.
    pub fn list(
        conn: &mut DbConn,
        filter: &OfficialFilter,
        sort: Option<Sort<OfficialSort>>,
        window: &Window,
    ) -> Result<Listed<Official>, ApiError> {
        let kinds: &[Kind] = if filter.national_ids {
            &[Kind::Official, Kind::NationalId]
        } else {
            &[Kind::Official]
        };
        let build = |words: Words| {
            let mut query = officials::table.into_boxed();
            if let Some(search) = &filter.q {
                let conditions = match words {
                    Words::Gathered => search.holders("officials.id", kinds, filter.within.as_ref()),
                    Words::Probed => search.probes("officials.id", kinds),
                    Words::Implied => Vec::new(),
                };
                for condition in conditions {
                    query = query.filter(condition);
                }
            }
            if let Some(subtree) = &filter.within {
                query = query.filter(officials::unit_id.eq_any(subtree.unit_ids()));
            }
            if let Some(category) = filter.category {
                query = query.filter(officials::category.eq(category));
            }
            if let Some(status) = filter.status {
                query = query.filter(officials::status.eq(status));
            }
            if let Some(position) = filter.position_id {
                query = query.filter(officials::position_id.eq(position));
            }
            if let Some(gender) = filter.gender {
                query = query.filter(officials::gender.eq(gender));
            }
            query
        };
        // A search filtered by nothing else is counted in the index of words alone.
        let words_only = filter.category.is_none()
            && filter.status.is_none()
            && filter.position_id.is_none()
            && filter.gender.is_none();
        let total = window.total(|| match &filter.q {
            Some(search) if words_only => search.count(conn, kinds, filter.within.as_ref()),
            _ => build(Words::Gathered).count().get_result(conn),
        })?;
        // Ranked when searching in no chosen order.
        let search = filter.q.as_ref().filter(|_| sort.is_none());
        let sort = sort.unwrap_or_default();
        let column = match sort.column {
            OfficialSort::GivenName => Some(("officials.given_name_key", KeyKind::Text)),
            OfficialSort::Id => None,
            OfficialSort::Code => Some(("officials.code", KeyKind::Text)),
            OfficialSort::FullName => Some(("officials.search_name", KeyKind::Text)),
            OfficialSort::DateOfBirth => Some(("officials.date_of_birth", KeyKind::NullableDate)),
        };
        let order = Order::new(
            search.map(|s| s.rank("officials", "search_name")),
            sort,
            column,
            "officials.id",
        );
        // From the start or a cursor, in an order an index gives, words common enough are
        // walked rather than gathered: across every unit in any such order; within a root's
        // subtree or a region, in given-name order, from the index of everyone's words or of
        // the region's. Deeper subtrees are gathered: one index range per unit.
        let scope = match &filter.within {
            None => Some(Scope::Everywhere),
            Some(_) if sort.column != OfficialSort::GivenName => None,
            Some(subtree) if subtree.depth() == 1 => Some(Scope::Everywhere),
            Some(subtree) => subtree.region().map(Scope::Region),
        };
        let mut bound = 0;
        let walk = match (&filter.q, scope) {
            (Some(q), Some(scope)) if window.offset == 0 && sort.column != OfficialSort::DateOfBirth => {
                let records = match &filter.within {
                    None => officials::table
                        .select(diesel::dsl::max(officials::id))
                        .first::<Option<i64>>(conn)?
                        .unwrap_or(0),
                    Some(subtree) => officials_within(conn, subtree)?,
                };
                bound = walk_bound(window.rows(), records);
                q.common(conn, kinds, scope, bound)?
            }
            _ => false,
        };
        let walked = match (walk, &filter.q, scope) {
            (true, Some(q), Some(scope)) => {
                let merged = if sort.column == OfficialSort::GivenName {
                    merged(
                        conn,
                        &build,
                        q,
                        kinds,
                        scope,
                        search.is_some(),
                        &order,
                        sort,
                        window,
                        bound,
                    )?
                } else {
                    Merged::Unread
                };
                match merged {
                    Merged::Page(rows) => Some(rows),
                    // The records holding every word were too sparse for the bound: a walk of
                    // the list, which passes them and the records between, would be too.
                    Merged::Sparse => None,
                    Merged::Unread if filter.within.is_none() => {
                        walked(conn, &build, search, &order, sort, window, bound)?
                    }
                    Merged::Unread => None,
                }
            }
            _ => None,
        };
        let rows: Vec<Official> = match walked {
            Some(rows) => rows,
            None => sorted(order.apply(build(Words::Gathered), window)?, sort)
                .limit(window.rows())
                .offset(window.offset)
                .load(conn)?,
        };
        Ok(order.page(window, rows, total, |o: &Official| {
            let mut keys: Vec<Key> = search
                .map(|s| s.rank_of(&o.search_name, &o.code).into())
                .into_iter()
                .collect();
            match sort.column {
                OfficialSort::GivenName => keys.push(o.given_name_key.as_str().into()),
                OfficialSort::Id => {}
                OfficialSort::Code => keys.push(o.code.as_str().into()),
                OfficialSort::FullName => keys.push(o.search_name.as_str().into()),
                OfficialSort::DateOfBirth => keys.push(o.date_of_birth.into()),
            }
            keys.push(o.id.into());
            keys
        }))
    }
}

/// About how many officials `subtree` holds, without reading them: the highest official id
/// in the share of the units that lie in the subtree (three looks into indexes; the kept
/// counts of its officials would read every unit's rows).
fn officials_within(conn: &mut DbConn, subtree: &super::unit::Subtree) -> QueryResult<i64> {
    let officials: Option<i64> = officials::table.select(diesel::dsl::max(officials::id)).first(conn)?;
    let units_within: i64 = units::table.filter(subtree.paths()).count().get_result(conn)?;
    let units: Option<i64> = units::table.select(diesel::dsl::max(units::id)).first(conn)?;
    Ok(officials.unwrap_or(0).saturating_mul(units_within) / units.unwrap_or(1).max(1))
}

/// How a query of officials holds the search's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Words {
    /// The matches gathered from the index of words first ([`Search::holders`]).
    Gathered,
    /// Each record's words looked up as the list is read in its order ([`Search::probes`]).
    Probed,
    /// Not at all: the query's own condition implies them (the exact name or code).
    Implied,
}

/// A part of a page of a search: its rank (none when not ranked), and the condition "after
/// the cursor's place" when the cursor lies in it.
type Tier = (Option<i64>, Option<Beyond>);

/// `query` limited to the search's rank `rank` (none: every match): rank 0 by the exact name
/// or code, which their indexes read; the others by the rank's expression.
fn in_rank<'a>(query: OfficialsQuery<'a>, search: Option<&Search>, rank: Option<i64>) -> OfficialsQuery<'a> {
    match (search, rank) {
        (Some(search), Some(0)) => query.filter(search.exact("officials", "search_name")),
        (Some(search), Some(rank)) => {
            let rank = i32::try_from(rank).unwrap_or(i32::MAX);
            query.filter(search.rank("officials", "search_name").eq(rank))
        }
        _ => query,
    }
}

/// The parts a page of a search is read in: each rank from the cursor's (or the first) when
/// `ranked`, else the one list, each with the condition "after the cursor's place" where the
/// cursor lies in it.
fn tiers(ranked: bool, order: &Order, window: &Window) -> Result<Vec<Tier>, ApiError> {
    Ok(if ranked {
        order
            .by_rank(window, RANKS)?
            .into_iter()
            .map(|(rank, after)| (Some(rank), after))
            .collect()
    } else {
        vec![(None, order.after(window)?)]
    })
}

/// A page of a search in given-name order, read from the index of words in that order
/// ([`Search::matches_in_order`]): the records holding every word, in order, each checked
/// for the filters and the rank (and any word too short to be read so), a batch at a time —
/// rank by rank when `ranked` (the exact name or code by their indexes first). At most
/// `bound` records are checked.
#[allow(clippy::too_many_arguments)]
fn merged<'a>(
    conn: &mut DbConn,
    build: &impl Fn(Words) -> OfficialsQuery<'a>,
    search: &Search,
    kinds: &[Kind],
    scope: Scope,
    ranked: bool,
    order: &Order,
    sort: Sort<OfficialSort>,
    window: &Window,
    bound: i64,
) -> Result<Merged, ApiError> {
    // The cursor's place in given-name order: its last two keys.
    let place = window.after.as_ref().and_then(|cursor| match cursor.keys.as_slice() {
        [.., Key::Text(key), Key::Int(id)] => Some((key.clone(), *id)),
        _ => None,
    });
    let mut rows: Vec<Official> = Vec::new();
    // Every record holding the words, in order, once a rank has read them all from the start.
    let mut every_match: Option<Vec<i64>> = None;
    for (rank, after) in tiers(ranked, order, window)? {
        let wanted = window.rows() - i64::try_from(rows.len()).unwrap_or(i64::MAX);
        if wanted <= 0 {
            break;
        }
        let checked = |query: OfficialsQuery<'a>| in_rank(query, Some(search), rank);
        if rank == Some(0) {
            // The exact name or code holds every word: no look-up of each, which would lead
            // SQLite's planner to walk the name index rather than read the two exact ones.
            let mut query = checked(build(Words::Implied));
            if let Some(after) = after {
                query = query.filter(after);
            }
            rows.extend(sorted(query, sort).limit(wanted).load::<Official>(conn)?);
            continue;
        }
        let from = after.and(place.clone());
        // A rank read from the start after a rank read from the start to the end checks the
        // records that one found, rather than joining the words again.
        let mut holders = match (&from, every_match.take()) {
            (None, Some(known)) => Candidates::Known(known.into_iter()),
            _ => match search.matches_in_order(conn, kinds, scope, sort.descending, from.clone())? {
                Some(holders) => Candidates::Joined(holders),
                None => return Ok(Merged::Unread),
            },
        };
        let mut seen = Vec::new();
        let mut examined = 0;
        let mut batch = (wanted * 2).min(1000);
        let mut found = 0;
        loop {
            let mut ids = Vec::new();
            while i64::try_from(ids.len()).unwrap_or(i64::MAX) < batch {
                match holders.next(conn)? {
                    Some(id) => ids.push(id),
                    None => break,
                }
            }
            let exhausted = i64::try_from(ids.len()).unwrap_or(i64::MAX) < batch;
            if from.is_none() {
                seen.extend_from_slice(&ids);
                if exhausted {
                    every_match = Some(seen.clone());
                }
            }
            examined += ids.len();
            let place: std::collections::HashMap<i64, usize> =
                ids.iter().enumerate().map(|(at, id)| (*id, at)).collect();
            let mut matched: Vec<Official> = checked(build(Words::Probed))
                .filter(officials::id.eq_any(&ids))
                .load(conn)?;
            matched.sort_by_key(|official| place.get(&official.id).copied());
            for official in matched {
                if found < wanted {
                    rows.push(official);
                    found += 1;
                }
            }
            if found >= wanted || exhausted {
                break;
            }
            if i64::try_from(examined).unwrap_or(i64::MAX) >= bound {
                return Ok(Merged::Sparse);
            }
            batch = (batch * 2).min(1000);
        }
    }
    Ok(Merged::Page(rows))
}

/// What [`merged`] made of a search.
enum Merged {
    /// The page.
    Page(Vec<Official>),
    /// No page: the bound's records were checked without filling it.
    Sparse,
    /// No page: no word typed could be read in order from the index of words.
    Unread,
}

/// The records a rank of [`merged`] checks, in order.
enum Candidates {
    /// Joined from the index of words.
    Joined(InOrder),
    /// Found by an earlier rank's reading of them all.
    Known(std::vec::IntoIter<i64>),
}

impl Candidates {
    fn next(&mut self, conn: &mut DbConn) -> QueryResult<Option<i64>> {
        match self {
            Candidates::Joined(holders) => holders.next(conn),
            Candidates::Known(ids) => Ok(ids.next()),
        }
    }
}

/// A page of a search walked in the list's order ([`Search::probes`]) — rank by rank when
/// ranked: the exact name or code by their indexes, then each other rank — each walk reading
/// at most `bound` records. `None` when a walk read that many without filling the page: the
/// words, each common, seldom go together, and the page is gathered instead.
fn walked<'a>(
    conn: &mut DbConn,
    build: &impl Fn(Words) -> OfficialsQuery<'a>,
    search: Option<&Search>,
    order: &Order,
    sort: Sort<OfficialSort>,
    window: &Window,
    bound: i64,
) -> Result<Option<Vec<Official>>, ApiError> {
    let mut rows = Vec::new();
    for (rank, after) in tiers(search.is_some(), order, window)? {
        let wanted = window.rows() - i64::try_from(rows.len()).unwrap_or(i64::MAX);
        if wanted <= 0 {
            break;
        }
        let mut query = in_rank(
            build(if rank == Some(0) { Words::Implied } else { Words::Probed }),
            search,
            rank,
        );
        // The `bound`-th record from where the walk begins, the last it may read.
        let last = if rank == Some(0) {
            None
        } else {
            let mut from = officials::table.into_boxed();
            if let Some(after) = &after {
                from = from.filter(after.clone());
            }
            place_of(conn, sorted(from, sort).offset(bound - 1), sort)?
        };
        if let Some(after) = after {
            query = query.filter(after);
        }
        if let Some(last) = &last {
            query = query.filter(diesel::dsl::not(order.after_in_rank(last.clone())?));
        }
        let found: Vec<Official> = sorted(query, sort).limit(wanted).load(conn)?;
        let short = i64::try_from(found.len()).unwrap_or(i64::MAX) < wanted;
        rows.extend(found);
        if short && last.is_some() {
            return Ok(None);
        }
    }
    Ok(Some(rows))
}

/// The place, in `sort`'s columns and the id, of the first record `query` reads; `None`
/// when it reads none. Only those columns are read (from the order's index).
fn place_of(conn: &mut DbConn, query: OfficialsQuery<'_>, sort: Sort<OfficialSort>) -> QueryResult<Option<Vec<Key>>> {
    let query = query.limit(1);
    Ok(match sort.column {
        OfficialSort::GivenName => query
            .select((officials::given_name_key, officials::id))
            .first::<(String, i64)>(conn)
            .optional()?
            .map(|(key, id)| vec![key.as_str().into(), id.into()]),
        OfficialSort::Code => query
            .select((officials::code, officials::id))
            .first::<(String, i64)>(conn)
            .optional()?
            .map(|(key, id)| vec![key.as_str().into(), id.into()]),
        OfficialSort::FullName => query
            .select((officials::search_name, officials::id))
            .first::<(String, i64)>(conn)
            .optional()?
            .map(|(key, id)| vec![key.as_str().into(), id.into()]),
        OfficialSort::DateOfBirth => query
            .select((officials::date_of_birth, officials::id))
            .first::<(Option<NaiveDate>, i64)>(conn)
            .optional()?
            .map(|(key, id)| vec![key.into(), id.into()]),
        OfficialSort::Id => query
            .select(officials::id)
            .first::<i64>(conn)
            .optional()?
            .map(|id| vec![id.into()]),
    })
}

/// `query` in the order of `sort`, then by id.
fn sorted(query: OfficialsQuery<'_>, sort: Sort<OfficialSort>) -> OfficialsQuery<'_> {
    let query = if sort.column == OfficialSort::DateOfBirth {
        // The people without a date last, on both backends (each puts NULLs elsewhere).
        if sort.descending {
            query.then_order_by(officials::date_of_birth.is_null().desc())
        } else {
            query.then_order_by(officials::date_of_birth.is_null().asc())
        }
    } else {
        query
    };
    order_by_sort!(query, sort, officials::id, {
        OfficialSort::GivenName => officials::given_name_key,
        OfficialSort::Id => officials::id,
        OfficialSort::Code => officials::code,
        OfficialSort::FullName => officials::search_name,
        OfficialSort::DateOfBirth => officials::date_of_birth,
    })
}

type OfficialsQuery<'a> = officials::BoxedQuery<'a, <DbConn as Connection>::Backend>;

fn open_assignment(
    conn: &mut DbConn,
    official_id: i64,
    unit_id: i64,
    position_id: Option<i64>,
    category: Category,
    started_on: NaiveDate,
) -> Result<(), ApiError> {
    let at = now();
    diesel::insert_into(assignments::table)
        .values(&NewAssignment {
            official_id,
            unit_id,
            position_id,
            category,
            started_on,
            created_at: at,
            updated_at: at,
        })
        .execute(conn)?;
    Ok(())
}

/// Ends the open assignment on `on`. A transfer must come after the assignment began
/// (the new one starts that day); a separation may fall on its first day.
fn close_open_assignment(
    conn: &mut DbConn,
    official_id: i64,
    on: NaiveDate,
    reason: EndReason,
    strictly_after: bool,
) -> Result<(), ApiError> {
    let open = Official::open_assignment(conn, official_id)?.ok_or_else(|| {
        ApiError::Conflict(
            ConflictKind::NotActive,
            format!("official {official_id} has no open assignment"),
        )
    })?;
    if crate::clock::is_ahead(on) {
        return Err(ApiError::field(
            "effective_on",
            "must not be in the future: record a move when it happens",
        ));
    }
    let too_early = if strictly_after {
        on <= open.started_on
    } else {
        on < open.started_on
    };
    if too_early {
        return Err(ApiError::field(
            "effective_on",
            format!("must be after {}, when the current assignment began", open.started_on),
        ));
    }
    diesel::update(assignments::table.find(open.id))
        .set((
            assignments::ended_on.eq(Some(on)),
            assignments::end_reason.eq(Some(reason)),
            assignments::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Who a new official is, as their creator gives it.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = officials)]
pub struct OfficialInput {
    pub code: String,
    pub full_name: String,
    pub gender: Gender,
    pub date_of_birth: Option<NaiveDate>,
    pub unit_id: i64,
    pub position_id: Option<i64>,
    pub category: Category,
    pub party_joined_on: Option<NaiveDate>,
    pub national_id: Option<String>,
    pub ethnicity: Option<Ethnicity>,
    pub religion: Option<Religion>,
    pub general_education: Option<String>,
}

impl NewOfficial {
    /// A new official's insert form, with the folded search name.
    pub fn new(input: OfficialInput) -> Self {
        let at = now();
        NewOfficial {
            search_name: fold(&input.full_name),
            given_name_key: given_name_key(&input.full_name),
            input,
            created_at: at,
            updated_at: at,
        }
    }
}
