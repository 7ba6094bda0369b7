use crate::api::prelude::*;
use crate::model::course::Course;

read_handler! {
    /// Reads one course.
    fn find_course("/courses/{id}") for Caller => Course;
    tag "courses", id "The course's id.", found "The course; `ETag` carries its version.", errors CatalogueReadErrors;
    read |conn, _, id| Course::find(conn, id);
}
