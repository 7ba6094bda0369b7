//! Positions: posts and the qualification standards they require.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::keyset::{Key, KeyKind, Listed, Order, Window};
use super::search::{Kind, Search};
use super::{order_by_sort, Sort, UtcTime};
use crate::clock::now;
use crate::db::schema::positions;
use crate::db::{lock_row, DbConn, Table};
use crate::domain::{fold, Category, EducationLevel, PoliticalTheoryLevel, StateManagementLevel};
use crate::error::ApiError;

/// A post (chức vụ, chức danh) and the minimum levels it requires.
#[derive(Debug, Clone, Queryable, Serialize, ToSchema)]
pub struct Position {
    /// The position's id.
    pub id: i64,
    /// Unique code.
    pub code: String,
    /// Title, e.g. "Phó Chủ tịch Ủy ban MTTQ phường".
    pub title: String,
    #[serde(skip)]
    pub search_title: String,
    /// Category of the people who hold it.
    pub category: Category,
    /// Minimum education level, if any.
    pub min_education: Option<EducationLevel>,
    /// Minimum political theory level, if any.
    pub min_political_theory: Option<PoliticalTheoryLevel>,
    /// Minimum state management level, if any.
    pub min_state_management: Option<StateManagementLevel>,
    /// When the record was created (UTC).
    pub created_at: UtcTime,
    /// When the record last changed (UTC).
    pub updated_at: UtcTime,
    /// Version for optimistic concurrency: send it back in `If-Match`.
    pub version: i32,
    #[serde(skip)]
    pub min_education_rank: Option<i32>,
    #[serde(skip)]
    pub min_political_theory_rank: Option<i32>,
    #[serde(skip)]
    pub min_state_management_rank: Option<i32>,
    /// A leading or managing post (lãnh đạo, quản lý).
    pub leadership: bool,
}

/// The fields of a new position.
#[derive(Debug, Insertable)]
#[diesel(table_name = positions)]
pub struct NewPosition {
    pub code: String,
    pub title: String,
    pub search_title: String,
    pub category: Category,
    pub min_education: Option<EducationLevel>,
    pub min_political_theory: Option<PoliticalTheoryLevel>,
    pub min_state_management: Option<StateManagementLevel>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub min_education_rank: Option<i32>,
    pub min_political_theory_rank: Option<i32>,
    pub min_state_management_rank: Option<i32>,
    pub leadership: bool,
}

/// The fields a PATCH may change.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = positions)]
pub struct PositionChanges {
    pub code: Option<String>,
    pub title: Option<String>,
    pub search_title: Option<String>,
    pub category: Option<Category>,
    pub min_education: Option<Option<EducationLevel>>,
    pub min_political_theory: Option<Option<PoliticalTheoryLevel>>,
    pub min_state_management: Option<Option<StateManagementLevel>>,
    pub min_education_rank: Option<Option<i32>>,
    pub min_political_theory_rank: Option<Option<i32>>,
    pub min_state_management_rank: Option<Option<i32>>,
    pub leadership: Option<bool>,
}

impl NewPosition {
    /// A new position's insert form, with its folded title and the ranks of its standards.
    pub fn new(
        code: String,
        title: String,
        category: Category,
        min_education: Option<EducationLevel>,
        min_political_theory: Option<PoliticalTheoryLevel>,
        min_state_management: Option<StateManagementLevel>,
    ) -> Self {
        let at = now();
        NewPosition {
            code,
            search_title: fold(&title),
            title,
            category,
            min_education,
            min_political_theory,
            min_state_management,
            created_at: at,
            updated_at: at,
            min_education_rank: min_education.map(|l| i32::from(l.rank())),
            min_political_theory_rank: min_political_theory.map(|l| i32::from(l.rank())),
            min_state_management_rank: min_state_management.map(|l| i32::from(l.rank())),
            leadership: false,
        }
    }

    /// The same, a leading or managing post when `leadership`.
    pub fn leading(mut self, leadership: bool) -> Self {
        self.leadership = leadership;
        self
    }
}

impl PositionChanges {
    /// Changes to the standards, with their ranks kept in step.
    pub fn standards(
        min_education: Option<Option<EducationLevel>>,
        min_political_theory: Option<Option<PoliticalTheoryLevel>>,
        min_state_management: Option<Option<StateManagementLevel>>,
    ) -> Self {
        PositionChanges {
            min_education,
            min_political_theory,
            min_state_management,
            min_education_rank: min_education.map(|l| l.map(|l| i32::from(l.rank()))),
            min_political_theory_rank: min_political_theory.map(|l| l.map(|l| i32::from(l.rank()))),
            min_state_management_rank: min_state_management.map(|l| l.map(|l| i32::from(l.rank()))),
            ..Default::default()
        }
    }
}

super::sort_columns!(
    /// The columns `GET /positions` can be sorted by (the first is the default).
    PositionSort { Id = "id", Code = "code", Title = "title", Category = "category" }
);

super::record_reads!(Position, positions, "position", Table::Positions);
super::record_writes!(Position, positions, "position", NewPosition, PositionChanges);

impl Position {
    /// Inserts a position.
    pub fn create(conn: &mut DbConn, new: &NewPosition) -> Result<Position, ApiError> {
        Position::insert(conn, new)
    }

    /// Applies a PATCH if the position is still at version `expected`.
    pub fn update(
        conn: &mut DbConn,
        current: &Position,
        changes: &PositionChanges,
        expected: i32,
    ) -> Result<Position, ApiError> {
        Position::write(conn, current.id, changes, expected)
    }

    /// Deletes a position at version `expected`; one held by anybody, now or in the past, is a 409.
    pub fn delete(conn: &mut DbConn, id: i64, expected: i32) -> Result<(), ApiError> {
        Position::remove(conn, id, expected, "is held, or was held, by officials")
    }

    /// A page of positions and the total matching.
    pub fn list(
        conn: &mut DbConn,
        q: Option<&Search>,
        category: Option<Category>,
        sort: Option<Sort<PositionSort>>,
        window: &Window,
    ) -> Result<Listed<Position>, ApiError> {
        let build = || {
            let mut query = positions::table.into_boxed();
            if let Some(search) = q {
                for holds in search.holders("positions.id", &[Kind::Position], None) {
                    query = query.filter(holds);
                }
            }
            if let Some(category) = category {
                query = query.filter(positions::category.eq(category));
            }
            query
        };
        let total = window.total(|| build().count().get_result(conn))?;
        // Ranked when searching in no chosen order.
        let search = q.filter(|_| sort.is_none());
        let sort = sort.unwrap_or_default();
        let column = match sort.column {
            PositionSort::Id => None,
            PositionSort::Code => Some(("positions.code", KeyKind::Text)),
            PositionSort::Title => Some(("positions.search_title", KeyKind::Text)),
            PositionSort::Category => Some(("positions.category", KeyKind::Text)),
        };
        let order = Order::new(
            search.map(|s| s.rank("positions", "search_title")),
            sort,
            column,
            "positions.id",
        );
        let query = order.apply(build(), window)?;
        let query = order_by_sort!(query, sort, positions::id, {
            PositionSort::Id => positions::id,
            PositionSort::Code => positions::code,
            PositionSort::Title => positions::search_title,
            PositionSort::Category => positions::category,
        });
        let rows: Vec<Position> = query.limit(window.rows()).offset(window.offset).load(conn)?;
        Ok(order.page(window, rows, total, |r: &Position| {
            let mut keys: Vec<Key> = search
                .map(|s| s.rank_of(&r.search_title, &r.code).into())
                .into_iter()
                .collect();
            match sort.column {
                PositionSort::Id => {}
                PositionSort::Code => keys.push(r.code.as_str().into()),
                PositionSort::Title => keys.push(r.search_title.as_str().into()),
                PositionSort::Category => keys.push(r.category.code().into()),
            }
            keys.push(r.id.into());
            keys
        }))
    }
}
