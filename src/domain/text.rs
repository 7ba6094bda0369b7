use std::borrow::Cow;

use serde::{Deserialize, Deserializer};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;

/// Declares a text a request gives: trimmed once where the request is read, refused (with
/// the field named) when nothing is left or when it is longer than its column allows.
macro_rules! bounded_text {
    ($(#[$doc:meta])* $name:ident, $max:literal, $example:literal, $described:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The most characters it may have.
            pub const MAX: usize = $max;

            /// The trimmed text, or why it is refused.
            pub fn parse(text: &str) -> Result<Self, String> {
                let trimmed = text.trim();
                if trimmed.is_empty() {
                    return Err("must not be empty".to_owned());
                }
                if trimmed.chars().count() > Self::MAX {
                    return Err(format!("must be 1 to {} characters long", Self::MAX));
                }
                if trimmed.chars().any(char::is_control) {
                    return Err("must not hold control characters (tabs, line breaks…)".to_owned());
                }
                Ok($name(trimmed.to_owned()))
            }

            /// The text, as stored.
            pub fn into_inner(self) -> String {
                self.0
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = Cow::<str>::deserialize(deserializer)?;
                $name::parse(&text).map_err(serde::de::Error::custom)
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .min_length(Some(1))
                    .max_length(Some($max))
                    .pattern(Some(r"\S"))
                    .description(Some($described))
                    .examples([$example])
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($name))
            }
        }
    };
}

bounded_text!(
    /// A record's code (a staff number, a unit's or a course's code).
    Code,
    64,
    "PT-001",
    "A code: 1 to 64 characters, not only white space; surrounding spaces are dropped."
);

bounded_text!(
    /// A record's name or title.
    Name,
    255,
    "Phường Phúc Thắng",
    "A name or title: 1 to 255 characters, not only white space; surrounding spaces are dropped."
);

/// A personal identification number (số định danh cá nhân, the number of the citizen
/// identity card): 12 digits, the first three the code of the province where the birth was
/// registered (001–096). Spaces a person types between groups of digits are dropped.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct NationalId(String);

impl NationalId {
    /// The number, or why it is refused.
    pub fn parse(text: &str) -> Result<Self, String> {
        let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() != 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err("must be 12 digits".to_owned());
        }
        let province: u16 = digits[..3].parse().unwrap_or(0);
        if !(1..=96).contains(&province) {
            return Err(format!(
                "must begin with a province code from 001 to 096, not {}",
                &digits[..3]
            ));
        }
        Ok(NationalId(digits))
    }

    /// The number, as stored.
    pub fn into_inner(self) -> String {
        self.0
    }

    /// The number the registry gives a person born on `born` in the province `province`
    /// (1–96): its code, the digit of gender and century of birth (0 a man born in the 1900s,
    /// 1 a woman; 2 and 3 in the 2000s), the year of birth's last two digits, and `serial`'s
    /// last six (for the demo and the synthetic data).
    pub fn compose(province: u32, female: bool, born: chrono::NaiveDate, serial: u32) -> String {
        use chrono::Datelike;
        let digit = if born.year() >= 2000 { 2 } else { 0 } + u8::from(female);
        format!("{province:03}{digit}{:02}{:06}", born.year() % 100, serial % 1_000_000)
    }
}

impl<'de> Deserialize<'de> for NationalId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Cow::<str>::deserialize(deserializer)?;
        NationalId::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl utoipa::PartialSchema for NationalId {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(r"^\s*(\d\s*){12}$"))
            .description(Some(
                "A personal identification number: 12 digits, the first three a province code (001–096); spaces between digits are dropped.",
            ))
            .examples(["026080001234"])
            .into()
    }
}

impl utoipa::ToSchema for NationalId {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("NationalId")
    }
}

/// General education (trình độ giáo dục phổ thông), as the personnel record writes it: the
/// last grade completed over the grades of the system studied in, `12/12` (or `10/10` in the
/// older ten-grade system, `9/12` for a ninth grade).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct GeneralEducation(String);

impl GeneralEducation {
    /// The grade, or why it is refused.
    pub fn parse(text: &str) -> Result<Self, String> {
        const WRONG: &str = "must be a grade over the system's grades, e.g. 12/12, 9/12 or 10/10";
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let (grade, system) = compact.split_once('/').ok_or(WRONG)?;
        let (Ok(grade), Ok(system)) = (grade.parse::<u8>(), system.parse::<u8>()) else {
            return Err(WRONG.to_owned());
        };
        if !matches!(system, 10 | 12) || grade == 0 || grade > system {
            return Err(WRONG.to_owned());
        }
        Ok(GeneralEducation(format!("{grade}/{system}")))
    }

    /// The grade, as stored.
    pub fn into_inner(self) -> String {
        self.0
    }
}

impl<'de> Deserialize<'de> for GeneralEducation {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Cow::<str>::deserialize(deserializer)?;
        GeneralEducation::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl utoipa::PartialSchema for GeneralEducation {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(r"^\s*\d{1,2}\s*/\s*(10|12)\s*$"))
            .description(Some(
                "General education: the last grade completed over the system's grades, e.g. `12/12`, `9/12`, `10/10`.",
            ))
            .examples(["12/12"])
            .into()
    }
}

impl utoipa::ToSchema for GeneralEducation {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("GeneralEducation")
    }
}

/// Folds text for search: Vietnamese diacritics dropped, `đ` to `d`, lower case,
/// runs of white space (and any control character) made one space, so `"Nguyễn  Văn A"`
/// and `"nguyen van a"` meet. Its words are what search matches (`search_words`).
pub fn fold(text: &str) -> String {
    let stripped: String = text
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            other => other,
        })
        .collect::<String>()
        .to_lowercase();
    stripped
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The key that orders people as Vietnamese lists do, compared byte by byte: by given name
/// (the last word), then the middle names, then the family name (the first word); each
/// word by its letters in the Vietnamese alphabet's order (a < ă < â, d < đ, e < ê,
/// o < ô < ơ, u < ư), case ignored, then by its tone in the dictionaries' order (none,
/// huyền, hỏi, ngã, sắc, nặng): all the Hà before the first Hạ, and Ha before Hai.
/// "Trần Thị Hà" → `h0a0!1+t0h0i0!5+t0r0a2n0!1`.
pub fn given_name_key(full_name: &str) -> String {
    let words: Vec<&str> = full_name.split_whitespace().collect();
    // (given, middle…, family), parted as a tuple: '+' between the three, ',' between the
    // middle names.
    let mut ordered: Vec<(&str, &str)> = Vec::new();
    if let Some((given, rest)) = words.split_last() {
        ordered.push(("", given));
        if let Some((family, middle)) = rest.split_first() {
            ordered.extend(
                middle
                    .iter()
                    .enumerate()
                    .map(|(i, m)| (if i == 0 { "+" } else { "," }, *m)),
            );
            ordered.push((if middle.is_empty() { "++" } else { "+" }, family));
        }
    }
    // Each letter is itself and a digit for its variant ('0' plain, '1' breve or đ,
    // '2' circumflex, '3' horn); a word's tone follows its letters after '!'. The
    // separators lie below every letter and digit, so that a shorter word or part sorts first.
    let mut key = String::new();
    for (separator, word) in ordered {
        key.push_str(separator);
        let mut tone = '0';
        // Where the digit of the last letter is, for the mark that makes it ă, â, ơ…
        let mut variant_at = None;
        for c in word.to_lowercase().nfd() {
            let variant = match c {
                '\u{0300}' | '\u{0309}' | '\u{0303}' | '\u{0301}' | '\u{0323}' => {
                    tone = match c {
                        '\u{0300}' => '1', // huyền
                        '\u{0309}' => '2', // hỏi
                        '\u{0303}' => '3', // ngã
                        '\u{0301}' => '4', // sắc
                        _ => '5',          // nặng
                    };
                    continue;
                }
                '\u{0306}' => '1', // breve: ă
                '\u{0302}' => '2', // circumflex: â, ê, ô
                '\u{031B}' => '3', // horn: ơ, ư
                other if is_combining_mark(other) => continue,
                'đ' => {
                    key.push_str("d1");
                    variant_at = None;
                    continue;
                }
                other => {
                    key.push(other);
                    variant_at = Some(key.len());
                    key.push('0');
                    continue;
                }
            };
            if let Some(at) = variant_at {
                key.replace_range(at..at + 1, &variant.to_string());
            }
        }
        key.push('!');
        key.push(tone);
    }
    key
}

/// Bytes as lowercase hex (a digest, a generated secret).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::{fold, given_name_key, Code, GeneralEducation, Name, NationalId};

    #[test]
    fn people_sort_by_given_name_in_the_vietnamese_alphabet_then_by_tone() {
        assert_eq!(given_name_key("Trần Thị Hà"), "h0a0!1+t0h0i0!5+t0r0a2n0!1");
        fn sorted<'a>(names: &[&'a str]) -> Vec<&'a str> {
            let mut names = names.to_vec();
            names.sort_by_key(|n| given_name_key(n));
            names
        }
        // Given name first, then middle, then family name.
        assert_eq!(
            sorted(&["Nguyễn Văn Bình", "Trần An", "Lê Văn An", "Bùi Thị An"]),
            ["Trần An", "Bùi Thị An", "Lê Văn An", "Nguyễn Văn Bình"]
        );
        // a < ă < â, d < đ, o < ô < ơ, u < ư, whatever the case; a shorter name first.
        assert_eq!(
            sorted(&["Lê Ân", "Lê Ăn", "LÊ AN", "Lê Anh"]),
            ["LÊ AN", "Lê Anh", "Lê Ăn", "Lê Ân"]
        );
        assert_eq!(
            sorted(&["Lê Đức", "Lê Dung", "Lê Duy"]),
            ["Lê Dung", "Lê Duy", "Lê Đức"]
        );
        assert_eq!(sorted(&["Lê Ơn", "Lê Ôn", "Lê On"]), ["Lê On", "Lê Ôn", "Lê Ơn"]);
        assert_eq!(sorted(&["Lê Ưng", "Lê Ung"]), ["Lê Ung", "Lê Ưng"]);
        // Names that differ only in their tones: none, huyền, hỏi, ngã, sắc, nặng; the given
        // name's tone before the middle and family names' letters.
        assert_eq!(
            sorted(&["Trần Thị Hạ", "Nguyễn Văn Hà", "Vũ Thị Hả"]),
            ["Nguyễn Văn Hà", "Vũ Thị Hả", "Trần Thị Hạ"]
        );
        assert_eq!(
            sorted(&[
                "Lê Thị Hạ",
                "Lê Thị Há",
                "Lê Thị Hã",
                "Lê Thị Hả",
                "Lê Thị Hà",
                "Lê Thị Ha"
            ]),
            [
                "Lê Thị Ha",
                "Lê Thị Hà",
                "Lê Thị Hả",
                "Lê Thị Hã",
                "Lê Thị Há",
                "Lê Thị Hạ"
            ]
        );
        // A tone and a letter's mark on one vowel (ậ: a, dot below, circumflex).
        assert_eq!(given_name_key("Đỗ Thị Ngậu"), "n0g0a2u0!5+t0h0i0!5+d1o2!3");
        // No middle name sorts before any; two before one.
        assert_eq!(given_name_key("Trần An"), "a0n0!0++t0r0a2n0!1");
        assert_eq!(
            sorted(&["Lê Văn Thị An", "Lê Văn An", "Lê An"]),
            ["Lê An", "Lê Văn An", "Lê Văn Thị An"]
        );
    }

    #[test]
    fn general_education_is_a_grade_over_its_system() {
        let parse = |text: &str| GeneralEducation::parse(text).map(GeneralEducation::into_inner);
        assert_eq!(parse("12/12"), Ok("12/12".to_owned()));
        assert_eq!(parse(" 9 / 12 "), Ok("9/12".to_owned()));
        assert_eq!(parse("10/10"), Ok("10/10".to_owned()));
        for wrong in ["13/12", "0/12", "12/11", "12", "12/12/12", "a/12", ""] {
            assert!(parse(wrong).is_err(), "{wrong}");
        }
    }

    #[test]
    fn folds_vietnamese_names() {
        assert_eq!(fold("Nguyễn Văn A"), "nguyen van a");
        assert_eq!(fold("  ĐẶNG   thị Ánh "), "dang thi anh");
        assert_eq!(fold("Phường Phúc Thắng"), "phuong phuc thang");
        assert_eq!(fold("Ủy ban MTTQ"), "uy ban mttq");
        assert_eq!(fold("Lê\tVăn\u{1}Tám\n"), "le van tam");
    }

    #[test]
    fn codes_and_names_are_trimmed_and_bounded() {
        assert_eq!(Code::parse("  PT-001 ").map(Code::into_inner), Ok("PT-001".to_owned()));
        assert_eq!(Code::parse(" \u{3000} "), Err("must not be empty".to_owned()));
        assert!(Code::parse(&"đ".repeat(64)).is_ok());
        assert_eq!(
            Code::parse(&"đ".repeat(65)),
            Err("must be 1 to 64 characters long".to_owned())
        );
        assert!(Name::parse(&format!("  {}  ", "a".repeat(255))).is_ok());
        assert!(Name::parse(&"a".repeat(256)).is_err());
    }

    #[test]
    fn national_ids_are_twelve_digits_from_a_province() {
        assert_eq!(
            NationalId::parse("026 080 001 234").map(NationalId::into_inner),
            Ok("026080001234".to_owned())
        );
        assert_eq!(NationalId::parse("02608000123"), Err("must be 12 digits".to_owned()));
        assert_eq!(NationalId::parse("02608000123x"), Err("must be 12 digits".to_owned()));
        assert_eq!(
            NationalId::parse("０２６０８０００１２３４"),
            Err("must be 12 digits".to_owned())
        );
        assert!(NationalId::parse("000080001234").unwrap_err().contains("province code"));
        assert!(NationalId::parse("097080001234").unwrap_err().contains("province code"));
        assert!(NationalId::parse("096080001234").is_ok());
        let born = chrono::NaiveDate::from_ymd_opt(1980, 5, 30).unwrap();
        assert_eq!(NationalId::compose(26, true, born, 1_001_234), "026180001234");
        let born = chrono::NaiveDate::from_ymd_opt(2001, 1, 2).unwrap();
        assert_eq!(NationalId::compose(1, false, born, 7), "001201000007");
    }
}
