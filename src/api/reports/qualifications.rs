use chrono::NaiveDate;

use super::{report_unit, today};
use crate::api::prelude::*;
use crate::domain::Category;
use crate::reports::qualifications::{report, to_csv, QualificationReport};

/// How a qualification report is grouped.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// One group per direct child unit.
    Unit,
}

/// Parameters of `GET /reports/qualifications` and of its download.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QualificationReportQuery {
    /// The unit; its whole subtree counts.
    #[param(required = true)]
    pub unit_id: Option<i64>,
    /// The day described (default: today): who was in the subtree then, what they held by then.
    #[serde(default, deserialize_with = "day")]
    #[param(value_type = Option<Day>)]
    pub as_of: Option<NaiveDate>,
    /// Only officials whose post that day was of this category.
    pub category: Option<Category>,
    /// `unit`: add the same figures for each direct child unit.
    pub group_by: Option<GroupBy>,
}

/// The report and the name its file takes.
async fn qualification_report(
    caller: &Caller,
    db: &Db,
    query: QualificationReportQuery,
) -> Result<(QualificationReport, String), ApiError> {
    let as_of = query.as_of.unwrap_or_else(today);
    let by_child = query.group_by.is_some();
    let category = query.category;
    let (report, code) = db
        .run_as(caller, move |conn, scope| {
            let unit = report_unit(conn, scope, query.unit_id)?;
            Ok((report(conn, &unit, as_of, category, by_child)?, unit.code))
        })
        .await?;
    Ok((report, format!("qualifications-{code}-{as_of}")))
}

/// Headcount and, for every dimension, every level with `count`, `at_least` and `share`.
#[utoipa::path(
    tag = "reports",
    params(QualificationReportQuery),
    responses((status = 200, description = "The report.", body = QualificationReport), ListErrors)
)]
#[get("/reports/qualifications")]
pub async fn report_qualifications(
    caller: Caller,
    db: web::Data<Db>,
    ValidQuery(query): ValidQuery<QualificationReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let (report, _) = qualification_report(&caller, &db, query).await?;
    Ok(HttpResponse::Ok().json(report))
}

/// The qualification report as a file: one row per unit × dimension × level.
#[utoipa::path(
    tag = "reports",
    params(DownloadQuery, QualificationReportQuery),
    responses(FileDownload, ListErrors)
)]
#[get("/reports/qualifications/download")]
pub async fn download_qualification_report(
    caller: Caller,
    db: web::Data<Db>,
    Download(format, query): Download<QualificationReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let (report, name) = qualification_report(&caller, &db, query).await?;
    match format {
        FileFormat::Csv => to_csv(&report).respond(&name),
    }
}
