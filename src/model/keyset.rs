//! Pages at any depth: a page of a list begins `offset` records in, or just after the record
//! a cursor names (keyset pagination: `WHERE (order) > (the last record's)`, read from the
//! order's index, so that page 10,000 costs what page 1 costs). Every page tells where the
//! next begins, as an opaque cursor.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Date, Text, Timestamp};
use serde::{Deserialize, Serialize};

use super::search::Rank;
use crate::db::DbConn;
use crate::error::ApiError;

/// The backend the expressions are written for.
type Backend = <DbConn as Connection>::Backend;

/// What gives an item's place in its list's order.
pub type KeyOf<'a, T> = &'a dyn Fn(&T) -> Vec<Key>;

/// Which records of a list a page holds.
#[derive(Debug, Clone)]
pub struct Window {
    /// At most this many.
    pub limit: i64,
    /// After skipping this many (0 when `after` is given).
    pub offset: i64,
    /// Just after this record, in the list's order.
    pub after: Option<Cursor>,
    /// Whether to count every record the filters match.
    pub count: bool,
}

impl Window {
    /// The first `limit` records, counted.
    pub fn first(limit: i64) -> Window {
        Window {
            limit,
            offset: 0,
            after: None,
            count: true,
        }
    }

    /// How many rows to read: one more than the page, to know whether another follows.
    pub fn rows(&self) -> i64 {
        self.limit.saturating_add(1)
    }

    /// The page of `rows` (read with [`Window::rows`]) and where the next begins: just after
    /// the last item's place in `order`, which `key` gives.
    pub fn page<T>(&self, mut rows: Vec<T>, total: Option<i64>, order: &str, key: KeyOf<'_, T>) -> Listed<T> {
        let limit = usize::try_from(self.limit).unwrap_or(usize::MAX);
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next = match (more, rows.last()) {
            (true, Some(last)) => Some(Cursor {
                order: order.to_owned(),
                keys: key(last),
            }),
            _ => None,
        };
        Listed {
            items: rows,
            total,
            next,
        }
    }

    /// The cursor's place, when it was made for `order`; a 422 on `cursor` otherwise.
    pub fn after_in(&self, order: &str) -> Result<Option<&Cursor>, ApiError> {
        match &self.after {
            Some(after) if after.order != order => Err(ApiError::field(
                "cursor",
                "was made for another order or search of this list: start again without it",
            )),
            after => Ok(after.as_ref()),
        }
    }

    /// How many records match in all (`count` counts them), unless the window leaves it out.
    pub fn total(&self, count: impl FnOnce() -> QueryResult<i64>) -> Result<Option<i64>, ApiError> {
        Ok(if self.count { Some(count()?) } else { None })
    }
}

/// A page of a list: its items, how many match in all (unless not counted), where the next
/// page begins (none after the last).
#[derive(Debug)]
pub struct Listed<T> {
    pub items: Vec<T>,
    pub total: Option<i64>,
    pub next: Option<Cursor>,
}

impl<T> Listed<T> {
    /// The same page with each item made into another, or the first error.
    pub fn try_map<U, E>(self, f: impl FnMut(T) -> Result<U, E>) -> Result<Listed<U>, E> {
        Ok(Listed {
            items: self.items.into_iter().map(f).collect::<Result<_, _>>()?,
            total: self.total,
            next: self.next,
        })
    }
}

/// Where a page begins: just after a record, named by its place in a list's order — the
/// order's name and the record's values of its columns, the id last. Clients carry it
/// opaque (base64url of JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    pub order: String,
    pub keys: Vec<Key>,
}

/// One value of a record's place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Key {
    Null,
    Int(i64),
    Text(String),
    Date(NaiveDate),
    Time(NaiveDateTime),
}

impl From<i64> for Key {
    fn from(value: i64) -> Self {
        Key::Int(value)
    }
}

impl From<&str> for Key {
    fn from(value: &str) -> Self {
        Key::Text(value.to_owned())
    }
}

impl From<super::UtcTime> for Key {
    fn from(value: super::UtcTime) -> Self {
        Key::Time(value.0)
    }
}

impl From<Option<NaiveDate>> for Key {
    fn from(value: Option<NaiveDate>) -> Self {
        value.map_or(Key::Null, Key::Date)
    }
}

impl Cursor {
    /// As the client carries it.
    pub fn encode(&self) -> String {
        // Plain data: serializing it cannot fail.
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default())
    }

    /// What a client sent back; a 422 on `cursor` when it is not one of ours.
    pub fn decode(text: &str) -> Result<Cursor, ApiError> {
        URL_SAFE_NO_PAD
            .decode(text.trim())
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .ok_or_else(|| {
                ApiError::field(
                    "cursor",
                    "is not a cursor this service gave: use a page's `next` as it is",
                )
            })
    }
}

/// What values a column of an order holds, as a cursor carries them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    Int,
    Text,
    Date,
    /// A date that may be NULL: NULLs last ascending, first descending.
    NullableDate,
    Time,
}

impl KeyKind {
    /// Whether `key` is a value of this kind.
    fn holds(self, key: &Key) -> bool {
        matches!(
            (self, key),
            (KeyKind::Int, Key::Int(_))
                | (KeyKind::Text, Key::Text(_))
                | (KeyKind::Date | KeyKind::NullableDate, Key::Date(_))
                | (KeyKind::NullableDate, Key::Null)
                | (KeyKind::Time, Key::Time(_))
        )
    }
}

/// One column of a list's order.
#[derive(Debug, Clone)]
pub enum Column {
    /// A column, as SQL, in its direction.
    Sql {
        sql: &'static str,
        descending: bool,
        kind: KeyKind,
    },
    /// A search's rank, ascending.
    Rank(Rank),
}

impl Column {
    pub fn asc(sql: &'static str, kind: KeyKind) -> Column {
        Column::sorted(sql, false, kind)
    }

    pub fn desc(sql: &'static str, kind: KeyKind) -> Column {
        Column::sorted(sql, true, kind)
    }

    /// `sql` in the direction `descending`.
    pub fn sorted(sql: &'static str, descending: bool, kind: KeyKind) -> Column {
        Column::Sql { sql, descending, kind }
    }

    /// The kind of values it holds.
    fn kind(&self) -> KeyKind {
        match self {
            Column::Sql { kind, .. } => *kind,
            Column::Rank(_) => KeyKind::Int,
        }
    }
}

/// A sortable list's order: an optional search rank, the sort's column (NULLs last
/// ascending), the id — its name in cursors, its columns for [`Beyond`].
#[derive(Debug, Clone)]
pub struct Order {
    name: String,
    columns: Vec<Column>,
}

impl Order {
    /// Ranked by `rank` (when given), then by `sort`, whose column is `column` (SQL, and
    /// its values; `None` when it is the id), then by the id `id`.
    pub fn new<C: super::SortColumn>(
        rank: Option<Rank>,
        sort: super::Sort<C>,
        column: Option<(&'static str, KeyKind)>,
        id: &'static str,
    ) -> Order {
        let name = format!("{}{}", if rank.is_some() { "ranked " } else { "" }, sort.name());
        let mut columns: Vec<Column> = rank.into_iter().map(Column::Rank).collect();
        if let Some((sql, kind)) = column {
            columns.push(Column::sorted(sql, sort.descending, kind));
        }
        columns.push(Column::sorted(id, sort.descending, KeyKind::Int));
        Order { name, columns }
    }

    /// A list's one order, named `name` in cursors: `columns`, the id last.
    pub fn fixed(name: &str, columns: Vec<Column>) -> Order {
        Order {
            name: name.to_owned(),
            columns,
        }
    }

    /// The condition "after the cursor's place", when the window has one.
    pub fn after(&self, window: &Window) -> Result<Option<Beyond>, ApiError> {
        window
            .after_in(&self.name)?
            .map(|place| Beyond::new(self.columns.clone(), place))
            .transpose()
    }

    /// A ranked order read rank by rank, each rank in the order's other columns (which an
    /// index may give): the ranks from the cursor's (or the first) to the last of `ranks`,
    /// each with the condition "after the cursor's place" for the cursor's own rank.
    pub fn by_rank(&self, window: &Window, ranks: i64) -> Result<Vec<(i64, Option<Beyond>)>, ApiError> {
        let Some(place) = window.after_in(&self.name)? else {
            return Ok((0..ranks).map(|rank| (rank, None)).collect());
        };
        Beyond::new(self.columns.clone(), place)?;
        let (Some(Column::Rank(_)), Some(Key::Int(first))) = (self.columns.first(), place.keys.first()) else {
            return Err(ApiError::field("cursor", "was made for another order of this list"));
        };
        let after = self.after_in_rank(place.keys[1..].to_vec())?;
        Ok(((*first).max(0)..ranks)
            .map(|rank| (rank, (rank == *first).then(|| after.clone())))
            .collect())
    }

    /// The condition "after the place `keys`" in the order's columns that follow its rank
    /// (all of them when it is not ranked).
    pub fn after_in_rank(&self, keys: Vec<Key>) -> Result<Beyond, ApiError> {
        let columns = match self.columns.first() {
            Some(Column::Rank(_)) => self.columns[1..].to_vec(),
            _ => self.columns.clone(),
        };
        let place = Cursor {
            order: self.name.clone(),
            keys,
        };
        Beyond::new(columns, &place)
    }

    /// The page of `rows`, each item's place given by `key` (its rank when ranked, its
    /// value of the sort's column unless that is the id, its id).
    pub fn page<T>(
        &self,
        window: &Window,
        rows: Vec<T>,
        total: Option<i64>,
        key: impl Fn(&T) -> Vec<Key>,
    ) -> Listed<T> {
        window.page(rows, total, &self.name, &key)
    }

    /// `query` from the cursor's place (when the window has one), ranked first when the
    /// order is; the sort's columns follow (`order_by_sort!`).
    pub fn apply<Q>(&self, mut query: Q, window: &Window) -> Result<Q, ApiError>
    where
        Q: diesel::query_dsl::methods::FilterDsl<Beyond, Output = Q>
            + diesel::query_dsl::methods::OrderDsl<Rank, Output = Q>,
    {
        if let Some(after) = self.after(window)? {
            query = query.filter(after);
        }
        if let Some(Column::Rank(rank)) = self.columns.first() {
            query = query.order(rank.clone());
        }
        Ok(query)
    }
}

/// The records after a place in an order: `(c1, c2, …) > (k1, k2, …)` written out column by
/// column, each in its direction, NULLs where the order puts them. One comparison a column,
/// the same on both backends.
#[derive(Debug, Clone)]
pub struct Beyond {
    columns: Vec<(Column, Key)>,
}

impl Beyond {
    /// After `place` in the order of `columns`; a 422 on `cursor` when the place does not
    /// fit the order.
    pub fn new(columns: Vec<Column>, place: &Cursor) -> Result<Beyond, ApiError> {
        let fits = columns.len() == place.keys.len()
            && columns
                .iter()
                .zip(&place.keys)
                .all(|(column, key)| column.kind().holds(key));
        if !fits {
            return Err(ApiError::field("cursor", "was made for another order of this list"));
        }
        Ok(Beyond {
            columns: columns.into_iter().zip(place.keys.iter().cloned()).collect(),
        })
    }
}

crate::model::search::sql_expression!(Beyond, Bool);

impl diesel::query_builder::QueryFragment<Backend> for Beyond {
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, Backend>) -> QueryResult<()> {
        out.push_sql("(");
        for (at, (column, key)) in self.columns.iter().enumerate() {
            if at > 0 {
                out.push_sql(" OR ");
            }
            out.push_sql("(");
            for (before, key) in &self.columns[..at] {
                equal(&mut out, before, key)?;
                out.push_sql(" AND ");
            }
            beyond(&mut out, column, key)?;
            out.push_sql(")");
        }
        out.push_sql(")");
        Ok(())
    }
}

/// `column = key` (or `IS NULL`).
fn equal<'b>(
    out: &mut diesel::query_builder::AstPass<'_, 'b, Backend>,
    column: &'b Column,
    key: &'b Key,
) -> QueryResult<()> {
    if *key == Key::Null {
        push_column(out, column)?;
        out.push_sql(" IS NULL");
        return Ok(());
    }
    push_column(out, column)?;
    out.push_sql(" = ");
    push_key(out, key)
}

/// `column` strictly after `key` in its direction: NULLs last ascending, first descending.
fn beyond<'b>(
    out: &mut diesel::query_builder::AstPass<'_, 'b, Backend>,
    column: &'b Column,
    key: &'b Key,
) -> QueryResult<()> {
    let (descending, nullable) = match column {
        Column::Sql { descending, kind, .. } => (*descending, *kind == KeyKind::NullableDate),
        Column::Rank(_) => (false, false),
    };
    match (key, descending) {
        // After the NULLs at the end, nothing; after those at the start, every value.
        (Key::Null, false) => out.push_sql("1 = 0"),
        (Key::Null, true) => {
            push_column(out, column)?;
            out.push_sql(" IS NOT NULL");
        }
        (key, descending) => {
            out.push_sql("(");
            push_column(out, column)?;
            out.push_sql(if descending { " < " } else { " > " });
            push_key(out, key)?;
            if nullable && !descending {
                out.push_sql(" OR ");
                push_column(out, column)?;
                out.push_sql(" IS NULL");
            }
            out.push_sql(")");
        }
    }
    Ok(())
}

fn push_column<'b>(out: &mut diesel::query_builder::AstPass<'_, 'b, Backend>, column: &'b Column) -> QueryResult<()> {
    match column {
        Column::Sql { sql, .. } => {
            out.push_sql(sql);
            Ok(())
        }
        Column::Rank(rank) => {
            out.push_sql("(");
            diesel::query_builder::QueryFragment::<Backend>::walk_ast(rank, out.reborrow())?;
            out.push_sql(")");
            Ok(())
        }
    }
}

fn push_key<'b>(out: &mut diesel::query_builder::AstPass<'_, 'b, Backend>, key: &'b Key) -> QueryResult<()> {
    match key {
        Key::Int(value) => out.push_bind_param::<BigInt, _>(value),
        Key::Text(value) => out.push_bind_param::<Text, _>(value),
        Key::Date(value) => out.push_bind_param::<Date, _>(value),
        Key::Time(value) => out.push_bind_param::<Timestamp, _>(value),
        Key::Null => {
            out.push_sql("NULL");
            Ok(())
        }
    }
}
