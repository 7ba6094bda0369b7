use chrono::NaiveDate;

use super::{report_unit, today};
use crate::api::prelude::*;
use crate::domain::Category;
use crate::reports::qualifications::{report, to_csv, QualificationReport};
use crate::reports::Format;

/// How a qualification report is grouped.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// One group per direct child unit.
    Unit,
}

/// Parameters of `GET /reports/qualifications`.
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
    #[param(inline)]
    pub group_by: Option<GroupBy>,
    /// `json` (default) or `csv`; `Accept: text/csv` also asks for CSV.
    #[param(pattern = "^(json|csv)$")]
    pub format: Option<String>,
}

/// Headcount and, for every dimension, every level with `count`, `at_least` and `share`.
#[utoipa::path(
    tag = "reports",
    params(QualificationReportQuery),
    responses(
        (status = 200, description = "The report, as JSON or as CSV (UTF-8 with a BOM, one row per unit × dimension × level).",
            content((QualificationReport = "application/json"), (String = "text/csv"))),
        ListErrors
    )
)]
#[get("/reports/qualifications")]
pub async fn report_qualifications(
    caller: Caller,
    req: actix_web::HttpRequest,
    db: web::Data<Db>,
    ValidQuery(query): ValidQuery<QualificationReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let format = Format::negotiate(&req, query.format.as_deref())?;
    let as_of = query.as_of.unwrap_or_else(today);
    let by_child = query.group_by.is_some();
    let category = query.category;
    let (report, code) = db
        .run_as(&caller, move |conn, scope| {
            let unit = report_unit(conn, scope, query.unit_id)?;
            Ok((report(conn, &unit, as_of, category, by_child)?, unit.code))
        })
        .await?;
    Ok(match format {
        Format::Json => HttpResponse::Ok().json(report),
        Format::Csv => to_csv(&report).respond(&format!("qualifications-{code}-{as_of}"))?,
    })
}
