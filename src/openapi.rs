//! The OpenAPI document, built from the same list of handlers that registers the routes.

use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::OpenApi as OpenApiDocument;
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::scope::scope;
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_actix_web::AppExt;

use crate::api;
use crate::error::Problem;

/// The document's fixed parts; paths and their schemas come from the handlers.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "cadre-records",
        description = "Training records of cadres, civil servants and public employees: units, positions, officials, qualifications, courses, classes and enrollments. Errors are RFC 9457 problem details.",
        license(name = "MIT")
    ),
    components(schemas(Problem, crate::api::FileFormat, crate::api::Labels, crate::api::reports::GroupBy,
        crate::api::reports::WorkforceGroupBy, crate::api::officials::RecordFormat,
        crate::reports::record::PersonnelRecord, crate::api::personal::Include
    )),
    modifiers(&BearerAuth),
    // Every operation wants a bearer token unless it says otherwise (`security()`).
    security(("bearer" = [])),
    tags(
        (name = "auth", description = "Logging in for an access token; who am I; changing one's password."),
        (name = "audit", description = "The append-only logs of every write and of every disclosure of a person's protected data (admins and auditors)."),
        (name = "units", description = "The administrative tree: provinces, cities, wards, agencies."),
        (name = "positions", description = "Posts and the qualification standards they require."),
        (name = "officials", description = "People, their assignment history and their qualifications."),
        (name = "courses", description = "What is taught, on which track, and the level completing it confers."),
        (name = "classes", description = "Runs of a course: dates, seats, external learners, and their enrollments."),
        (name = "enrollments", description = "Officials sent to classes; completing one confers the course's level."),
        (name = "plans", description = "Each unit's yearly training plan: what it plans to send people to, submitted by the unit and approved by the level above."),
        (name = "reports", description = "Qualification ratios, training activity and standards compliance of a unit's subtree, as of any day, as JSON or CSV."),
        (name = "users", description = "Accounts and roles (admins only)."),
        (name = "enums", description = "Codes and Vietnamese labels of every enumeration."),
        (name = "health", description = "Liveness and database reachability.")
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut OpenApiDocument) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut scheme = Http::new(HttpAuthScheme::Bearer);
        scheme.bearer_format = Some("JWT".to_owned());
        scheme.description = Some("An access token from `POST /api/v1/auth/login`.".to_owned());
        components.add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}

/// Registers every `/api/v1` handler; the routes and the document both come from here.
pub fn api_v1(config: &mut ServiceConfig) {
    config
        .service(api::auth::login)
        .service(api::auth::find_me)
        .service(api::auth::change_password)
        .service(api::audit::list_audit_log)
        .service(api::audit::download_audit_log)
        .service(api::processing::list_processing_log)
        .service(api::processing::download_processing_log)
        .service(api::processing::list_official_processing_log)
        .service(api::enums::list_enums)
        .service(api::units::list_units)
        .service(api::units::download_units)
        .service(api::units::create_unit)
        .service(api::units::find_unit)
        .service(api::units::update_unit)
        .service(api::units::delete_unit)
        .service(api::positions::list_positions)
        .service(api::positions::download_positions)
        .service(api::positions::create_position)
        .service(api::positions::find_position)
        .service(api::positions::update_position)
        .service(api::positions::delete_position)
        .service(api::officials::list_officials)
        .service(api::officials::download_officials)
        .service(api::officials::create_official)
        .service(api::officials::find_official)
        .service(api::officials::update_official)
        .service(api::officials::delete_official)
        .service(api::officials::list_assignments)
        .service(api::officials::personnel_record)
        .service(api::officials::list_ranks)
        .service(api::officials::create_rank)
        .service(api::officials::find_rank)
        .service(api::officials::delete_rank)
        .service(api::officials::transfer_official)
        .service(api::officials::separate_official)
        .service(api::officials::list_qualifications)
        .service(api::officials::download_qualifications)
        .service(api::officials::find_qualification)
        .service(api::officials::create_qualification)
        .service(api::officials::delete_qualification)
        .service(api::officials::list_official_enrollments)
        .service(api::courses::list_courses)
        .service(api::courses::download_courses)
        .service(api::courses::create_course)
        .service(api::courses::find_course)
        .service(api::courses::update_course)
        .service(api::courses::delete_course)
        .service(api::classes::list_classes)
        .service(api::classes::download_classes)
        .service(api::classes::create_class)
        .service(api::classes::find_class)
        .service(api::classes::update_class)
        .service(api::classes::delete_class)
        .service(api::classes::list_class_enrollments)
        .service(api::classes::enroll_in_class)
        .service(api::enrollments::list_enrollments)
        .service(api::enrollments::download_enrollments)
        .service(api::enrollments::create_enrollment)
        .service(api::enrollments::find_enrollment)
        .service(api::enrollments::update_enrollment)
        .service(api::enrollments::delete_enrollment)
        .service(api::plans::list_plans)
        .service(api::plans::download_plans)
        .service(api::plans::create_plan)
        .service(api::plans::find_plan)
        .service(api::plans::update_plan)
        .service(api::plans::delete_plan)
        .service(api::plans::download_plan_items)
        .service(api::plans::list_plan_items)
        .service(api::plans::create_plan_item)
        .service(api::plans::find_plan_item)
        .service(api::plans::update_plan_item)
        .service(api::plans::delete_plan_item)
        .service(api::plans::download_needs)
        .service(api::plans::list_needs)
        .service(api::plans::create_need)
        .service(api::plans::propose_needs)
        .service(api::plans::find_need)
        .service(api::plans::update_need)
        .service(api::plans::delete_need)
        .service(api::reports::report_qualifications)
        .service(api::reports::download_qualification_report)
        .service(api::reports::report_training)
        .service(api::reports::download_training_report)
        .service(api::reports::report_compliance)
        .service(api::reports::download_compliance_report)
        .service(api::reports::report_workforce)
        .service(api::reports::download_workforce_report)
        .service(api::reports::report_plan_vs_actual)
        .service(api::reports::download_plan_vs_actual)
        .service(api::reports::report_training_results)
        .service(api::reports::download_training_results)
        .service(api::users::list_users)
        .service(api::users::create_user)
        .service(api::users::find_user)
        .service(api::users::update_user)
        .service(api::users::delete_user)
        .service(api::users::unlock_user)
        .service(api::imports::list_imports)
        .service(api::imports::download_imports)
        .service(api::imports::import_template)
        .service(api::imports::find_import)
        .service(api::imports::import_file);
}

// A `…/download` path is registered before the `…/{id}` path beside it: routes are tried in
// this order, and `{id}` would take the word `download`.

/// Registers the routes outside `/api/v1`.
pub fn root(config: &mut ServiceConfig) {
    config
        .service(api::health::health)
        .service(api::health::live)
        .service(api::health::ready);
}

/// The whole OpenAPI document.
pub fn document() -> OpenApiDocument {
    let (_, mut document) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(root)
        .service(scope("/api/v1").configure(api_v1))
        .split_for_parts();
    AnsweredFields.modify(&mut document);
    PersonalFields.modify(&mut document);
    document
}

/// The fields of responses that serde leaves out when they are empty (`skip_serializing_if`):
/// every other field of a response is always there.
/// An official's sensitive fields, too, are left out of a response that may not show them.
const OMITTED_WHEN_EMPTY: &[(&str, &str)] = &[
    ("Problem", "errors"),
    ("Problem", "rows"),
    ("EnumValue", "rank"),
    ("Official", "ethnicity"),
    ("Official", "religion"),
    ("Official", "party_joined_on"),
    ("Identity", "ethnicity"),
    ("Identity", "religion"),
    ("Identity", "party_joined_on"),
];

/// Marks every field a response always has `required` (a nullable one stays nullable), so
/// that generated clients type it `T | null`, not `T | null | undefined`. A response schema
/// is one that does not refuse unknown properties, as every request body does; a request
/// body's optional fields stay optional.
struct AnsweredFields;

impl Modify for AnsweredFields {
    fn modify(&self, openapi: &mut OpenApiDocument) {
        use utoipa::openapi::schema::{AdditionalProperties, Schema};
        use utoipa::openapi::RefOr;
        fn require_all(name: &str, object: &mut utoipa::openapi::schema::Object) {
            if matches!(
                object.additional_properties.as_deref(),
                Some(AdditionalProperties::FreeForm(false))
            ) {
                return;
            }
            for field in object.properties.keys() {
                // A page's total is left out with `count=false`.
                let omitted = OMITTED_WHEN_EMPTY.contains(&(name, field.as_str()))
                    || (name.starts_with("Page_") && field == "total");
                if !object.required.contains(field) && !omitted {
                    object.required.push(field.clone());
                }
            }
        }
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        for (name, schema) in components.schemas.iter_mut() {
            match schema {
                RefOr::T(Schema::Object(object)) => require_all(name, object),
                RefOr::T(Schema::AllOf(all)) => {
                    for part in all.items.iter_mut() {
                        if let RefOr::T(Schema::Object(object)) = part {
                            require_all(name, object);
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// Marks every personal field of every schema with its class, as the classification
/// ([`crate::domain::personal::PERSONAL_FIELDS`]) gives it: `x-personal-data: basic | sensitive`.
/// A field that is a bare `$ref`, which cannot carry an extension, is wrapped in an `allOf`.
struct PersonalFields;

impl Modify for PersonalFields {
    fn modify(&self, openapi: &mut OpenApiDocument) {
        use utoipa::openapi::extensions::ExtensionsBuilder;
        use utoipa::openapi::schema::{AllOfBuilder, Object, Schema};
        use utoipa::openapi::RefOr;
        fn mark(object: &mut Object) {
            for (name, field) in object.properties.iter_mut() {
                let Some(class) = crate::domain::personal::class_of(name) else {
                    continue;
                };
                let extension = ExtensionsBuilder::new().add("x-personal-data", class.code()).build();
                if let RefOr::Ref(reference) = field {
                    let description = std::mem::take(&mut reference.description);
                    let wrapped = AllOfBuilder::new()
                        .item(RefOr::Ref(reference.clone()))
                        .description((!description.is_empty()).then_some(description))
                        .build();
                    *field = RefOr::T(Schema::AllOf(wrapped));
                }
                let extensions = match field {
                    RefOr::T(Schema::Object(object)) => &mut object.extensions,
                    RefOr::T(Schema::OneOf(one_of)) => &mut one_of.extensions,
                    RefOr::T(Schema::AllOf(all_of)) => &mut all_of.extensions,
                    RefOr::T(Schema::AnyOf(any_of)) => &mut any_of.extensions,
                    _ => continue,
                };
                extensions.get_or_insert_with(Default::default).merge(extension);
            }
        }
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        for schema in components.schemas.values_mut() {
            match schema {
                RefOr::T(Schema::Object(object)) => mark(object),
                RefOr::T(Schema::AllOf(all)) => {
                    for part in all.items.iter_mut() {
                        if let RefOr::T(Schema::Object(object)) = part {
                            mark(object);
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// Path templates and their methods, to tell a wrong method (405) from a wrong path (404).
#[derive(Debug, Clone)]
pub struct KnownRoutes(Vec<(Vec<String>, Vec<String>)>);

impl KnownRoutes {
    /// The routes of a document.
    pub fn from_document(document: &OpenApiDocument) -> Self {
        let routes = document
            .paths
            .paths
            .iter()
            .map(|(template, item)| {
                let segments = template.trim_matches('/').split('/').map(str::to_owned).collect();
                let mut methods = Vec::new();
                for (name, present) in [
                    ("GET", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ] {
                    if present {
                        methods.push(name.to_owned());
                    }
                }
                (segments, methods)
            })
            .collect();
        KnownRoutes(routes)
    }

    /// The methods allowed on `path`, if it names a known route. Where several templates
    /// match, the most literal one names it, as OpenAPI reads paths (`/units/download` is
    /// the download, not the unit `{id}` = `download`).
    pub fn allowed(&self, path: &str) -> Option<Vec<String>> {
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        let mut best: Option<(usize, Vec<String>)> = None;
        for (template, methods) in &self.0 {
            let matches = template.len() == segments.len()
                && template
                    .iter()
                    .zip(&segments)
                    .all(|(t, s)| t.starts_with('{') || t == s);
            if !matches {
                continue;
            }
            let literals = template.iter().filter(|t| !t.starts_with('{')).count();
            match &mut best {
                Some((most, allowed)) if *most == literals => allowed.extend(methods.iter().cloned()),
                Some((most, _)) if *most > literals => {}
                _ => best = Some((literals, methods.clone())),
            }
        }
        best.map(|(_, mut allowed)| {
            allowed.dedup();
            allowed
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{class::ClassSort, course::CourseSort, official::OfficialSort, position::PositionSort};
    use crate::model::{unit::UnitSort, Sort};

    #[test]
    fn each_list_documents_the_sort_columns_it_takes() {
        let document = serde_json::to_value(super::document()).expect("the document serializes");
        for (path, expected) in [
            ("/api/v1/units", Sort::<UnitSort>::values()),
            ("/api/v1/positions", Sort::<PositionSort>::values()),
            ("/api/v1/officials", Sort::<OfficialSort>::values()),
            ("/api/v1/courses", Sort::<CourseSort>::values()),
            ("/api/v1/classes", Sort::<ClassSort>::values()),
        ] {
            let parameters = document["paths"][path]["get"]["parameters"]
                .as_array()
                .unwrap_or_else(|| panic!("{path} has parameters"));
            let sort = parameters
                .iter()
                .find(|p| p["name"] == "sort")
                .unwrap_or_else(|| panic!("{path} takes sort"));
            assert_eq!(sort["schema"]["enum"], serde_json::json!(expected), "{path}");
        }
    }
}
