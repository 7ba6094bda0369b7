use chrono::NaiveDate;

use super::create::check_lifespan;
use crate::api::prelude::*;
use crate::domain::{fold, UnitKind};
use crate::model::unit::{Unit, UnitChanges};

/// The body of `PATCH /units/{id}`: the fields to change; `null` clears a nullable one.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUnit {
    /// Unique code.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub code: Option<Code>,
    /// Name.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub name: Option<Name>,
    /// Kind of unit.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub kind: Option<UnitKind>,
    /// The new parent (moves the whole subtree); `null` makes it a root.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub parent_id: Option<Option<i64>>,
    /// When the unit was established.
    #[serde(default, deserialize_with = "patched_day")]
    #[schema(value_type = Option<Day>)]
    pub established_on: Option<Option<NaiveDate>>,
    /// When it was dissolved.
    #[serde(default, deserialize_with = "patched_day")]
    #[schema(value_type = Option<Day>)]
    pub dissolved_on: Option<Option<NaiveDate>>,
}

/// Changes a unit (for an `hr` user, one below their home unit, staying within their subtree).
/// With `If-Match`, only if it is still at that version.
#[utoipa::path(
    tag = "units",
    params(
        ("id" = i64, Path, description = "The unit's id."),
        IfMatch
    ),
    request_body = UpdateUnit,
    responses(
        (status = 200, description = "The changed unit.", body = Unit),
        UpdateErrors
    )
)]
#[patch("/units/{id}")]
pub async fn update_unit(
    Writer(caller): Writer,
    db: web::Data<Db>,
    id: web::Path<i64>,
    if_match: IfMatch,
    ValidJson(body): ValidJson<UpdateUnit>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let unit = db
        .write_as(&caller, move |conn, audit, scope| {
            // A move locks the tree before the unit (the order every tree write takes).
            if body.parent_id.is_some() {
                Unit::lock_tree(conn)?;
            }
            let current = Unit::lock(conn, id)?;
            scope.check_below(&current)?;
            match body.parent_id {
                Some(Some(parent)) => {
                    if let Ok(parent) = Unit::find_referenced(conn, parent, "parent_id") {
                        scope.check(&parent)?;
                    }
                }
                Some(None) if !matches!(scope, Scope::All) => {
                    return Err(ApiError::Forbidden("only an admin may make a unit a root".to_owned()))
                }
                _ => {}
            }
            let mut checks = Checks::default();
            check_lifespan(
                &mut checks,
                body.established_on.unwrap_or(current.established_on),
                body.dissolved_on.unwrap_or(current.dissolved_on),
            );
            checks.finish()?;
            let name = body.name.map(Name::into_inner);
            let changes = UnitChanges {
                code: body.code.map(Code::into_inner),
                search_name: name.as_deref().map(fold),
                name,
                kind: body.kind,
                parent_id: body.parent_id,
                established_on: body.established_on,
                dissolved_on: body.dissolved_on,
            };
            let unit = Unit::update(conn, &current, changes, if_match.expected(current.version))?;
            audit.updated("unit", id, &current, &unit)?;
            Ok(unit)
        })
        .await?;
    Ok(with_etag(&unit))
}
