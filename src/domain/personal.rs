//! Which of an official's fields are personal data, and of which class: the one table the
//! service reads to decide what a response may show, what it masks, what it logs and how the
//! OpenAPI document marks each field (`x-personal-data`).
//!
//! The classes are those of the Law on Personal Data Protection (No. 91/2025/QH15) and of
//! Decree 356/2025/NĐ-CP: the name, gender, date of birth and personal identification number
//! are **basic** personal data; data revealing ethnic origin, religious or political views is
//! **sensitive** — here the ethnic group, the religion and the day of joining the Party.

use std::fmt;

/// The class of a personal field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonalData {
    /// Basic personal data: shown to whoever may see the person.
    Basic,
    /// Sensitive personal data: shown only to those whose work needs it, and logged.
    Sensitive,
}

impl PersonalData {
    /// The class as the OpenAPI document writes it.
    pub const fn code(self) -> &'static str {
        match self {
            PersonalData::Basic => "basic",
            PersonalData::Sensitive => "sensitive",
        }
    }
}

impl fmt::Display for PersonalData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Every personal field of an official, by the name the API gives it, with its class.
pub const PERSONAL_FIELDS: [(&str, PersonalData); 7] = [
    ("full_name", PersonalData::Basic),
    ("gender", PersonalData::Basic),
    ("date_of_birth", PersonalData::Basic),
    ("national_id", PersonalData::Basic),
    ("ethnicity", PersonalData::Sensitive),
    ("religion", PersonalData::Sensitive),
    ("party_joined_on", PersonalData::Sensitive),
];

/// The field that holds the personal identification number: basic, but shown in full only
/// where sensitive fields are, and masked elsewhere ([`mask_national_id`]).
pub const NATIONAL_ID: &str = "national_id";

/// How many protected fields there are: the sensitive ones and the national ID.
pub const PROTECTED_COUNT: usize = {
    let mut count = 1;
    let mut i = 0;
    while i < PERSONAL_FIELDS.len() {
        if matches!(PERSONAL_FIELDS[i].1, PersonalData::Sensitive) {
            count += 1;
        }
        i += 1;
    }
    count
};

/// The class of the field `name`, if it is personal data.
pub fn class_of(name: &str) -> Option<PersonalData> {
    PERSONAL_FIELDS
        .iter()
        .find(|(field, _)| *field == name)
        .map(|(_, class)| *class)
}

/// The sensitive fields, in the table's order.
pub fn sensitive_fields() -> impl Iterator<Item = &'static str> {
    PERSONAL_FIELDS
        .iter()
        .filter(|(_, class)| *class == PersonalData::Sensitive)
        .map(|(field, _)| *field)
}

/// The fields a caller must be allowed, and must ask for, to see in a list: the sensitive
/// ones and the national ID in full.
pub fn protected_fields() -> impl Iterator<Item = &'static str> {
    sensitive_fields().chain(std::iter::once(NATIONAL_ID))
}

/// What a masked national ID starts with: one bullet per hidden digit.
const MASK: char = '•';

/// The national ID as lists show it: its last four digits only (`••••••••1234`); a number
/// masked already stays as it is.
pub fn mask_national_id(number: &str) -> String {
    let shown = number.chars().count().saturating_sub(4);
    number
        .chars()
        .enumerate()
        .map(|(i, digit)| if i < shown { MASK } else { digit })
        .collect()
}

/// Whether `text` is a masked national ID, as [`mask_national_id`] writes it (an import
/// meeting one leaves the stored number as it is).
pub fn is_masked_national_id(text: &str) -> bool {
    let text = text.trim();
    let hidden = text.chars().take_while(|c| *c == MASK).count();
    hidden > 0 && text.chars().skip(hidden).all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_masked_number_shows_its_last_four_digits_and_is_known_again() {
        let masked = mask_national_id("001085012345");
        assert_eq!(masked, "••••••••2345");
        assert!(is_masked_national_id(&masked));
        assert_eq!(mask_national_id(&masked), masked, "masked once is masked");
        assert!(!is_masked_national_id("001085012345"));
        assert!(!is_masked_national_id("••••x"));
        assert!(!is_masked_national_id(""));
    }

    #[test]
    fn every_field_has_one_class() {
        assert_eq!(class_of("ethnicity"), Some(PersonalData::Sensitive));
        assert_eq!(class_of("national_id"), Some(PersonalData::Basic));
        assert_eq!(class_of("category"), None);
        assert_eq!(
            protected_fields().collect::<Vec<_>>(),
            ["ethnicity", "religion", "party_joined_on", "national_id"]
        );
    }
}
