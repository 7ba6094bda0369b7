use chrono::NaiveDate;

use super::{locked_official, resolve_post};
use crate::api::prelude::*;
use crate::domain::{fold, Category, Gender};
use crate::model::official::{Official, OfficialChanges};

/// The body of `PATCH /officials/{id}`. A new `unit_id`, `position_id` or `category`
/// corrects the current assignment in place; to record a move, use `transfer`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateOfficial {
    /// Staff number.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub code: Option<Code>,
    /// Full name.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub full_name: Option<Name>,
    /// Gender.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub gender: Option<Gender>,
    /// Date of birth.
    #[serde(default, deserialize_with = "patched_day")]
    #[schema(value_type = Option<Day>)]
    pub date_of_birth: Option<Option<NaiveDate>>,
    /// Current unit (a correction of the open assignment).
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub unit_id: Option<i64>,
    /// Current position (a correction of the open assignment).
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub position_id: Option<Option<i64>>,
    /// Category.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub category: Option<Category>,
    /// When they joined the Party.
    #[serde(default, deserialize_with = "patched_day")]
    #[schema(value_type = Option<Day>)]
    pub party_joined_on: Option<Option<NaiveDate>>,
}

/// Changes an official's own fields. With `If-Match`, only if still at that version.
#[utoipa::path(
    tag = "officials",
    params(
        ("id" = i64, Path, description = "The official's id."),
        IfMatch
    ),
    request_body = UpdateOfficial,
    responses(
        (status = 200, description = "The changed official.", body = Official),
        UpdateErrors
    )
)]
#[patch("/officials/{id}")]
pub async fn update_official(
    Writer(caller): Writer,
    db: web::Data<Db>,
    id: web::Path<i64>,
    if_match: IfMatch,
    ValidJson(body): ValidJson<UpdateOfficial>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let official = db
        .write_as(&caller, move |conn, audit, scope| {
            let current = locked_official(conn, scope, id)?;
            let mut checks = Checks::default();
            // A correction of the current post: the unit must exist today.
            resolve_post(
                conn,
                &mut checks,
                body.unit_id,
                body.position_id.flatten(),
                Some(current.category),
                crate::clock::today(),
            )?;
            if let Some(Some(born)) = body.date_of_birth {
                checks.check(
                    crate::clock::is_ahead(born),
                    "date_of_birth",
                    "must not be in the future",
                );
            }
            checks.finish()?;
            if let Some(unit) = body.unit_id {
                scope.check_unit(conn, unit)?;
            }
            let full_name = body.full_name.map(Name::into_inner);
            let changes = OfficialChanges {
                code: body.code.map(Code::into_inner),
                search_name: full_name.as_deref().map(fold),
                full_name,
                gender: body.gender,
                date_of_birth: body.date_of_birth,
                unit_id: body.unit_id,
                position_id: body.position_id,
                category: body.category,
                party_joined_on: body.party_joined_on,
                ..Default::default()
            };
            let official = Official::update(conn, &current, &changes, if_match.expected(current.version))?;
            audit.updated("official", id, &current, &official)?;
            Ok(official)
        })
        .await?;
    Ok(with_etag(&official))
}
