use super::enrollment_in_reach;
use crate::api::prelude::*;
use crate::model::enrollment::{Enrollment, EnrollmentView};

read_handler! {
    /// Reads one enrollment, with its class, course and official names.
    fn find_enrollment("/enrollments/{id}") for Caller => EnrollmentView;
    tag "enrollments", id "The enrollment's id.", found "The enrollment; `ETag` carries its version.", errors ReadErrors;
    read |conn, scope, id| {
        enrollment_in_reach(conn, scope, id)?;
        Enrollment::view(conn, id)
    };
}
