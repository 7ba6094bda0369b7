use chrono::{Datelike, NaiveDate};

use super::{period, report_handlers, report_unit, today};
use crate::api::prelude::*;
use crate::model::class::year_bounds;
use crate::reports::training_results::{report, to_table, TrainingResultsReport};

/// Parameters of `GET /reports/training-results` and of its download.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrainingResultsQuery {
    /// The unit; every unit of its subtree counts as a sending (and organizing) unit.
    #[param(required = true)]
    pub unit_id: Option<i64>,
    /// The calendar year reported (default: last year); not with `from` or `to`.
    #[validate(range(min = 1900, max = 2100))]
    #[param(minimum = 1900, maximum = 2100)]
    pub year: Option<i32>,
    /// First day of the period, instead of a year: training completed on or after it counts.
    #[serde(default, deserialize_with = "day")]
    #[param(value_type = Option<Day>)]
    pub from: Option<NaiveDate>,
    /// Last day of the period, instead of a year (default with `from`: today).
    #[serde(default, deserialize_with = "day")]
    #[param(value_type = Option<Day>)]
    pub to: Option<NaiveDate>,
}

/// The period a query asks for: a year, or `from`–`to`, or last year.
fn year_or_period(query: &TrainingResultsQuery) -> Result<(NaiveDate, NaiveDate), ApiError> {
    match (query.year, query.from, query.to) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => Err(ApiError::field(
            "year",
            "give either a year or a period (from, to), not both",
        )),
        (Some(year), None, None) => year_bounds(year),
        (None, None, None) => year_bounds(today().year() - 1),
        (None, from, to) => period(from, to),
    }
}

/// The report and the name its file takes.
async fn training_results(
    caller: &Caller,
    db: &Db,
    query: TrainingResultsQuery,
) -> Result<(TrainingResultsReport, String), ApiError> {
    let (from, to) = year_or_period(&query)?;
    let (report, code) = db
        .run_as(caller, move |conn, scope| {
            let unit = report_unit(conn, scope, query.unit_id)?;
            Ok((report(conn, &unit, from, to)?, unit.code))
        })
        .await?;
    Ok((report, format!("training-results-{code}-{from}-{to}")))
}

report_handlers! {
    /// The year's training results, as the paper form reports them: officials sent by units
    /// of the subtree who completed training in the period — I. training (university, master,
    /// doctorate, each domestic or abroad; political theory, each full-time or part-time),
    /// II. refresher training (state management by level, defence and security, party work,
    /// leadership, refresher, IT, foreign language, other) — by the level of the sending unit,
    /// with the leaders and women among them and the cost; per row, the classes the subtree
    /// organized that start in the period and their learners. Every row is given, zeros included.
    fn report_training_results("/reports/training-results") -> TrainingResultsReport;
    /// The training results as a file: XLSX laid out as the paper form (two header rows,
    /// numbered columns, the sections I and II); CSV with one flat header.
    fn download_training_results("/reports/training-results/download");
    query TrainingResultsQuery, load training_results, table to_table;
}
