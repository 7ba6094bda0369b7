//! The HTTP API: one folder per resource, one file per handler, and the helpers they share.

pub mod audit;
pub mod auth;
pub mod classes;
pub mod courses;
pub mod enrollments;
pub mod enums;
pub mod extract;
pub mod health;
pub mod imports;
pub mod officials;
pub mod personal;
pub mod plans;
pub mod positions;
pub mod processing;
pub mod reports;
pub mod units;
pub mod users;

use std::collections::BTreeMap;

use actix_web::http::header;
use actix_web::HttpResponse;
use serde::{Deserialize, Serialize};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{IntoParams, ToSchema};
use validator::{Validate, ValidationError};

use crate::auth::Scope;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::model::keyset::{Cursor, Listed, Window};
use crate::model::Versioned;
use extract::IfMatch;

/// What handlers need, in one import.
pub mod prelude {
    pub use actix_web::{delete, get, patch, post, web, HttpResponse};
    pub use serde::Deserialize;
    pub use utoipa::{IntoParams, ToSchema};
    pub use validator::Validate;

    pub(crate) use super::extract::patch_body;
    pub use super::extract::{day, Download, FromBody, IfMatch, Paged, Valid, ValidJson, ValidQuery};
    pub use super::{
        created, delete_record, download_records, list_records, not_blank, read_record, update_record, with_etag,
        BadRequest, CatalogueListErrors, CatalogueReadErrors, Conflict, CreateErrors, Created, DeleteErrors,
        DownloadQuery, FileDownload, FileFormat, FileOptions, Forbidden, ListErrors, NotFound, Page, PageQuery,
        PreconditionFailed, ReadErrors, TooLarge, TooManyRequests, Unauthorized, Unprocessable, UpdateErrors,
    };
    pub(crate) use super::{delete_handler, list_handlers, read_handler, update_handler};
    pub use crate::auth::{Admin, Caller, Overseer, Scope, Writer};
    pub use crate::db::Db;
    pub use crate::domain::{AuditAction, AuditEntity, Code, Day, Name};
    pub use crate::error::{ApiError, Checks, ConflictKind, FieldErrors};
    pub use crate::model::keyset::{Listed, Window};
}

/// The largest page a list returns.
pub const MAX_LIMIT: i64 = 500;
/// The page size when `limit` is absent.
pub const DEFAULT_LIMIT: i64 = 50;

/// Paging parameters every list takes.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// How many items to return (1 to 500, default 50).
    #[validate(range(min = 1, max = 500))]
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// How many items to skip (default 0); for small offsets — deeper pages follow `next`.
    #[validate(range(min = 0))]
    #[param(minimum = 0)]
    pub offset: Option<i64>,
    /// Where the page begins: the `next` of the page before, as it was given (opaque), with
    /// the same filters and order; not with `offset`. Records written or deleted meanwhile
    /// neither repeat nor shift the pages that follow.
    #[validate(length(max = 2000))]
    #[param(max_length = 2000)]
    pub cursor: Option<String>,
    /// `false` leaves `total` out, and with it the counting of every match (default `true`).
    pub count: Option<bool>,
    /// The request's path and query, for the `Link` to the next page.
    #[serde(skip)]
    pub request: Option<(String, String)>,
}

impl PageQuery {
    /// The limit to apply.
    pub fn limit(&self) -> i64 {
        self.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT)
    }

    /// Which records the page holds; a 422 on a cursor that is not one, or given with `offset`.
    pub fn window(&self) -> Result<Window, ApiError> {
        let mut window = Window {
            limit: self.limit(),
            offset: self.offset.unwrap_or(0).max(0),
            after: None,
            count: self.count.unwrap_or(true),
        };
        if let Some(text) = &self.cursor {
            if self.offset.is_some() {
                return Err(ApiError::field("offset", "must not be given with `cursor`"));
            }
            window.after = Some(Cursor::decode(text)?);
        }
        Ok(window)
    }

    /// The answer: the page as JSON, with a `Link` to the next one (RFC 8288).
    pub fn answer<T: Serialize>(&self, window: &Window, listed: Listed<T>) -> HttpResponse {
        let next = listed.next.as_ref().map(Cursor::encode);
        let mut response = HttpResponse::Ok();
        if let (Some(next), Some((path, query))) = (&next, &self.request) {
            let mut pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
            pairs.retain(|(key, _)| key != "cursor" && key != "offset");
            pairs.push(("cursor".to_owned(), next.clone()));
            let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
            response.insert_header((header::LINK, format!("<{path}?{query}>; rel=\"next\"")));
        }
        response.json(Page {
            items: listed.items,
            total: listed.total,
            limit: window.limit,
            offset: window.offset,
            next,
        })
    }
}

pub use crate::files::{FileFormat, FileOptions, Labels};

/// What every download takes besides the operation's own parameters.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DownloadQuery {
    /// The file's format (default `csv`, or what `Accept` names: `text/csv` or the XLSX media type).
    pub format: Option<FileFormat>,
    /// For people (`vi`, the default): Vietnamese headers and labels, and in CSV decimal commas; for programs (`codes`): field keys, the API's codes and decimal points.
    pub labels: Option<Labels>,
}

/// One page of a collection.
#[derive(Debug, Serialize)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// How many items match the filters in all (left out with `count=false`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<i64>,
    /// The page size applied.
    pub limit: i64,
    /// How many items were skipped.
    pub offset: i64,
    /// Where the next page begins, for `cursor`; null on the last page.
    pub next: Option<String>,
}

/// `Page_<Item>`, whose `items` refer to the item's own schema: a derived schema would copy
/// the item's schema into every page (utoipa inlines type parameters), and generated
/// clients would then have a second class for each record type. (`ComposeSchema` is what
/// utoipa's derive implements for a generic type; `PartialSchema` follows from it. The
/// schema it would have inlined for `T` is not used.)
impl<T: ToSchema> utoipa::__dev::ComposeSchema for Page<T> {
    fn compose(_: Vec<RefOr<utoipa::openapi::schema::Schema>>) -> RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ArrayBuilder, KnownFormat, ObjectBuilder, SchemaFormat, Type};
        let count = |description: &str| {
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
                .description(Some(description))
        };
        ObjectBuilder::new()
            .description(Some("One page of a collection."))
            .property(
                "items",
                ArrayBuilder::new()
                    .items(Ref::from_schema_name(T::name()))
                    .description(Some("The items of this page.")),
            )
            .property(
                "total",
                count("How many items match the filters in all (left out with `count=false`)."),
            )
            .property("limit", count("The page size applied."))
            .property(
                "offset",
                count("How many items were skipped (0 for a page read from a cursor)."),
            )
            .property(
                "next",
                ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::SchemaType::from_iter([
                        Type::String,
                        Type::Null,
                    ]))
                    .description(Some(
                        "Where the next page begins (opaque), for `cursor`; null on the last page. \
                         The `Link` header (rel=\"next\") gives the next page's URL too.",
                    )),
            )
            .required("items")
            .required("limit")
            .required("offset")
            .required("next")
            .into()
    }
}

impl<T: ToSchema> ToSchema for Page<T> {
    fn name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("Page")
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<utoipa::openapi::schema::Schema>)>) {
        schemas.push((T::name().into_owned(), T::schema()));
        T::schemas(schemas);
    }
}

/// Where a record is read, as `Location` names it: every path of the API's records, in one
/// place.
pub trait Located {
    /// The record's path.
    fn location(&self) -> String;
}

macro_rules! located {
    ($($record:ty => |$it:ident| $path:expr;)+) => {
        $(impl Located for $record {
            fn location(&self) -> String {
                let $it = self;
                $path
            }
        })+
    };
}

located! {
    crate::model::unit::Unit => |unit| format!("/api/v1/units/{}", unit.id);
    crate::model::position::Position => |position| format!("/api/v1/positions/{}", position.id);
    crate::model::official::Official => |official| format!("/api/v1/officials/{}", official.id);
    crate::model::qualification::Qualification => |record| {
        format!("/api/v1/officials/{}/qualifications/{}", record.official_id, record.id)
    };
    crate::model::rank::RankRecord => |record| format!("/api/v1/officials/{}/ranks/{}", record.official_id, record.id);
    crate::model::course::Course => |course| format!("/api/v1/courses/{}", course.id);
    crate::model::class::ClassView => |view| format!("/api/v1/classes/{}", view.class.id);
    crate::model::enrollment::EnrollmentView => |view| format!("/api/v1/enrollments/{}", view.enrollment.id);
    crate::model::user::User => |user| format!("/api/v1/users/{}", user.id);
    crate::model::plan::PlanView => |view| format!("/api/v1/plans/{}", view.plan.id);
    crate::model::plan::PlanItem => |item| format!("/api/v1/plan-items/{}", item.id);
    crate::model::plan_need::NeedView => |view| format!("/api/v1/plan-needs/{}", view.need.id);
    crate::model::import::ImportRecord => |record| format!("/api/v1/imports/{}/{}", record.kind, record.id);
}

/// `201 Created` with the record's `Location` and `ETag`.
pub fn created<T: Serialize + Versioned + Located>(record: &T) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((header::LOCATION, record.location()))
        .insert_header((header::ETAG, format!("\"{}\"", record.version())))
        .json(record)
}

/// `200 OK` with the record's `ETag`.
pub fn with_etag<T: Serialize + Versioned>(record: &T) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ETAG, format!("\"{}\"", record.version())))
        .json(record)
}

/// Every list of records: `list(conn, scope, window)` reads one page for the caller (its
/// items, how many match in all unless `count=false`, where the next begins); the answer is
/// that page, with a `Link` to the next.
pub async fn list_records<T, L>(
    db: &crate::db::Db,
    caller: &crate::auth::Caller,
    page: PageQuery,
    list: L,
) -> Result<HttpResponse, ApiError>
where
    T: Serialize + Send + 'static,
    L: FnOnce(&mut DbConn, &Scope, &Window) -> Result<Listed<T>, ApiError> + Send + 'static,
{
    let window = page.window()?;
    let read = window.clone();
    let listed = db.run_as(caller, move |conn, scope| list(conn, scope, &read)).await?;
    Ok(page.answer(&window, listed))
}

/// Declares a list's two operations: `list` answers one page of records as JSON at `path`,
/// and `download` every record the same filters match as a file at `path/download`
/// (`format`, `labels`); both read `query` through `load(conn, scope, query, window)`,
/// and `table(conn, records)` lays the file out. A download past [`MAX_DOWNLOAD_ROWS`] is a
/// 422 on the filter `narrow`. Every list of records has this one shape, and the two OpenAPI
/// operations that document it.
macro_rules! list_handlers {
    (
        $(#[$list_doc:meta])*
        fn $list:ident($path:literal) -> Page<$item:ty>, $page_doc:literal;
        $(#[$download_doc:meta])*
        fn $download:ident($download_path:literal);
        tag $tag:literal, query $query:ty, errors $errors:ident, narrow $narrow:literal;
        load $load:path, table $table:expr;
    ) => {
        $(#[$list_doc])*
        #[utoipa::path(
            tag = $tag,
            params(PageQuery, $query),
            responses((status = 200, description = $page_doc, body = Page<$item>), $errors)
        )]
        #[get($path)]
        pub async fn $list(
            caller: Caller,
            db: web::Data<Db>,
            Paged(page, query): Paged<$query>,
        ) -> Result<HttpResponse, ApiError> {
            list_records(&db, &caller, page, move |conn, scope, window| {
                $load(conn, scope, query, window)
            })
            .await
        }

        $(#[$download_doc])*
        #[utoipa::path(
            tag = $tag,
            params(DownloadQuery, $query),
            responses(FileDownload, $errors)
        )]
        #[get($download_path)]
        pub async fn $download(
            caller: Caller,
            db: web::Data<Db>,
            Download(file, query): Download<$query>,
        ) -> Result<HttpResponse, ApiError> {
            download_records(
                &db,
                &caller,
                file,
                $narrow,
                move |conn, scope, window| $load(conn, scope, query.clone(), window),
                $table,
            )
            .await
        }
    };
}
pub(crate) use list_handlers;

/// The most rows one download holds: an XLSX sheet holds 1,048,576 rows, its title and
/// header included. A download that would hold more is refused (422), and the filters narrow it.
pub const MAX_DOWNLOAD_ROWS: i64 = 1_000_000;

/// How many records a download reads at a time.
pub const DOWNLOAD_PAGE: i64 = 10_000;

/// Every download of records: `load(conn, scope, window)` reads, for the caller, one page of
/// the records the filters match (in a total order), how many match in all (on the first
/// page) and where the next begins;
/// `table(conn, records)` lays a page out (looking up the codes they name). The pages are
/// read in one snapshot of the database ([`crate::db::snapshot`]), so that each record is
/// written once, and written as they come to a temporary file, sent from there: a download
/// of any length takes the memory of one page. More than [`MAX_DOWNLOAD_ROWS`] is a 422 on
/// `narrow`, the filter that narrows it.
pub async fn download_records<T, L, M>(
    db: &crate::db::Db,
    caller: &crate::auth::Caller,
    file: FileOptions,
    narrow: &'static str,
    load: L,
    table: M,
) -> Result<HttpResponse, ApiError>
where
    T: Send + 'static,
    L: FnMut(&mut DbConn, &Scope, &Window) -> Result<Listed<T>, ApiError> + Send + 'static,
    M: FnMut(&mut DbConn, Vec<T>) -> Result<crate::files::Table, ApiError> + Send + 'static,
{
    let spooled = db
        .run_as(caller, move |conn, scope| {
            crate::db::snapshot(conn, |conn| {
                spool(conn, scope, file, narrow, DOWNLOAD_PAGE, load, table)
            })
        })
        .await?;
    spooled.respond()
}

/// The file of [`download_records`], read `page` records at a time.
pub fn spool<T>(
    conn: &mut DbConn,
    scope: &Scope,
    file: FileOptions,
    narrow: &'static str,
    page: i64,
    mut load: impl FnMut(&mut DbConn, &Scope, &Window) -> Result<Listed<T>, ApiError>,
    mut table: impl FnMut(&mut DbConn, Vec<T>) -> Result<crate::files::Table, ApiError>,
) -> Result<crate::files::Spooled, ApiError> {
    let mut writer = None;
    // Page after page, each from where the last ended (keyset where the list has one).
    let mut window = Window::first(page);
    loop {
        let listed = load(conn, scope, &window)?;
        if let Some(total) = listed.total.filter(|total| *total > MAX_DOWNLOAD_ROWS) {
            return Err(ApiError::field(
                narrow,
                format!("{total} records match and a download holds at most {MAX_DOWNLOAD_ROWS}: narrow the filters"),
            ));
        }
        let part = table(conn, listed.items)?;
        let writer = match &mut writer {
            Some(writer) => writer,
            None => writer.insert(crate::files::Spooled::writer(&part, file)?),
        };
        writer.append(part)?;
        window.count = false;
        match listed.next {
            Some(after) => window.after = Some(after),
            None => break,
        }
    }
    match writer {
        Some(writer) => crate::files::Spooled::finish(writer),
        None => Err(ApiError::internal("a download wrote no page")),
    }
}

/// Every GET of one record: `read` reads the record `id` for the caller (refusing one they
/// may not see). A `200 OK` with its `ETag`.
pub async fn read_record<T, R>(
    db: &crate::db::Db,
    caller: &crate::auth::Caller,
    id: i64,
    read: R,
) -> Result<HttpResponse, ApiError>
where
    T: Serialize + Versioned + Send + 'static,
    R: FnOnce(&mut DbConn, &Scope, i64) -> Result<T, ApiError> + Send + 'static,
{
    let record = db.run_as(caller, move |conn, scope| read(conn, scope, id)).await?;
    Ok(with_etag(&record))
}

/// Declares the GET handler of one record kept at `path` (`…/{id}`): who may call it, what
/// it answers, and how the record is read for the caller (`read(conn, scope, id)`); see
/// [`read_record`]. Every such handler has this one shape, and the OpenAPI operation that
/// documents it.
macro_rules! read_handler {
    (
        $(#[$doc:meta])*
        fn $name:ident($path:tt) for $who:ty => $body:ty;
        tag $tag:tt, id $id_doc:tt, found $found:tt, errors $errors:ty;
        read $read:expr;
    ) => {
        $(#[$doc])*
        #[utoipa::path(
            tag = $tag,
            params(("id" = i64, Path, description = $id_doc)),
            responses(
                (status = 200, description = $found, body = $body, headers(("ETag" = String, description = "The record's version, quoted (`\"3\"`): send it back in `If-Match`."))),
                $errors
            )
        )]
        #[get($path)]
        pub async fn $name(who: $who, db: web::Data<Db>, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
            read_record::<$body, _>(&db, &Caller::from(who), id.into_inner(), $read).await
        }
    };
}
pub(crate) use read_handler;

/// Every change of one record (a PATCH, or an action such as a transfer), in one audited
/// transaction for the caller: `write` locks the record (refusing a caller who may not
/// change it), checks the `body` against it, updates it at the version `If-Match` names
/// (else the one read: the statement checks it) and records the change; the answer is the
/// changed record with its `ETag`.
pub async fn update_record<B, T, W>(
    db: &crate::db::Db,
    caller: &crate::auth::Caller,
    (id, if_match): (i64, IfMatch),
    body: B,
    write: W,
) -> Result<HttpResponse, ApiError>
where
    B: Send + 'static,
    T: Serialize + Versioned + Send + 'static,
    W: FnOnce(&mut DbConn, &mut crate::db::Audit, &Scope, i64, IfMatch, B) -> Result<T, ApiError> + Send + 'static,
{
    let record = db
        .write_as(caller, move |conn, audit, scope| {
            write(conn, audit, scope, id, if_match, body)
        })
        .await?;
    Ok(with_etag(&record))
}

/// Declares the handler that changes one record kept at `path` (`…/{id}`): who may call it,
/// the body it takes, what it answers, and how the change is written
/// (`write(conn, audit, scope, id, if_match, body)`); see [`update_record`]. A PATCH takes
/// its body as [`ValidJson`](extract::ValidJson); an action on the record (`post
/// "…/{id}/transfer"`) names its method and the extractor that turns the body into its value
/// (`body TransferOfficial as Valid<Transfer>`). `for Admin(caller)` names the caller for
/// `write`; `prepare` turns the body into what `write` takes before the transaction opens
/// (slow work, such as hashing a password, that must not hold the database). Every such
/// handler has this one shape, and the OpenAPI operation that documents it.
macro_rules! update_handler {
    (
        $(#[$doc:meta])*
        fn $name:ident($path:literal) $($rest:tt)*
    ) => {
        update_handler! { $(#[$doc])* fn $name(patch $path) $($rest)* }
    };
    (
        $(#[$doc:meta])*
        fn $name:ident($method:ident $path:literal) for $who:ident, $($rest:tt)*
    ) => {
        update_handler! { $(#[$doc])* fn $name($method $path) for $who(caller), $($rest)* }
    };
    (
        $(#[$doc:meta])*
        fn $name:ident($method:ident $path:literal) for $who:ident($caller:ident), body $body:ty => $($rest:tt)*
    ) => {
        update_handler! {
            $(#[$doc])* fn $name($method $path) for $who($caller), body $body as ValidJson<$body> => $($rest)*
        }
    };
    (
        $(#[$doc:meta])*
        fn $name:ident($method:ident $path:literal) for $who:ident($caller:ident),
            body $body:ty as $extract:ty => $record:ty;
        tag $tag:tt, id $id_doc:tt, changed $changed_doc:tt;
        $(prepare $prepare:expr;)?
        write $write:expr;
    ) => {
        $(#[$doc])*
        #[utoipa::path(
            tag = $tag,
            params(("id" = i64, Path, description = $id_doc), IfMatch),
            request_body = $body,
            responses(
                (status = 200, description = $changed_doc, body = $record, headers(("ETag" = String, description = "The record's version, quoted (`\"3\"`): send it back in `If-Match`."))),
                UpdateErrors
            )
        )]
        #[$method($path)]
        pub async fn $name(
            $who($caller): $who,
            db: web::Data<Db>,
            id: web::Path<i64>,
            if_match: IfMatch,
            body: $extract,
        ) -> Result<HttpResponse, ApiError> {
            let body = body.0;
            $(let body = ($prepare)(body).await?;)?
            update_record(&db, &$caller, (id.into_inner(), if_match), body, $write).await
        }
    };
}
pub(crate) use update_handler;

/// Every DELETE of the record `entity` `id`, in one audited transaction for the caller: `lock`
/// locks and reads the record (and refuses a caller who may not delete it), `delete` removes
/// it at the version `If-Match` names (else the one read: the statement checks it), and the
/// audit log keeps what it was. A `204 No Content`.
pub async fn delete_record<T, L, D>(
    db: &crate::db::Db,
    caller: &crate::auth::Caller,
    (entity, id): (crate::domain::AuditEntity, i64),
    if_match: IfMatch,
    lock: L,
    delete: D,
) -> Result<HttpResponse, ApiError>
where
    T: Serialize + Versioned + Send + 'static,
    L: FnOnce(&mut DbConn, &Scope, i64) -> Result<T, ApiError> + Send + 'static,
    D: FnOnce(&mut DbConn, i64, &T, i32) -> Result<(), ApiError> + Send + 'static,
{
    db.write_as(caller, move |conn, audit, scope| {
        let current = lock(conn, scope, id)?;
        delete(conn, id, &current, if_match.expected(current.version()))?;
        audit.deleted(entity, id, &current)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Declares the DELETE handler of a versioned record kept at `path` (`…/{id}`): who may
/// call it, how the record is locked for the caller (`lock(conn, scope, id)`) and how it is
/// removed (`delete(conn, id, &record, version)`); see [`delete_record`]. `for Admin(caller)`
/// names the caller for `lock`. Every such handler has this one shape, and the OpenAPI
/// operation that documents it.
macro_rules! delete_handler {
    (
        $(#[$doc:meta])*
        fn $name:ident($path:tt) for $who:ident; $($rest:tt)*
    ) => {
        delete_handler! { $(#[$doc])* fn $name($path) for $who(caller); $($rest)* }
    };
    (
        $(#[$doc:meta])*
        fn $name:ident($path:tt) for $who:ident($caller:ident);
        tag $tag:tt, record $entity:ident, id $id_doc:tt, deleted $deleted_doc:tt;
        lock $lock:expr;
        delete $delete:expr;
    ) => {
        $(#[$doc])*
        #[utoipa::path(
            tag = $tag,
            params(("id" = i64, Path, description = $id_doc), IfMatch),
            responses((status = 204, description = $deleted_doc), DeleteErrors)
        )]
        #[delete($path)]
        pub async fn $name(
            $who($caller): $who,
            db: web::Data<Db>,
            id: web::Path<i64>,
            if_match: IfMatch,
        ) -> Result<HttpResponse, ApiError> {
            delete_record(&db, &$caller, (AuditEntity::$entity, id.into_inner()), if_match, $lock, $delete).await
        }
    };
}
pub(crate) use delete_handler;

/// Validation rule: a text that is not only white space.
pub fn not_blank(value: &str) -> Result<(), ValidationError> {
    if value.trim().is_empty() {
        let mut error = ValidationError::new("blank");
        error.message = Some("must not be empty".into());
        return Err(error);
    }
    Ok(())
}

/// A response header for the OpenAPI document: a string, and what it says.
fn header(description: &str) -> utoipa::openapi::header::Header {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    utoipa::openapi::header::HeaderBuilder::new()
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .description(Some(description))
        .build()
}

/// What `ETag` says wherever a record is answered (`read_handler!` and `update_handler!`
/// spell it out: utoipa takes only a literal there).
const ETAG: &str = "The record's version, quoted (`\"3\"`): send it back in `If-Match`.";

/// Declares an error response for the OpenAPI document: a status, a problem-details body,
/// and the headers it carries.
macro_rules! problem_response {
    ($name:ident, $status:literal, $description:literal $(, $header:literal => $says:literal)*) => {
        #[doc = $description]
        pub struct $name;

        impl utoipa::IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<utoipa::openapi::response::Response>> {
                let response = ResponseBuilder::new()
                    .description($description)
                    .content(
                        "application/problem+json",
                        ContentBuilder::new()
                            .schema(Some(Ref::from_schema_name("Problem")))
                            .build(),
                    )
                    $(.header($header, header($says)))*
                    .build();
                BTreeMap::from([($status.to_owned(), RefOr::T(response))])
            }
        }
    };
}

/// The `201` of a creation, for the OpenAPI document: the new record, its path in
/// `Location` and its version in `ETag` (what [`created`] sends).
pub struct Created<T>(std::marker::PhantomData<T>);

impl<T: ToSchema> utoipa::IntoResponses for Created<T> {
    fn responses() -> BTreeMap<String, RefOr<utoipa::openapi::response::Response>> {
        let response = ResponseBuilder::new()
            .description("Created: `Location` names the new record, `ETag` carries its version.")
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name(T::name())))
                    .build(),
            )
            .header("Location", header("The new record's path, readable by the caller."))
            .header("ETag", header(ETAG))
            .build();
        BTreeMap::from([("201".to_owned(), RefOr::T(response))])
    }
}

problem_response!(
    BadRequest,
    "400",
    "Malformed JSON, a body that is not JSON, or a malformed query string."
);
problem_response!(
    Unauthorized,
    "401",
    "No bearer token, or one that is invalid or expired.",
    "WWW-Authenticate" => "`Bearer`: the scheme the API asks for."
);
problem_response!(
    Forbidden,
    "403",
    "The caller's role, or the reach of an hr user's unit, does not allow this."
);
problem_response!(
    NotFound,
    "404",
    "No record with this id (an id is a positive whole number)."
);
problem_response!(
    Conflict,
    "409",
    "Conflicts with the stored data; `code` names the cause (`duplicate`, with `errors` naming the field; `already_enrolled`, `already_assigned`, `class_full`, `class_cancelled`, `illegal_transition`, `not_active`, `still_referenced`, `part_of_history`, `self_lockout`, `plan_not_editable`; see `ProblemCode`)."
);
problem_response!(
    PreconditionFailed,
    "412",
    "`If-Match` names a version that is no longer current (`code` `stale_version`)."
);
problem_response!(TooLarge, "413", "The body exceeds the size limit.");
problem_response!(
    TooManyRequests,
    "429",
    "Too many failed password attempts from the client's address (for this username, or for any): wait for `Retry-After` seconds.",
    "Retry-After" => "Seconds to wait before trying again."
);
problem_response!(
    Unprocessable,
    "422",
    "Invalid fields; `errors` names each with its messages."
);

/// The `200` of a download, for the OpenAPI document: the file's bytes, of each format's
/// media type, named by `Content-Disposition`. Generated clients read it as bytes.
pub struct FileDownload;

impl utoipa::IntoResponses for FileDownload {
    fn responses() -> BTreeMap<String, RefOr<utoipa::openapi::response::Response>> {
        use utoipa::openapi::header::HeaderBuilder;
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        let bytes = || {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
        };
        let response = ResponseBuilder::new()
            .description("The file, as an attachment.")
            .content("text/csv", ContentBuilder::new().schema(Some(bytes())).build())
            .content(
                crate::files::XLSX_TYPE,
                ContentBuilder::new().schema(Some(bytes())).build(),
            )
            .header(
                "Content-Disposition",
                HeaderBuilder::new()
                    .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                    .description(Some("`attachment; filename=\"…\"`: the file's name."))
                    .build(),
            )
            .build();
        BTreeMap::from([("200".to_owned(), RefOr::T(response))])
    }
}

/// Declares the errors one kind of operation can answer, for the OpenAPI document: the set
/// is stated once here, and every operation of that kind names it.
macro_rules! problem_responses {
    ($(#[$doc:meta])* $name:ident = [$($response:ident),+ $(,)?]) => {
        $(#[$doc])*
        pub struct $name;

        impl utoipa::IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<utoipa::openapi::response::Response>> {
                let mut responses = BTreeMap::new();
                $(responses.extend(<$response as utoipa::IntoResponses>::responses());)+
                responses
            }
        }
    };
}

problem_responses!(
    /// What reading one record can answer besides its success.
    ReadErrors = [Unauthorized, Forbidden, NotFound]
);
problem_responses!(
    /// What reading one record of a shared catalogue (anyone may) can answer besides it.
    CatalogueReadErrors = [Unauthorized, NotFound]
);
problem_responses!(
    /// What a list can answer besides its page: a bad or unknown query parameter.
    ListErrors = [BadRequest, Unauthorized, Forbidden, Unprocessable]
);
problem_responses!(
    /// What a list of a shared catalogue (anyone may read it) can answer besides its page.
    CatalogueListErrors = [BadRequest, Unauthorized, Unprocessable]
);
problem_responses!(
    /// What a creation can answer besides its `201`.
    CreateErrors = [BadRequest, Unauthorized, Forbidden, Conflict, TooLarge, Unprocessable]
);
problem_responses!(
    /// What a PATCH of a versioned record can answer besides the changed record.
    UpdateErrors = [BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed, TooLarge, Unprocessable]
);
problem_responses!(
    /// What a DELETE of a versioned record can answer besides its `204`.
    DeleteErrors = [BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed]
);

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use utoipa::openapi::{RefOr, Schema};
    use utoipa::PartialSchema;

    use super::extract::{parse_into, FromBody};
    use crate::error::ApiError;

    /// The fields an empty body is refused for as missing.
    fn refused_as_missing<T: FromBody>() -> BTreeSet<String> {
        match parse_into::<T>(b"{}") {
            Err(ApiError::Validation(errors)) => errors
                .into_iter()
                .filter(|(_, messages)| messages.iter().any(|m| m == "is required"))
                .map(|(field, _)| field)
                .collect(),
            Err(other) => panic!("an empty body was refused with {other}"),
            Ok(_) => panic!("an empty body was accepted"),
        }
    }

    /// The fields the document says a body must have.
    fn documented_as_required<T: FromBody>() -> BTreeSet<String> {
        match T::Body::schema() {
            RefOr::T(Schema::Object(object)) => object.required.into_iter().collect(),
            _ => panic!("a body is a JSON object"),
        }
    }

    #[test]
    fn a_download_is_written_page_by_page_each_record_once_in_order() {
        use diesel::Connection;

        use crate::auth::Scope;
        use crate::exchange::read::{read, Limits, SheetFormat};
        use crate::files::{column, FileFormat, FileOptions, Labels, Table};

        let mut conn = crate::db::DbConn::Sqlite(diesel::SqliteConnection::establish(":memory:").unwrap());
        // More rows than an XLSX sheet keeps to fit its widths, over pages of 300 and a last,
        // shorter one.
        let numbers: Vec<i64> = (1..=2345).collect();
        for (format, sheet_format) in [
            (FileFormat::Csv, SheetFormat::Csv),
            (FileFormat::Xlsx, SheetFormat::Xlsx),
        ] {
            let mut pages = 0;
            let spooled = super::spool(
                &mut conn,
                &Scope::All,
                FileOptions {
                    format,
                    labels: Labels::Codes,
                },
                "unit_id",
                300,
                |_, _, window: &crate::model::keyset::Window| {
                    use crate::model::keyset::Key;
                    pages += 1;
                    // The numbers after the cursor's, as a keyset list reads them.
                    let after = match window.after.as_ref().map(|cursor| &cursor.keys[..]) {
                        Some([Key::Int(last)]) => *last,
                        _ => 0,
                    };
                    let take = usize::try_from(window.rows()).unwrap();
                    let rows = numbers
                        .iter()
                        .filter(|n| **n > after)
                        .take(take)
                        .copied()
                        .collect::<Vec<_>>();
                    Ok(window.page(rows, Some(2345), "n", &|n: &i64| vec![Key::Int(*n)]))
                },
                |_, page| {
                    let mut table =
                        Table::new("numbers", &[column("n", "Số"), column("square", "Bình phương")]).title("Các số");
                    for n in page {
                        table.row(vec![n.into(), (n * n).into()]);
                    }
                    Ok(table)
                },
            )
            .unwrap();
            assert_eq!(pages, 8, "{format:?}");
            let limits = Limits {
                max_unpacked: 1 << 30,
                max_rows: 10_000,
            };
            let sheet = read(&spooled.into_bytes(), sheet_format, limits).unwrap();
            assert_eq!(sheet.headers, ["n", "square"], "{format:?}");
            let read: Vec<(String, String)> = sheet
                .rows
                .iter()
                .map(|row| (row.cells[0].text(), row.cells[1].text()))
                .collect();
            let expected: Vec<(String, String)> =
                numbers.iter().map(|n| (n.to_string(), (n * n).to_string())).collect();
            assert_eq!(read, expected, "{format:?}");
        }
    }

    #[test]
    fn a_download_past_the_bound_is_refused_on_the_filter_that_narrows_it() {
        use diesel::Connection;

        use crate::auth::Scope;
        use crate::files::{column, FileFormat, FileOptions, Labels, Table};

        let mut conn = crate::db::DbConn::Sqlite(diesel::SqliteConnection::establish(":memory:").unwrap());
        let refused = super::spool(
            &mut conn,
            &Scope::All,
            FileOptions {
                format: FileFormat::Csv,
                labels: Labels::Vi,
            },
            "unit_id",
            10,
            |_, _, window: &crate::model::keyset::Window| {
                Ok(
                    window.page(vec![1_i64], Some(super::MAX_DOWNLOAD_ROWS + 1), "n", &|n: &i64| {
                        vec![crate::model::keyset::Key::Int(*n)]
                    }),
                )
            },
            |_, _| Ok(Table::new("numbers", &[column("n", "Số")])),
        );
        match refused {
            Err(ApiError::Validation(errors)) => assert!(errors.contains_key("unit_id"), "{errors:?}"),
            other => panic!("a download past the bound was not refused: {other:?}"),
        }
    }

    macro_rules! agree {
        ($($value:ty),+) => {$(
            assert_eq!(
                refused_as_missing::<$value>(),
                documented_as_required::<$value>(),
                "{}",
                stringify!($value)
            );
        )+};
    }

    #[test]
    fn what_a_body_requires_is_what_the_document_says_it_requires() {
        use super::auth::{Credentials, PasswordChange};
        use super::enrollments::{Nomination, Nominee};
        use super::officials::{Award, OfficialDraft, Separation, Transfer};
        use super::users::NewAccount;
        use crate::model::{class::ClassInput, course::NewCourse, position::NewPosition, unit::NewUnit};
        agree!(
            NewUnit,
            NewPosition,
            NewCourse,
            ClassInput,
            OfficialDraft,
            Transfer,
            Separation,
            Award
        );
        agree!(Nomination, Nominee, NewAccount, Credentials, PasswordChange);
    }
}
