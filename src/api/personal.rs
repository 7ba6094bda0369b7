//! What a response shows of a person's protected personal data — the sensitive fields and the
//! national ID in full (see [`crate::domain::personal`]) — for whom, and the processing entry
//! each disclosure leaves:
//!
//! - one person's record (`GET /officials/{id}`, a write's answer): everything, for admins and
//!   for hr within its subtree (the read checks the reach); nothing for auditors;
//! - a list: sensitive fields left out and the national ID masked, unless the caller asks
//!   (`fields=`, `include=sensitive`) and may see them; an auditor asking is a 403;
//! - every response that shows any protected value records one [`Disclosure`].

use std::future::{ready, Ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use actix_web::HttpResponse;

use super::{spool, FileOptions, PageQuery, DOWNLOAD_PAGE};
use crate::auth::{Caller, Scope};
use crate::db::{snapshot, Audit, Db, DbConn, Principal};
use crate::domain::personal::{mask_national_id, protected_fields, sensitive_fields, NATIONAL_ID, PROTECTED_COUNT};
use crate::domain::Role;
use crate::error::ApiError;
use crate::files::Table;
use crate::model::keyset::{Listed, Window};
use crate::model::official::Official;
use crate::model::processing::Disclosure;
use crate::model::Versioned;

/// `include=sensitive`: every protected field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Include {
    /// The sensitive fields and the national ID in full.
    Sensitive,
}

/// Which protected fields a response shows in full; the others are left out (sensitive) or
/// masked (the national ID).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sight {
    /// One flag per field of [`protected_fields`], in its order.
    shown: [bool; PROTECTED_COUNT],
}

impl Sight {
    /// Nothing protected.
    pub const NONE: Sight = Sight {
        shown: [false; PROTECTED_COUNT],
    };
    /// Everything.
    pub const ALL: Sight = Sight {
        shown: [true; PROTECTED_COUNT],
    };

    /// One person's record, read by `caller` (whose reach the read checks): everything for
    /// admins and hr, nothing for auditors.
    pub fn of_record(caller: &Caller) -> Sight {
        if caller.role == Role::Auditor {
            Sight::NONE
        } else {
            Sight::ALL
        }
    }

    /// A list's: the fields `fields` names (comma-separated) or all with `include=sensitive`,
    /// when `caller` may see them — a 422 on `fields` for a name that is not a protected field,
    /// a 403 for an auditor.
    pub fn asked(caller: &Caller, fields: Option<&str>, include: Option<Include>) -> Result<Sight, ApiError> {
        let mut sight = if include.is_some() { Sight::ALL } else { Sight::NONE };
        for name in fields.into_iter().flat_map(|f| f.split(',')).map(str::trim) {
            if name.is_empty() {
                continue;
            }
            let Some(at) = protected_fields().position(|field| field == name) else {
                return Err(ApiError::field(
                    "fields",
                    format!(
                        "names {name:?}, not one of the protected fields: {}",
                        protected_fields().collect::<Vec<_>>().join(", ")
                    ),
                ));
            };
            sight.shown[at] = true;
        }
        if sight != Sight::NONE && caller.role == Role::Auditor {
            return Err(ApiError::Forbidden(
                "auditors never see a person's sensitive data or full national ID (Decree 356/2025/NĐ-CP): only the aggregate counts of the reports".to_owned(),
            ));
        }
        Ok(sight)
    }

    /// Whether the field `name` is shown in full.
    pub fn shows(self, name: &str) -> bool {
        protected_fields()
            .position(|field| field == name)
            .is_none_or(|at| self.shown[at])
    }

    /// Whether a file keeps the column of the field `name`: all but the sensitive fields not
    /// shown (the national ID stays, masked).
    pub fn keeps(self, name: &str) -> bool {
        name == NATIONAL_ID || self.shows(name)
    }

    /// Applies the sight to one official as JSON: sensitive fields not shown are left out, the
    /// national ID not shown is masked. The protected fields it shows with a value.
    pub fn apply(self, object: &mut Map<String, Value>) -> Vec<&'static str> {
        let mut disclosed = Vec::new();
        for field in sensitive_fields() {
            if !self.shows(field) {
                object.remove(field);
            } else if object.get(field).is_some_and(|value| !value.is_null()) {
                disclosed.push(field);
            }
        }
        if let Some(Value::String(number)) = object.get_mut(NATIONAL_ID) {
            if self.shows(NATIONAL_ID) {
                disclosed.push(NATIONAL_ID);
            } else {
                *number = mask_national_id(number);
            }
        }
        disclosed
    }

    /// The protected fields of `official` this sight shows with a value (what a file of it
    /// discloses).
    pub fn disclosed(self, official: &Official) -> Vec<&'static str> {
        protected_fields()
            .filter(|field| self.shows(field) && official.holds(field))
            .collect()
    }

    /// Withholds from `official` what this sight does not show (cleared, or masked); whether
    /// any sensitive field was.
    pub fn withhold(self, official: &mut Official) -> bool {
        let mut withheld = false;
        for field in protected_fields().filter(|field| !self.shows(field)) {
            official.withhold(field);
            withheld |= field != NATIONAL_ID;
        }
        withheld
    }

    /// Applies the sight to an official kept as JSON text (an audit entry's `before` or
    /// `after`), its disclosure noted in `disclosure` under the official `id`.
    pub fn apply_to_text(
        self,
        text: &mut Option<String>,
        id: Option<i64>,
        disclosure: &mut Disclosure,
    ) -> Result<(), ApiError> {
        let Some(kept) = text.as_deref() else {
            return Ok(());
        };
        let Ok(Value::Object(mut object)) = serde_json::from_str::<Value>(kept) else {
            return Ok(());
        };
        let shown = self.apply(&mut object);
        if let Some(id) = id {
            disclosure.note(id, shown);
        }
        *text = Some(Value::Object(object).to_string());
        Ok(())
    }

    /// `official` as a response shows it, its disclosure noted in `disclosure`.
    pub fn show(self, official: &Official, disclosure: &mut Disclosure) -> Result<Shown, ApiError> {
        let Value::Object(mut body) = serde_json::to_value(official).map_err(ApiError::internal)? else {
            return Err(ApiError::internal("an official is not a JSON object"));
        };
        disclosure.note(official.id, self.apply(&mut body));
        Ok(Shown {
            id: official.id,
            version: official.version,
            body,
        })
    }
}

/// An official as one response shows them (see [`Sight::apply`]).
#[derive(Debug, Clone)]
pub struct Shown {
    id: i64,
    version: i32,
    body: Map<String, Value>,
}

impl Serialize for Shown {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.body.serialize(serializer)
    }
}

impl Versioned for Shown {
    fn version(&self) -> i32 {
        self.version
    }
}

impl super::Located for Shown {
    fn location(&self) -> String {
        format!("/api/v1/officials/{}", self.id)
    }
}

/// The request a disclosure is recorded under: its operation (`GET /api/v1/officials/{id}`)
/// and itself, with its query (`GET /api/v1/officials/7`).
#[derive(Debug, Clone)]
pub struct RequestLine {
    /// The method and the route's template.
    pub endpoint: String,
    /// The method, the path and the query.
    pub request: String,
}

impl RequestLine {
    /// A write's line: `endpoint` with the record's id put in.
    pub fn of_write(endpoint: &str, id: i64) -> RequestLine {
        RequestLine {
            endpoint: endpoint.to_owned(),
            request: endpoint.replace("{id}", &id.to_string()),
        }
    }
}

impl FromRequest for RequestLine {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let method = req.method();
        let template = req.match_pattern().unwrap_or_else(|| req.path().to_owned());
        let uri = req.uri();
        let request = uri.path_and_query().map_or(uri.path(), |pq| pq.as_str());
        ready(Ok(RequestLine {
            endpoint: format!("{method} {template}"),
            request: format!("{method} {request}"),
        }))
    }
}

/// A list whose page may disclose protected data: `list(conn, scope, window, disclosure)`
/// reads the page for the caller as [`super::list_records`] does, noting what it
/// shows; the disclosure is recorded before the page is answered.
pub async fn list_disclosing<T, L>(
    db: &Db,
    caller: &Caller,
    line: RequestLine,
    page: PageQuery,
    list: L,
) -> Result<HttpResponse, ApiError>
where
    T: Serialize + Send + 'static,
    L: FnOnce(&mut DbConn, &Scope, &Window, &mut Disclosure) -> Result<Listed<T>, ApiError> + Send + 'static,
{
    let window = page.window()?;
    let read = window.clone();
    let reader = caller.clone();
    let listed = db
        .run_as(caller, move |conn, scope| {
            let mut disclosure = Disclosure::default();
            let found = list(conn, scope, &read, &mut disclosure)?;
            record_read(conn, &reader, &line, &disclosure)?;
            Ok(found)
        })
        .await?;
    Ok(page.answer(&window, listed))
}

/// A download whose pages may disclose protected data: as [`super::download_records`], with
/// `table(conn, records, disclosure)` noting what each page shows; the disclosure is recorded
/// once the file is written, before it is sent.
pub async fn download_disclosing<T, L, M>(
    db: &Db,
    caller: &Caller,
    line: RequestLine,
    (file, narrow): (FileOptions, &'static str),
    load: L,
    mut table: M,
) -> Result<HttpResponse, ApiError>
where
    T: Send + 'static,
    L: FnMut(&mut DbConn, &Scope, &Window) -> Result<Listed<T>, ApiError> + Send + 'static,
    M: FnMut(&mut DbConn, Vec<T>, &mut Disclosure) -> Result<Table, ApiError> + Send + 'static,
{
    let reader = caller.clone();
    let spooled = db
        .run_as(caller, move |conn, scope| {
            let mut disclosure = Disclosure::default();
            let spooled = snapshot(conn, |conn| {
                spool(conn, scope, file, narrow, DOWNLOAD_PAGE, load, |conn, records| {
                    table(conn, records, &mut disclosure)
                })
            })?;
            record_read(conn, &reader, &line, &disclosure)?;
            Ok(spooled)
        })
        .await?;
    spooled.respond()
}

/// Records what a read disclosed to `caller`, committed (together with the disclosures of
/// reads made at the same time) before this returns.
pub fn record_read(
    conn: &mut DbConn,
    caller: &Caller,
    line: &RequestLine,
    disclosure: &Disclosure,
) -> Result<(), ApiError> {
    disclosure.record_committed(conn, &caller.actor(), &line.endpoint, &line.request)
}

/// A write's answer about one official: everything (the writer is an admin, or hr within its
/// subtree), its disclosure recorded in the write's own transaction.
pub fn answer_write(conn: &mut DbConn, audit: &Audit, endpoint: &str, official: &Official) -> Result<Shown, ApiError> {
    let mut disclosure = Disclosure::default();
    let shown = Sight::ALL.show(official, &mut disclosure)?;
    let line = RequestLine::of_write(endpoint, official.id);
    disclosure.record(conn, audit.actor(), &line.endpoint, &line.request)?;
    Ok(shown)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::domain::{
        Category, EducationLevel, Ethnicity, ForeignLanguageLevel, Gender, ItLevel, OfficialStatus,
        PoliticalTheoryLevel, Religion, StateManagementLevel,
    };
    use crate::model::UtcTime;

    /// An official with every personal field filled.
    fn filled() -> Official {
        let day = NaiveDate::from_ymd_opt(2010, 5, 19).unwrap();
        Official {
            id: 7,
            code: "A-1".to_owned(),
            full_name: "Người A".to_owned(),
            search_name: "nguoi a".to_owned(),
            given_name_key: crate::domain::given_name_key("Người A"),
            gender: Gender::Female,
            date_of_birth: Some(day),
            unit_id: 1,
            position_id: None,
            category: Category::CivilServant,
            party_joined_on: Some(day),
            status: OfficialStatus::Active,
            separated_on: None,
            education: EducationLevel::parse("none").unwrap(),
            political_theory: PoliticalTheoryLevel::parse("none").unwrap(),
            state_management: StateManagementLevel::parse("none").unwrap(),
            it: ItLevel::parse("none").unwrap(),
            foreign_language: ForeignLanguageLevel::parse("none").unwrap(),
            created_at: UtcTime(day.and_hms_opt(0, 0, 0).unwrap()),
            updated_at: UtcTime(day.and_hms_opt(0, 0, 0).unwrap()),
            version: 1,
            national_id: Some("026185001234".to_owned()),
            ethnicity: Ethnicity::parse("02"),
            religion: Religion::parse("01"),
            rank: None,
            general_education: None,
        }
    }

    /// The two ways a sight is applied — to an official's JSON (responses, the audit log) and
    /// to the record itself (files, the personnel record) — agree on every protected field of
    /// the classification, whichever are shown.
    #[test]
    fn both_ways_of_showing_an_official_agree_field_by_field() {
        let fields: Vec<&str> = protected_fields().collect();
        for shown in 0..(1u32 << fields.len()) {
            let mut sight = Sight::NONE;
            for (at, flag) in sight.shown.iter_mut().enumerate() {
                *flag = shown & (1 << at) != 0;
            }
            let official = filled();
            let Value::Object(mut json) = serde_json::to_value(&official).unwrap() else {
                panic!("an object");
            };
            let mut disclosed = sight.apply(&mut json);
            disclosed.sort_unstable();
            let mut direct = sight.disclosed(&official);
            direct.sort_unstable();
            assert_eq!(disclosed, direct, "{shown:b}");
            let mut withheld = official.clone();
            sight.withhold(&mut withheld);
            let Value::Object(cleared) = serde_json::to_value(&withheld).unwrap() else {
                panic!("an object");
            };
            for field in &fields {
                assert!(official.holds(field), "{field} is filled");
                let value = json.get(*field).cloned().unwrap_or(Value::Null);
                assert_eq!(value, cleared[*field], "{field} under {shown:b}");
            }
        }
    }
}
