//! The lists' search (`q`): every word typed, in any order, as the beginning of a word of the
//! record's name or of its code, case and Vietnamese diacritics ignored — `van nguyen`,
//! `ng v an` and `Nguyễn Văn` all find "Nguyễn Văn An", `pt-0` finds the code `PT-001` — and,
//! for callers who may read it, an official's national ID by its first digits. It reads the
//! index of words (`search_words`, one row per word of each record, kept by the database's
//! triggers in the transaction of every write), one index range per word typed; within a
//! subtree, only the words of the officials of its units. A first page of common words is
//! read in name order instead ([`Search::matches_in_order`]): across the country, or within a
//! region (a unit on the tree's second level), whose officials' words are indexed apart.
//!
//! Matches are ranked: the exact name (or code) first, then those whose name holds every
//! word, then those found by their code or national ID; each rank in the list's order.

use std::collections::VecDeque;

use diesel::prelude::*;
use diesel::sql_types::{Bool, Integer, SmallInt, Text};

use crate::db::DbConn;
use crate::domain::fold;
use crate::model::unit::Subtree;

/// Makes `$name`, whose `QueryFragment` writes its SQL by hand, an expression of SQL type
/// `$type` that may appear in any query's `WHERE` or `ORDER BY`.
macro_rules! sql_expression {
    ($name:ident, $type:ty) => {
        impl diesel::Expression for $name {
            type SqlType = $type;
        }

        impl<GB> diesel::expression::ValidGrouping<GB> for $name {
            type IsAggregate = diesel::expression::is_aggregate::Never;
        }

        impl<QS> diesel::AppearsOnTable<QS> for $name {}

        impl<QS> diesel::SelectableExpression<QS> for $name {}

        impl diesel::query_builder::QueryId for $name {
            type QueryId = ();
            const HAS_STATIC_QUERY_ID: bool = false;
        }
    };
}
pub(crate) use sql_expression;

/// The backend the expressions are written for.
type Backend = <DbConn as Connection>::Backend;

/// The words of one record in the index, by what the record is (`search_words.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(i16)]
pub enum Kind {
    /// An official's name and staff code.
    Official = 1,
    /// An official's national ID.
    NationalId = 2,
    Unit = 3,
    Position = 4,
    Course = 5,
    Class = 6,
}

/// The most words of `q` searched for: the rest are dropped (a name has a handful).
const MOST_WORDS: usize = 8;

/// The ranks of [`Search::rank`]: 0, 1 and 2.
pub const RANKS: i64 = 3;

/// How common each word must be ([`Search::common`]) for walking the list in its order to be
/// chosen over gathering the matches, for a page of `rows` of about `records` records. With
/// words each beginning a word of `m` records, the gather reads at least `m` entries of the
/// index; the walk reads about `rows × records / m` records before it has the page (fewer
/// when the words go together, as a name's do), each costing a few look-ups: the walk wins
/// when `m² > 4 × rows × records`.
pub fn walk_bound(rows: i64, records: i64) -> i64 {
    let product = 4u64
        .saturating_mul(u64::try_from(rows).unwrap_or(0))
        .saturating_mul(u64::try_from(records).unwrap_or(0));
    i64::try_from(product.isqrt()).unwrap_or(i64::MAX).max(1)
}

/// What `q` asks for, folded.
#[derive(Debug, Clone)]
pub struct Search {
    /// The whole text, folded: the exact name it may be.
    folded: String,
    /// Its distinct words, in the order typed.
    words: Vec<String>,
}

impl Search {
    /// The search `q` asks for; `None` when it holds no word.
    pub fn parse(q: &str) -> Option<Search> {
        let folded = fold(q);
        let mut words: Vec<String> = Vec::new();
        for word in folded.split(' ').filter(|w| !w.is_empty()) {
            if !words.iter().any(|w| w == word) && words.len() < MOST_WORDS {
                words.push(word.to_owned());
            }
        }
        (!words.is_empty()).then_some(Search { folded, words })
    }

    /// One condition per word typed: that the record `id` (a qualified column) is one of
    /// `kinds` holding a word that begins with it (`within`: an official of the subtree).
    /// A record matches when it meets each.
    pub fn holders(&self, id: &'static str, kinds: &[Kind], within: Option<&Subtree>) -> Vec<Holds> {
        let kinds: Vec<i16> = kinds.iter().map(|k| *k as i16).collect();
        self.words
            .iter()
            .map(|word| Holds {
                id,
                kinds: kinds.clone(),
                word: word.clone(),
                end: end_of_words_beginning(word),
                among: within.map_or(Among::All, Among::units),
                probe: false,
            })
            .collect()
    }

    /// How many records of `kinds` hold every word typed (within `subtree`: officials of its
    /// units), counted in the index of words alone: the first word's range (a region's from
    /// the region's own index, another subtree's one range per unit) kept where the record
    /// holds each other word too, each record once. The officials [`Search::holders`] find,
    /// when nothing else filters them: an official's words carry their unit and region.
    pub fn count(&self, conn: &mut DbConn, kinds: &[Kind], within: Option<&Subtree>) -> QueryResult<i64> {
        use crate::db::schema::search_words;
        let among = match within {
            None => Among::All,
            Some(subtree) => subtree.region().map_or_else(|| Among::units(subtree), Among::Region),
        };
        let Some((first, others)) = self.words.split_first() else {
            return Ok(0);
        };
        let kinds: Vec<i16> = kinds.iter().map(|k| *k as i16).collect();
        let mut query = search_words::table
            .filter(search_words::kind.eq_any(kinds.clone()))
            .filter(search_words::word.ge(first.clone()))
            .filter(search_words::word.lt(end_of_words_beginning(first)))
            .filter(among.clone())
            .into_boxed();
        for word in others {
            query = query.filter(Holds {
                id: "search_words.record_id",
                kinds: kinds.clone(),
                word: word.clone(),
                end: end_of_words_beginning(word),
                among: among.clone(),
                probe: false,
            });
        }
        query
            .select(diesel::dsl::count(search_words::record_id).aggregate_distinct())
            .first(conn)
    }

    /// The conditions of [`Search::holders`] (across every unit) written to be checked record
    /// by record: `EXISTS (… WHERE kind IN (…) AND record_id = id AND word …)`, one look-up in
    /// the index's primary key each. A list walked in its own order (an index of the records)
    /// checks its records one by one and stops at the end of the page, where
    /// [`Search::holders`] gathers every match first: the walk wins when every word is
    /// common ([`Search::common`]).
    pub fn probes(&self, id: &'static str, kinds: &[Kind]) -> Vec<Holds> {
        let mut holders = self.holders(id, kinds, None);
        for holds in &mut holders {
            holds.probe = true;
        }
        holders
    }

    /// Whether every word typed begins a word of at least `bound` records of `kinds` in the
    /// index, within `scope`: each word's range is stepped through up to `bound` entries, no
    /// further.
    pub fn common(&self, conn: &mut DbConn, kinds: &[Kind], scope: Scope, bound: i64) -> QueryResult<bool> {
        use crate::db::schema::search_words;
        let kinds: Vec<i16> = kinds.iter().map(|k| *k as i16).collect();
        for word in &self.words {
            let mut holders = search_words::table
                .filter(search_words::kind.eq_any(&kinds))
                .filter(search_words::word.ge(word))
                .filter(search_words::word.lt(end_of_words_beginning(word)))
                .select(search_words::record_id)
                .into_boxed();
            if let Scope::Region(region) = scope {
                holders = holders.filter(search_words::region_id.eq(region));
            }
            let found: Option<i64> = holders.offset(bound.saturating_sub(1).max(0)).first(conn).optional()?;
            if found.is_none() {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The matches of rank 0 ([`Search::rank`]): the name or the code exactly, each read by
    /// its index (`officials (search_name)`, `officials (lower(code))`).
    pub fn exact(&self, table: &'static str, name: &'static str) -> Exact {
        Exact {
            table,
            name,
            folded: self.folded.clone(),
        }
    }

    /// The rank of a match, over its `table`'s folded name column `name` (and its `code`): 0
    /// the name or the code exactly, 1 a name holding every word, 2 the rest (found by their
    /// code or national ID). Order by it first, then by the list's order.
    pub fn rank(&self, table: &'static str, name: &'static str) -> Rank {
        Rank {
            table,
            name,
            folded: self.folded.clone(),
            patterns: self.words.iter().map(|w| word_start_pattern(w)).collect(),
        }
    }
}

impl Search {
    /// The rank [`Search::rank`] gives a record whose folded name is `name` and code `code`.
    pub fn rank_of(&self, name: &str, code: &str) -> i64 {
        if name == self.folded || code.to_ascii_lowercase() == self.folded {
            return 0;
        }
        let spaced = format!(" {name}");
        if self.words.iter().all(|word| spaced.contains(&format!(" {word}"))) {
            1
        } else {
            2
        }
    }
}

/// The most streams (distinct words of the index beginning with a word typed, by kind) a word
/// typed is read from in [`InOrder`]; a word with more (a letter or two) is left to the check
/// of each record found.
const MOST_STREAMS: usize = 16;

/// How many entries a stream of [`InOrder`] reads at a time.
const STREAM_CHUNK: i64 = 64;

/// A place in the officials' name order: `sort_key` (their `given_name_key`), then the id.
pub type Place = (String, i64);

/// Which officials' words [`Search::matches_in_order`] reads in name order: everyone's, or
/// those of one region's (`search_words.region_id`: the unit on the tree's second level
/// their unit lies under, a province under the country), each read from its own index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Everywhere,
    Region(i64),
}

impl Search {
    /// The records of `kinds` holding every word typed, read from the index of words in the
    /// officials' name order (`descending` the other way) within `scope`, after `from` when
    /// given.
    ///
    /// Each word typed is read as one or more ordered streams (each distinct word of the index
    /// beginning with it, by kind); the words are joined by leapfrogging: the stream that is
    /// behind seeks (one index look-up) to the place of the one ahead, until every word stands
    /// at the same record. People named alike lie together in name order — every "Nguyễn Văn
    /// An" after every other "… An" — and a seek skips each cluster that does not match at
    /// once, where reading one word's holders in order would step through it.
    ///
    /// Words with more than a few distinct words beginning with them are not read (the check
    /// of each record found covers them); `None` when no word typed can be.
    pub fn matches_in_order(
        &self,
        conn: &mut DbConn,
        kinds: &[Kind],
        scope: Scope,
        descending: bool,
        from: Option<Place>,
    ) -> QueryResult<Option<InOrder>> {
        use crate::db::schema::search_words;
        let mut words = Vec::new();
        'typed: for typed in &self.words {
            let end = end_of_words_beginning(typed);
            let mut streams = Vec::new();
            for kind in kinds {
                let kind = *kind as i16;
                let mut last: Option<String> = None;
                loop {
                    let mut next = search_words::table
                        .filter(search_words::kind.eq(kind))
                        .filter(search_words::word.lt(&end))
                        .select(search_words::word)
                        .order(search_words::word)
                        .into_boxed();
                    next = match &last {
                        Some(last) => next.filter(search_words::word.gt(last.clone())),
                        None => next.filter(search_words::word.ge(typed.clone())),
                    };
                    let Some(word) = next.first::<String>(conn).optional()? else {
                        break;
                    };
                    if streams.len() == MOST_STREAMS {
                        continue 'typed;
                    }
                    streams.push(Stream {
                        kind,
                        scope,
                        word: word.clone(),
                        read: VecDeque::new(),
                        after: from.clone(),
                        done: false,
                    });
                    last = Some(word);
                }
            }
            words.push(Holders { streams });
        }
        Ok((!words.is_empty()).then_some(InOrder { words, descending }))
    }
}

/// The records holding every word typed, in name order ([`Search::matches_in_order`]).
#[derive(Debug)]
pub struct InOrder {
    /// Per word typed, its holders.
    words: Vec<Holders>,
    descending: bool,
}

/// The holders of one word typed: its streams, merged.
#[derive(Debug)]
struct Holders {
    streams: Vec<Stream>,
}

/// The holders of one word of the index, in name order, read a chunk at a time.
#[derive(Debug)]
struct Stream {
    kind: i16,
    scope: Scope,
    word: String,
    read: VecDeque<Place>,
    /// Where the next chunk begins (just after it).
    after: Option<Place>,
    done: bool,
}

/// Whether `a` comes before `b` in the order.
fn precedes(a: &Place, b: &Place, descending: bool) -> bool {
    if descending {
        a > b
    } else {
        a < b
    }
}

impl Stream {
    /// The stream's next holder, reading a chunk when it has none left.
    fn head(&mut self, conn: &mut DbConn, descending: bool) -> QueryResult<Option<&Place>> {
        if self.read.is_empty() && !self.done {
            // After the place (key, id): the rest of that key's holders, then the keys beyond
            // it — two plain ranges of the index, where one condition with an OR would lead
            // SQLite's planner to read the whole word and sort it.
            let mut rows = Vec::new();
            if let Some((key, id)) = &self.after {
                rows = self.chunk(conn, descending, Some(key), Some(*id), STREAM_CHUNK)?;
            }
            let left = STREAM_CHUNK - i64::try_from(rows.len()).unwrap_or(i64::MAX);
            let beyond = self.after.as_ref().map(|(key, _)| key.clone());
            rows.extend(self.chunk(conn, descending, beyond.as_ref(), None, left)?);
            self.done = i64::try_from(rows.len()).unwrap_or(i64::MAX) < STREAM_CHUNK;
            if let Some(last) = rows.last() {
                self.after = Some(last.clone());
            }
            self.read.extend(rows);
        }
        Ok(self.read.front())
    }

    /// Up to `limit` holders in order: with `id`, those of the key `key` after the id;
    /// without, those of the keys after `key` (every key when none).
    fn chunk(
        &self,
        conn: &mut DbConn,
        descending: bool,
        key: Option<&String>,
        id: Option<i64>,
        limit: i64,
    ) -> QueryResult<Vec<Place>> {
        use crate::db::schema::search_words;
        let mut chunk = search_words::table
            .filter(search_words::kind.eq(self.kind))
            .filter(search_words::word.eq(&self.word))
            .filter(search_words::sort_key.is_not_null())
            .select((search_words::sort_key.assume_not_null(), search_words::record_id))
            .into_boxed();
        if let Scope::Region(region) = self.scope {
            chunk = chunk.filter(search_words::region_id.eq(region));
        }
        chunk = match (key, id, descending) {
            (Some(key), Some(id), false) => chunk
                .filter(search_words::sort_key.eq(key.clone()))
                .filter(search_words::record_id.gt(id)),
            (Some(key), Some(id), true) => chunk
                .filter(search_words::sort_key.eq(key.clone()))
                .filter(search_words::record_id.lt(id)),
            (Some(key), None, false) => chunk.filter(search_words::sort_key.gt(key.clone())),
            (Some(key), None, true) => chunk.filter(search_words::sort_key.lt(key.clone())),
            (None, _, _) => chunk,
        };
        chunk = if descending {
            chunk.order((search_words::sort_key.desc(), search_words::record_id.desc()))
        } else {
            chunk.order((search_words::sort_key.asc(), search_words::record_id.asc()))
        };
        chunk.limit(limit).load(conn)
    }

    /// Drops the holders before `target`; when none are left, the next chunk is read from it.
    fn seek(&mut self, target: &Place, descending: bool) {
        while self
            .read
            .front()
            .is_some_and(|front| precedes(front, target, descending))
        {
            self.read.pop_front();
        }
        if self.read.is_empty() && !self.done {
            // Just before the target: ids are whole numbers.
            let (key, id) = target;
            let before = if descending {
                id.saturating_add(1)
            } else {
                id.saturating_sub(1)
            };
            self.after = Some((key.clone(), before));
        }
    }
}

impl Holders {
    /// The first holder of any stream.
    fn head(&mut self, conn: &mut DbConn, descending: bool) -> QueryResult<Option<Place>> {
        let mut first: Option<Place> = None;
        for stream in &mut self.streams {
            if let Some(head) = stream.head(conn, descending)? {
                if first.as_ref().is_none_or(|first| precedes(head, first, descending)) {
                    first = Some(head.clone());
                }
            }
        }
        Ok(first)
    }

    fn seek(&mut self, target: &Place, descending: bool) {
        for stream in &mut self.streams {
            stream.seek(target, descending);
        }
    }

    /// Steps past `place`, in every stream that holds it.
    fn pass(&mut self, place: &Place) {
        for stream in &mut self.streams {
            if stream.read.front() == Some(place) {
                stream.read.pop_front();
            }
        }
    }
}

impl InOrder {
    /// The next record holding every word, in name order.
    pub fn next(&mut self, conn: &mut DbConn) -> QueryResult<Option<i64>> {
        let descending = self.descending;
        loop {
            // The furthest head: no record before it holds every word.
            let mut furthest: Option<Place> = None;
            for word in &mut self.words {
                let Some(head) = word.head(conn, descending)? else {
                    return Ok(None);
                };
                if furthest
                    .as_ref()
                    .is_none_or(|furthest| precedes(furthest, &head, descending))
                {
                    furthest = Some(head);
                }
            }
            let Some(target) = furthest else {
                return Ok(None);
            };
            let mut together = true;
            for word in &mut self.words {
                if word.head(conn, descending)?.as_ref() != Some(&target) {
                    word.seek(&target, descending);
                    together = false;
                }
            }
            if together {
                for word in &mut self.words {
                    word.pass(&target);
                }
                return Ok(Some(target.1));
            }
        }
    }
}

/// [`Search::rank`]: `CASE WHEN name = $q OR lower(code) = $q THEN 0 WHEN (' ' || name)
/// LIKE '% word%' AND … THEN 1 ELSE 2 END`, the same on both backends (the names are folded
/// to lower case, so SQLite's case-blind `LIKE` and PostgreSQL's agree).
#[derive(Debug, Clone)]
pub struct Rank {
    table: &'static str,
    name: &'static str,
    folded: String,
    patterns: Vec<String>,
}

sql_expression!(Rank, Integer);

impl diesel::query_builder::QueryFragment<Backend> for Rank {
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, Backend>) -> QueryResult<()> {
        out.push_sql(&format!("CASE WHEN {}.{} = ", self.table, self.name));
        out.push_bind_param::<Text, _>(&self.folded)?;
        out.push_sql(&format!(" OR lower({}.code) = ", self.table));
        out.push_bind_param::<Text, _>(&self.folded)?;
        out.push_sql(" THEN 0 WHEN ");
        for (at, pattern) in self.patterns.iter().enumerate() {
            if at > 0 {
                out.push_sql(" AND ");
            }
            out.push_sql(&format!("(' ' || {}.{}) LIKE ", self.table, self.name));
            out.push_bind_param::<Text, _>(pattern)?;
            out.push_sql(" ESCAPE '\\'");
        }
        out.push_sql(" THEN 1 ELSE 2 END");
        Ok(())
    }
}

/// Whose words of the index a condition reads: `TRUE`, `search_words.unit_id IN (the
/// subtree's units)` or `search_words.region_id = $region`.
#[derive(Debug, Clone)]
enum Among {
    /// Every record's.
    All,
    /// Those of the officials of the units whose paths lie in the range.
    Units(String, String),
    /// Those of the officials of one region.
    Region(i64),
}

impl Among {
    fn units(subtree: &Subtree) -> Among {
        Among::Units(subtree.root().to_owned(), subtree.end().to_owned())
    }
}

sql_expression!(Among, Bool);

impl diesel::query_builder::QueryFragment<Backend> for Among {
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, Backend>) -> QueryResult<()> {
        match self {
            Among::All => out.push_sql("1 = 1"),
            Among::Units(root, end) => {
                out.push_sql("search_words.unit_id IN (SELECT units.id FROM units WHERE units.path >= ");
                out.push_bind_param::<Text, _>(root)?;
                out.push_sql(" AND units.path < ");
                out.push_bind_param::<Text, _>(end)?;
                out.push_sql(")");
            }
            Among::Region(region) => {
                out.push_sql("search_words.region_id = ");
                out.push_bind_param::<diesel::sql_types::BigInt, _>(region)?;
            }
        }
        Ok(())
    }
}

/// [`Search::holders`]: `id IN (SELECT record_id FROM search_words WHERE kind IN (…) AND
/// word >= $word AND word < $end AND [among])`, one index range (one per unit of a subtree).
#[derive(Debug, Clone)]
pub struct Holds {
    id: &'static str,
    kinds: Vec<i16>,
    word: String,
    end: String,
    /// Whose words.
    among: Among,
    /// Checked for the record `id`, one look-up ([`Search::probes`]).
    probe: bool,
}

sql_expression!(Holds, Bool);

impl diesel::query_builder::QueryFragment<Backend> for Holds {
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, Backend>) -> QueryResult<()> {
        if self.probe {
            out.push_sql("EXISTS (SELECT 1 FROM search_words WHERE search_words.kind IN (");
        } else {
            out.push_sql(self.id);
            out.push_sql(" IN (SELECT search_words.record_id FROM search_words WHERE search_words.kind IN (");
        }
        for (at, kind) in self.kinds.iter().enumerate() {
            if at > 0 {
                out.push_sql(", ");
            }
            out.push_bind_param::<SmallInt, _>(kind)?;
        }
        out.push_sql(")");
        if self.probe {
            out.push_sql(" AND search_words.record_id = ");
            out.push_sql(self.id);
        }
        out.push_sql(" AND search_words.word >= ");
        out.push_bind_param::<Text, _>(&self.word)?;
        out.push_sql(" AND search_words.word < ");
        out.push_bind_param::<Text, _>(&self.end)?;
        if !matches!(self.among, Among::All) {
            out.push_sql(" AND ");
            self.among.walk_ast(out.reborrow())?;
        }
        out.push_sql(")");
        Ok(())
    }
}

/// [`Search::exact`]: `(name = $q OR lower(code) = $q)`, as [`Rank`] writes its rank 0.
#[derive(Debug, Clone)]
pub struct Exact {
    table: &'static str,
    name: &'static str,
    folded: String,
}

sql_expression!(Exact, Bool);

impl diesel::query_builder::QueryFragment<Backend> for Exact {
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, Backend>) -> QueryResult<()> {
        out.push_sql(&format!("({}.{} = ", self.table, self.name));
        out.push_bind_param::<Text, _>(&self.folded)?;
        out.push_sql(&format!(" OR lower({}.code) = ", self.table));
        out.push_bind_param::<Text, _>(&self.folded)?;
        out.push_sql(")");
        Ok(())
    }
}

/// Where the words beginning with `word` end: every one sorts at or after `word` and before
/// it followed by the last code point, byte by byte (the column's collation).
fn end_of_words_beginning(word: &str) -> String {
    format!("{word}\u{10FFFF}")
}

/// `LIKE` pattern for "a word begins with `word`" in a folded name with a space before it.
fn word_start_pattern(word: &str) -> String {
    let escaped = word.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("% {escaped}%")
}
