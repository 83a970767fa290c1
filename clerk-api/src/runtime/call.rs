//! The future every generated method returns.
//!
//! A generated method builds its [`Request`] synchronously, then hands it here: the
//! sending is one boxed, non-generic future shared by every operation, and only the
//! final decode is typed. So the crate compiles one async state machine for all 249
//! operations instead of one per operation.

use super::client::Client;
use super::error::Error;
use super::request::Request;
use super::response::Response;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

pub(super) type Sending<'a> = Pin<Box<dyn Future<Output = Result<Response, Error>> + Send + 'a>>;

/// How a call's answer becomes its result (`Response::json`, `Response::text`, ...).
pub type Decode<T> = fn(Response) -> Result<T, Error>;

/// A call to the API: a future resolving to the operation's typed result. Like any
/// future it does nothing until awaited (or polled).
#[must_use = "a call does nothing unless it is awaited"]
pub struct Call<'a, T> {
    // Only the decode step depends on `T`: the rest is compiled once.
    state: State<'a>,
    decode: Decode<T>,
}

enum State<'a> {
    Sending(Sending<'a>),
    /// The request could not be built; the error is returned when polled.
    Refused(Option<Error>),
}

impl<'a> State<'a> {
    fn new(sending: Result<Sending<'a>, Error>) -> Self {
        match sending {
            Ok(sending) => State::Sending(sending),
            Err(error) => State::Refused(Some(error)),
        }
    }

    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<Result<Response, Error>> {
        match self {
            State::Sending(sending) => sending.as_mut().poll(cx),
            State::Refused(error) => Poll::Ready(Err(error
                .take()
                .expect("a refused call is polled once, like any finished future"))),
        }
    }

    fn name(&self) -> &'static str {
        match self {
            State::Sending(_) => "sending",
            State::Refused(_) => "refused",
        }
    }
}

impl<'a, T> Call<'a, T> {
    /// Sends `request` through `client` when polled, and decodes the answer.
    #[doc(hidden)]
    pub fn new(client: &'a Client, request: Result<Request, Error>, decode: Decode<T>) -> Self {
        Call::from_sending(borrowing(client, request), decode)
    }

    pub(super) fn from_sending(sending: Result<Sending<'a>, Error>, decode: Decode<T>) -> Self {
        Call {
            state: State::new(sending),
            decode,
        }
    }
}

impl<T> Call<'static, T> {
    /// Like [`Call::new`], owning its client (for futures that outlive the borrow, as
    /// the pages of a stream do).
    #[doc(hidden)]
    pub fn owned(client: Client, request: Result<Request, Error>, decode: Decode<T>) -> Self {
        Call::from_sending(owning(client, request), decode)
    }
}

/// The sending future of a call: non-generic, so compiled once for every operation.
pub(super) fn borrowing(
    client: &Client,
    request: Result<Request, Error>,
) -> Result<Sending<'_>, Error> {
    Ok(Box::pin(client.send(request?)))
}

pub(super) fn owning(
    client: Client,
    request: Result<Request, Error>,
) -> Result<Sending<'static>, Error> {
    let request = request?;
    Ok(Box::pin(async move { client.send(request).await }))
}

// Nothing is pinned in place: the sending future is boxed.
impl<T> Unpin for Call<'_, T> {}

impl<T> Future for Call<'_, T> {
    type Output = Result<T, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.state.poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Ok(response)) => Poll::Ready((self.decode)(response)),
            Poll::Ready(Err(error)) => Poll::Ready(Err(error)),
        }
    }
}

impl<T> fmt::Debug for Call<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("state", &self.state.name())
            .finish()
    }
}
