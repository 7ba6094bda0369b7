//! `/reports`: qualification ratios, training activity, standards compliance and the year-end
//! workforce statistics, as JSON or as a file (CSV or XLSX).

mod compliance;
mod plans;
mod qualifications;
mod training;
mod training_results;
mod workforce;

pub use compliance::*;
pub use plans::*;
pub use qualifications::*;
pub use training::*;
pub use training_results::*;
pub use workforce::*;

use crate::auth::Scope;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::model::unit::Unit;

/// The unit a report is about: a 422 on `unit_id` when there is none, a 403 when it lies
/// outside an `hr` caller's subtree.
pub(crate) fn report_unit(conn: &mut DbConn, scope: &Scope, unit_id: Option<i64>) -> Result<Unit, ApiError> {
    let unit_id =
        unit_id.ok_or_else(|| ApiError::field("unit_id", "is required: the unit whose subtree the report covers"))?;
    let unit = Unit::find_referenced(conn, unit_id, "unit_id")?;
    scope.check(&unit)?;
    Ok(unit)
}

/// The longest period a training report covers, in days (a century).
const MAX_PERIOD_DAYS: i64 = 36_525;

/// The period [`from`, `to`] a query gives: `to` defaults to today, `from` to 1 January of
/// `to`'s year; a reversed or over-long period is a 422.
pub(crate) fn period(
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
) -> Result<(chrono::NaiveDate, chrono::NaiveDate), ApiError> {
    use chrono::Datelike;
    let to = to.unwrap_or_else(today);
    let from = match from {
        Some(from) => from,
        None => chrono::NaiveDate::from_ymd_opt(to.year(), 1, 1).unwrap_or(to),
    };
    if from > to {
        return Err(ApiError::field("to", format!("must not be before from ({from})")));
    }
    if (to - from).num_days() > MAX_PERIOD_DAYS {
        return Err(ApiError::field("from", "the period may cover at most a hundred years"));
    }
    Ok((from, to))
}

pub(crate) use crate::clock::today;

/// Declares a report's two operations: `json` answers the report as JSON at `path`, and
/// `download` answers it as a file at `path/download` (`format`: CSV or XLSX; `labels`); both
/// take `query`, and `load(&caller, &db, query)` gives the report and its file's name, and
/// `table(&report)` lays it out for the file. Every report has this one shape, and the two OpenAPI operations
/// that document it.
macro_rules! report_handlers {
    (
        $(#[$json_doc:meta])*
        fn $json:ident($path:literal) -> $report:ty;
        $(#[$download_doc:meta])*
        fn $download:ident($download_path:literal);
        query $query:ty, load $load:path, table $table:path;
    ) => {
        $(#[$json_doc])*
        #[utoipa::path(
            tag = "reports",
            params($query),
            responses((status = 200, description = "The report.", body = $report), ListErrors)
        )]
        #[get($path)]
        pub async fn $json(
            caller: Caller,
            db: web::Data<Db>,
            metrics: web::Data<$crate::metrics::Metrics>,
            ValidQuery(query): ValidQuery<$query>,
        ) -> Result<HttpResponse, ApiError> {
            let started = std::time::Instant::now();
            let (report, _) = $load(&caller, &db, query).await?;
            metrics.report(&$path["/reports/".len()..], started.elapsed());
            Ok(HttpResponse::Ok().json(report))
        }

        $(#[$download_doc])*
        #[utoipa::path(
            tag = "reports",
            params(DownloadQuery, $query),
            responses(FileDownload, ListErrors)
        )]
        #[get($download_path)]
        pub async fn $download(
            caller: Caller,
            db: web::Data<Db>,
            metrics: web::Data<$crate::metrics::Metrics>,
            Download(file, query): Download<$query>,
        ) -> Result<HttpResponse, ApiError> {
            let started = std::time::Instant::now();
            let (report, name) = $load(&caller, &db, query).await?;
            metrics.report(&$path["/reports/".len()..], started.elapsed());
            $table(&report, name).respond(file)
        }
    };
}
pub(crate) use report_handlers;
