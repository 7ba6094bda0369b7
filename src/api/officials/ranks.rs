//! `/officials/{id}/ranks`: an official's civil-service ranks (ngạch) as dated history.

use chrono::NaiveDate;

use super::{locked_official, official_in_reach};
use crate::api::prelude::*;
use crate::domain::CivilServiceRank;
use crate::model::rank::RankRecord;

/// The body of `POST /officials/{id}/ranks`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRank {
    /// The rank held from `since` on.
    #[schema(required = true, nullable = false)]
    pub rank: Option<CivilServiceRank>,
    /// The first day it is held: the decision's effective day.
    #[serde(default, deserialize_with = "day")]
    #[schema(value_type = Day, required = true, nullable = false)]
    pub since: Option<NaiveDate>,
}

/// A rank change as the body gives it.
#[derive(Debug)]
pub struct RankChange {
    /// The rank.
    pub rank: CivilServiceRank,
    /// From when.
    pub since: NaiveDate,
}

/// The days a rank may be held from: not before the official's birth, not after they left.
pub(crate) fn check_rank_day(
    date_of_birth: Option<NaiveDate>,
    separated_on: Option<NaiveDate>,
    since: NaiveDate,
) -> Result<(), ApiError> {
    let mut checks = Checks::default();
    if let Some(born) = date_of_birth {
        checks.check(since < born, "since", "must not be before date_of_birth");
    }
    if let Some(left) = separated_on {
        checks.check(
            since > left,
            "since",
            format!("must not be after the official's separation on {left}"),
        );
    }
    checks.finish()
}

impl FromBody for RankChange {
    type Body = CreateRank;
}

impl TryFrom<CreateRank> for RankChange {
    type Error = FieldErrors;

    fn try_from(body: CreateRank) -> Result<Self, FieldErrors> {
        let mut checks = Checks::default();
        let rank = checks.required(body.rank, "rank");
        let since = checks.required(body.since, "since");
        checks.check(
            since.is_some_and(crate::clock::is_ahead),
            "since",
            "must not be in the future: record a rank when it is given",
        );
        checks.into_value(|| {
            Some(RankChange {
                rank: rank?,
                since: since?,
            })
        })
    }
}

/// Records a civil-service rank held from a day on (a promotion, a first rank, a past one
/// recorded late); the official's current rank follows from the latest, in the same
/// transaction. A second rank on the same day is a 409; a day before the official's birth or
/// after their separation is a 422.
#[utoipa::path(
    tag = "officials",
    params(("id" = i64, Path, description = "The official's id.")),
    request_body = CreateRank,
    responses(
        Created<RankRecord>,
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, TooLarge, Unprocessable
    )
)]
#[post("/officials/{id}/ranks")]
pub async fn create_rank(
    Writer(caller): Writer,
    db: web::Data<Db>,
    id: web::Path<i64>,
    Valid(change): Valid<RankChange>,
) -> Result<HttpResponse, ApiError> {
    let official_id = id.into_inner();
    let record = db
        .write_as(&caller, move |conn, audit, scope| {
            let official = locked_official(conn, scope, official_id)?;
            check_rank_day(official.date_of_birth, official.separated_on, change.since)?;
            let record = RankRecord::create(conn, official_id, change.rank, change.since)?;
            audit.created(AuditEntity::Rank, record.id, &record)?;
            Ok(record)
        })
        .await?;
    Ok(created(&record))
}

/// Lists an official's civil-service ranks, oldest first: each is held from its `since` until
/// the next one's.
#[utoipa::path(
    tag = "officials",
    params(("id" = i64, Path, description = "The official's id.")),
    responses((status = 200, description = "The rank history.", body = Vec<RankRecord>), ReadErrors)
)]
#[get("/officials/{id}/ranks")]
pub async fn list_ranks(caller: Caller, db: web::Data<Db>, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let history = db
        .run_as(&caller, move |conn, scope| {
            official_in_reach(conn, scope, id)?;
            RankRecord::history(conn, id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(history))
}

/// One of an official's rank records, with its `ETag`.
#[utoipa::path(
    tag = "officials",
    params(
        ("id" = i64, Path, description = "The official's id."),
        ("rank_id" = i64, Path, description = "The record's id.")
    ),
    responses(
        (status = 200, description = "The record.", body = RankRecord, headers(("ETag" = String, description = "The record's version, quoted (`\"1\"`): send it back in `If-Match`."))),
        ReadErrors
    )
)]
#[get("/officials/{id}/ranks/{rank_id}")]
pub async fn find_rank(
    caller: Caller,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (official_id, id) = path.into_inner();
    let record = db
        .run_as(&caller, move |conn, scope| {
            official_in_reach(conn, scope, official_id)?;
            RankRecord::find(conn, official_id, id)
        })
        .await?;
    Ok(with_etag(&record))
}

/// Deletes a rank record made by mistake; the official's current rank follows from the
/// records left, in the same transaction.
#[utoipa::path(
    tag = "officials",
    params(
        ("id" = i64, Path, description = "The official's id."),
        ("rank_id" = i64, Path, description = "The record's id."),
        IfMatch
    ),
    responses(
        (status = 204, description = "The record was deleted."),
        DeleteErrors
    )
)]
#[delete("/officials/{id}/ranks/{rank_id}")]
pub async fn delete_rank(
    Writer(caller): Writer,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let (official_id, id) = path.into_inner();
    delete_record(
        &db,
        &caller,
        (AuditEntity::Rank, id),
        if_match,
        move |conn, scope, id| {
            locked_official(conn, scope, official_id)?;
            RankRecord::find(conn, official_id, id)
        },
        |conn, _, record, version| RankRecord::delete(conn, record, version),
    )
    .await
}
