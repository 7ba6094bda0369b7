use super::{check_schedule, class_in_reach, locked_class};
use crate::api::prelude::*;
use crate::domain::{fold, ClassStatus, Funding, StudyMode, TrainingLocation};
use crate::model::class::{ClassChanges, ClassView, TrainingClass};
use crate::model::course::Course;
use crate::model::plan_need::{OfficialsOf, PlanNeed};
use crate::model::unit::Unit;

patch_body! {
    /// The body of `PATCH /classes/{id}`: the fields to change; `null` clears a nullable one.
    pub struct UpdateClass {
        /// Unique code.
        code: set Code,
        /// Name.
        name: set Name,
        /// The course it runs.
        course_id: set i64,
        /// The organizing unit.
        organizer_unit_id: set i64,
        /// Who teaches it.
        #[validate(length(max = 255))]
        #[schema(max_length = 255)]
        provider: clearable String,
        /// First day.
        starts_on: set Day,
        /// Last day.
        ends_on: set Day,
        /// Seats; `null` for no limit. Not below the seats already taken.
        #[validate(range(min = 1, max = 100000))]
        #[schema(minimum = 1, maximum = 100000)]
        capacity: clearable i32,
        /// Learners who are not officials kept in this system.
        #[validate(range(min = 0, max = 1000000))]
        #[schema(minimum = 0, maximum = 1000000)]
        external_learners: set i32,
        /// Status.
        status: set ClassStatus,
        /// Where it is held: the default of enrollments made from now on (those made keep theirs).
        location: set TrainingLocation,
        /// How its learners study: the default of enrollments made from now on.
        study_mode: set StudyMode,
        /// Who pays: the default of enrollments made from now on.
        funding: set Funding,
        /// What organizing it cost, in đồng.
        #[validate(range(min = 0, max = 1_000_000_000_000_i64))]
        #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
        cost_vnd: set i64,
        /// What each learner's training costs, in đồng: the default of enrollments made from now on.
        #[validate(range(min = 0, max = 1_000_000_000_000_i64))]
        #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
        learner_cost_vnd: set i64,
    }
}

update_handler! {
    /// Changes a class.
    fn update_class("/classes/{id}") for Writer, body UpdateClass => ClassView;
    tag "classes", id "The class's id.", changed "The changed class.";
    write |conn, audit, scope, id, if_match, body| {
        if body.starts_on.is_some() || body.course_id.is_some() {
            // Its enrollments move with it: their officials' needs are judged again, under
            // their locks, taken before the class's as every enrollment write takes them.
            class_in_reach(conn, scope, id)?;
            PlanNeed::lock_judged(conn, OfficialsOf::Class(id))?;
        }
        let current = locked_class(conn, scope, id)?;
        let mut checks = Checks::default();
        check_schedule(
            &mut checks,
            Some(body.starts_on.unwrap_or(current.starts_on)),
            Some(body.ends_on.unwrap_or(current.ends_on)),
        );
        checks.reference(body.course_id.map(|id| Course::find_referenced(conn, id, "course_id")))?;
        checks.reference(
            body.organizer_unit_id
                .map(|id| Unit::find_referenced(conn, id, "organizer_unit_id")),
        )?;
        if let Some(Some(capacity)) = body.capacity {
            let taken = TrainingClass::view(conn, current.clone())?.enrollments.seats_taken();
            checks.check(
                i64::from(capacity) < taken,
                "capacity",
                format!("must be at least {taken}, the seats already taken"),
            );
        }
        checks.finish()?;
        if let Some(unit) = body.organizer_unit_id {
            scope.check_unit(conn, unit)?;
        }
        let name = body.name.map(Name::into_inner);
        let changes = ClassChanges {
            code: body.code.map(Code::into_inner),
            search_name: name.as_deref().map(fold),
            name,
            course_id: body.course_id,
            organizer_unit_id: body.organizer_unit_id,
            provider: body.provider,
            starts_on: body.starts_on,
            ends_on: body.ends_on,
            capacity: body.capacity,
            external_learners: body.external_learners,
            status: body.status,
            location: body.location,
            study_mode: body.study_mode,
            funding: body.funding,
            cost_vnd: body.cost_vnd,
            learner_cost_vnd: body.learner_cost_vnd,
        };
        let class = TrainingClass::update(conn, &current, &changes, if_match.expected(current.version))?;
        audit.updated(AuditEntity::Class, id, &current, &class)?;
        TrainingClass::view(conn, class)
    };
}
