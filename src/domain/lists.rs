//! Code lists the statistics office publishes — the 54 ethnic groups, the religions — read
//! from the reference files kept in `data/` (compiled in, read once on first use), never
//! retyped. A value is one of the list's codes (`"01"`), stored as that code; it is shown and
//! exported with its Vietnamese name, and `GET /enums` lists every code.

use std::borrow::Cow;
use std::sync::LazyLock;

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::EnumValue;

/// The `code,name` rows of a reference file, in its order.
fn read_list(file: &'static str) -> Vec<EnumValue> {
    let mut reader = csv::Reader::from_reader(file.as_bytes());
    // The files are compiled in; a test reads each whole.
    reader
        .records()
        .filter_map(Result::ok)
        .map(|record| {
            // Read once per process: the few dozen strings live as long as it does.
            let leak = |i: usize| -> &'static str { Box::leak(record[i].trim().to_owned().into_boxed_str()) };
            EnumValue {
                code: leak(0),
                label: leak(1),
                rank: None,
            }
        })
        .collect()
}

/// Declares a value of a code list read from `data/$file`: serde and OpenAPI by code, text
/// storage, the Vietnamese name as its label.
macro_rules! code_list {
    ($(#[$meta:meta])* $name:ident, $file:literal, $what:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, diesel::AsExpression, diesel::FromSqlRow)]
        #[diesel(sql_type = Text)]
        pub struct $name(&'static EnumValue);

        impl $name {
            /// Every value, in the order of the list.
            pub fn list() -> &'static [EnumValue] {
                static LIST: LazyLock<Vec<EnumValue>> =
                    LazyLock::new(|| read_list(include_str!(concat!("../../data/", $file))));
                &LIST
            }

            /// The value with this code, if the list has it.
            pub fn parse(code: &str) -> Option<Self> {
                Self::list().iter().find(|value| value.code == code).map($name)
            }

            /// The code.
            pub fn code(self) -> &'static str {
                self.0.code
            }

            /// The Vietnamese name.
            pub fn label(self) -> &'static str {
                self.0.label
            }

            /// The values as `{code, label}` for `GET /enums`.
            pub fn values() -> Vec<EnumValue> {
                Self::list().to_vec()
            }
        }

        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.0.code == other.0.code
            }
        }

        impl Eq for $name {}

        impl std::hash::Hash for $name {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                self.0.code.hash(state);
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.code())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let code = Cow::<str>::deserialize(deserializer)?;
                $name::parse(&code).ok_or_else(|| {
                    serde::de::Error::custom(format!(
                        concat!("unknown ", $what, " code {:?}: `GET /enums` lists them"),
                        code
                    ))
                })
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                let described: String = Self::list().iter().map(|v| format!("`{}`: {}. ", v.code, v.label)).collect();
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some(Self::list().iter().map(|v| v.code)))
                    .description(Some(concat!("A code of the ", $what, " list. ").to_owned() + described.trim_end()))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}

        super::enums::coded_text!($name);
    };
}

code_list!(
    /// An ethnic group, by the statistics office's two-digit code (`01` Kinh … `54` Rơ-măm).
    Ethnicity,
    "ethnic-groups.csv",
    "ethnic group"
);

code_list!(
    /// A religion, by the population records' code (`00` none, `01` Buddhism, …).
    Religion,
    "religions.csv",
    "religion"
);

impl Ethnicity {
    /// The Kinh majority; everyone else counts as an ethnic minority in the statistics.
    pub const KINH: &'static str = "01";

    /// Whether the group is an ethnic minority (not Kinh).
    pub fn is_minority(self) -> bool {
        self.code() != Self::KINH
    }
}

impl Religion {
    /// No religion.
    pub const NONE: &'static str = "00";

    /// Whether this is a religion (not "none").
    pub fn is_religious(self) -> bool {
        self.code() != Self::NONE
    }
}

#[cfg(test)]
mod tests {
    use super::{Ethnicity, Religion};

    #[test]
    fn the_lists_are_read_whole_from_the_reference_files() {
        assert_eq!(Ethnicity::list().len(), 54);
        assert_eq!(Ethnicity::parse("01").map(Ethnicity::label), Some("Kinh"));
        assert_eq!(Ethnicity::parse("54").map(Ethnicity::label), Some("Rơ-măm"));
        assert!(Ethnicity::parse("55").is_none() && Ethnicity::parse("1").is_none());
        assert!(!Ethnicity::parse("01").unwrap().is_minority());
        assert!(Ethnicity::parse("02").unwrap().is_minority());
        assert_eq!(Religion::parse("00").map(Religion::label), Some("Không"));
        assert!(!Religion::parse("00").unwrap().is_religious());
        assert!(Religion::parse("02").unwrap().is_religious());
        let codes: Vec<&str> = Ethnicity::list().iter().map(|v| v.code).collect();
        let expected: Vec<String> = (1..=54).map(|n| format!("{n:02}")).collect();
        assert_eq!(codes, expected);
    }

    #[test]
    fn unknown_codes_are_refused_by_name() {
        let refused = serde_json::from_str::<Ethnicity>("\"99\"").unwrap_err().to_string();
        assert!(refused.contains("unknown ethnic group code \"99\""), "{refused}");
        assert_eq!(
            serde_json::to_string(&Religion::parse("01").unwrap()).unwrap(),
            "\"01\""
        );
    }
}
