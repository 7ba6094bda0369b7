use super::locked_enrollment;
use crate::api::prelude::*;
use crate::model::enrollment::Enrollment;

delete_handler! {
    /// Deletes a nomination made by mistake (a nominated or withdrawn enrollment).
    fn delete_enrollment("/enrollments/{id}") for Writer;
    tag "enrollments", record Enrollment, id "The enrollment's id.", deleted "The enrollment was deleted.";
    lock locked_enrollment;
    delete |conn, _, enrollment, version| Enrollment::delete(conn, enrollment, version);
}
