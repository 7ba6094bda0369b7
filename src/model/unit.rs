//! Units: the administrative tree, kept as parent links plus a materialised path.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::keyset::{Key, KeyKind, Listed, Order, Window};
use super::search::{Kind, Search};
use super::{order_by_sort, Sort, UtcTime};
use crate::clock::now;
use crate::db::schema::units;
use crate::db::{lock_named, lock_row, DbConn, NamedLock, Table};
use crate::domain::{fold, Tier, UnitKind};
use crate::error::{ApiError, ConflictKind};

/// A node of the administrative tree: a province, city, ward, agency…
#[derive(Debug, Clone, Queryable, Serialize, ToSchema)]
pub struct Unit {
    /// The unit's id.
    pub id: i64,
    /// Unique code.
    pub code: String,
    /// Name, e.g. "Phường Phúc Thắng".
    pub name: String,
    #[serde(skip)]
    pub search_name: String,
    /// Kind; the level in the tree follows from it.
    pub kind: UnitKind,
    /// The parent unit; none for a root.
    pub parent_id: Option<i64>,
    #[serde(skip)]
    pub path: String,
    /// When the unit was established.
    pub established_on: Option<NaiveDate>,
    /// When the unit was dissolved or merged away; reports before that day still see it.
    pub dissolved_on: Option<NaiveDate>,
    /// When the record was created (UTC).
    pub created_at: UtcTime,
    /// When the record last changed (UTC).
    pub updated_at: UtcTime,
    /// Version for optimistic concurrency: send it back in `If-Match`.
    pub version: i32,
}

/// The fields of a new unit.
#[derive(Debug, Insertable)]
#[diesel(table_name = units)]
pub struct NewUnit {
    pub code: String,
    pub name: String,
    pub search_name: String,
    pub kind: UnitKind,
    pub parent_id: Option<i64>,
    pub path: String,
    pub established_on: Option<NaiveDate>,
    pub dissolved_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The fields a PATCH may change; `None` leaves a field alone.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = units)]
pub struct UnitChanges {
    pub code: Option<String>,
    pub name: Option<String>,
    pub search_name: Option<String>,
    pub kind: Option<UnitKind>,
    pub parent_id: Option<Option<i64>>,
    pub established_on: Option<Option<NaiveDate>>,
    pub dissolved_on: Option<Option<NaiveDate>>,
}

super::sort_columns!(
    /// The columns `GET /units` can be sorted by (the first is the default).
    UnitSort { Id = "id", Code = "code", Name = "name", Kind = "kind" }
);

/// Filters of `GET /units`.
#[derive(Debug, Default)]
pub struct UnitFilter {
    pub q: Option<Search>,
    pub kind: Option<UnitKind>,
    pub parent_id: Option<i64>,
    pub within: Option<Subtree>,
}

diesel::define_sql_function! {
    /// `substr(text, start)`, the same on both backends.
    fn substr(text: diesel::sql_types::Text, start: diesel::sql_types::Integer) -> diesel::sql_types::Text;
}

super::record_reads!(Unit, units, "unit", Table::Units);
super::record_writes!(Unit, units, "unit", NewUnit, UnitChanges);

impl Unit {
    /// Locks the shape of the tree for the rest of the write transaction: taken before a
    /// write reads the paths it will build on (a new unit, a move, a deletion).
    pub fn lock_tree(conn: &mut DbConn) -> Result<(), ApiError> {
        Ok(lock_named(conn, NamedLock::UnitTree)?)
    }

    /// Whether the unit exists on `day`: established by then (when known) and not yet
    /// dissolved (it is gone from its dissolution day on).
    pub fn exists_on(&self, day: NaiveDate) -> bool {
        self.established_on.is_none_or(|established| established <= day)
            && self.dissolved_on.is_none_or(|dissolved| day < dissolved)
    }

    /// This unit and everything below it.
    pub fn subtree(&self) -> Subtree {
        Subtree::at(self.path.clone())
    }

    /// Inserts a unit under its parent and fills in its path (under the tree's lock, so
    /// that the parent's path cannot change before the child's is written).
    pub fn create(conn: &mut DbConn, mut new: NewUnit) -> Result<Unit, ApiError> {
        Unit::lock_tree(conn)?;
        let parent_path = match new.parent_id {
            Some(parent) => Unit::find_referenced(conn, parent, "parent_id")?.path,
            None => "/".to_owned(),
        };
        new.path = String::new();
        let inserted = Unit::insert(conn, &new)?;
        let path = format!("{parent_path}{}/", inserted.id);
        Ok(diesel::update(units::table.find(inserted.id))
            .set(units::path.eq(path))
            .returning(units::all_columns)
            .get_result(conn)?)
    }

    /// Applies a PATCH if the unit is still at version `expected`; a new parent moves the
    /// whole subtree, and may not lie inside it. A caller that moves a unit holds the tree's
    /// lock ([`Unit::lock_tree`]) from before it read `current`, so that both paths stay true
    /// and two moves cannot put units under each other.
    pub fn update(conn: &mut DbConn, current: &Unit, changes: UnitChanges, expected: i32) -> Result<Unit, ApiError> {
        if let Some(parent) = changes.parent_id {
            let new_parent_path = match parent {
                Some(parent_id) => {
                    let parent = Unit::find_referenced(conn, parent_id, "parent_id")?;
                    if current.subtree().contains(&parent.path) {
                        return Err(ApiError::field(
                            "parent_id",
                            "a unit cannot be moved under itself or one of its descendants",
                        ));
                    }
                    parent.path
                }
                None => "/".to_owned(),
            };
            let new_path = format!("{new_parent_path}{}/", current.id);
            if new_path != current.path {
                let keep_from = i32::try_from(current.path.chars().count() + 1).map_err(ApiError::internal)?;
                diesel::update(units::table.filter(current.subtree().paths()))
                    .set(
                        units::path.eq(new_path
                            .into_sql::<diesel::sql_types::Text>()
                            .concat(substr(units::path, keep_from))),
                    )
                    .execute(conn)?;
            }
        }
        Unit::write(conn, current.id, &changes, expected)
    }

    /// The unit's level of government: its kind's, or for an agency that of the nearest unit
    /// above it that has one (the province's when none has).
    pub fn tier(&self, conn: &mut DbConn) -> Result<Tier, ApiError> {
        if let Some(tier) = self.kind.tier() {
            return Ok(tier);
        }
        let ids: Vec<i64> = self.path.split('/').filter_map(|id| id.parse().ok()).collect();
        let kinds: Vec<(i64, UnitKind)> = units::table
            .filter(units::id.eq_any(&ids))
            .select((units::id, units::kind))
            .load(conn)?;
        Ok(ids
            .iter()
            .rev()
            .filter_map(|id| kinds.iter().find(|(unit, _)| unit == id))
            .find_map(|(_, kind)| kind.tier())
            .unwrap_or(Tier::Province))
    }

    /// The direct children of the unit `id`, by name: their ids and names (a report's parts).
    pub fn children(conn: &mut DbConn, id: i64) -> Result<Vec<(i64, String)>, ApiError> {
        Ok(units::table
            .filter(units::parent_id.eq(id))
            .order_by((units::search_name.asc(), units::id.asc()))
            .select((units::id, units::name))
            .load(conn)?)
    }

    /// Deletes a unit at version `expected`; one still referenced is a 409. The caller holds
    /// the tree's lock, taken before the unit's own.
    pub fn delete(conn: &mut DbConn, id: i64, expected: i32) -> Result<(), ApiError> {
        let children: i64 = units::table.filter(units::parent_id.eq(id)).count().get_result(conn)?;
        if children > 0 {
            return Err(ApiError::Conflict(
                ConflictKind::StillReferenced,
                format!("unit {id} has {children} child units: move or delete them first"),
            ));
        }
        Unit::remove(
            conn,
            id,
            expected,
            "is still referenced by officials, assignments or users",
        )
    }

    /// A page of units and the total matching the filter.
    pub fn list(
        conn: &mut DbConn,
        filter: &UnitFilter,
        sort: Option<Sort<UnitSort>>,
        window: &Window,
    ) -> Result<Listed<Unit>, ApiError> {
        let build = || {
            let mut query = units::table.into_boxed();
            if let Some(search) = &filter.q {
                for holds in search.holders("units.id", &[Kind::Unit], None) {
                    query = query.filter(holds);
                }
            }
            if let Some(kind) = filter.kind {
                query = query.filter(units::kind.eq(kind));
            }
            if let Some(parent) = filter.parent_id {
                query = query.filter(units::parent_id.eq(parent));
            }
            if let Some(subtree) = &filter.within {
                query = query.filter(subtree.paths());
            }
            query
        };
        let total = window.total(|| build().count().get_result(conn))?;
        // Ranked when searching in no chosen order.
        let search = filter.q.as_ref().filter(|_| sort.is_none());
        let sort = sort.unwrap_or_default();
        let column = match sort.column {
            UnitSort::Id => None,
            UnitSort::Code => Some(("units.code", KeyKind::Text)),
            UnitSort::Name => Some(("units.search_name", KeyKind::Text)),
            UnitSort::Kind => Some(("units.kind", KeyKind::Text)),
        };
        let order = Order::new(search.map(|s| s.rank("units", "search_name")), sort, column, "units.id");
        let query = order.apply(build(), window)?;
        let query = order_by_sort!(query, sort, units::id, {
            UnitSort::Id => units::id,
            UnitSort::Code => units::code,
            UnitSort::Name => units::search_name,
            UnitSort::Kind => units::kind,
        });
        let rows: Vec<Unit> = query.limit(window.rows()).offset(window.offset).load(conn)?;
        Ok(order.page(window, rows, total, |r: &Unit| {
            let mut keys: Vec<Key> = search
                .map(|s| s.rank_of(&r.search_name, &r.code).into())
                .into_iter()
                .collect();
            match sort.column {
                UnitSort::Id => {}
                UnitSort::Code => keys.push(r.code.as_str().into()),
                UnitSort::Name => keys.push(r.search_name.as_str().into()),
                UnitSort::Kind => keys.push(r.kind.code().into()),
            }
            keys.push(r.id.into());
            keys
        }))
    }
}

/// The units at and below one unit, named by the materialised path of that root. Paths are
/// digits and '/', all ordered below '~', so a subtree is the range of paths
/// `[root, root || '~')`: one range scan of the `units_path` index on both backends (SQLite
/// cannot use an index for `LIKE 'root%'`). Every "within a subtree" — rights, list filters,
/// moves and reports — is this type and this range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subtree {
    root: String,
    end: String,
}

impl Subtree {
    /// The subtree whose root unit has the path `root`.
    pub fn at(root: String) -> Self {
        let end = format!("{root}~");
        Subtree { root, end }
    }

    /// Whether the unit at `path` lies in the subtree.
    pub fn contains(&self, path: &str) -> bool {
        self.root.as_str() <= path && path < self.end.as_str()
    }

    /// How deep the root lies: 1 for a root of the tree, 2 for a unit under one (a region).
    pub fn depth(&self) -> usize {
        self.root.split('/').filter(|id| !id.is_empty()).count()
    }

    /// The root's id when it lies on the tree's second level: the region whose officials'
    /// words the index of words keeps apart (`search_words.region_id`).
    pub fn region(&self) -> Option<i64> {
        if self.depth() != 2 {
            return None;
        }
        self.root.split('/').filter(|id| !id.is_empty()).nth(1)?.parse().ok()
    }

    /// The root's path.
    pub fn root(&self) -> &str {
        &self.root
    }

    /// The end of its range of paths (excluded).
    pub fn end(&self) -> &str {
        &self.end
    }

    /// The condition on `units.path`.
    pub fn paths(&self) -> subtree_paths<'_> {
        subtree_paths(&self.root, &self.end)
    }

    /// The ids of the subtree's units, as a subquery.
    pub fn unit_ids(&self) -> subtree_unit_ids<'_> {
        subtree_unit_ids(&self.root, &self.end)
    }

    /// The same range in SQL text, for the reports' hand-written queries: whether the path
    /// expression `path` lies in the subtree whose root's path is the expression `root`.
    pub fn sql(path: &str, root: &str) -> String {
        format!("{path} >= {root} AND {path} < ({root} || '~')")
    }
}

#[diesel::dsl::auto_type]
fn subtree_paths<'a>(root: &'a str, end: &'a str) -> _ {
    units::path.ge(root).and(units::path.lt(end))
}

#[diesel::dsl::auto_type]
fn subtree_unit_ids<'a>(root: &'a str, end: &'a str) -> _ {
    let paths: subtree_paths<'a> = subtree_paths(root, end);
    units::table.filter(paths).select(units::id)
}

impl NewUnit {
    /// A new unit's insert form, with the folded search name.
    pub fn new(
        code: String,
        name: String,
        kind: UnitKind,
        parent_id: Option<i64>,
        established_on: Option<NaiveDate>,
        dissolved_on: Option<NaiveDate>,
    ) -> Self {
        let at = now();
        NewUnit {
            search_name: fold(&name),
            code,
            name,
            kind,
            parent_id,
            path: String::new(),
            established_on,
            dissolved_on,
            created_at: at,
            updated_at: at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Subtree;

    #[test]
    fn a_subtree_holds_its_root_and_what_lies_below_and_nothing_else() {
        let ward = Subtree::at("/1/5/".to_owned());
        assert!(ward.contains("/1/5/"));
        assert!(ward.contains("/1/5/20/"));
        assert!(ward.contains("/1/5/20/21/"));
        // A sibling whose id begins with the same digits, the parent, and another branch.
        assert!(!ward.contains("/1/50/"));
        assert!(!ward.contains("/1/"));
        assert!(!ward.contains("/2/5/"));
        assert_eq!(Subtree::sql("u.path", "$1"), "u.path >= $1 AND u.path < ($1 || '~')");
    }
}
