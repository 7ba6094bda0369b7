use std::collections::BTreeMap;

use actix_web::http::header;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};

use super::official_in_reach;
use crate::api::personal::{record_read, RequestLine, Sight};
use crate::api::prelude::*;
use crate::files::{attachment, FileFormat, XLSX_TYPE};
use crate::model::processing::Disclosure;
use crate::reports::record::{record, to_html, to_xlsx, PersonnelRecord};

/// How the personnel record is given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RecordFormat {
    /// JSON (`PersonnelRecord`).
    #[default]
    Json,
    /// An XLSX workbook laid out like the paper form, as an attachment.
    Xlsx,
    /// A print-ready A4 page in Vietnamese, laid out like the paper form.
    Html,
}

/// Parameters of `GET /officials/{id}/record`.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecordQuery {
    /// `json` (default), `xlsx` or `html`.
    pub format: Option<RecordFormat>,
}

/// The `200` of the record, for the OpenAPI document: JSON, XLSX or HTML by `format`.
pub struct RecordDocument;

impl utoipa::IntoResponses for RecordDocument {
    fn responses() -> BTreeMap<String, RefOr<utoipa::openapi::response::Response>> {
        let text = |format: Option<KnownFormat>| {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(format.map(SchemaFormat::KnownFormat))
        };
        let response = ResponseBuilder::new()
            .description("The personnel record: JSON, an XLSX attachment, or an HTML page.")
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("PersonnelRecord")))
                    .build(),
            )
            .content(
                XLSX_TYPE,
                ContentBuilder::new()
                    .schema(Some(text(Some(KnownFormat::Binary))))
                    .build(),
            )
            .content("text/html", ContentBuilder::new().schema(Some(text(None))).build())
            .build();
        BTreeMap::from([("200".to_owned(), RefOr::T(response))])
    }
}

/// The personnel record (sơ yếu lý lịch, "Mẫu 2C"): identity, current post and rank, the
/// highest level in each dimension, the work history, the rank history and the training
/// history, with names. `format=xlsx` gives it as a workbook laid out like the paper form;
/// `format=html` as a print-ready A4 page that a browser prints to PDF as it is. Admins, and hr
/// within its subtree, see the sensitive fields and the national ID in full, and the read is
/// recorded in the processing log; auditors get the record without them (the number masked).
#[utoipa::path(
    tag = "officials",
    params(("id" = i64, Path, description = "The official's id."), RecordQuery),
    responses(RecordDocument, BadRequest, Unauthorized, Forbidden, NotFound, Unprocessable)
)]
#[get("/officials/{id}/record")]
pub async fn personnel_record(
    caller: Caller,
    db: web::Data<Db>,
    id: web::Path<i64>,
    ValidQuery(query): ValidQuery<RecordQuery>,
    line: RequestLine,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let sight = Sight::of_record(&caller);
    let found = db
        .run_as(&caller.clone(), move |conn, scope| {
            let mut official = official_in_reach(conn, scope, id)?;
            let mut disclosure = Disclosure::default();
            disclosure.note(official.id, sight.disclosed(&official));
            let withheld = sight.withhold(&mut official);
            let found = PersonnelRecord {
                withheld,
                ..record(conn, official)?
            };
            record_read(conn, &caller, &line, &disclosure)?;
            Ok(found)
        })
        .await?;
    match query.format.unwrap_or_default() {
        RecordFormat::Json => {
            let mut json = serde_json::to_value(&found).map_err(ApiError::internal)?;
            // The identity as the sight shows it: what it withheld left out, as for an official.
            if let Some(identity) = json.get_mut("identity").and_then(serde_json::Value::as_object_mut) {
                sight.apply(identity);
            }
            Ok(HttpResponse::Ok().json(json))
        }
        RecordFormat::Xlsx => {
            let name = format!("so-yeu-ly-lich-{}", found.code);
            let bytes = web::block(move || to_xlsx(&found))
                .await
                .map_err(ApiError::internal)??;
            Ok(attachment(&name, FileFormat::Xlsx, bytes))
        }
        RecordFormat::Html => Ok(HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
            // A page of its own: nothing to load, no script, not to be framed.
            .insert_header((
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
            ))
            .insert_header((header::X_FRAME_OPTIONS, "DENY"))
            .body(to_html(&found)?)),
    }
}
