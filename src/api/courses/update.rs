use super::check_conferral;
use crate::api::prelude::*;
use crate::domain::{fold, CourseKind, Dimension, Track};
use crate::model::course::{conferred_rank, Course, CourseChanges};
use crate::model::plan_need::{OfficialsOf, PlanNeed};

patch_body! {
    /// The body of `PATCH /courses/{id}`: the fields to change; `null` clears a nullable one.
    pub struct UpdateCourse {
        /// Unique code.
        code: set Code,
        /// Title.
        title: set Name,
        /// What it teaches.
        kind: set CourseKind,
        /// `training` or `refresher`.
        track: set Track,
        /// The dimension it confers a level in; `null` (with `confers_level`) for none.
        confers_dimension: clearable Dimension,
        /// The level it confers: one of that dimension's levels.
        #[validate(length(min = 1, max = 64))]
        confers_level: clearable String as crate::domain::Level,
        /// Field of study.
        #[validate(length(max = 255))]
        #[schema(max_length = 255)]
        field: clearable String,
        /// Who teaches it.
        #[validate(length(max = 255))]
        #[schema(max_length = 255)]
        provider: clearable String,
    }
}

update_handler! {
    /// Changes a course (admins only). What it confers cannot change once it has conferred qualifications (409).
    fn update_course("/courses/{id}") for Admin, body UpdateCourse => Course;
    tag "courses", id "The course's id.", changed "The changed course.";
    write |conn, audit, _, id, if_match, body| {
        if body.confers_dimension.is_some() || body.confers_level.is_some() {
            // The needs of those enrolled in it are judged again, under their officials'
            // locks, taken before the course's as a completion takes them.
            PlanNeed::lock_judged(conn, OfficialsOf::Course(id))?;
        }
        let current = Course::lock(conn, id)?;
        let dimension = body.confers_dimension.unwrap_or(current.confers_dimension);
        let level = body.confers_level.clone().unwrap_or(current.confers_level.clone());
        let mut checks = Checks::default();
        check_conferral(&mut checks, dimension, level.as_deref());
        checks.finish()?;
        if (dimension, &level) != (current.confers_dimension, &current.confers_level)
            && Course::has_conferred(conn, id)?
        {
            return Err(ApiError::Conflict(
                ConflictKind::PartOfHistory,
                format!("course {id} has already conferred qualifications: what it confers cannot change"),
            ));
        }
        let title = body.title.map(Name::into_inner);
        let changes = CourseChanges {
            code: body.code.map(Code::into_inner),
            search_title: title.as_deref().map(fold),
            title,
            kind: body.kind,
            track: body.track,
            confers_dimension: body.confers_dimension,
            confers_level: body.confers_level,
            confers_rank: Some(conferred_rank(dimension, level.as_deref())),
            field: body.field,
            provider: body.provider,
        };
        let changed = Course::update(conn, &current, &changes, if_match.expected(current.version))?;
        audit.updated(AuditEntity::Course, id, &current, &changed)?;
        Ok(changed)
    };
}
