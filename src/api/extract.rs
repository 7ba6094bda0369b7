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

use crate::domain::Day;
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
        let body = json_body(req, payload);
        Box::pin(async move { parse_json(&body.await?).map(ValidJson) })
    }
}

/// A request's value, built from a JSON body in one step: the body is read as
/// [`FromBody::Body`], then turned into the value by its `TryFrom`, which states what is
/// required and what only the whole body can tell (one date before another…). What the
/// conversion finds joins what parsing and validation found: one answer names every field.
#[derive(Debug)]
pub struct Valid<T>(pub T);

/// A value a handler works with, and the body a client sends for it.
pub trait FromBody: TryFrom<Self::Body, Error = FieldErrors> {
    /// The body as the client sends it (every field optional at the serde level; the
    /// schema marks those the conversion requires).
    type Body: DeserializeOwned + Validate + utoipa::ToSchema + 'static;
}

impl<T: FromBody + 'static> FromRequest for Valid<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = json_body(req, payload);
        Box::pin(async move { parse_into::<T>(&body.await?).map(Valid) })
    }
}

/// The bytes of a JSON body: refused unless it says it is JSON, and cut off at
/// [`BODY_LIMIT`] whether or not it declared its length.
fn json_body(req: &HttpRequest, payload: &mut Payload) -> impl Future<Output = Result<Vec<u8>, ApiError>> {
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
    let payload = payload.take();
    async move {
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
        read_limited(payload, declared_length, BODY_LIMIT).await
    }
}

/// A body's bytes, refused (413) past `limit` whether or not it declared its length.
pub async fn read_limited(
    mut payload: Payload,
    declared_length: Option<usize>,
    limit: usize,
) -> Result<Vec<u8>, ApiError> {
    let too_large = || ApiError::PayloadTooLarge(format!("the body exceeds the limit of {limit} bytes"));
    if declared_length.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::BadRequest(format!("could not read the body: {e}")))?;
        if body.len() + chunk.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The most members (keys) a JSON body may hold in all: far more than any resource has
/// fields, so only a body built to cost work reaches it.
pub const MAX_KEYS: usize = 256;
/// The deepest a JSON body may nest arrays and objects (a resource's fields are flat).
pub const MAX_DEPTH: usize = 16;
/// How many unknown fields a refusal names; the rest are counted.
const NAMED_UNKNOWN: usize = 10;

/// Parses and validates a JSON body, collecting every field's problem in one pass over the
/// body, linear in its size whatever its shape: unknown fields, duplicate keys and control
/// characters are found while the body is read, and only the fields `T` has are kept for
/// the typed parse that follows.
pub fn parse_json<T: DeserializeOwned + Validate>(body: &[u8]) -> Result<T, ApiError> {
    let (parsed, errors) = parse_fields::<T>(body)?;
    validated(parsed, errors)
}

/// Parses a body as `T::Body`, validates it and turns it into `T`, naming every field's
/// problem at once, whichever step found it.
pub fn parse_into<T: FromBody>(body: &[u8]) -> Result<T, ApiError> {
    let (parsed, mut errors) = parse_fields::<T::Body>(body)?;
    add_validation(&mut errors, &parsed);
    match T::try_from(parsed) {
        Ok(value) if errors.is_empty() => Ok(value),
        Ok(_) => Err(ApiError::Validation(errors)),
        Err(more) => {
            for (field, messages) in more {
                errors.entry(field).or_insert(messages);
            }
            Err(ApiError::Validation(errors))
        }
    }
}

/// The typed parse of a body, with the problems of the fields it had to drop.
fn parse_fields<T: DeserializeOwned>(body: &[u8]) -> Result<(T, FieldErrors), ApiError> {
    let fields = fields_of::<T>();
    let mut findings = Findings::default();
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let scanned = serde::de::DeserializeSeed::deserialize(
        Top {
            fields,
            findings: &mut findings,
        },
        &mut deserializer,
    )
    .and_then(|known| deserializer.end().map(|()| known));
    if findings.stopped {
        return Err(ApiError::Validation(findings.errors));
    }
    let known = match scanned {
        Ok(Some(known)) => known,
        Ok(None) => return Err(ApiError::field("body", "must be a JSON object")),
        Err(error) => return Err(ApiError::BadRequest(format!("malformed JSON: {error}"))),
    };
    typed(
        serde_json::Value::Object(known),
        findings.errors,
        |value| serde_path_to_error::deserialize::<_, T>(value),
        |value, field| value.as_object_mut().and_then(|map| map.remove(field)).is_some(),
    )
}

/// What a pass over a request finds wrong, field by field, and whether it stopped at a limit.
#[derive(Debug, Default)]
struct Findings {
    errors: FieldErrors,
    keys: usize,
    unknown: usize,
    /// The pass stopped at a limit; what it found so far is the answer.
    stopped: bool,
}

impl Findings {
    fn add(&mut self, field: &str, message: impl Into<String>) {
        let messages = self.errors.entry(shown(field)).or_default();
        let message = message.into();
        if !messages.contains(&message) {
            messages.push(message);
        }
    }

    /// An unknown field: named while few, counted after.
    fn unknown(&mut self, field: &str, message: &str) {
        self.unknown += 1;
        if self.unknown <= NAMED_UNKNOWN {
            self.add(field, message);
        } else {
            let more = self.unknown - NAMED_UNKNOWN;
            self.errors
                .insert("body".to_owned(), vec![format!("and {more} more unknown fields")]);
        }
    }
}

/// A field name as a problem shows it: at most 64 characters of what the client sent.
fn shown(field: &str) -> String {
    match field.char_indices().nth(64) {
        Some((cut, _)) => format!("{}…", &field[..cut]),
        None => field.to_owned(),
    }
}

const UNKNOWN_FIELD: &str = "is not a field of this resource, or cannot be written";
const REPEATED: &str = "is given more than once";
const CONTROL: &str = "must not contain control characters (such as NUL, a tab or a line break)";

/// Whether text holds a control character (C0, DEL or C1): none of the service's fields
/// takes one, and NUL cannot be stored in PostgreSQL text at all.
pub fn has_control(text: &str) -> bool {
    text.chars().any(char::is_control)
}

/// The body's top level: an object whose known members are kept, the rest checked and
/// dropped. `None` when the body is not an object.
struct Top<'a> {
    fields: Option<&'static [&'static str]>,
    findings: &'a mut Findings,
}

impl<'de> serde::de::DeserializeSeed<'de> for Top<'_> {
    type Value = Option<serde_json::Map<String, serde_json::Value>>;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Top<'_> {
    type Value = Option<serde_json::Map<String, serde_json::Value>>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut known = serde_json::Map::new();
        let mut seen = std::collections::HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            count_key(self.findings)?;
            let is_known = self.fields.is_none_or(|fields| fields.contains(&key.as_str()));
            let first = seen.insert(key.clone());
            if !first {
                self.findings.add(&key, REPEATED);
            } else if !is_known {
                self.findings.unknown(&key, UNKNOWN_FIELD);
            }
            let keep = first && is_known;
            let value = map.next_value_seed(Walk {
                field: &key,
                depth: 1,
                build: keep,
                findings: &mut *self.findings,
            })?;
            if let (true, Some(value)) = (keep, value) {
                known.insert(key, value);
            }
        }
        Ok(Some(known))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq
            .next_element_seed(Walk {
                field: "body",
                depth: 1,
                build: false,
                findings: &mut *self.findings,
            })?
            .is_some()
        {}
        Ok(None)
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// Counts one more key of the body; past [`MAX_KEYS`] the pass stops.
fn count_key<E: serde::de::Error>(findings: &mut Findings) -> Result<(), E> {
    findings.keys += 1;
    if findings.keys > MAX_KEYS {
        findings.add(
            "body",
            format!("has more than {MAX_KEYS} keys: no resource has nearly that many fields"),
        );
        findings.stopped = true;
        return Err(E::custom("too many keys"));
    }
    Ok(())
}

/// A member's value, walked once: its nesting bounded, its strings and keys checked, and
/// (for a field that is kept) built into a JSON value for the typed parse.
struct Walk<'a> {
    field: &'a str,
    depth: usize,
    build: bool,
    findings: &'a mut Findings,
}

impl Walk<'_> {
    fn deeper<E: serde::de::Error>(&mut self) -> Result<usize, E> {
        let depth = self.depth + 1;
        if depth > MAX_DEPTH {
            self.findings
                .add(self.field, format!("nests deeper than {MAX_DEPTH} levels"));
            self.findings.stopped = true;
            return Err(E::custom("too deep"));
        }
        Ok(depth)
    }

    fn text(&mut self, text: &str) -> Option<serde_json::Value> {
        if has_control(text) {
            self.findings.add(self.field, CONTROL);
        }
        self.build.then(|| serde_json::Value::String(text.to_owned()))
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Walk<'_> {
    type Value = Option<serde_json::Value>;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Walk<'_> {
    type Value = Option<serde_json::Value>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<Self::Value, E> {
        Ok(self.build.then_some(serde_json::Value::Bool(value)))
    }

    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Self::Value, E> {
        Ok(self.build.then(|| serde_json::Value::from(value)))
    }

    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Self::Value, E> {
        Ok(self.build.then(|| serde_json::Value::from(value)))
    }

    fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Self::Value, E> {
        Ok(self.build.then(|| serde_json::Value::from(value)))
    }

    fn visit_str<E: serde::de::Error>(mut self, value: &str) -> Result<Self::Value, E> {
        Ok(self.text(value))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(self.build.then_some(serde_json::Value::Null))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(mut self, mut seq: A) -> Result<Self::Value, A::Error> {
        let depth = self.deeper()?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Walk {
            field: self.field,
            depth,
            build: self.build,
            findings: &mut *self.findings,
        })? {
            items.extend(item);
        }
        Ok(self.build.then_some(serde_json::Value::Array(items)))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(mut self, mut map: A) -> Result<Self::Value, A::Error> {
        let depth = self.deeper()?;
        let mut object = serde_json::Map::new();
        let mut seen = std::collections::HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            count_key(self.findings)?;
            if has_control(&key) {
                self.findings.add(self.field, CONTROL);
            }
            if !seen.insert(key.clone()) {
                self.findings
                    .add(self.field, format!("has the key {:?} more than once", shown(&key)));
            }
            let value = map.next_value_seed(Walk {
                field: self.field,
                depth,
                build: self.build,
                findings: &mut *self.findings,
            })?;
            if let Some(value) = value {
                object.insert(key, value);
            }
        }
        Ok(self.build.then_some(serde_json::Value::Object(object)))
    }
}

/// The fields a struct's `Deserialize` asks for, read from the derive itself (serde hands
/// them to `deserialize_struct`); `None` for a type that is not a plain struct.
fn fields_of<T: DeserializeOwned>() -> Option<&'static [&'static str]> {
    let mut fields = None;
    let _ = T::deserialize(FieldNames(&mut fields));
    fields
}

/// A deserializer that only records the field names a struct asks for.
struct FieldNames<'a>(&'a mut Option<&'static [&'static str]>);

impl<'de> serde::Deserializer<'de> for FieldNames<'_> {
    type Error = serde::de::value::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(serde::de::Error::custom("not a struct"))
    }

    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = Some(fields);
        Err(serde::de::Error::custom("fields read"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
        unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

/// Adds validation's findings to the fields already rejected (a field dropped for its type
/// is not also reported as missing), and fails if there is any.
fn validated<T: Validate>(parsed: T, mut errors: FieldErrors) -> Result<T, ApiError> {
    add_validation(&mut errors, &parsed);
    if errors.is_empty() {
        Ok(parsed)
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// Adds what validation finds in `parsed` to the fields not already rejected.
fn add_validation<T: Validate>(errors: &mut FieldErrors, parsed: &T) {
    if let Err(found) = parsed.validate() {
        let mut more = FieldErrors::new();
        collect_validation(&mut more, "", &found);
        for (field, messages) in more {
            errors.entry(field).or_insert(messages);
        }
    }
}

/// The typed parse of what a first pass kept: on a field's error that field is dropped and
/// the parse tried again, so that all wrong fields are named together. The source holds
/// only fields `T` has, so this runs at most once per field of `T`. (Every DTO field is
/// optional at the serde level — requiredness is a validation rule — which is what makes
/// dropping a field safe.)
fn typed<S, T, E: std::fmt::Display>(
    mut source: S,
    mut errors: FieldErrors,
    attempt: impl Fn(&S) -> Result<T, serde_path_to_error::Error<E>>,
    remove: impl Fn(&mut S, &str) -> bool,
) -> Result<(T, FieldErrors), ApiError> {
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
                errors.entry(shown(&name)).or_default().push(humanize(&message));
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
    for prefix in ["unknown field `", "missing field `", "duplicate field `"] {
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
        return UNKNOWN_FIELD.to_owned();
    }
    if message.starts_with("duplicate field") {
        return REPEATED.to_owned();
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

/// A list's query string: the paging parameters and the list's own filters, read together so
/// that a parameter neither of them has is refused.
#[derive(Debug)]
pub struct Paged<T>(pub super::PageQuery, pub T);

impl<T> FromRequest for Paged<T>
where
    T: DeserializeOwned + Validate + 'static,
{
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(
            parse_parts(req.query_string()).map(|(mut page, own): (super::PageQuery, T)| {
                page.request = Some((req.path().to_owned(), req.query_string().to_owned()));
                Paged(page, own)
            }),
        )
    }
}

/// A download's query string: the file's options and the operation's own parameters, read
/// together so that a parameter neither of them has is refused. Without `format`, the
/// `Accept` header may name the format (`text/csv` or the XLSX media type); else CSV.
#[derive(Debug)]
pub struct Download<T>(pub super::FileOptions, pub T);

impl<T> FromRequest for Download<T>
where
    T: DeserializeOwned + Validate + 'static,
{
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let accepted = req
            .headers()
            .get(header::ACCEPT)
            .and_then(|value| value.to_str().ok())
            .and_then(super::FileFormat::accepted);
        std::future::ready(
            parse_parts::<super::DownloadQuery, T>(req.query_string()).map(|(download, own)| {
                let options = super::FileOptions {
                    format: download.format.or(accepted).unwrap_or_default(),
                    labels: download.labels.unwrap_or_default(),
                };
                Download(options, own)
            }),
        )
    }
}

/// Parses a query string into `T`, naming every parameter that does not fit.
pub fn parse_query<T: DeserializeOwned + Validate>(query: &str) -> Result<T, ApiError> {
    let mut findings = Findings::default();
    let pairs = query_pairs(query, &[fields_of::<T>()], &mut findings)?;
    let (parsed, errors) = typed_query::<T>(pairs, findings.errors)?;
    validated(parsed, errors)
}

/// Parses a query string that two parameter sets share: each parameter goes to the set
/// that has it (`A` first), and one that neither has is named.
fn parse_parts<A, B>(query: &str) -> Result<(A, B), ApiError>
where
    A: DeserializeOwned + Validate,
    B: DeserializeOwned + Validate,
{
    let mut findings = Findings::default();
    let first = fields_of::<A>();
    let pairs = query_pairs(query, &[first, fields_of::<B>()], &mut findings)?;
    let (first_pairs, own_pairs): (Vec<_>, Vec<_>) = pairs
        .into_iter()
        .partition(|(key, _)| first.is_some_and(|fields| fields.contains(&key.as_str())));
    let (first, errors) = typed_query::<A>(first_pairs, findings.errors)?;
    let (own, mut errors) = typed_query::<B>(own_pairs, errors)?;
    add_validation(&mut errors, &first);
    validated(own, errors).map(|own| (first, own))
}

/// The query's pairs, each checked in one pass: a parameter none of `allowed` has, one given
/// twice, or a value with a control character is named in `findings` and dropped.
fn query_pairs(
    query: &str,
    allowed: &[Option<&'static [&'static str]>],
    findings: &mut Findings,
) -> Result<Vec<(String, String)>, ApiError> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query).map_err(|e| ApiError::BadRequest(format!("malformed query string: {e}")))?;
    let mut seen = std::collections::HashSet::new();
    let mut kept = Vec::new();
    for (key, value) in pairs {
        let known = allowed
            .iter()
            .any(|fields| fields.is_none_or(|fields| fields.contains(&key.as_str())));
        if !known {
            findings.unknown(&key, "is not a parameter of this operation");
        } else if !seen.insert(key.clone()) {
            findings.add(&key, REPEATED);
        } else if has_control(&value) {
            findings.add(&key, CONTROL);
        } else {
            kept.push((key, value));
        }
    }
    Ok(kept)
}

/// The typed parse of checked query pairs, dropping a wrong parameter and trying again.
fn typed_query<T: DeserializeOwned>(
    pairs: Vec<(String, String)>,
    errors: FieldErrors,
) -> Result<(T, FieldErrors), ApiError> {
    typed(
        pairs,
        errors,
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
    )
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

/// The header as the OpenAPI document declares it, on every PATCH and DELETE.
impl utoipa::IntoParams for IfMatch {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        use utoipa::openapi::Required;
        vec![ParameterBuilder::new()
            .name("If-Match")
            .parameter_in(ParameterIn::Header)
            .description(Some("The version last read (its `ETag`)."))
            .required(Required::False)
            .schema(Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .pattern(Some(r#"^(\*|(W/)?"?[0-9]{1,9}"?)$"#)),
            ))
            .build()]
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

/// Serde helper for an optional day (`null` or absent is none): a [`Day`], so that only
/// real dates from 1900-01-01 to 2100-12-31 get through.
pub fn day<'de, D>(deserializer: D) -> Result<Option<chrono::NaiveDate>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    <Option<Day> as serde::Deserialize>::deserialize(deserializer).map(|day| day.map(Day::get))
}

/// [`day`] for a PATCH field that can be cleared: absent, `null`, or a day.
pub fn patched_day<'de, D>(deserializer: D) -> Result<Option<Option<chrono::NaiveDate>>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    day(deserializer).map(Some)
}

/// [`day`] for a PATCH field that cannot be cleared: absent or a day, never `null`.
pub fn present_day<'de, D>(deserializer: D) -> Result<Option<chrono::NaiveDate>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    <Day as serde::Deserialize>::deserialize(deserializer).map(|day| Some(day.get()))
}

/// Declares the body of a PATCH: every field may be absent (kept as it is), and each says
/// what `null` does. `name: set T` can be changed but not cleared (`null` is refused, and
/// the document says the field is not nullable); `name: clearable T` can be changed or
/// cleared with `null`; `clearable String as Level` documents the text as another schema.
/// `Day` fields take [`Day`]'s calendar and range checks and arrive as `NaiveDate`. A field's own `#[validate]` and `#[schema]` attributes come with it.
macro_rules! patch_body {
    (
        $(#[$meta:meta])*
        pub struct $name:ident { $($fields:tt)* }
    ) => {
        $crate::api::extract::patch_body!(@field [$(#[$meta])* pub struct $name] [] $($fields)*);
    };
    (@field $head:tt [$($out:tt)*] $(#[$attr:meta])* $field:ident: set Day, $($rest:tt)*) => {
        $crate::api::extract::patch_body!(@field $head [$($out)*
            $(#[$attr])*
            #[serde(default, deserialize_with = "crate::api::extract::present_day")]
            #[schema(value_type = Day, nullable = false)]
            pub $field: Option<chrono::NaiveDate>,
        ] $($rest)*);
    };
    (@field $head:tt [$($out:tt)*] $(#[$attr:meta])* $field:ident: clearable Day, $($rest:tt)*) => {
        $crate::api::extract::patch_body!(@field $head [$($out)*
            $(#[$attr])*
            #[serde(default, deserialize_with = "crate::api::extract::patched_day")]
            #[schema(value_type = Option<Day>)]
            pub $field: Option<Option<chrono::NaiveDate>>,
        ] $($rest)*);
    };
    (@field $head:tt [$($out:tt)*] $(#[$attr:meta])* $field:ident: set $type:ty, $($rest:tt)*) => {
        $crate::api::extract::patch_body!(@field $head [$($out)*
            $(#[$attr])*
            #[serde(default, deserialize_with = "crate::api::extract::present")]
            #[schema(nullable = false)]
            pub $field: Option<$type>,
        ] $($rest)*);
    };
    (@field $head:tt [$($out:tt)*] $(#[$attr:meta])* $field:ident: clearable $type:ty as $schema:ty, $($rest:tt)*) => {
        $crate::api::extract::patch_body!(@field $head [$($out)*
            $(#[$attr])*
            #[serde(default, deserialize_with = "crate::api::extract::double_option")]
            #[schema(value_type = Option<$schema>)]
            pub $field: Option<Option<$type>>,
        ] $($rest)*);
    };
    (@field $head:tt [$($out:tt)*] $(#[$attr:meta])* $field:ident: clearable $type:ty, $($rest:tt)*) => {
        $crate::api::extract::patch_body!(@field $head [$($out)*
            $(#[$attr])*
            #[serde(default, deserialize_with = "crate::api::extract::double_option")]
            #[schema(value_type = Option<$type>)]
            pub $field: Option<Option<$type>>,
        ] $($rest)*);
    };
    (@field [$($head:tt)*] [$($out:tt)*]) => {
        #[derive(Debug, serde::Deserialize, validator::Validate, utoipa::ToSchema)]
        #[serde(deny_unknown_fields)]
        $($head)* { $($out)* }
    };
}
pub(crate) use patch_body;
