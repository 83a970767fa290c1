//! Offset pagination as a `Stream` of items.

use super::error::Error;
use futures_core::Stream;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

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
/// shorter than the page size. A failed page (after the
/// client's retries) is yielded as an `Err` item and ends the stream.
///
/// ```no_run
/// # async fn run(client: clerk_api::Client) -> Result<(), clerk_api::Error> {
/// use futures::TryStreamExt;
///
/// let mut orgs = client.list_organizations().limit(500).stream();
/// while let Some(org) = orgs.try_next().await? {
///     println!("{} {}", org.id, org.name);
/// }
/// # Ok(())
/// # }
/// ```
pub struct Paginated<T> {
    fetch: FetchPage<T>,
    buffer: VecDeque<T>,
    in_flight: Option<PageFuture<T>>,
    offset: i64,
    page_size: i64,
    done: bool,
}

// The items are only moved, never pinned: the stream is `Unpin` whatever `T` is.
impl<T> Unpin for Paginated<T> {}

impl<T> std::fmt::Debug for Paginated<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paginated")
            .field("offset", &self.offset)
            .field("page_size", &self.page_size)
            .field("buffered", &self.buffer.len())
            .field("done", &self.done)
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
            buffer: VecDeque::new(),
            in_flight: None,
            offset: offset.unwrap_or(0).max(0),
            page_size: limit.unwrap_or(DEFAULT_PAGE_SIZE).clamp(1, MAX_PAGE_SIZE),
            done: false,
        }
    }
}

impl<T> Paginated<T> {
    /// Items per request, between 1 and [`MAX_PAGE_SIZE`].
    pub fn page_size(mut self, size: i64) -> Self {
        self.page_size = size.clamp(1, MAX_PAGE_SIZE);
        self
    }

    /// Fetches every remaining page and returns all items, or the first error.
    pub async fn collect_all(mut self) -> Result<Vec<T>, Error> {
        let mut all = Vec::new();
        while let Some(item) = std::future::poll_fn(|cx| Pin::new(&mut self).poll_next(cx)).await {
            all.push(item?);
        }
        Ok(all)
    }
}

impl<T> Stream for Paginated<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if this.done {
                return Poll::Ready(None);
            }
            let page_size = this.page_size;
            let offset = this.offset;
            let fetch = &mut this.fetch;
            let future = this
                .in_flight
                .get_or_insert_with(|| fetch(page_size, offset));
            let page = match future.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(page) => page,
            };
            this.in_flight = None;
            match page {
                Ok(page) => {
                    let count = page.items.len() as i64;
                    this.offset += count;
                    // With a total, only the total decides (a server may cap the page
                    // below the size asked for); without one, a short page is the last.
                    this.done = count == 0
                        || match page.total_count {
                            Some(total) => this.offset >= total,
                            None => count < this.page_size,
                        };
                    this.buffer.extend(page.items);
                }
                Err(error) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(error)));
                }
            }
        }
    }
}
