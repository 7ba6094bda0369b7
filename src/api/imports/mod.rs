//! `/imports`: spreadsheets in. A file of units, positions, officials, qualifications,
//! enrollments, plan items or training needs is written as one transaction — row by row through the API's own writes or,
//! for new officials, by their rules and many rows a statement ([`run`], `bulk`) — or
//! refused whole with every error listed; each import is recorded. Templates say what each
//! kind's file holds.

mod bulk;
mod run;
mod template;

pub use run::{fields, Counts, Plan};
pub use template::*;

use actix_web::http::header;
use actix_web::HttpRequest;
use sha2::{Digest, Sha256};

use crate::api::extract::read_limited;
use crate::api::prelude::*;
use crate::db::{Audit, DbConn};
use crate::domain::{hex, ImportKind, ImportMode, Role};
use crate::exchange::read::{read, Limits, SheetFormat};
use crate::files::{column, Column, Table};
use crate::metrics::Metrics;
use crate::model::import::{ImportRecord, NewImport};

/// How large an imported file may be.
#[derive(Debug, Clone, Copy)]
pub struct ImportLimits {
    /// The most bytes of a file (`CADRE_IMPORT_MAX_BYTES`).
    pub max_bytes: usize,
    /// What reading it may take.
    pub sheet: Limits,
}

/// The most rows one file holds (as many as a download gives).
pub const MAX_IMPORT_ROWS: usize = 200_000;

impl ImportLimits {
    /// The limits for files of at most `max_bytes`: a workbook may unpack to 20 times its
    /// size (spreadsheet XML compresses about tenfold), and never past 1 GiB.
    pub fn new(max_bytes: usize) -> Self {
        let unpacked = u64::try_from(max_bytes)
            .unwrap_or(u64::MAX)
            .saturating_mul(20)
            .min(1 << 30);
        ImportLimits {
            max_bytes,
            sheet: Limits {
                max_unpacked: unpacked,
                max_rows: MAX_IMPORT_ROWS,
            },
        }
    }
}

/// Parameters of `POST /imports/{kind}`.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// `create` (default): a row whose key is stored is an error; `upsert`: it updates the record, by the API's rules for the same change (a new post is a transfer on `started_on`). The key is the code, for plan items the `id` (empty: a new item), for needs the official, year and level.
    pub mode: Option<ImportMode>,
    /// `true`: check every row and write nothing but the import's record.
    pub dry_run: Option<bool>,
    /// The file's name, kept with the record.
    #[validate(length(max = 255))]
    #[param(max_length = 255)]
    pub file_name: Option<String>,
}

/// The body of an import, for the OpenAPI document: the file's bytes.
pub struct ImportBody;

impl utoipa::ToSchema for ImportBody {}

impl utoipa::PartialSchema for ImportBody {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .description(Some(
                "The file: its first sheet, first row the header (Vietnamese labels or field keys).",
            ))
            .into()
    }
}

/// What an import answers besides its `201`: the errors of a read body (`400`, `413`: the
/// file or its unpacked size too large, `422`: `rows` lists every error of the file).
pub struct ImportErrors;

impl utoipa::IntoResponses for ImportErrors {
    fn responses() -> std::collections::BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::response::Response>> {
        let mut responses = std::collections::BTreeMap::new();
        for set in [
            <BadRequest as utoipa::IntoResponses>::responses(),
            <Unauthorized as utoipa::IntoResponses>::responses(),
            <Forbidden as utoipa::IntoResponses>::responses(),
            <TooLarge as utoipa::IntoResponses>::responses(),
            <Unprocessable as utoipa::IntoResponses>::responses(),
        ] {
            responses.extend(set);
        }
        responses
    }
}

/// Imports a spreadsheet (XLSX, ODS or CSV; UTF-8, comma or semicolon) of `kind`: the whole
/// file is one transaction, each row written by the API's own rules and the caller's rights
/// (an `hr` user only inside their subtree; positions are admins' only), or nothing is
/// written and a 422 lists every error with its row, column and cell. Every import, dry run
/// or not, is recorded, with an audit entry for each record written.
#[utoipa::path(
    tag = "imports",
    params(("kind" = ImportKind, Path, description = "What the file brings in."), ImportQuery),
    request_body(content = ImportBody, description = "The file's bytes.", content(
        (ImportBody = "text/csv"),
        (ImportBody = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (ImportBody = "application/vnd.oasis.opendocument.spreadsheet"),
    )),
    responses(Created<ImportRecord>, ImportErrors, NotFound)
)]
#[post("/imports/{kind}")]
// One argument per extractor: what the handler needs from the request and the app.
#[allow(clippy::too_many_arguments)]
pub async fn import_file(
    Writer(caller): Writer,
    db: web::Data<Db>,
    metrics: web::Data<Metrics>,
    limits: web::Data<ImportLimits>,
    kind: web::Path<ImportKind>,
    ValidQuery(query): ValidQuery<ImportQuery>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let kind = kind.into_inner();
    if kind == ImportKind::Positions && caller.role != Role::Admin {
        return Err(ApiError::Forbidden("positions are imported by an admin".to_owned()));
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let format = SheetFormat::from_content_type(content_type).ok_or_else(|| {
        ApiError::BadRequest(format!(
            "the body must be a spreadsheet: Content-Type text/csv, {} or {}, not {content_type:?}",
            crate::files::XLSX_TYPE,
            crate::exchange::read::ODS_TYPE
        ))
    })?;
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let bytes = read_limited(payload.into_inner(), declared, limits.max_bytes).await?;
    let plan = Plan {
        kind,
        mode: query.mode.unwrap_or(ImportMode::Create),
        dry_run: query.dry_run.unwrap_or(false),
    };
    let sheet_limits = limits.sheet;
    let (sheet, sha256) = web::block(move || {
        let sha256 = hex(&Sha256::digest(&bytes));
        read(&bytes, format, sheet_limits).map(|sheet| (sheet, sha256))
    })
    .await
    .map_err(ApiError::internal)??;
    let file_name = query.file_name;
    let user_id = caller.user_id;
    let actor = caller.username.clone();
    let record = db
        .write_as(&caller, move |conn, audit, scope| {
            let counts = run::run(conn, audit, scope, plan, &sheet, &mut |_| {})?;
            record(conn, audit, plan, counts, Some(user_id), &actor, file_name, sha256)
        })
        .await
        .inspect_err(|e| {
            if matches!(e, ApiError::Rows(_)) {
                metrics.import_refused(kind.code());
            }
        })?;
    metrics.imported(
        kind.code(),
        record.dry_run,
        record.created,
        record.updated,
        record.unchanged,
    );
    Ok(created(&record))
}

/// Records an import and its audit entry.
#[allow(clippy::too_many_arguments)]
pub fn record(
    conn: &mut DbConn,
    audit: &mut Audit,
    plan: Plan,
    counts: Counts,
    user_id: Option<i64>,
    actor: &str,
    file_name: Option<String>,
    sha256: String,
) -> Result<ImportRecord, ApiError> {
    let record = ImportRecord::create(
        conn,
        &NewImport {
            at: crate::clock::now(),
            user_id,
            actor: actor.to_owned(),
            kind: plan.kind,
            mode: plan.mode,
            dry_run: plan.dry_run,
            file_name,
            sha256,
            rows: counts.rows,
            created: counts.created,
            updated: counts.updated,
            unchanged: counts.unchanged,
        },
    )?;
    audit.created(AuditEntity::Import, record.id, &record)?;
    Ok(record)
}

/// Filters of `GET /imports`.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportListQuery {
    /// Only imports of this kind.
    pub kind: Option<ImportKind>,
}

/// Whose imports a caller sees: admins and auditors all, an `hr` user their own.
fn own(caller: &Caller) -> Option<i64> {
    (caller.role == Role::Hr).then_some(caller.user_id)
}

/// Lists imports, newest first (admins and auditors: all; an `hr` user: their own).
#[utoipa::path(
    tag = "imports",
    params(PageQuery, ImportListQuery),
    responses((status = 200, description = "A page of imports.", body = Page<ImportRecord>), ListErrors)
)]
#[get("/imports")]
pub async fn list_imports(
    caller: Caller,
    db: web::Data<Db>,
    Paged(page, query): Paged<ImportListQuery>,
) -> Result<HttpResponse, ApiError> {
    let user = own(&caller);
    list_records(&db, &caller, page, move |conn, _, window| {
        ImportRecord::list(conn, query.kind, user, window)
    })
    .await
}

/// Every import the filters match, as a file (CSV or XLSX).
#[utoipa::path(
    tag = "imports",
    params(DownloadQuery, ImportListQuery),
    responses(FileDownload, ListErrors)
)]
#[get("/imports/download")]
pub async fn download_imports(
    caller: Caller,
    db: web::Data<Db>,
    Download(file, query): Download<ImportListQuery>,
) -> Result<HttpResponse, ApiError> {
    let user = own(&caller);
    download_records(
        &db,
        &caller,
        file,
        "kind",
        move |conn, _, window| ImportRecord::list(conn, query.kind, user, window),
        |_, records| Ok(imports_table(records)),
    )
    .await
}

/// The imports as a table.
fn imports_table(records: Vec<ImportRecord>) -> Table {
    let mut table = Table::new("imports", &IMPORT_COLUMNS).title("Các lần nhập dữ liệu từ tệp");
    for r in records {
        table.row(vec![
            r.id.into(),
            r.at.into(),
            r.user_id.into(),
            r.actor.into(),
            r.kind.into(),
            r.mode.into(),
            i64::from(r.dry_run).into(),
            r.file_name.into(),
            r.sha256.into(),
            r.rows.into(),
            r.created.into(),
            r.updated.into(),
            r.unchanged.into(),
        ]);
    }
    table
}

const IMPORT_COLUMNS: [Column; 13] = [
    column("id", "Mã hệ thống"),
    column("at", "Thời điểm (UTC)"),
    column("user_id", "Mã tài khoản"),
    column("actor", "Người nhập"),
    column("kind", "Loại dữ liệu"),
    column("mode", "Chế độ"),
    column("dry_run", "Chạy thử (1: có)"),
    column("file_name", "Tên tệp"),
    column("sha256", "SHA-256"),
    column("rows", "Số dòng"),
    column("created", "Thêm mới"),
    column("updated", "Cập nhật"),
    column("unchanged", "Không đổi"),
];

/// Reads one import (admins and auditors: any; an `hr` user: their own).
#[utoipa::path(
    tag = "imports",
    params(
        ("kind" = ImportKind, Path, description = "What the file brought in."),
        ("id" = i64, Path, description = "The import's id.")
    ),
    responses(
        (status = 200, description = "The import; `ETag` carries its version (always 1).", body = ImportRecord,
            headers(("ETag" = String, description = "The record's version, quoted (`\"1\"`)."))),
        ReadErrors
    )
)]
#[get("/imports/{kind}/{id}")]
pub async fn find_import(
    caller: Caller,
    db: web::Data<Db>,
    path: web::Path<(ImportKind, i64)>,
) -> Result<HttpResponse, ApiError> {
    let user = own(&caller);
    let (kind, id) = path.into_inner();
    read_record::<ImportRecord, _>(&db, &caller, id, move |conn, _, id| {
        ImportRecord::find(conn, kind, id, user)
    })
    .await
}

/// An import from the command line (`cadre-records import KIND FILE`): the file read from
/// disk, its format from its name, written as the user `as_user` (with their rights) or, without
/// one, as the system with every right; `progress(done, total)` hears of the rows as they go.
pub fn import_path(
    db: &Db,
    kind: ImportKind,
    path: &std::path::Path,
    plan: Plan,
    as_user: Option<&str>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportRecord, ApiError> {
    use crate::db::{audited, Principal};
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let format = SheetFormat::from_file_name(name.as_deref().unwrap_or(""))
        .ok_or_else(|| ApiError::BadRequest("the file must end in .xlsx, .ods or .csv".to_owned()))?;
    let bytes =
        std::fs::read(path).map_err(|e| ApiError::BadRequest(format!("cannot read {}: {e}", path.display())))?;
    let sha256 = hex(&Sha256::digest(&bytes));
    let sheet = read(&bytes, format, ImportLimits::new(usize::MAX >> 1).sheet)?;
    let mut conn = db.connection()?;
    let caller = as_user
        .map(|username| Caller::of_user(&mut conn, username))
        .transpose()?;
    let actor = caller.as_ref().map_or_else(crate::db::Actor::system, Principal::actor);
    let total = sheet.rows.len();
    audited(&mut conn, actor.clone(), |conn, audit| {
        let scope = match &caller {
            Some(caller) => {
                if kind == ImportKind::Positions && caller.role != Role::Admin {
                    return Err(ApiError::Forbidden("positions are imported by an admin".to_owned()));
                }
                caller.check(conn)?
            }
            None => crate::auth::Scope::All,
        };
        let counts = run::run(conn, audit, &scope, plan, &sheet, &mut |done| progress(done, total))?;
        record(conn, audit, plan, counts, actor.user_id, &actor.name, name, sha256)
    })
}
