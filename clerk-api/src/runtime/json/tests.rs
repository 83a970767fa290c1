//! The reader against serde_json (an independent parser): the same inputs must decode
//! to the same values, and be refused alike.

use super::*;
use std::collections::BTreeMap;

/// Decodes `json` as `T` with both parsers and checks they agree on success and value.
fn agrees<T>(json: &str)
where
    T: FromJson + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let ours = from_slice::<T>(json.as_bytes());
    let theirs = serde_json::from_str::<T>(json);
    match (&ours, &theirs) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{json}"),
        (Err(_), Err(_)) => {}
        _ => panic!("{json}: ours {ours:?}, serde_json {theirs:?}"),
    }
}

#[test]
fn strings_agree_with_serde_json() {
    for json in [
        r#""plain""#,
        r#""with \"quotes\" and \\ and \/""#,
        r#""\b\f\n\r\t""#,
        r#""\u00e9\u4e2d\ud83d\ude00""#,
        r#""mixed é 中 😀 \u0041""#,
        r#""""#,
        r#"  "padded"  "#,
        r#""\ud83d""#,
        r#""\ud83d\u0041""#,
        r#""\x""#,
        r#""\u12""#,
        "\"tab\there\"",
        "\"unterminated",
        r#""a" "b""#,
        "5",
        "null",
        "[\"a\"]",
    ] {
        agrees::<String>(json);
    }
}

#[test]
fn numbers_agree_with_serde_json() {
    for json in [
        "0",
        "-0",
        "7",
        "-42",
        "9223372036854775807",
        "-9223372036854775808",
        "9223372036854775808",
        "1.0",
        "1e3",
        "01",
        "-",
        "1.",
        ".5",
        "1e",
        "+1",
        "\"1\"",
        "true",
    ] {
        agrees::<i64>(json);
        agrees::<f64>(json);
    }
    for json in ["2147483647", "2147483648", "-2147483649", "3"] {
        agrees::<i32>(json);
    }
    for json in ["1.5", "-0.25e-3", "6.02214076e23", "1e400", "3.4e39", "0.1"] {
        agrees::<f64>(json);
        agrees::<f32>(json);
    }
}

#[test]
fn containers_agree_with_serde_json() {
    for json in [
        "[]",
        "[1, 2 ,3]",
        "[1,]",
        "[,1]",
        "[1 2]",
        "[null, 1]",
        "[[1], [2, 3]]",
        "{}",
        "[",
    ] {
        agrees::<Vec<i64>>(json);
        agrees::<Vec<Option<i64>>>(json);
    }
    for json in [
        r#"{"a": 1, "b": 2}"#,
        r#"{"a": 1,}"#,
        r#"{"a" 1}"#,
        r#"{"a": 1 "b": 2}"#,
        r#"{"\u0061": 1}"#,
        r#"{"a": 1, "a": 2}"#,
        r#"{1: 2}"#,
        "[]",
    ] {
        agrees::<BTreeMap<String, i64>>(json);
    }
    for json in [
        r#"{"k": [1, {"x": null}], "s": "\u00e9"}"#,
        "[true, false, null, 1.5, -3]",
        "nul",
        "tru",
        r#"{"a": }"#,
    ] {
        agrees::<serde_json::Value>(json);
    }
    agrees::<Option<bool>>("null");
    agrees::<Option<bool>>("true");
    agrees::<Option<bool>>("1");
}

#[test]
fn errors_name_the_path_of_the_failing_value() {
    type Page = BTreeMap<String, Vec<BTreeMap<String, i64>>>;
    let cases = [
        (r#"{"data": [{"a": 1}, {"a": "x"}]}"#, "data[1].a"),
        (r#"{"data": [{"a": 1, "b": [1]}]}"#, "data[0].b"),
        (r#"{"data": 5}"#, "data"),
        (r#"{"da\"ta": [{"a": true}]}"#, "da\"ta[0].a"),
        ("[]", "."),
    ];
    for (json, path) in cases {
        let error = from_slice::<Page>(json.as_bytes()).expect_err(json);
        assert_eq!(error.path(), path, "{json}: {error}");
    }
}

#[test]
fn a_missing_field_is_reported_at_the_object_that_lacks_it() {
    let error = missing(&[(true, "id"), (false, "created_at"), (false, "later")]);
    assert_eq!(error.message(), "missing field `created_at`");
    assert_eq!(error.path(), ".");
}

#[test]
fn deep_nesting_is_refused_not_overflowing_the_stack() {
    let deep = "[".repeat(100_000);
    let error = from_slice::<serde_json::Value>(deep.as_bytes()).expect_err("too deep");
    assert!(
        error.message().contains("recursion limit exceeded"),
        "{error}"
    );
    let mut reader = JsonReader::new(deep.as_bytes()).expect("utf-8");
    assert!(reader.skip().is_err());
    // Within the limit, nesting decodes.
    let fine = format!("{}{}", "[".repeat(100), "]".repeat(100));
    assert!(from_slice::<serde_json::Value>(fine.as_bytes()).is_ok());
}

#[test]
fn invalid_utf8_is_refused() {
    let error = from_slice::<String>(b"\"\xff\"").expect_err("not utf-8");
    assert!(error.message().contains("UTF-8"), "{error}");
}

#[test]
fn value_text_is_the_exact_value_and_tags_are_found_at_the_top_level() {
    let json = r#" {"kind": "b", "inner": {"kind": "a"}, "n": [1, "x"]} , 5"#;
    let mut reader = JsonReader::new(json.as_bytes()).expect("utf-8");
    let text = reader.value_text().expect("a value");
    assert_eq!(
        text,
        r#"{"kind": "b", "inner": {"kind": "a"}, "n": [1, "x"]}"#
    );
    assert_eq!(tag_of(&reader, text, "kind").unwrap().as_deref(), Some("b"));
    assert_eq!(tag_of(&reader, text, "missing").unwrap(), None);
    assert_eq!(tag_of(&reader, "[1]", "kind").unwrap(), None);
    assert_eq!(tag_of(&reader, r#"{"kind": 5}"#, "kind").unwrap(), None);
    assert!(reader.finish().is_err(), "`, 5` is left");
}

#[test]
fn deserialize_through_a_value_decodes_and_names_the_path() {
    let value = serde_json::json!({"a": [1, 2], "b": []});
    let map: BTreeMap<String, Vec<i64>> = from_value(&value).expect("decodes");
    assert_eq!(map["a"], vec![1, 2]);
    let bad = serde_json::json!({"a": [1, "x"]});
    let error = from_value::<BTreeMap<String, Vec<i64>>>(&bad).expect_err("a string");
    assert_eq!(error.path(), "a[1]");
}

#[test]
fn every_field_name_is_found_and_no_other_key_is() {
    // Names of every length up to 60, many sharing prefixes, so slots collide.
    let names: Vec<String> = (0..60)
        .map(|i| format!("{}{}", "f".repeat(i % 7 + 1), i))
        .collect();
    let table: Vec<(&'static str, usize)> = names
        .iter()
        .enumerate()
        .map(|(i, name)| (&*Box::leak(name.clone().into_boxed_str()), 100 + i))
        .collect();
    let fields = JsonFields::new(Box::leak(table.into_boxed_slice()), false);
    for (i, name) in names.iter().enumerate() {
        assert_eq!(fields.index(name), Some(100 + i), "{name}");
    }
    for other in ["", "f", "f60", "fff1", "id", "f0 ", "F0"] {
        assert_eq!(fields.index(other), None, "{other}");
    }
    let empty = JsonFields::new(&[], false);
    assert_eq!(empty.index("id"), None);
}
