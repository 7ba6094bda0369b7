use std::borrow::Cow;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{RefOr, Schema};

/// A calendar day sent by a client, written `YYYY-MM-DD`, from [`Day::FIRST`] to
/// [`Day::LAST`]: no record of this service is dated outside that range, and a year such
/// as 0, −1 or +10000 is a typing mistake, not a date to store or compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(NaiveDate);

/// What a client is told when a day is not one.
const EXPECTED: &str = "must be a real date written YYYY-MM-DD, from 1900-01-01 to 2100-12-31";

impl Day {
    /// The first day accepted.
    pub const FIRST: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
        Some(day) => day,
        None => panic!("1900-01-01 is a day"),
    };
    /// The last day accepted.
    pub const LAST: NaiveDate = match NaiveDate::from_ymd_opt(2100, 12, 31) {
        Some(day) => day,
        None => panic!("2100-12-31 is a day"),
    };

    /// Parses `YYYY-MM-DD` within the accepted range.
    pub fn parse(text: &str) -> Result<Day, &'static str> {
        // Exactly four digits of year: chrono alone would take "+10000-01-01".
        if text.len() != 10 || !text.is_char_boundary(4) || !text[..4].bytes().all(|b| b.is_ascii_digit()) {
            return Err(EXPECTED);
        }
        let day = text.parse::<NaiveDate>().map_err(|_| EXPECTED)?;
        Day::new(day).ok_or(EXPECTED)
    }

    /// The day, when it lies in the accepted range.
    pub fn new(day: NaiveDate) -> Option<Day> {
        (Day::FIRST..=Day::LAST).contains(&day).then_some(Day(day))
    }

    /// The date itself.
    pub fn get(self) -> NaiveDate {
        self.0
    }
}

impl From<Day> for NaiveDate {
    fn from(day: Day) -> NaiveDate {
        day.0
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Cow::<str>::deserialize(deserializer).map_err(|_| serde::de::Error::custom(EXPECTED))?;
        Day::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl utoipa::PartialSchema for Day {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            // The range, as a pattern a client can check: years 1900 to 2100.
            .pattern(Some(
                r"^(19[0-9]{2}|20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
            ))
            .description(Some("A calendar day, `YYYY-MM-DD`, from 1900-01-01 to 2100-12-31."))
            .into()
    }
}

impl utoipa::ToSchema for Day {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Day")
    }
}

#[cfg(test)]
mod tests {
    use super::Day;

    #[test]
    fn days_are_bounded_and_strictly_written() {
        assert_eq!(
            Day::parse("1980-05-30").map(|d| d.get().to_string()),
            Ok("1980-05-30".to_owned())
        );
        assert!(Day::parse("1900-01-01").is_ok());
        assert!(Day::parse("2100-12-31").is_ok());
        for wrong in [
            "1899-12-31",
            "2101-01-01",
            "0000-01-01",
            "9999-12-31",
            "+10000-01-01",
            "-0001-01-01",
            "2019-02-29",
            "2019-2-28",
            "30/05/1980",
            "",
            "ab",
            "1980-05-30\u{0}",
        ] {
            assert!(Day::parse(wrong).is_err(), "{wrong:?} was taken");
        }
    }
}
