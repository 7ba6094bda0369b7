//! Request extractors that turn every bad input into a problem naming the field:
//! JSON bodies, query strings and `If-Match`.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use validator::Validate;

use crate::error::{collect_validation, ApiError, FieldErrors};

/// The largest request body accepted, in bytes.
pub const BODY_LIMIT: usize = 64 * 1024;

/// A JSON body, deserialized and validated; every offending field is reported at once.
#[derive(Debug)]
pub struct ValidJson<T>(pub T);

impl<T> FromRequest for ValidJson<T>
where
    T: DeserializeOwned + Validate + 'static,
{
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase());
        let declared_length = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            match content_type.as_deref() {
                Some("application/json") => {}
                Some(ct) if ct.starts_with("application/") && ct.ends_with("+json") => {}
                Some(other) => {
                    return Err(ApiError::BadRequest(format!(
                        "the body must be JSON (Content-Type: application/json), not {other}"
                    )))
                }
                None => {
                    return Err(ApiError::BadRequest(
                        "the body must be JSON with Content-Type: application/json".to_owned(),
                    ))
                }
            }
            if declared_length.is_some_and(|n| n > BODY_LIMIT) {
                return Err(too_large());
            }
            let mut body = Vec::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|e| ApiError::BadRequest(format!("could not read the body: {e}")))?;
                if body.len() + chunk.len() > BODY_LIMIT {
                    return Err(too_large());
                }
                body.extend_from_slice(&chunk);
            }
            parse_json(&body).map(ValidJson)
        })
    }
}

fn too_large() -> ApiError {
    ApiError::PayloadTooLarge(format!("the body exceeds the limit of {BODY_LIMIT} bytes"))
}

/// Parses and validates a JSON body, collecting every field's problem.
pub fn parse_json<T: DeserializeOwned + Validate>(body: &[u8]) -> Result<T, ApiError> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| ApiError::BadRequest(format!("malformed JSON: {e}")))?;
    if !value.is_object() {
        return Err(ApiError::field("body", "must be a JSON object"));
    }
    let (parsed, errors) = deserialize_collecting(
        value,
        |v| serde_path_to_error::deserialize::<_, T>(v.clone()),
        |v, key| v.as_object_mut().is_some_and(|map| map.remove(key).is_some()),
    )?;
    validated(parsed, errors)
}

/// Adds validation's findings to the fields serde already rejected (a field dropped
/// for its type is not also reported as missing), and fails if there is any.
fn validated<T: Validate>(parsed: T, mut errors: FieldErrors) -> Result<T, ApiError> {
    if let Err(found) = parsed.validate() {
        let mut more = FieldErrors::new();
        collect_validation(&mut more, "", &found);
        for (field, messages) in more {
            errors.entry(field).or_insert(messages);
        }
    }
    if errors.is_empty() {
        Ok(parsed)
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// Deserializes, and on a field's error drops that field and tries again, so that
/// all wrong fields are named together. Every DTO field is optional at the serde level
/// (requiredness is a validation rule), which is what makes dropping a field safe.
fn deserialize_collecting<S, T, E: std::fmt::Display>(
    mut source: S,
    attempt: impl Fn(&S) -> Result<T, serde_path_to_error::Error<E>>,
    remove: impl Fn(&mut S, &str) -> bool,
) -> Result<(T, FieldErrors), ApiError> {
    let mut errors = FieldErrors::new();
    loop {
        match attempt(&source) {
            Ok(parsed) => return Ok((parsed, errors)),
            Err(error) => {
                let message = error.inner().to_string();
                let field = offending_field(&error.path().to_string(), &message);
                let removed = match &field {
                    Some(path) => remove(&mut source, path.split(['.', '[']).next().unwrap_or(path)),
                    None => false,
                };
                let name = field.unwrap_or_else(|| "body".to_owned());
                errors.entry(name).or_default().push(humanize(&message));
                if !removed {
                    return Err(ApiError::Validation(errors));
                }
            }
        }
    }
}

/// The field an error is about: its path, or the name serde quotes for unknown fields.
fn offending_field(path: &str, message: &str) -> Option<String> {
    if path != "." && !path.is_empty() {
        return Some(path.to_owned());
    }
    for prefix in ["unknown field `", "missing field `"] {
        if let Some(rest) = message.strip_prefix(prefix) {
            return rest.split('`').next().map(str::to_owned);
        }
    }
    None
}

fn humanize(message: &str) -> String {
    if message.starts_with("invalid digit found") || message.starts_with("cannot parse integer") {
        return "must be a whole number".to_owned();
    }
    if message.starts_with("number too large") || message.starts_with("number too small") {
        return "is out of range".to_owned();
    }
    if message.starts_with("unknown field") {
        return "is not a field of this resource, or cannot be written".to_owned();
    }
    if message.starts_with("input contains invalid characters")
        || message.starts_with("premature end of input")
        || message.starts_with("input is out of range")
        || message.starts_with("input is not enough for unique date")
        || message.starts_with("trailing input")
        || message.starts_with("no possible date and time matching input")
    {
        return "must be a real date written YYYY-MM-DD".to_owned();
    }
    message.to_owned()
}

/// A query string, deserialized and validated like a body.
#[derive(Debug)]
pub struct ValidQuery<T>(pub T);

impl<T> FromRequest for ValidQuery<T>
where
    T: DeserializeOwned + Validate + 'static,
{
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(parse_query(req.query_string()).map(ValidQuery))
    }
}

/// Parses a query string into `T`, naming every parameter that does not fit.
pub fn parse_query<T: DeserializeOwned + Validate>(query: &str) -> Result<T, ApiError> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query).map_err(|e| ApiError::BadRequest(format!("malformed query string: {e}")))?;
    let (parsed, errors) = deserialize_collecting(
        pairs,
        |pairs| {
            let encoded = serde_urlencoded::to_string(pairs).unwrap_or_default();
            let deserializer = serde_urlencoded::Deserializer::new(url::form_urlencoded::parse(encoded.as_bytes()));
            serde_path_to_error::deserialize::<_, T>(deserializer)
        },
        |pairs, key| {
            let before = pairs.len();
            pairs.retain(|(k, _)| k != key);
            pairs.len() != before
        },
    )?;
    validated(parsed, errors)
}

/// The version a client last saw, from `If-Match`; absent when the header is.
#[derive(Debug, Clone, Copy)]
pub struct IfMatch(pub Option<i32>);

impl IfMatch {
    /// The version the write's UPDATE or DELETE requires: the client's, else the one the
    /// write read (under its lock). The statement itself checks it, so that of writers
    /// that sent the same version exactly one succeeds.
    pub fn expected(self, read: i32) -> i32 {
        self.0.unwrap_or(read)
    }
}

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let parsed = match req.headers().get(header::IF_MATCH) {
            None => Ok(IfMatch(None)),
            Some(value) => value
                .to_str()
                .ok()
                .map(|v| v.trim().trim_start_matches("W/").trim_matches('"'))
                .and_then(|v| {
                    if v == "*" {
                        Some(None)
                    } else {
                        v.parse::<i32>().ok().map(Some)
                    }
                })
                .map(IfMatch)
                .ok_or_else(|| ApiError::BadRequest("If-Match must be a version, as sent in ETag".to_owned())),
        };
        std::future::ready(parsed)
    }
}

/// Serde helper for PATCH: tells an absent field from an explicit `null`.
pub fn double_option<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    serde::Deserialize::deserialize(deserializer).map(Some)
}

/// Serde helper for PATCH fields that cannot be cleared: a value, or absent, but never `null`.
pub fn present<'de, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    T::deserialize(deserializer).map(Some)
}
