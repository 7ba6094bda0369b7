//! The one error type of the API and its RFC 9457 problem-details body.

use std::collections::BTreeMap;

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use serde::Serialize;
use utoipa::ToSchema;

/// Offending fields and what is wrong with each.
pub type FieldErrors = BTreeMap<String, Vec<String>>;

/// Declares the problem codes: each one's snake_case code and the title its problems carry.
/// The OpenAPI document lists them as the values of `Problem.code`.
macro_rules! problem_codes {
    ($($variant:ident = $code:literal, $title:literal, $meaning:literal;)+) => {
        /// A stable snake_case code for programs to branch on.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum ProblemCode {
            $(#[doc = $meaning] $variant,)+
        }

        impl ProblemCode {
            /// Every code.
            pub const ALL: &'static [ProblemCode] = &[$(ProblemCode::$variant,)+];

            /// The code as sent.
            pub fn code(self) -> &'static str {
                match self { $(ProblemCode::$variant => $code,)+ }
            }

            /// The short, stable summary sent as the problem's `title`.
            pub fn title(self) -> &'static str {
                match self { $(ProblemCode::$variant => $title,)+ }
            }
        }

        impl utoipa::PartialSchema for ProblemCode {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($code,)+]))
                    .description(Some(concat!(
                        "A stable snake_case code for programs to branch on: ",
                        $("`", $code, "`: ", $meaning, ". ",)+
                    )))
                    .into()
            }
        }

        impl utoipa::ToSchema for ProblemCode {}

        impl Serialize for ProblemCode {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.code())
            }
        }
    };
}

problem_codes! {
    BadRequest = "bad_request", "Malformed request", "malformed JSON or query string (400)";
    Unauthorized = "unauthorized", "Authentication required", "no valid bearer token, or bad credentials (401)";
    Forbidden = "forbidden", "Not allowed", "the caller's role or reach does not allow it (403)";
    NotFound = "not_found", "Not found", "no such record or path (404)";
    MethodNotAllowed = "method_not_allowed", "Method not allowed", "the path does not take this method (405)";
    Duplicate = "duplicate", "Already taken", "a code or username another record has; `errors` names the field (409)";
    AlreadyEnrolled = "already_enrolled", "Already enrolled", "the official is already enrolled in the class (409)";
    AlreadyAssigned = "already_assigned", "Already assigned", "the official already has an open assignment (409)";
    ClassFull = "class_full", "Class full", "no seat is left in the class (409)";
    ClassCancelled = "class_cancelled", "Class cancelled", "the class is cancelled and takes no enrollments (409)";
    IllegalTransition = "illegal_transition", "Status change not allowed", "the record's status does not allow this change of status (409)";
    NotActive = "not_active", "Official not active", "the official is no longer active, or was not on that day (409)";
    StillReferenced = "still_referenced", "Still referenced", "other records still refer to the record (409)";
    PartOfHistory = "part_of_history", "Part of the history", "the record is part of the training history and cannot change this way (409)";
    SelfLockout = "self_lockout", "Would lock the admin out", "an admin cannot delete, disable or demote themselves (409)";
    NotEmpty = "database_not_empty", "Database not empty", "the database already holds records (409)";
    PlanNotEditable = "plan_not_editable", "Plan not editable", "the training plan has been submitted, approved or closed: only its status can change (409)";
    Conflict = "conflict", "Conflict", "another conflict with the stored data (409)";
    StaleVersion = "stale_version", "Version mismatch", "the record is no longer at the version given (412)";
    PayloadTooLarge = "payload_too_large", "Request body too large", "the body exceeds the size limit (413)";
    ValidationFailed = "validation_failed", "Invalid fields", "invalid fields; `errors` names each (422)";
    InvalidRows = "invalid_rows", "Invalid rows", "an imported file has errors; `rows` lists every one with its row, column and cell, and nothing was written (422)";
    TooManyRequests = "too_many_requests", "Too many attempts", "too many failed logins: wait for `Retry-After` (429)";
    Unavailable = "unavailable", "Service unavailable", "the database is unreachable (503)";
    Internal = "internal", "Internal error", "a fault of the service, logged (500)";
}

/// Why a request conflicts with the records as they are (a 409): each its own code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConflictKind {
    AlreadyEnrolled,
    AlreadyAssigned,
    ClassFull,
    ClassCancelled,
    IllegalTransition,
    NotActive,
    StillReferenced,
    PartOfHistory,
    SelfLockout,
    NotEmpty,
    PlanNotEditable,
    /// A conflict the database found that none of the above names.
    Other,
}

impl ConflictKind {
    fn code(self) -> ProblemCode {
        match self {
            ConflictKind::AlreadyEnrolled => ProblemCode::AlreadyEnrolled,
            ConflictKind::AlreadyAssigned => ProblemCode::AlreadyAssigned,
            ConflictKind::ClassFull => ProblemCode::ClassFull,
            ConflictKind::ClassCancelled => ProblemCode::ClassCancelled,
            ConflictKind::IllegalTransition => ProblemCode::IllegalTransition,
            ConflictKind::NotActive => ProblemCode::NotActive,
            ConflictKind::StillReferenced => ProblemCode::StillReferenced,
            ConflictKind::PartOfHistory => ProblemCode::PartOfHistory,
            ConflictKind::SelfLockout => ProblemCode::SelfLockout,
            ConflictKind::NotEmpty => ProblemCode::NotEmpty,
            ConflictKind::PlanNotEditable => ProblemCode::PlanNotEditable,
            ConflictKind::Other => ProblemCode::Conflict,
        }
    }
}

/// Every way a request can fail; each maps to one status and one stable code.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    MethodNotAllowed(String),
    /// A conflict with the records as they are: a 409 with the cause's own code.
    #[error("{1}")]
    Conflict(ConflictKind, String),
    /// A unique key taken by another record: a 409 naming the field.
    #[error("{detail}")]
    Duplicate { field: &'static str, detail: String },
    #[error("{0}")]
    PreconditionFailed(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("the request has invalid fields")]
    Validation(FieldErrors),
    /// An imported file's errors, every one of them: a 422 listing them.
    #[error("the file has {} errors", .0.len())]
    Rows(Vec<RowError>),
    #[error("{0}")]
    TooManyRequests(String, u64),
    #[error("{0}")]
    Unavailable(String),
    /// A fault of the service: a 500. The cause, with its whole chain, is logged, never sent.
    #[error("internal error: {0}")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// An RFC 9457 problem-details body, sent as `application/problem+json`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI reference naming the kind of problem: `/problems/<code>`.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short, stable summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong in this request.
    pub detail: String,
    /// A stable snake_case code for programs to branch on.
    pub code: ProblemCode,
    /// For validation problems: each offending field and its messages.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = BTreeMap<String, Vec<String>>, nullable = false)]
    pub errors: Option<FieldErrors>,
    /// For an imported file with errors: every error, by row.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub rows: Option<Vec<RowError>>,
}

/// One error of an imported file, where a spreadsheet shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RowError {
    /// The row, as the spreadsheet numbers it (1 is the header).
    pub row: u32,
    /// The column's header as written (empty for the whole row).
    pub column: String,
    /// The cell (`E7`), or the row alone (`7`) when no column is meant.
    pub cell: String,
    /// The cell's value as read.
    pub value: String,
    /// What is wrong, in plain words.
    pub message: String,
}

impl ApiError {
    /// A 422 naming one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::new();
        errors.insert(field.to_owned(), vec![message.into()]);
        ApiError::Validation(errors)
    }

    /// A missing record named by a field of the request: a 404 becomes a 422 on `field`.
    pub fn on_field(self, field: &str) -> Self {
        match self {
            ApiError::NotFound(message) => ApiError::field(field, message),
            other => other,
        }
    }

    /// A 500 from any error (or a message); the cause is logged, never sent.
    pub fn internal(cause: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        ApiError::Internal(cause.into())
    }

    /// A 412: the record is no longer at the version the client (or the write) expected.
    pub fn stale(entity: &str, id: i64, expected: i32) -> Self {
        ApiError::PreconditionFailed(format!(
            "{entity} {id} is no longer at version {expected}: read it again"
        ))
    }

    /// A 404 for the record of `entity` with `id`.
    pub fn not_found(entity: &str, id: i64) -> Self {
        ApiError::NotFound(format!("{entity} {id} does not exist"))
    }

    /// The problem's code.
    pub fn code(&self) -> ProblemCode {
        match self {
            ApiError::BadRequest(_) => ProblemCode::BadRequest,
            ApiError::Unauthorized(_) => ProblemCode::Unauthorized,
            ApiError::Forbidden(_) => ProblemCode::Forbidden,
            ApiError::NotFound(_) => ProblemCode::NotFound,
            ApiError::MethodNotAllowed(_) => ProblemCode::MethodNotAllowed,
            ApiError::Conflict(kind, _) => kind.code(),
            ApiError::Duplicate { .. } => ProblemCode::Duplicate,
            ApiError::PreconditionFailed(_) => ProblemCode::StaleVersion,
            ApiError::PayloadTooLarge(_) => ProblemCode::PayloadTooLarge,
            ApiError::Validation(_) => ProblemCode::ValidationFailed,
            ApiError::Rows(_) => ProblemCode::InvalidRows,
            ApiError::TooManyRequests(..) => ProblemCode::TooManyRequests,
            ApiError::Unavailable(_) => ProblemCode::Unavailable,
            ApiError::Internal(_) => ProblemCode::Internal,
        }
    }

    /// The problem-details body for this error.
    pub fn problem(&self) -> Problem {
        let detail = match self {
            ApiError::Internal(_) => "an internal error occurred; it has been logged".to_owned(),
            ApiError::Validation(errors) => {
                let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
                format!("invalid fields: {}", fields.join(", "))
            }
            other => other.to_string(),
        };
        let code = self.code();
        Problem {
            kind: format!("/problems/{}", code.code().replace('_', "-")),
            title: code.title().to_owned(),
            status: self.status_code().as_u16(),
            detail,
            code,
            errors: match self {
                ApiError::Validation(errors) => Some(errors.clone()),
                ApiError::Duplicate { field, .. } => Some(FieldErrors::from([(
                    (*field).to_owned(),
                    vec!["is already taken".to_owned()],
                )])),
                _ => None,
            },
            rows: match self {
                ApiError::Rows(rows) => Some(rows.clone()),
                _ => None,
            },
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict(..) | ApiError::Duplicate { .. } => StatusCode::CONFLICT,
            ApiError::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Validation(_) | ApiError::Rows(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooManyRequests(..) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(cause) = self {
            tracing::error!(cause = %chain(cause.as_ref()), "internal error");
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        ));
        if let ApiError::Unauthorized(_) = self {
            response.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
        }
        if let ApiError::TooManyRequests(_, seconds) = self {
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        response.json(self.problem())
    }
}

/// An error and each of its sources, `outer: inner: …`.
fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("the disk is full")]
    struct Disk;

    #[derive(Debug, thiserror::Error)]
    #[error("cannot write the audit entry")]
    struct Write(#[source] Disk);

    #[test]
    fn an_internal_error_keeps_its_cause_chain_for_the_log() {
        let error = ApiError::internal(Write(Disk));
        let ApiError::Internal(cause) = &error else {
            panic!("not internal: {error:?}");
        };
        assert_eq!(chain(cause.as_ref()), "cannot write the audit entry: the disk is full");
        assert!(std::error::Error::source(&error).is_some());
        // The client hears only that something failed.
        assert_eq!(error.problem().detail, "an internal error occurred; it has been logged");
        assert_eq!(error.problem().code, ProblemCode::Internal);
    }

    #[test]
    fn each_code_is_snake_case_and_used_once() {
        let codes: std::collections::BTreeSet<&str> = ProblemCode::ALL.iter().map(|c| c.code()).collect();
        assert_eq!(codes.len(), ProblemCode::ALL.len());
        assert!(codes
            .iter()
            .all(|c| c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_')));
    }
}

impl From<DieselError> for ApiError {
    fn from(error: DieselError) -> Self {
        match error {
            DieselError::NotFound => ApiError::NotFound("the record does not exist".to_owned()),
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => duplicate(info.as_ref()),
            DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => ApiError::Conflict(
                ConflictKind::Other,
                "the record is referenced by, or refers to, records that forbid this change".to_owned(),
            ),
            other => ApiError::internal(other),
        }
    }
}

/// A unique violation in the API's own words: which key of which record is taken. The
/// database says it its own way — SQLite `UNIQUE constraint failed: officials.code`,
/// PostgreSQL the constraint `officials_code_key` or index `assignments_open` — and
/// neither wording reaches the client.
fn duplicate(info: &dyn diesel::result::DatabaseErrorInformation) -> ApiError {
    let (table, key) = match (info.table_name(), info.constraint_name()) {
        (Some(table), Some(constraint)) => (
            table.to_owned(),
            constraint
                .strip_prefix(&format!("{table}_"))
                .unwrap_or(constraint)
                .trim_end_matches("_key")
                .to_owned(),
        ),
        _ => {
            let columns = info.message().rsplit(": ").next().unwrap_or_default();
            let table = columns.split('.').next().unwrap_or_default().to_owned();
            let key = columns
                .split(", ")
                .filter_map(|column| column.split_once('.').map(|(_, name)| name))
                .collect::<Vec<_>>()
                .join("_");
            (table, key)
        }
    };
    let taken = |field: &'static str, entity: &str| ApiError::Duplicate {
        field,
        detail: format!("another {entity} already has this {field}"),
    };
    match (table.as_str(), key.as_str()) {
        ("units", "code") => taken("code", "unit"),
        ("positions", "code") => taken("code", "position"),
        ("officials", "code") => taken("code", "official"),
        ("officials", "national_id") => taken("national_id", "official"),
        ("official_ranks", "official_id_since") => ApiError::Duplicate {
            field: "since",
            detail: "the official already has a rank from this day".to_owned(),
        },
        ("courses", "code") => taken("code", "course"),
        ("classes", "code") => taken("code", "class"),
        ("users", "username") => taken("username", "user"),
        ("plan_needs", "level" | "official_id_year_dimension_level") => ApiError::Duplicate {
            field: "official_id",
            detail: "the official already has a need for this level this year".to_owned(),
        },
        ("plan_needs", "item" | "item_id_official_id") => ApiError::Duplicate {
            field: "official_id",
            detail: "the official is already registered for this item".to_owned(),
        },
        ("plans", "unit_id_year") => ApiError::Duplicate {
            field: "year",
            detail: "the unit already has a training plan for this year".to_owned(),
        },
        ("enrollments", "class_id_official_id") => ApiError::Conflict(
            ConflictKind::AlreadyEnrolled,
            "the official is already enrolled in this class".to_owned(),
        ),
        ("assignments", "open" | "official_id") => ApiError::Conflict(
            ConflictKind::AlreadyAssigned,
            "the official already has an open assignment".to_owned(),
        ),
        _ => ApiError::Conflict(
            ConflictKind::Other,
            "a record with the same key already exists".to_owned(),
        ),
    }
}

impl From<diesel::r2d2::PoolError> for ApiError {
    fn from(error: diesel::r2d2::PoolError) -> Self {
        tracing::error!(%error, "no database connection");
        ApiError::Unavailable("the database is unreachable".to_owned())
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(error: actix_web::error::BlockingError) -> Self {
        ApiError::internal(error)
    }
}

impl From<validator::ValidationErrors> for ApiError {
    fn from(errors: validator::ValidationErrors) -> Self {
        let mut fields = FieldErrors::new();
        collect_validation(&mut fields, "", &errors);
        ApiError::Validation(fields)
    }
}

/// Flattens validator's nested errors into `field: [messages]`.
pub fn collect_validation(out: &mut FieldErrors, prefix: &str, errors: &validator::ValidationErrors) {
    use validator::ValidationErrorsKind;
    for (field, kind) in errors.errors() {
        let name = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(list) => {
                let messages = out.entry(name).or_default();
                for error in list {
                    messages.push(match &error.message {
                        Some(message) => message.to_string(),
                        None => describe_validation(error),
                    });
                }
            }
            ValidationErrorsKind::Struct(inner) => collect_validation(out, &name, inner),
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    collect_validation(out, &format!("{name}[{index}]"), inner);
                }
            }
        }
    }
}

fn describe_validation(error: &validator::ValidationError) -> String {
    let param = |key: &str| error.params.get(key).map(|v| v.to_string());
    match error.code.as_ref() {
        "required" => "is required".to_owned(),
        "length" => match (param("min"), param("max")) {
            (Some(min), Some(max)) => format!("must be {min} to {max} characters long"),
            (Some(min), None) => format!("must be at least {min} characters long"),
            (None, Some(max)) => format!("must be at most {max} characters long"),
            _ => "has an invalid length".to_owned(),
        },
        "range" => match (param("min"), param("max")) {
            (Some(min), Some(max)) => format!("must be between {min} and {max}"),
            (Some(min), None) => format!("must be at least {min}"),
            (None, Some(max)) => format!("must be at most {max}"),
            _ => "is out of range".to_owned(),
        },
        other => format!("is invalid ({other})"),
    }
}

/// Collects field errors from checks that need more than one field or the database.
#[derive(Debug, Default)]
pub struct Checks {
    errors: FieldErrors,
}

impl Checks {
    /// Records that `field` is wrong.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.errors.entry(field.to_owned()).or_default().push(message.into());
    }

    /// Records the message when `failed` holds.
    pub fn check(&mut self, failed: bool, field: &str, message: impl Into<String>) {
        if failed {
            self.add(field, message);
        }
    }

    /// Takes the outcome of a lookup of a referenced record (`None` when nothing was
    /// referenced): its 422 joins the other fields' problems; any other error stops here.
    pub fn reference<T>(&mut self, outcome: Option<Result<T, ApiError>>) -> Result<Option<T>, ApiError> {
        match outcome {
            None => Ok(None),
            Some(Ok(record)) => Ok(Some(record)),
            Some(Err(ApiError::Validation(fields))) => {
                for (field, messages) in fields {
                    self.errors.entry(field).or_default().extend(messages);
                }
                Ok(None)
            }
            Some(Err(other)) => Err(other),
        }
    }

    /// The value of a field the request must give; `None` (and the field named) when it
    /// did not.
    pub fn required<T>(&mut self, value: Option<T>, field: &str) -> Option<T> {
        if value.is_none() {
            self.add(field, "is required");
        }
        value
    }

    /// The value `build` makes of the fields checked (it takes each required one with `?`),
    /// when nothing was recorded; else every field's problem.
    pub fn into_value<T>(self, build: impl FnOnce() -> Option<T>) -> Result<T, FieldErrors> {
        match build() {
            Some(value) if self.errors.is_empty() => Ok(value),
            _ => Err(self.errors),
        }
    }

    /// A 422 listing every recorded field, or `Ok` when there is none.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.errors))
        }
    }
}
