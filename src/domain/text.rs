use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Folds text for search: Vietnamese diacritics dropped, `đ` to `d`, lower case,
/// runs of white space collapsed, so `"Nguyễn  Văn A"` and `"nguyen van a"` meet.
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
    stripped.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_vietnamese_names() {
        assert_eq!(fold("Nguyễn Văn A"), "nguyen van a");
        assert_eq!(fold("  ĐẶNG   thị Ánh "), "dang thi anh");
        assert_eq!(fold("Phường Phúc Thắng"), "phuong phuc thang");
        assert_eq!(fold("Ủy ban MTTQ"), "uy ban mttq");
    }
}
