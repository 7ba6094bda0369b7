use crate::api::prelude::*;
use crate::model::course::Course;

delete_handler! {
    /// Deletes a course that no class runs (admins only).
    fn delete_course("/courses/{id}") for Admin;
    tag "courses", record Course, id "The course's id.", deleted "The course was deleted.";
    lock |conn, _, id| Course::lock(conn, id);
    delete |conn, id, _, version| Course::delete(conn, id, version);
}
