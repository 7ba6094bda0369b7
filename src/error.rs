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
    #[error("{0}")]
    Conflict(String),
    /// A unique key taken by another record: a 409 naming the field.
    #[error("{detail}")]
    Duplicate { field: &'static str, detail: String },
    #[error("{0}")]
    PreconditionFailed(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("the request has invalid fields")]
    Validation(FieldErrors),
    #[error("{0}")]
    TooManyRequests(String, u64),
    #[error("{0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
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
    pub code: String,
    /// For validation problems: each offending field and its messages.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = BTreeMap<String, Vec<String>>, nullable = false)]
    pub errors: Option<FieldErrors>,
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

    /// A 500 from any error; the cause is logged, never sent.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        ApiError::Internal(cause.to_string())
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

    fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest(_) => "bad_request",
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound(_) => "not_found",
            ApiError::MethodNotAllowed(_) => "method_not_allowed",
            ApiError::Conflict(_) => "conflict",
            ApiError::Duplicate { .. } => "duplicate",
            ApiError::PreconditionFailed(_) => "precondition_failed",
            ApiError::PayloadTooLarge(_) => "payload_too_large",
            ApiError::Validation(_) => "validation_failed",
            ApiError::TooManyRequests(..) => "too_many_requests",
            ApiError::Unavailable(_) => "unavailable",
            ApiError::Internal(_) => "internal",
        }
    }

    fn title(&self) -> &'static str {
        match self {
            ApiError::BadRequest(_) => "Malformed request",
            ApiError::Unauthorized(_) => "Authentication required",
            ApiError::Forbidden(_) => "Not allowed",
            ApiError::NotFound(_) => "Not found",
            ApiError::MethodNotAllowed(_) => "Method not allowed",
            ApiError::Conflict(_) => "Conflict",
            ApiError::Duplicate { .. } => "Already taken",
            ApiError::PreconditionFailed(_) => "Version mismatch",
            ApiError::PayloadTooLarge(_) => "Request body too large",
            ApiError::Validation(_) => "Invalid fields",
            ApiError::TooManyRequests(..) => "Too many attempts",
            ApiError::Unavailable(_) => "Service unavailable",
            ApiError::Internal(_) => "Internal error",
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
        Problem {
            kind: format!("/problems/{}", self.code().replace('_', "-")),
            title: self.title().to_owned(),
            status: self.status_code().as_u16(),
            detail,
            code: self.code().to_owned(),
            errors: match self {
                ApiError::Validation(errors) => Some(errors.clone()),
                ApiError::Duplicate { field, .. } => Some(FieldErrors::from([(
                    (*field).to_owned(),
                    vec!["is already taken".to_owned()],
                )])),
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
            ApiError::Conflict(_) | ApiError::Duplicate { .. } => StatusCode::CONFLICT,
            ApiError::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooManyRequests(..) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(cause) = self {
            tracing::error!(cause = ?cause, "internal error");
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

impl From<DieselError> for ApiError {
    fn from(error: DieselError) -> Self {
        match error {
            DieselError::NotFound => ApiError::NotFound("the record does not exist".to_owned()),
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => duplicate(info.as_ref()),
            DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => ApiError::Conflict(
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
        ("courses", "code") => taken("code", "course"),
        ("classes", "code") => taken("code", "class"),
        ("users", "username") => taken("username", "user"),
        ("enrollments", "class_id_official_id") => {
            ApiError::Conflict("the official is already enrolled in this class".to_owned())
        }
        ("assignments", "open" | "official_id") => {
            ApiError::Conflict("the official already has an open assignment".to_owned())
        }
        _ => ApiError::Conflict("a record with the same key already exists".to_owned()),
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

    /// A 422 listing every recorded field, or `Ok` when there is none.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.errors))
        }
    }
}

/// The value of a field that validation has made required.
pub fn required<T>(value: Option<T>, field: &str) -> Result<T, ApiError> {
    value.ok_or_else(|| ApiError::field(field, "is required"))
}
