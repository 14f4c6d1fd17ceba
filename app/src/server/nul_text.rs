//! Text we are given may not contain NUL characters: PostgreSQL cannot store
//! them (in TEXT or JSONB), so a NUL that got through would turn a user's
//! typo into a 500 on one database and not the other. Every door that takes
//! text (REST bodies, query strings, paths, server functions) asks here and
//! answers 422 before anything is read further.

use serde_json::Value;

use super::AppError;

const NUL_ESCAPE: &[u8] = b"\\u0000";
const PERCENT_NUL: &[u8] = b"%00";

pub fn refusal() -> AppError {
    AppError::Unprocessable("Text may not contain NUL characters (\\u0000)".into())
}

/// A JSON document with a NUL in any string or key. The cheap byte search
/// settles almost every body; only one that mentions the escape is parsed.
pub fn json_has_nul(body: &[u8]) -> bool {
    if !body.windows(NUL_ESCAPE.len()).any(|window| window == NUL_ESCAPE) {
        return false;
    }
    serde_json::from_slice::<Value>(body).is_ok_and(|value| value_has_nul(&value))
}

/// Percent-encoded text (a query string, a path, a form body) that decodes
/// to a NUL. `%` itself is always encoded as `%25`, so `%00` means NUL.
pub fn percent_encoded_has_nul(text: &[u8]) -> bool {
    text.windows(PERCENT_NUL.len())
        .any(|window| window == PERCENT_NUL)
}

/// What a platform tells us is kept even when it carries a NUL (its event
/// must not be lost): the NULs are dropped from every string and key.
pub fn without_nul(value: Value) -> Value {
    match value {
        Value::String(text) if text.contains('\0') => Value::String(text.replace('\0', "")),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nul).collect()),
        Value::Object(fields) => Value::Object(
            fields
                .into_iter()
                .map(|(key, value)| (key.replace('\0', ""), without_nul(value)))
                .collect(),
        ),
        other => other,
    }
}

fn value_has_nul(value: &Value) -> bool {
    match value {
        Value::String(text) => text.contains('\0'),
        Value::Array(items) => items.iter().any(value_has_nul),
        Value::Object(fields) => fields
            .iter()
            .any(|(key, value)| key.contains('\0') || value_has_nul(value)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_anywhere_in_a_json_document_is_found() {
        assert!(json_has_nul(br#"{"name": "a\u0000b"}"#));
        assert!(json_has_nul(br#"{"x": [{"a\u0000": 1}]}"#));
    }

    #[test]
    fn an_escaped_backslash_before_u0000_is_not_a_nul() {
        assert!(!json_has_nul(br#"{"name": "a\\u0000b"}"#));
        assert!(!json_has_nul(br#"{"name": "plain"}"#));
    }

    #[test]
    fn a_platforms_nuls_are_dropped_and_the_rest_kept() {
        let value = serde_json::json!({"a\u{0}": ["x\u{0}y", 1, {"n": "\u{0}"}]});
        assert_eq!(without_nul(value), serde_json::json!({"a": ["xy", 1, {"n": ""}]}));
    }

    #[test]
    fn percent_encoded_nul_is_found_and_an_encoded_percent_is_not() {
        assert!(percent_encoded_has_nul(b"name=a%00b"));
        assert!(!percent_encoded_has_nul(b"name=a%2500b"));
    }
}
