//! Listing as Clerk lists: filters, `order_by` (`+field`, `-field` or `field`), then
//! `limit`/`offset` over the ordered matches, with `total_count` counting every match.

use super::error::{Failure, Outcome};
use serde_json::{json, Value};

/// `limit` and `offset` of a list request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Page {
    pub limit: usize,
    pub offset: usize,
}

impl Page {
    pub fn slice<T>(self, items: Vec<T>) -> Vec<T> {
        items
            .into_iter()
            .skip(self.offset)
            .take(self.limit)
            .collect()
    }
}

/// `{"data": [...], "total_count": n}`: one page of `matches`, counting all of them.
pub(crate) fn paginated(matches: Vec<Value>, page: Page) -> Value {
    let total = matches.len();
    json!({"data": page.slice(matches), "total_count": total})
}

/// A parsed `order_by`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OrderBy {
    pub field: String,
    pub descending: bool,
}

impl OrderBy {
    /// `value` (or `default`) as an ordering on one of `fields`; 422
    /// `form_param_value_invalid` for any other field.
    pub fn parse(value: Option<&str>, default: &str, fields: &[&str]) -> Outcome<OrderBy> {
        let value = value.filter(|v| !v.is_empty()).unwrap_or(default);
        let (descending, field) = match value.as_bytes().first() {
            Some(b'-') => (true, &value[1..]),
            Some(b'+') => (false, &value[1..]),
            _ => (false, value),
        };
        if !fields.contains(&field) {
            return Err(Failure::invalid_value(
                "order_by",
                format!(
                    "{field} is not a field to order by here; use one of {}.",
                    fields.join(", ")
                ),
            ));
        }
        Ok(OrderBy {
            field: field.to_owned(),
            descending,
        })
    }

    /// Sorts `items` by `key` of this field, ties in order of creation (`seq`).
    pub fn sort<T>(
        &self,
        items: &mut [T],
        key: impl Fn(&T, &str) -> SortKey,
        seq: impl Fn(&T) -> u64,
    ) {
        items.sort_by(|a, b| {
            let by_key = key(a, &self.field).cmp(&key(b, &self.field));
            let by_key = if self.descending {
                by_key.reverse()
            } else {
                by_key
            };
            by_key.then_with(|| seq(a).cmp(&seq(b)))
        });
    }
}

/// A value to order by. Missing values sort after every present one going up (and
/// first going down), as in Clerk's database.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum SortKey {
    Number(i64),
    Text(String),
    Missing,
}

impl SortKey {
    pub fn number(value: Option<i64>) -> SortKey {
        value.map_or(SortKey::Missing, SortKey::Number)
    }

    /// Case-insensitive, as names and addresses are compared.
    pub fn text(value: Option<&str>) -> SortKey {
        value.map_or(SortKey::Missing, |v| SortKey::Text(v.to_lowercase()))
    }
}

/// An id filter whose values may carry `+` (keep) or `-` (leave out): with only `-`
/// values, everything else is kept.
#[derive(Debug, Default)]
pub(crate) struct IdFilter {
    include: Vec<String>,
    exclude: Vec<String>,
}

impl IdFilter {
    pub fn new(values: &[&str]) -> IdFilter {
        let mut filter = IdFilter::default();
        for value in values {
            match value.as_bytes().first() {
                Some(b'-') => filter.exclude.push(value[1..].to_owned()),
                Some(b'+') => filter.include.push(value[1..].to_owned()),
                _ => filter.include.push((*value).to_owned()),
            }
        }
        filter
    }

    pub fn is_empty(&self) -> bool {
        self.include.is_empty() && self.exclude.is_empty()
    }

    /// Whether a record with these ids passes (a user is one id; "member of" filters
    /// pass a user's organizations).
    pub fn admits<'a>(&self, ids: impl IntoIterator<Item = &'a str> + Clone) -> bool {
        let has = |wanted: &String| ids.clone().into_iter().any(|id| id == wanted);
        (self.include.is_empty() || self.include.iter().any(has)) && !self.exclude.iter().any(has)
    }
}

/// Case-insensitive substring test.
pub(crate) fn contains_ci(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(&needle.to_lowercase())
}

/// Whether `value` is earlier than `bound` (no bound: yes; no value: no).
pub(crate) fn before(value: Option<i64>, bound: Option<i64>) -> bool {
    bound.is_none_or(|b| value.is_some_and(|v| v < b))
}

/// Whether `value` is later than `bound` (no bound: yes; no value: no).
pub(crate) fn after(value: Option<i64>, bound: Option<i64>) -> bool {
    bound.is_none_or(|b| value.is_some_and(|v| v > b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_by_takes_a_sign_and_refuses_unknown_fields() {
        let fields = ["name", "created_at"];
        let parsed = OrderBy::parse(Some("-name"), "-created_at", &fields).unwrap();
        assert_eq!((parsed.field.as_str(), parsed.descending), ("name", true));
        let parsed = OrderBy::parse(None, "-created_at", &fields).unwrap();
        assert_eq!(
            (parsed.field.as_str(), parsed.descending),
            ("created_at", true)
        );
        let parsed = OrderBy::parse(Some("+name"), "-created_at", &fields).unwrap();
        assert!(!parsed.descending);
        let refused = OrderBy::parse(Some("slug"), "-created_at", &fields).unwrap_err();
        assert_eq!(
            (refused.status, refused.code),
            (422, "form_param_value_invalid")
        );
    }

    #[test]
    fn id_filters_include_and_exclude() {
        let only = IdFilter::new(&["a", "+b"]);
        assert!(only.admits(["a"]) && only.admits(["b"]) && !only.admits(["c"]));
        let all_but = IdFilter::new(&["-a"]);
        assert!(!all_but.admits(["a"]) && all_but.admits(["c"]));
        assert!(all_but.admits([] as [&str; 0]));
        assert!(!IdFilter::new(&["a"]).admits([] as [&str; 0]));
    }

    #[test]
    fn missing_values_sort_last_going_up() {
        let mut keys = vec![
            SortKey::Missing,
            SortKey::number(Some(2)),
            SortKey::number(Some(1)),
        ];
        keys.sort();
        assert_eq!(
            keys,
            vec![SortKey::Number(1), SortKey::Number(2), SortKey::Missing]
        );
    }
}
