//! Redaction for shared demos: `--redact` masks every string *value* heaptui would show or
//! export (string objects, concatenated and sliced strings, and so the values inside object
//! previews and retainer names), keeping each value's length and shape: letters become `x`,
//! digits `0`, everything else stays. Class names, property names and code locations are
//! structure, not values, and stay readable.

/// Masks a string value, keeping its length in characters and its punctuation.
pub fn mask(value: &str) -> String {
    value
        .chars()
        .map(|c| {
            if c.is_alphabetic() {
                'x'
            } else if c.is_numeric() {
                '0'
            } else if c.is_whitespace() || c.is_ascii_punctuation() {
                c
            } else {
                '*'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::mask;

    #[test]
    fn keeps_length_and_shape() {
        assert_eq!(mask("alice@example.com"), "xxxxx@xxxxxxx.xxx");
        assert_eq!(mask("card 4111-1111"), "xxxx 0000-0000");
        assert_eq!(mask("é😀"), "x*");
        assert_eq!(mask("").len(), 0);
    }
}
