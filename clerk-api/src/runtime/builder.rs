//! What every generated request builder holds besides its operation's parameters: the
//! client it sends through and the per-call options set on it.
//!
//! The generated builders forward their `retry`, `timeout`, `deadline`, `header` and
//! `options` methods here and turn into a [`Call`] through [`RequestBase::call`], so the
//! per-call options are implemented once, not once per operation.

use super::call::{borrowing, owning, Call, Decode, Sending};
use super::client::{Client, RequestOptions};
use super::error::Error;
use super::request::Request;
use super::retry::RetryPolicy;
use std::time::Duration;

/// The client of a request builder and the options set on this one call. Options are
/// boxed so a builder without any stays two words wide.
#[derive(Debug, Clone)]
pub struct RequestBase<'a> {
    client: &'a Client,
    options: Option<Box<RequestOptions>>,
}

impl<'a> RequestBase<'a> {
    #[inline]
    pub fn new(client: &'a Client) -> Self {
        RequestBase {
            client,
            options: None,
        }
    }

    /// Changes this call's options, starting from none.
    fn edit(&mut self, change: impl FnOnce(RequestOptions) -> RequestOptions) {
        let options = self.options.take().map(|o| *o).unwrap_or_default();
        self.options = Some(Box::new(change(options)));
    }

    pub fn retry(&mut self, policy: RetryPolicy) {
        self.edit(|o| o.retry(policy));
    }

    pub fn timeout(&mut self, timeout: Duration) {
        self.edit(|o| o.timeout(timeout));
    }

    pub fn deadline(&mut self, deadline: Duration) {
        self.edit(|o| o.deadline(deadline));
    }

    pub fn header(&mut self, name: &str, value: &str) {
        self.edit(|o| o.header(name, value));
    }

    /// Replaces every option set on this call so far.
    pub fn options(&mut self, options: RequestOptions) {
        self.options = Some(Box::new(options));
    }

    /// The client with this call's options applied, owned (for streams, whose pages
    /// outlive the builder).
    pub fn into_client(self) -> Client {
        match self.options {
            Some(options) => self.client.with_options(*options),
            None => self.client.clone(),
        }
    }

    /// The call that sends `request` when awaited and decodes its answer. Only this
    /// wrapper is generic (one copy per result type); the sending is not.
    pub fn call<T>(self, request: Result<Request, Error>, decode: Decode<T>) -> Call<'a, T> {
        Call::from_sending(self.sending(request), decode)
    }

    /// The sending future of a call, through this call's options if it has any.
    fn sending(self, request: Result<Request, Error>) -> Result<Sending<'a>, Error> {
        match self.options {
            None => borrowing(self.client, request),
            Some(options) => owning(self.client.with_options(*options), request),
        }
    }
}
