//! Offset pagination as a `Stream` of items, with a retry budget per page and a place to
//! resume from.

use super::error::Error;
use super::retry::RetryPolicy;
use futures_core::Stream;
use reqwest::Method;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

/// The API's largest page.
pub const MAX_PAGE_SIZE: i64 = 500;

/// The page size when the caller sets none.
pub const DEFAULT_PAGE_SIZE: i64 = 100;

/// One fetched page.
#[derive(Debug)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// The total the server reported, if it reports one.
    pub total_count: Option<i64>,
}

type PageFuture<T> = Pin<Box<dyn Future<Output = Result<Page<T>, Error>> + Send>>;
type FetchPage<T> = Box<dyn FnMut(i64, i64) -> PageFuture<T> + Send>;

/// Every item of a list operation, fetched one page at a time as the stream is polled.
///
/// The stream ends after the last page: when the offset reaches the `total_count` of
/// the latest page, when a page is empty, or (for lists without a total) when a page is
/// shorter than the page size.
///
/// # When a page fails
///
/// Each page is one call, retried by the client's [`RetryPolicy`]. A page whose call
/// fails anyway with an error worth retrying (a `429`, a `5xx`, a dropped connection, a
/// timeout) is fetched again at the same offset, as the stream's own
/// [`Paginated::page_retry`] policy allows (default: [`RetryPolicy::default`], up to 3
/// fetches of one page within 30 s, waiting the answer's `Retry-After` or a backoff in
/// between). No item is skipped or repeated, so a long export rides out a bad stretch
/// of the server on its own.
///
/// When the page's budget is spent too, or the error is not worth retrying (`404`, an
/// answer that does not decode, ...), the error is yielded as an `Err` item and the
/// stream stops there, keeping its place:
/// - [`Paginated::resume`] makes the same stream fetch the failed page again on its next
///   poll, with a fresh budget;
/// - [`Paginated::next_offset`] is the offset of the next item it would have yielded,
///   for a new stream (the list operation's `offset`) to start from, in another process
///   say.
///
/// ```no_run
/// # async fn run(client: clerk_api::Client) -> Result<(), clerk_api::Error> {
/// use futures::{StreamExt, TryStreamExt};
///
/// // Pages that fail are fetched again; an error that outlasts that ends the loop.
/// let mut orgs = client.list_organizations().limit(500).stream();
/// while let Some(org) = orgs.try_next().await? {
///     println!("{} {}", org.id, org.name);
/// }
///
/// // An export that never gives up: on an error, wait and carry on from the same page.
/// let mut orgs = client.list_organizations().stream();
/// while let Some(item) = orgs.next().await {
///     match item {
///         Ok(org) => println!("{}", org.id),
///         Err(e) => {
///             eprintln!("at offset {}: {e}; carrying on in a minute", orgs.next_offset());
///             tokio::time::sleep(std::time::Duration::from_secs(60)).await;
///             orgs.resume();
///         }
///     }
/// }
/// # Ok(())
/// # }
/// ```
pub struct Paginated<T> {
    fetch: FetchPage<T>,
    /// The items of the latest page not yet yielded.
    buffer: std::vec::IntoIter<T>,
    step: Step<T>,
    /// The offset of the next page to fetch.
    offset: i64,
    page_size: i64,
    page_retry: RetryPolicy,
    /// Failed fetches of the page at `offset` so far, and when its first fetch started.
    failures: u32,
    page_started: Option<Instant>,
}

/// What the stream does next once its buffer is empty.
enum Step<T> {
    /// Fetch the page at `offset`.
    Fetch,
    Fetching(PageFuture<T>),
    /// Wait before fetching a failed page again.
    Backoff(Pin<Box<tokio::time::Sleep>>),
    /// The last page has been read.
    Done,
    /// A page failed (yielded as an `Err` item); [`Paginated::resume`] fetches it again.
    Failed,
}

// The items are only moved, never pinned: the stream is `Unpin` whatever `T` is.
impl<T> Unpin for Paginated<T> {}

impl<T> std::fmt::Debug for Paginated<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let step = match self.step {
            Step::Fetch => "fetch",
            Step::Fetching(_) => "fetching",
            Step::Backoff(_) => "waiting to fetch again",
            Step::Done => "done",
            Step::Failed => "failed",
        };
        f.debug_struct("Paginated")
            .field("next_offset", &self.next_offset())
            .field("page_size", &self.page_size)
            .field("buffered", &self.buffer.len())
            .field("step", &step)
            .field("page_retry", &self.page_retry)
            .finish_non_exhaustive()
    }
}

impl<T: Send + 'static> Paginated<T> {
    /// A stream starting at `offset` (default 0) with pages of `limit` items (default
    /// [`DEFAULT_PAGE_SIZE`]); `fetch(limit, offset)` loads one page.
    #[doc(hidden)]
    pub fn new<F, Fut>(limit: Option<i64>, offset: Option<i64>, mut fetch: F) -> Self
    where
        F: FnMut(i64, i64) -> Fut + Send + 'static,
        Fut: Future<Output = Result<Page<T>, Error>> + Send + 'static,
    {
        Paginated {
            fetch: Box::new(move |limit, offset| Box::pin(fetch(limit, offset))),
            buffer: Vec::new().into_iter(),
            step: Step::Fetch,
            offset: offset.unwrap_or(0).max(0),
            page_size: limit.unwrap_or(DEFAULT_PAGE_SIZE).clamp(1, MAX_PAGE_SIZE),
            page_retry: RetryPolicy::default(),
            failures: 0,
            page_started: None,
        }
    }
}

impl<T> Paginated<T> {
    /// Items per request, between 1 and [`MAX_PAGE_SIZE`].
    pub fn page_size(mut self, size: i64) -> Self {
        self.page_size = size.clamp(1, MAX_PAGE_SIZE);
        self
    }

    /// How a page whose call failed (after the client's own retries) is fetched again:
    /// fetches per page, the backoff between them and the time a page may take in all
    /// (default [`RetryPolicy::default`]; [`RetryPolicy::disabled`] yields the first
    /// failure). Only failures worth retrying for a `GET` are fetched again.
    pub fn page_retry(mut self, policy: RetryPolicy) -> Self {
        self.page_retry = policy;
        self
    }

    /// The offset of the next item this stream yields: where a new stream over the same
    /// list would start to carry on from here (after an `Err` item, the failed page's).
    pub fn next_offset(&self) -> i64 {
        self.offset - self.buffer.len() as i64
    }

    /// After an `Err` item: fetches the failed page again on the next poll, with a
    /// fresh [`Paginated::page_retry`] budget. Does nothing otherwise.
    pub fn resume(&mut self) {
        if matches!(self.step, Step::Failed) {
            self.step = Step::Fetch;
        }
    }

    /// Fetches every remaining page and returns all items, or the first error.
    pub async fn collect_all(mut self) -> Result<Vec<T>, Error> {
        let mut all = Vec::new();
        while let Some(item) = std::future::poll_fn(|cx| Pin::new(&mut self).poll_next(cx)).await {
            all.push(item?);
        }
        Ok(all)
    }

    /// A page arrived: its items are yielded next, and it may have been the last.
    fn arrived(&mut self, page: Page<T>) {
        let count = page.items.len() as i64;
        self.offset += count;
        // With a total, only the total decides (a server may cap the page below the
        // size asked for); without one, a short page is the last.
        let last = count == 0
            || match page.total_count {
                Some(total) => self.offset >= total,
                None => count < self.page_size,
            };
        self.step = if last { Step::Done } else { Step::Fetch };
        self.buffer = page.items.into_iter();
        self.failures = 0;
        self.page_started = None;
    }

    /// A page failed: waits and fetches it again if the page's budget allows (`None`),
    /// else stops at it and hands back the error to yield.
    fn failed(&mut self, error: Error) -> Option<Error> {
        self.failures += 1;
        let elapsed = self.page_started.map(|t| t.elapsed()).unwrap_or_default();
        match self
            .page_retry
            .next_wait(&Method::GET, &error, self.failures, elapsed)
        {
            Some(wait) => {
                tracing::debug!(
                    offset = self.offset,
                    failures = self.failures,
                    wait_ms = wait.as_millis() as u64,
                    error = %error,
                    "fetching the page again"
                );
                self.step = Step::Backoff(Box::pin(tokio::time::sleep(wait)));
                None
            }
            None => {
                self.step = Step::Failed;
                self.failures = 0;
                self.page_started = None;
                Some(error)
            }
        }
    }
}

impl<T> Stream for Paginated<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.buffer.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match &mut this.step {
                Step::Done | Step::Failed => return Poll::Ready(None),
                Step::Fetch => {
                    this.page_started.get_or_insert_with(Instant::now);
                    this.step = Step::Fetching((this.fetch)(this.page_size, this.offset));
                }
                Step::Backoff(wait) => {
                    if wait.as_mut().poll(cx).is_pending() {
                        return Poll::Pending;
                    }
                    this.step = Step::Fetch;
                }
                Step::Fetching(page) => match page.as_mut().poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(Ok(page)) => this.arrived(page),
                    Poll::Ready(Err(error)) => {
                        if let Some(error) = this.failed(error) {
                            return Poll::Ready(Some(Err(error)));
                        }
                    }
                },
            }
        }
    }
}
