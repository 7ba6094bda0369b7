//! Records as tables: each kind's rows in the columns of [its fields](super), other records
//! named by their codes, so that an export of a kind can be imported again unchanged.

use crate::db::DbConn;
use crate::error::ApiError;
use crate::files::{Cell, Table};
use crate::model::class::ClassView;
use crate::model::course::Course;
use crate::model::enrollment::EnrollmentView;
use crate::model::keys;
use crate::model::official::Official;
use crate::model::position::Position;
use crate::model::qualification::Qualification;
use crate::model::unit::Unit;

use super::{columns, Field};

/// The table of a kind: its fields as columns, a title line.
fn table(name: &str, title: &str, fields: &[Field]) -> Table {
    Table::new(name, &columns(fields)).title(title)
}

/// A code looked up by id (empty when there is none).
fn code(codes: &std::collections::HashMap<i64, String>, id: Option<i64>) -> Cell {
    id.and_then(|id| codes.get(&id)).map(String::as_str).into()
}

/// Units, their parents by code.
pub fn units(conn: &mut DbConn, rows: Vec<Unit>) -> Result<Table, ApiError> {
    let codes = keys::unit_codes(conn)?;
    let mut t = table("units", "Danh sách đơn vị", super::UNITS);
    for u in rows {
        t.row(vec![
            u.code.into(),
            u.name.into(),
            u.kind.into(),
            code(&codes, u.parent_id),
            u.established_on.into(),
            u.dissolved_on.into(),
            u.id.into(),
        ]);
    }
    Ok(t)
}

/// Positions and their standards.
pub fn positions(rows: Vec<Position>) -> Table {
    let mut t = table("positions", "Danh sách chức danh", super::POSITIONS);
    for p in rows {
        t.row(vec![
            p.code.into(),
            p.title.into(),
            p.category.into(),
            p.min_education.into(),
            p.min_political_theory.into(),
            p.min_state_management.into(),
            p.leadership.into(),
            p.id.into(),
        ]);
    }
    t
}

/// Officials with their current post (unit and position by code, since when) and levels.
pub fn officials(conn: &mut DbConn, rows: Vec<Official>) -> Result<Table, ApiError> {
    let units = keys::unit_codes(conn)?;
    let positions = keys::position_codes(conn)?;
    let ids: Vec<i64> = rows.iter().map(|o| o.id).collect();
    let since = keys::posts_since(conn, &ids)?;
    let ranks = keys::ranks_since(conn, &ids)?;
    let mut t = table("officials", "Danh sách cán bộ, công chức, viên chức", super::OFFICIALS);
    for o in rows {
        t.row(vec![
            o.code.into(),
            o.full_name.into(),
            o.gender.into(),
            o.date_of_birth.into(),
            o.party_joined_on.into(),
            o.national_id.into(),
            o.ethnicity.into(),
            o.religion.into(),
            o.general_education.into(),
            code(&units, Some(o.unit_id)),
            code(&positions, o.position_id),
            o.category.into(),
            since.get(&o.id).copied().into(),
            ranks.get(&o.id).map(|(rank, _)| *rank).into(),
            ranks.get(&o.id).map(|(_, day)| *day).into(),
            o.education.into(),
            o.political_theory.into(),
            o.state_management.into(),
            o.it.into(),
            o.foreign_language.into(),
            o.status.into(),
            o.separated_on.into(),
            o.id.into(),
        ]);
    }
    Ok(t)
}

/// One official's qualification records.
pub fn qualifications(official: &Official, rows: Vec<Qualification>) -> Table {
    let mut t = table(
        &format!("qualifications-{}", official.code),
        &format!("Văn bằng, chứng chỉ của {}", official.full_name),
        super::QUALIFICATIONS,
    );
    for q in rows {
        t.row(vec![
            official.code.as_str().into(),
            q.dimension.into(),
            Cell::level(q.dimension, &q.level),
            q.awarded_on.into(),
            q.field.into(),
            q.institution.into(),
            q.certificate_no.into(),
            q.source.into(),
            q.id.into(),
        ]);
    }
    t
}

/// Enrollments, the official and the class by code.
pub fn enrollments(conn: &mut DbConn, rows: Vec<EnrollmentView>) -> Result<Table, ApiError> {
    let units = keys::unit_codes(conn)?;
    let mut t = table("enrollments", "Danh sách cử đi học", super::ENROLLMENTS);
    for e in rows {
        let enrollment = e.enrollment;
        t.row(vec![
            e.official_code.into(),
            e.class_code.into(),
            enrollment.status.into(),
            enrollment.result.into(),
            enrollment.score.into(),
            enrollment.certificate_no.into(),
            enrollment.completed_on.into(),
            enrollment.location.into(),
            enrollment.study_mode.into(),
            enrollment.funding.into(),
            Cell::Amount(enrollment.cost_vnd),
            code(&units, Some(enrollment.sending_unit_id)),
            enrollment.id.into(),
        ]);
    }
    Ok(t)
}

/// Courses.
pub fn courses(rows: Vec<Course>) -> Table {
    let mut t = table("courses", "Danh sách chương trình đào tạo, bồi dưỡng", super::COURSES);
    for c in rows {
        let level = match (c.confers_dimension, c.confers_level.as_deref()) {
            (Some(dimension), Some(level)) => Cell::level(dimension, level),
            (_, level) => level.into(),
        };
        t.row(vec![
            c.code.into(),
            c.title.into(),
            c.kind.into(),
            c.track.into(),
            c.confers_dimension.into(),
            level,
            c.field.into(),
            c.provider.into(),
            c.id.into(),
        ]);
    }
    t
}

/// Classes, their course and organizer by code, with their learners.
pub fn classes(conn: &mut DbConn, rows: Vec<ClassView>) -> Result<Table, ApiError> {
    let units = keys::unit_codes(conn)?;
    let courses = keys::course_codes(conn)?;
    let mut t = table("classes", "Danh sách lớp học", super::CLASSES);
    for view in rows {
        let c = view.class;
        t.row(vec![
            c.code.into(),
            c.name.into(),
            code(&courses, Some(c.course_id)),
            code(&units, Some(c.organizer_unit_id)),
            c.provider.into(),
            c.starts_on.into(),
            c.ends_on.into(),
            c.capacity.into(),
            c.external_learners.into(),
            view.learners.into(),
            c.status.into(),
            c.location.into(),
            c.study_mode.into(),
            c.funding.into(),
            Cell::Amount(c.cost_vnd),
            Cell::Amount(c.learner_cost_vnd),
            c.id.into(),
        ]);
    }
    Ok(t)
}
