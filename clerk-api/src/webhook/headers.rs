//! Reading the three signature headers from whatever a framework hands over.

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

/// Request headers, looked up by name without regard to case. Implemented for
/// [`http::HeaderMap`] (axum, hyper, reqwest, warp, ...) and for lists and maps of
/// string pairs, so any framework can hand its headers over.
pub trait WebhookHeaders {
    /// The value of the header called `name` (lowercase), if present and text.
    fn header(&self, name: &str) -> Option<&str>;
}

impl<T: WebhookHeaders + ?Sized> WebhookHeaders for &T {
    fn header(&self, name: &str) -> Option<&str> {
        (**self).header(name)
    }
}

impl WebhookHeaders for http::HeaderMap {
    fn header(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(|v| v.to_str().ok())
    }
}

impl<K: AsRef<str>, V: AsRef<str>> WebhookHeaders for [(K, V)] {
    fn header(&self, name: &str) -> Option<&str> {
        find(self.iter().map(|(k, v)| (k.as_ref(), v.as_ref())), name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>, const N: usize> WebhookHeaders for [(K, V); N] {
    fn header(&self, name: &str) -> Option<&str> {
        self.as_slice().header(name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>> WebhookHeaders for Vec<(K, V)> {
    fn header(&self, name: &str) -> Option<&str> {
        self.as_slice().header(name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>, S: BuildHasher> WebhookHeaders for HashMap<K, V, S> {
    fn header(&self, name: &str) -> Option<&str> {
        find(self.iter().map(|(k, v)| (k.as_ref(), v.as_ref())), name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>> WebhookHeaders for BTreeMap<K, V> {
    fn header(&self, name: &str) -> Option<&str> {
        find(self.iter().map(|(k, v)| (k.as_ref(), v.as_ref())), name)
    }
}

fn find<'a>(mut pairs: impl Iterator<Item = (&'a str, &'a str)>, name: &str) -> Option<&'a str> {
    pairs
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

/// One of the three headers, under its Svix name and its unbranded Standard Webhooks
/// name; the Svix name wins when both are sent.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HeaderName {
    pub svix: &'static str,
    pub standard: &'static str,
}

pub(crate) const ID: HeaderName = HeaderName {
    svix: "svix-id",
    standard: "webhook-id",
};
pub(crate) const TIMESTAMP: HeaderName = HeaderName {
    svix: "svix-timestamp",
    standard: "webhook-timestamp",
};
pub(crate) const SIGNATURE: HeaderName = HeaderName {
    svix: "svix-signature",
    standard: "webhook-signature",
};

/// The header's non-empty value under either name.
pub(crate) fn read<'h, H: WebhookHeaders + ?Sized>(
    headers: &'h H,
    name: HeaderName,
) -> Option<&'h str> {
    let non_empty = |v: &'h str| Some(v).filter(|v| !v.trim().is_empty());
    headers
        .header(name.svix)
        .and_then(non_empty)
        .or_else(|| headers.header(name.standard).and_then(non_empty))
}
