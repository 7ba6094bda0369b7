//! The one clock of the records: every "now" a record is stamped with and every "today" a
//! date is checked against or a report defaults to is read here, and nowhere else.
//!
//! **Nothing is dated after today.** Moves, separations, qualifications, completions, first
//! assignments and dates of birth are refused when they lie ahead of [`today`]
//! ([`is_ahead`]). Today's reports rely on it: for a day that is today or later, the levels
//! kept on each official equal what the history says, so those reports read them in one
//! pass (`reports::Evaluation::PreferCurrentLevels`).
//!
//! The clock can be fixed ([`fix`]) for a whole process — a reproducible run, or a test
//! binary of its own. Access tokens are stamped and checked with the wall clock, which their
//! library reads itself.

use std::sync::RwLock;

use chrono::{DurationRound, NaiveDate, NaiveDateTime, TimeDelta};

static FIXED: RwLock<Option<NaiveDateTime>> = RwLock::new(None);

/// The current time (UTC), at the microsecond precision both backends keep.
pub fn now() -> NaiveDateTime {
    let fixed = *FIXED.read().unwrap_or_else(std::sync::PoisonError::into_inner);
    let now = fixed.unwrap_or_else(|| chrono::Utc::now().naive_utc());
    now.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(now)
}

/// Today's date (UTC): the default day of reports and the last day a record may be dated.
pub fn today() -> NaiveDate {
    now().date()
}

/// Whether `day` lies after today, where no record may be dated (see the module's rule).
pub fn is_ahead(day: NaiveDate) -> bool {
    day > today()
}

/// Fixes the clock at `at` for the whole process (`None` lets it run again).
pub fn fix(at: Option<NaiveDateTime>) {
    *FIXED.write().unwrap_or_else(std::sync::PoisonError::into_inner) = at;
}

/// A stored instant (UTC) as the API writes it: RFC 3339 with a `Z`, to the microsecond.
pub fn rfc3339(at: chrono::NaiveDateTime) -> String {
    at.and_utc().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    // The only test of this binary that reads or sets the clock: fixing it here cannot
    // change what another test sees.
    #[test]
    fn a_fixed_clock_moves_today_and_what_lies_ahead() {
        let at = NaiveDate::from_ymd_opt(2019, 5, 30)
            .and_then(|d| d.and_hms_micro_opt(8, 30, 0, 123_456))
            .expect("a time");
        fix(Some(at));
        assert_eq!(now(), at);
        assert_eq!(today(), at.date());
        assert!(is_ahead(NaiveDate::from_ymd_opt(2019, 5, 31).expect("a day")));
        assert!(!is_ahead(at.date()));
        fix(None);
        assert!(today() > at.date());
    }
}
