//! Which requests a mock answers, and with what.

use super::recorded::RecordedRequest;
use super::response::MockResponse;
use super::server::MockServer;
use percent_encoding::percent_decode_str;
use reqwest::Method;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

type Matcher = Box<dyn Fn(&RecordedRequest) -> bool + Send + Sync>;
type Responder = Box<dyn Fn(&RecordedRequest) -> Answer + Send + Sync>;

/// What a matched rule does with a request.
pub(crate) enum Answer {
    Respond(MockResponse),
    /// Leaves the request to the server's own answer, after this delay.
    PassAfter(Duration),
}

/// One registered rule: what it matches, how it answers, what it has answered.
pub(crate) struct Rule {
    method: Option<Method>,
    path: Option<PathTemplate>,
    operation_id: Option<String>,
    matchers: Vec<Matcher>,
    times: Option<usize>,
    respond: Responder,
    /// The requests this rule answered, in order.
    answered: Mutex<Vec<RecordedRequest>>,
}

impl Rule {
    /// This rule's answer to `request`, if it matches and is not used up; the request
    /// is then recorded as answered here. One lock covers check and record, so a rule
    /// limited by `times` answers no more than that under concurrent requests.
    pub(crate) fn try_answer(&self, request: &RecordedRequest) -> Option<Answer> {
        let mut answered = self.answered.lock().unwrap_or_else(|e| e.into_inner());
        let accepts = self.times.is_none_or(|times| answered.len() < times)
            && self.method.as_ref().is_none_or(|m| *m == request.method)
            && self.path.as_ref().is_none_or(|p| p.matches(&request.path))
            && self
                .operation_id
                .as_ref()
                .is_none_or(|id| request.operation_id.as_ref() == Some(id))
            && self.matchers.iter().all(|m| m(request));
        if !accepts {
            return None;
        }
        answered.push(request.clone());
        drop(answered);
        Some((self.respond)(request))
    }
}

/// Builds a rule: see [`MockServer::on`] and [`MockServer::on_operation`].
#[must_use = "a mock is registered by `respond`, `respond_in_sequence` or `respond_with`"]
pub struct MockBuilder<'a> {
    server: &'a MockServer,
    method: Option<Method>,
    path: Option<PathTemplate>,
    operation_id: Option<String>,
    matchers: Vec<Matcher>,
    times: Option<usize>,
}

impl fmt::Debug for MockBuilder<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockBuilder")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("operation_id", &self.operation_id)
            .field("matchers", &self.matchers.len())
            .field("times", &self.times)
            .finish()
    }
}

impl<'a> MockBuilder<'a> {
    pub(crate) fn new(
        server: &'a MockServer,
        method: Option<Method>,
        path: Option<&str>,
        operation_id: Option<&str>,
    ) -> Self {
        MockBuilder {
            server,
            method,
            path: path.map(PathTemplate::parse),
            operation_id: operation_id.map(str::to_owned),
            matchers: Vec::new(),
            times: None,
        }
    }

    /// Only requests for which `matcher` is true (e.g. a query value, a body field).
    pub fn matching(
        mut self,
        matcher: impl Fn(&RecordedRequest) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.matchers.push(Box::new(matcher));
        self
    }

    /// Answers at most `n` requests; later ones fall through to the next rule.
    pub fn times(mut self, n: usize) -> Self {
        self.times = Some(n);
        self
    }

    /// Answers every matched request with `response`.
    pub fn respond(self, response: MockResponse) -> Mock {
        self.respond_with(move |_| response.clone())
    }

    /// Answers the matched requests with `responses` in order; the last one answers
    /// every request after it (e.g. `[503, 200]` to test a retry).
    pub fn respond_in_sequence(self, responses: impl IntoIterator<Item = MockResponse>) -> Mock {
        let responses: Vec<MockResponse> = responses.into_iter().collect();
        assert!(
            !responses.is_empty(),
            "a sequence needs at least one response"
        );
        let next = Mutex::new(0usize);
        self.respond_with(move |_| {
            let mut next = next.lock().unwrap_or_else(|e| e.into_inner());
            let response = responses[(*next).min(responses.len() - 1)].clone();
            *next += 1;
            response
        })
    }

    /// Answers each matched request with what `respond` makes of it.
    pub fn respond_with(
        self,
        respond: impl Fn(&RecordedRequest) -> MockResponse + Send + Sync + 'static,
    ) -> Mock {
        self.register(Box::new(move |request| Answer::Respond(respond(request))))
    }

    /// Lets each matched request through to the server's own answer after `delay`: a
    /// slow [`FakeClerk`](super::FakeClerk) that still answers from its state (on a
    /// [`MockServer`], the own answer is the `404` of a request no mock matches).
    pub fn pass_through_after(self, delay: Duration) -> Mock {
        self.register(Box::new(move |_| Answer::PassAfter(delay)))
    }

    fn register(self, respond: Responder) -> Mock {
        let rule = Arc::new(Rule {
            method: self.method,
            path: self.path,
            operation_id: self.operation_id,
            matchers: self.matchers,
            times: self.times,
            respond,
            answered: Mutex::new(Vec::new()),
        });
        self.server.add_rule(rule.clone());
        Mock { rule }
    }
}

/// A registered rule, for asserting how often and with what it was called.
#[derive(Clone)]
pub struct Mock {
    rule: Arc<Rule>,
}

impl fmt::Debug for Mock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mock")
            .field("method", &self.rule.method)
            .field("path", &self.rule.path)
            .field("operation_id", &self.rule.operation_id)
            .field("calls", &self.calls())
            .finish()
    }
}

impl Mock {
    /// How many requests this rule has answered.
    pub fn calls(&self) -> usize {
        self.rule
            .answered
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .len()
    }

    /// The requests this rule has answered, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.rule
            .answered
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// A path with `{name}` segments that match any one non-empty segment.
#[derive(Debug, Clone)]
pub(crate) struct PathTemplate {
    segments: Vec<Option<String>>,
}

impl PathTemplate {
    pub(crate) fn parse(template: &str) -> Self {
        PathTemplate {
            segments: template
                .split('/')
                .map(|s| (!(s.starts_with('{') && s.ends_with('}'))).then(|| s.to_owned()))
                .collect(),
        }
    }

    /// Literal segments are compared with the request's segments percent-decoded, so
    /// `/users/a b` matches `/users/a%20b`.
    fn matches(&self, path: &str) -> bool {
        self.captures(path).is_some()
    }

    /// The values of the `{name}` segments in `path` (percent-decoded, in order), when
    /// `path` matches.
    pub(crate) fn captures(&self, path: &str) -> Option<Vec<String>> {
        let segments: Vec<&str> = path.split('/').collect();
        if segments.len() != self.segments.len() {
            return None;
        }
        let mut captured = Vec::new();
        for (want, got) in self.segments.iter().zip(segments) {
            let decoded = percent_decode_str(got).decode_utf8_lossy();
            match want {
                None if got.is_empty() => return None,
                None => captured.push(decoded.into_owned()),
                Some(literal) if decoded != literal.as_str() => return None,
                Some(_) => {}
            }
        }
        Some(captured)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_one_segment_per_placeholder() {
        let t = PathTemplate::parse("/organizations/{organization_id}/memberships");
        assert!(t.matches("/organizations/org_1/memberships"));
        assert!(t.matches("/organizations/a%2Fb/memberships"));
        assert!(!t.matches("/organizations//memberships"));
        assert!(!t.matches("/organizations/org_1/memberships/x"));
        assert!(!t.matches("/organizations/org_1"));
        let literal = PathTemplate::parse("/users/a b");
        assert!(literal.matches("/users/a%20b"));
        assert!(!literal.matches("/users/a_b"));
    }

    #[test]
    fn captures_are_the_decoded_placeholder_segments() {
        let t = PathTemplate::parse("/organizations/{organization_id}/memberships/{user_id}");
        assert_eq!(
            t.captures("/organizations/org_1/memberships/a%2Fb"),
            Some(vec!["org_1".to_owned(), "a/b".to_owned()])
        );
        assert_eq!(t.captures("/organizations/org_1/memberships"), None);
    }
}
