use crate::api::personal::{download_disclosing, list_disclosing, Include, RequestLine, Sight};
use crate::api::prelude::*;
use crate::db::DbConn;
use crate::domain::Role;
use crate::domain::{Category, Gender, OfficialStatus};
use crate::exchange::export;
use crate::model::official::{Official, OfficialFilter, OfficialSort};
use crate::model::search::Search;
use crate::model::Sort;

/// Filters of `GET /officials`.
#[derive(Debug, Clone, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OfficialListQuery {
    /// The order: a column (the schema names them), `-` before it for descending.
    #[param(schema_with = Sort::<OfficialSort>::schema)]
    pub sort: Option<Sort<OfficialSort>>,
    /// Words to find, in any order, each the beginning of a word of the full name or of the
    /// staff code — or, for admins and hr, of the national ID; case and Vietnamese diacritics
    /// are ignored (`van nguyen`, `ng v an` and `Nguyễn Văn` find "Nguyễn Văn An"). Unless
    /// `sort` is given, the exact name or code comes first, then names holding every word,
    /// then people found by their code or national ID.
    #[validate(length(max = 200))]
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// Only officials whose current unit is this one or below it.
    pub unit_id: Option<i64>,
    /// Only this category.
    pub category: Option<Category>,
    /// Only this status.
    pub status: Option<OfficialStatus>,
    /// Only holders of this position.
    pub position_id: Option<i64>,
    /// Only this gender.
    pub gender: Option<Gender>,
    /// Protected fields to show, comma-separated: `ethnicity`, `religion`, `party_joined_on`
    /// (sensitive: left out otherwise) and `national_id` (in full: masked `••••••••1234`
    /// otherwise). For admins, and hr within its subtree; an auditor asking gets a 403. A
    /// response that shows any is recorded in the processing log.
    #[validate(length(max = 200))]
    #[param(max_length = 200)]
    pub fields: Option<String>,
    /// `sensitive`: every field `fields` can name.
    pub include: Option<Include>,
}

impl OfficialListQuery {
    /// What the caller asked to see, if they may.
    fn sight(&self, caller: &Caller) -> Result<Sight, ApiError> {
        Sight::asked(caller, self.fields.as_deref(), self.include)
    }
}

/// Lists officials (for an `hr` user, those whose current unit is in their subtree). Sort by
/// `given_name` (the default: given name, then middle and family names, in Vietnamese
/// alphabetical order, tones after letters), `full_name` (as written, family name first), `id`,
/// `code` or `date_of_birth`. Sensitive fields are left out and the national ID masked unless
/// `fields` or `include` asks for them.
#[utoipa::path(
    tag = "officials",
    params(PageQuery, OfficialListQuery),
    responses((status = 200, description = "A page of officials.", body = Page<Official>), ListErrors)
)]
#[get("/officials")]
pub async fn list_officials(
    caller: Caller,
    db: web::Data<Db>,
    Paged(page, query): Paged<OfficialListQuery>,
    line: RequestLine,
) -> Result<HttpResponse, ApiError> {
    let sight = query.sight(&caller)?;
    let national_ids = finds_national_ids(&caller);
    list_disclosing(&db, &caller, line, page, move |conn, scope, window, disclosure| {
        load(conn, scope, query, national_ids, window)?.try_map(|official| sight.show(&official, disclosure))
    })
    .await
}

/// Every official the filters match (for an `hr` user, within their subtree), as a file (CSV
/// or XLSX) with each one's current post and levels, which the officials import reads back.
/// Sensitive columns are left out and national IDs masked unless `fields` or `include` asks for
/// them; a re-import of the file leaves what it does not carry as stored.
#[utoipa::path(
    tag = "officials",
    params(DownloadQuery, OfficialListQuery),
    responses(FileDownload, ListErrors)
)]
#[get("/officials/download")]
pub async fn download_officials(
    caller: Caller,
    db: web::Data<Db>,
    Download(file, query): Download<OfficialListQuery>,
    line: RequestLine,
) -> Result<HttpResponse, ApiError> {
    let sight = query.sight(&caller)?;
    let national_ids = finds_national_ids(&caller);
    download_disclosing(
        &db,
        &caller,
        line,
        (file, "unit_id"),
        move |conn, scope, window| load(conn, scope, query.clone(), national_ids, window),
        move |conn, mut officials, disclosure| {
            for official in &mut officials {
                disclosure.note(official.id, sight.disclosed(official));
                sight.withhold(official);
            }
            let mut table = export::officials(conn, officials)?;
            table.retain_columns(|key| sight.keeps(key));
            Ok(table)
        },
    )
    .await
}

/// Whether `q` finds people by their national ID for `caller`: for those who may read one
/// person's record in full (admins, and hr within the subtree the list keeps to).
fn finds_national_ids(caller: &Caller) -> bool {
    caller.role != Role::Auditor
}

/// The officials the query matches for the caller: one page, and how many in all.
fn load(
    conn: &mut DbConn,
    scope: &Scope,
    query: OfficialListQuery,
    national_ids: bool,
    window: &Window,
) -> Result<Listed<Official>, ApiError> {
    let within = scope.within(conn, query.unit_id, "unit_id")?;
    let filter = OfficialFilter {
        q: query.q.as_deref().and_then(Search::parse),
        national_ids,
        within,
        category: query.category,
        status: query.status,
        position_id: query.position_id,
        gender: query.gender,
    };
    Official::list(conn, &filter, query.sort, window)
}
