//! What a regeneration does to the users of the crate: the difference between two
//! [`Surface`]s, each change marked breaking or compatible by Rust's semver rules applied
//! to the generated code and its policy (README, "Stability of the generated API"):
//! structs and enums are `#[non_exhaustive]`, request structs are built with
//! `new(required...)` or `Default`, optional parameters are setters of the request
//! builder (and fields of its params struct).
//!
//! So adding is compatible (an operation, a feature, a model, an optional parameter or
//! field, an enum value, a union variant, a trait), and removing, renaming or retyping
//! anything a user can name is breaking, as is whatever changes a signature: a new
//! required argument, a constructor that takes another field, a body that appears.

use crate::api_changes::surface::{
    BodyPassing, BodySurface, FieldSurface, ModelSurface, OperationSurface, Shape, Surface,
    WEBHOOK_EVENTS_PATH,
};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Code that compiled against the old crate may not compile against the new one.
    Breaking,
    Compatible,
}

/// What a change is about, in the order the report lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Subject {
    Feature,
    Operation,
    /// A required parameter: an argument of the method.
    Argument,
    /// An optional parameter: a setter of the request builder.
    Parameter,
    Body,
    Response,
    /// The `.stream()` of a paginated operation's builder.
    Stream,
    Model,
    Field,
    Constructor,
    Trait,
    EnumValue,
    UnionVariant,
    WebhookEvent,
    ApiVersion,
}

impl Subject {
    fn name(self, plural: bool) -> &'static str {
        let (one, many) = match self {
            Subject::Feature => ("feature", "features"),
            Subject::Operation => ("operation", "operations"),
            Subject::Argument => ("required argument", "required arguments"),
            Subject::Parameter => ("optional parameter", "optional parameters"),
            Subject::Body => ("request body", "request bodies"),
            Subject::Response => ("response type", "response types"),
            Subject::Stream => ("stream", "streams"),
            Subject::Model => ("model", "models"),
            Subject::Field => ("field", "fields"),
            Subject::Constructor => ("constructor", "constructors"),
            Subject::Trait => ("trait impl", "trait impls"),
            Subject::EnumValue => ("enum value", "enum values"),
            Subject::UnionVariant => ("union variant", "union variants"),
            Subject::WebhookEvent => ("webhook event", "webhook events"),
            Subject::ApiVersion => ("API version", "API versions"),
        };
        if plural {
            many
        } else {
            one
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    Added,
    Removed,
    Renamed,
    Changed,
    Deprecated,
}

impl Action {
    fn name(self) -> &'static str {
        match self {
            Action::Added => "added",
            Action::Removed => "removed",
            Action::Renamed => "renamed",
            Action::Changed => "changed",
            Action::Deprecated => "deprecated",
        }
    }
}

/// One change, at the Rust path a user would write (`Client::list_users`,
/// `models::User::last_active_at`, `models::UserStatus::Banned`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub severity: Severity,
    pub subject: Subject,
    pub action: Action,
    pub path: String,
    /// What changed, briefly (`Option<i64>` -> `String`).
    pub detail: String,
}

/// Every change between two surfaces: breaking first, then by subject and path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub changes: Vec<Change>,
}

impl Report {
    /// The changes that take `old` to `new`.
    pub fn between(old: &Surface, new: &Surface) -> Report {
        let mut diff = Diff::default();
        diff.features(&old.features, &new.features);
        diff.operations(old, new);
        diff.models(&old.models, &new.models);
        if old.api_version != new.api_version {
            diff.push(
                Severity::Compatible,
                Subject::ApiVersion,
                Action::Changed,
                "API_VERSION",
                format!(
                    "{} -> {} (sent as `Clerk-API-Version`)",
                    code(&old.api_version),
                    code(&new.api_version)
                ),
            );
        }
        let mut changes = diff.changes;
        changes.sort();
        Report { changes }
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    pub fn breaking(&self) -> usize {
        self.count(Severity::Breaking)
    }

    pub fn compatible(&self) -> usize {
        self.count(Severity::Compatible)
    }

    fn count(&self, severity: Severity) -> usize {
        self.changes
            .iter()
            .filter(|c| c.severity == severity)
            .count()
    }

    /// How many changes of each kind, per severity, in report order.
    pub fn counts(&self) -> Vec<(Subject, Action, usize, usize)> {
        let mut counts: BTreeMap<(Subject, Action), (usize, usize)> = BTreeMap::new();
        for change in &self.changes {
            let entry = counts.entry((change.subject, change.action)).or_default();
            match change.severity {
                Severity::Breaking => entry.0 += 1,
                Severity::Compatible => entry.1 += 1,
            }
        }
        counts
            .into_iter()
            .map(|((s, a), (b, c))| (s, a, b, c))
            .collect()
    }

    /// `2 breaking, 14 compatible`, or `no API changes`.
    pub fn headline(&self) -> String {
        if self.is_empty() {
            return "no API changes".to_owned();
        }
        format!(
            "{} breaking, {} compatible",
            self.breaking(),
            self.compatible()
        )
    }

    /// The counts of one severity as a phrase: `1 operation removed, 2 fields changed`.
    fn tally(&self, severity: Severity) -> String {
        self.counts()
            .into_iter()
            .filter_map(|(subject, action, breaking, compatible)| {
                let n = match severity {
                    Severity::Breaking => breaking,
                    Severity::Compatible => compatible,
                };
                (n > 0).then(|| format!("{n} {} {}", subject.name(n != 1), action.name()))
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The terminal summary: the counts, every breaking change, and the first `limit`
    /// compatible ones.
    pub fn text(&self, limit: usize) -> String {
        let mut out = format!("API changes: {}\n", self.headline());
        if self.is_empty() {
            return out;
        }
        for (severity, label) in [
            (Severity::Breaking, "breaking"),
            (Severity::Compatible, "compatible"),
        ] {
            let tally = self.tally(severity);
            if !tally.is_empty() {
                out.push_str(&format!("  {label}: {tally}\n"));
            }
        }
        let mut shown = 0;
        let mut severity = None;
        for change in &self.changes {
            if change.severity == Severity::Compatible && shown >= limit {
                let rest = self.compatible() - shown;
                out.push_str(&format!(
                    "  ... and {rest} more compatible (`cargo xtask gen --report FILE` lists every change)\n"
                ));
                break;
            }
            if severity != Some(change.severity) {
                severity = Some(change.severity);
                out.push_str(match change.severity {
                    Severity::Breaking => "breaking:\n",
                    Severity::Compatible => "compatible:\n",
                });
            }
            if change.severity == Severity::Compatible {
                shown += 1;
            }
            out.push_str(&format!("  - {}\n", change.line()));
        }
        out
    }

    /// The whole report as Markdown, for a changelog or a pull request.
    pub fn markdown(&self, title: &str) -> String {
        let mut out = format!("## {title}: {}\n", self.headline());
        if self.is_empty() {
            return out;
        }
        out.push_str("\n| change | breaking | compatible |\n| --- | ---: | ---: |\n");
        for (subject, action, breaking, compatible) in self.counts() {
            out.push_str(&format!(
                "| {} {} | {breaking} | {compatible} |\n",
                subject.name(false),
                action.name()
            ));
        }
        for (severity, heading) in [
            (Severity::Breaking, "Breaking"),
            (Severity::Compatible, "Compatible"),
        ] {
            let lines: Vec<String> = self
                .changes
                .iter()
                .filter(|c| c.severity == severity)
                .map(|c| format!("- {}\n", c.line()))
                .collect();
            if !lines.is_empty() {
                out.push_str(&format!("\n### {heading}\n\n"));
                out.extend(lines);
            }
        }
        out
    }
}

impl Change {
    /// `field changed: `models::User::age`: `i32` -> `i64``.
    fn line(&self) -> String {
        format!(
            "{} {}: `{}`: {}",
            self.subject.name(false),
            self.action.name(),
            self.path,
            self.detail
        )
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(usize::MAX))
    }
}

/// The method's arguments without a required body, which is always the last one
/// ([`crate::ir::CallShape::args`]) and which [`Diff::body`] reports, so a body that
/// appears or becomes required is one change, not two.
fn param_args(op: &OperationSurface) -> &[[String; 2]] {
    match &op.body {
        Some(body) if body.passed == BodyPassing::Argument => {
            &op.args[..op.args.len().saturating_sub(1)]
        }
        _ => &op.args,
    }
}

/// An operation's endpoint, and its stream when it has one.
fn endpoint(op: &OperationSurface) -> String {
    match &op.stream {
        Some(item) => format!("`{}`, with `.stream()` of `{item}`", op.http),
        None => format!("`{}`", op.http),
    }
}

/// `text` as inline code.
fn code(text: &str) -> String {
    format!("`{text}`")
}

/// `a -> b`, each as code.
fn arrow(old: &str, new: &str) -> String {
    format!("{} -> {}", code(old), code(new))
}

/// How a field's type became another, saying so when only its wrapper changed: a
/// field that became optional or required (decided on the typed [`Wrap`], never on
/// the spelling).
///
/// [`Wrap`]: crate::api_changes::surface::Wrap
fn retyped(old: &FieldSurface, new: &FieldSurface) -> String {
    use crate::api_changes::surface::Wrap;
    let note = match (old.ty == new.ty, old.wrap, new.wrap) {
        (true, Wrap::Plain, Wrap::Option | Wrap::Nullable) => " (now optional)",
        (true, Wrap::Option | Wrap::Nullable, Wrap::Plain) => " (now required)",
        _ => "",
    };
    format!("{}{note}", arrow(&old.spelled(), &new.spelled()))
}

#[derive(Default)]
struct Diff {
    changes: Vec<Change>,
    /// Params structs of operations that were renamed or moved: old path -> new path,
    /// compared with each other rather than reported removed and added.
    moved_params: BTreeMap<String, String>,
}

impl Diff {
    fn push(
        &mut self,
        severity: Severity,
        subject: Subject,
        action: Action,
        path: impl Into<String>,
        detail: impl Into<String>,
    ) {
        self.changes.push(Change {
            severity,
            subject,
            action,
            path: path.into(),
            detail: detail.into(),
        });
    }

    fn features(&mut self, old: &[String], new: &[String]) {
        let (old, new): (BTreeSet<&String>, BTreeSet<&String>) =
            (old.iter().collect(), new.iter().collect());
        for f in old.difference(&new) {
            self.push(
                Severity::Breaking,
                Subject::Feature,
                Action::Removed,
                f.as_str(),
                "cargo feature and module gone",
            );
        }
        for f in new.difference(&old) {
            self.push(
                Severity::Compatible,
                Subject::Feature,
                Action::Added,
                f.as_str(),
                "new cargo feature (on by default) and module",
            );
        }
    }

    fn operations(&mut self, old: &Surface, new: &Surface) {
        let removed: Vec<&String> = old
            .operations
            .keys()
            .filter(|k| !new.operations.contains_key(*k))
            .collect();
        let mut added: Vec<&String> = new
            .operations
            .keys()
            .filter(|k| !old.operations.contains_key(*k))
            .collect();
        for name in removed {
            let before = &old.operations[name];
            // A method gone and one new on the same endpoint: the operation was renamed.
            if let Some(i) = added
                .iter()
                .position(|a| new.operations[*a].http == before.http)
            {
                let renamed = added.remove(i);
                let after = &new.operations[renamed];
                let path = format!("Client::{renamed}");
                self.push(
                    Severity::Breaking,
                    Subject::Operation,
                    Action::Renamed,
                    &path,
                    format!("was `Client::{name}` (`{}`)", before.http),
                );
                self.operation(&path, before, after, true);
                continue;
            }
            self.push(
                Severity::Breaking,
                Subject::Operation,
                Action::Removed,
                format!("Client::{name}"),
                endpoint(before),
            );
        }
        for name in added {
            let after = &new.operations[name];
            self.push(
                Severity::Compatible,
                Subject::Operation,
                Action::Added,
                format!("Client::{name}"),
                endpoint(after),
            );
        }
        for (name, before) in &old.operations {
            if let Some(after) = new.operations.get(name) {
                self.operation(&format!("Client::{name}"), before, after, false);
            }
        }
    }

    /// One operation in both surfaces (`renamed`: under another method name).
    fn operation(
        &mut self,
        path: &str,
        old: &OperationSurface,
        new: &OperationSurface,
        renamed: bool,
    ) {
        if old.http != new.http {
            self.push(
                Severity::Compatible,
                Subject::Operation,
                Action::Changed,
                path,
                format!("now `{}` (was `{}`)", new.http, old.http),
            );
        }
        if old.feature != new.feature {
            self.push(
                Severity::Breaking,
                Subject::Operation,
                Action::Changed,
                path,
                format!(
                    "moved from feature `{}` to `{}` (its params struct with it)",
                    old.feature, new.feature
                ),
            );
        }
        if old.builder != new.builder && !renamed && old.feature == new.feature {
            self.push(
                Severity::Breaking,
                Subject::Operation,
                Action::Changed,
                path,
                format!("returns {}", arrow(&old.builder, &new.builder)),
            );
        }
        match (&old.params, &new.params) {
            (Some(a), Some(b)) if a != b => {
                if !renamed && old.feature == new.feature {
                    self.push(
                        Severity::Breaking,
                        Subject::Operation,
                        Action::Changed,
                        path,
                        format!("`.params(..)` takes {}", arrow(a, b)),
                    );
                }
                self.moved_params.insert(a.clone(), b.clone());
            }
            (Some(a), None) => self.push(
                Severity::Breaking,
                Subject::Operation,
                Action::Changed,
                path,
                format!("no optional parameters any more: `{a}` and `.params(..)` gone"),
            ),
            _ => {}
        }
        self.arguments(path, param_args(old), param_args(new));
        self.setters(&new.builder, old, new);
        self.body(path, &new.builder, &old.body, &new.body);
        if old.result != new.result {
            self.push(
                Severity::Breaking,
                Subject::Response,
                Action::Changed,
                path,
                arrow(&old.result, &new.result),
            );
        }
        self.stream(&new.builder, &old.stream, &new.stream);
        if old.deprecated != new.deprecated {
            let (action, detail) = if new.deprecated {
                (Action::Deprecated, "now `#[deprecated]`")
            } else {
                (Action::Changed, "no longer deprecated")
            };
            self.push(
                Severity::Compatible,
                Subject::Operation,
                action,
                path,
                detail,
            );
        }
    }

    /// The builder's setters of optional parameters: a new one is compatible (the
    /// builder is built by the method, never by the caller); one gone or retyped breaks
    /// code that calls it.
    fn setters(&mut self, builder: &str, old: &OperationSurface, new: &OperationSurface) {
        for (name, ty) in &old.setters {
            let setter = format!("{builder}::{name}");
            match new.setters.get(name) {
                None => self.push(
                    Severity::Breaking,
                    Subject::Parameter,
                    Action::Removed,
                    setter,
                    format!("took `{ty}`"),
                ),
                Some(now) if now != ty => self.push(
                    Severity::Breaking,
                    Subject::Parameter,
                    Action::Changed,
                    setter,
                    arrow(ty, now),
                ),
                Some(_) => {}
            }
        }
        for (name, ty) in new
            .setters
            .iter()
            .filter(|(n, _)| !old.setters.contains_key(*n))
        {
            self.push(
                Severity::Compatible,
                Subject::Parameter,
                Action::Added,
                format!("{builder}::{name}"),
                format!("new setter taking `{ty}`"),
            );
        }
    }

    /// The request body: a new optional one is a new `.body(..)` (compatible); a new
    /// required one is a new argument, and any other change changes a signature.
    fn body(
        &mut self,
        path: &str,
        builder: &str,
        old: &Option<BodySurface>,
        new: &Option<BodySurface>,
    ) {
        use crate::api_changes::surface::BodyPassing::{Argument, Setter};
        let setter = format!("{builder}::body");
        match (old, new) {
            (None, Some(b)) if b.passed == Setter => self.push(
                Severity::Compatible,
                Subject::Body,
                Action::Added,
                setter,
                format!("optional body `{}`", b.ty),
            ),
            (None, Some(b)) => self.push(
                Severity::Breaking,
                Subject::Body,
                Action::Added,
                path,
                format!("new argument `{}`", b.ty),
            ),
            (Some(b), None) => self.push(
                Severity::Breaking,
                Subject::Body,
                Action::Removed,
                path,
                format!("no `{}` body any more", b.ty),
            ),
            (Some(a), Some(b)) if a.passed != b.passed => {
                let detail = if b.passed == Argument {
                    format!("now required: an argument `{}`, no `.body(..)`", b.ty)
                } else {
                    format!("now optional: set with `.body(..)`, no argument `{}`", a.ty)
                };
                self.push(
                    Severity::Breaking,
                    Subject::Body,
                    Action::Changed,
                    path,
                    detail,
                );
            }
            (Some(a), Some(b)) if a.ty != b.ty => self.push(
                Severity::Breaking,
                Subject::Body,
                Action::Changed,
                path,
                arrow(&a.ty, &b.ty),
            ),
            _ => {}
        }
    }

    /// `.stream()` of a paginated operation's builder.
    fn stream(&mut self, builder: &str, old: &Option<String>, new: &Option<String>) {
        let stream = format!("{builder}::stream");
        match (old, new) {
            (None, Some(item)) => self.push(
                Severity::Compatible,
                Subject::Stream,
                Action::Added,
                stream,
                format!("a `Paginated<{item}>`"),
            ),
            (Some(_), None) => self.push(
                Severity::Breaking,
                Subject::Stream,
                Action::Removed,
                stream,
                "the operation is no longer paginated",
            ),
            (Some(a), Some(b)) if a != b => self.push(
                Severity::Breaking,
                Subject::Stream,
                Action::Changed,
                stream,
                format!("items {}", arrow(a, b)),
            ),
            _ => {}
        }
    }

    /// Required arguments are positional: their types in order are the signature. A
    /// new name at a position is a compatible rename, unless the name was the
    /// argument's at another position: arguments that swapped places (of one type,
    /// callers keep compiling and send each value as the other) are breaking.
    fn arguments(&mut self, path: &str, old: &[[String; 2]], new: &[[String; 2]]) {
        if old == new {
            return;
        }
        let types = |args: &[[String; 2]]| args.iter().map(|[_, t]| t.clone()).collect::<Vec<_>>();
        let moved = new.iter().enumerate().any(|(i, [name, _])| {
            old.iter()
                .position(|[n, _]| n == name)
                .is_some_and(|j| j != i)
        });
        if types(old) == types(new) && !moved {
            for ([a, _], [b, _]) in old.iter().zip(new) {
                if a != b {
                    self.push(
                        Severity::Compatible,
                        Subject::Argument,
                        Action::Renamed,
                        path,
                        format!("`{a}` is now called `{b}`"),
                    );
                }
            }
            return;
        }
        let before = self.changes.len();
        let by_name = |args: &[[String; 2]]| -> BTreeMap<String, String> {
            args.iter().map(|[n, t]| (n.clone(), t.clone())).collect()
        };
        let (old_names, new_names) = (by_name(old), by_name(new));
        for [name, ty] in new {
            match old_names.get(name) {
                None => self.push(
                    Severity::Breaking,
                    Subject::Argument,
                    Action::Added,
                    path,
                    format!("new argument `{name}: {ty}`"),
                ),
                Some(was) if was != ty => self.push(
                    Severity::Breaking,
                    Subject::Argument,
                    Action::Changed,
                    path,
                    format!("`{name}`: {}", arrow(was, ty)),
                ),
                Some(_) => {}
            }
        }
        for [name, ty] in old {
            if !new_names.contains_key(name) {
                self.push(
                    Severity::Breaking,
                    Subject::Argument,
                    Action::Removed,
                    path,
                    format!("`{name}: {ty}` is no longer an argument"),
                );
            }
        }
        if self.changes.len() == before {
            let list = |args: &[[String; 2]]| {
                args.iter()
                    .map(|[n, t]| format!("{n}: {t}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            self.push(
                Severity::Breaking,
                Subject::Argument,
                Action::Changed,
                path,
                format!("reordered: `({})` -> `({})`", list(old), list(new)),
            );
        }
    }

    fn models(
        &mut self,
        old: &BTreeMap<String, ModelSurface>,
        new: &BTreeMap<String, ModelSurface>,
    ) {
        let moved = std::mem::take(&mut self.moved_params);
        let moved_to: BTreeSet<&String> = moved.values().collect();
        for (path, before) in old {
            if let Some(after) = new.get(path) {
                self.model(path, before, after);
            } else if let Some(after) = moved.get(path).and_then(|to| new.get(to).map(|m| (to, m)))
            {
                self.model(after.0, before, after.1);
            } else if !matches!(before.shape, Shape::Params { .. }) {
                // A params struct goes with its operation, which is reported.
                self.push(
                    Severity::Breaking,
                    Subject::Model,
                    Action::Removed,
                    path.as_str(),
                    format!("{} gone", before.shape.kind()),
                );
            }
        }
        for (path, after) in new {
            let params = matches!(after.shape, Shape::Params { .. });
            if !old.contains_key(path) && !params && !moved_to.contains(path) {
                self.push(
                    Severity::Compatible,
                    Subject::Model,
                    Action::Added,
                    path.as_str(),
                    format!("new {}", after.shape.kind()),
                );
            }
        }
    }

    fn model(&mut self, path: &str, old: &ModelSurface, new: &ModelSurface) {
        if old.shape.kind() != new.shape.kind() {
            self.push(
                Severity::Breaking,
                Subject::Model,
                Action::Changed,
                path,
                format!("was a {}, now a {}", old.shape.kind(), new.shape.kind()),
            );
            return;
        }
        self.gate(path, &old.gate, &new.gate);
        for t in old.traits.iter().filter(|t| !new.traits.contains(t)) {
            self.push(
                Severity::Breaking,
                Subject::Trait,
                Action::Removed,
                path,
                format!("no longer implements `{t}`"),
            );
        }
        for t in new.traits.iter().filter(|t| !old.traits.contains(t)) {
            self.push(
                Severity::Compatible,
                Subject::Trait,
                Action::Added,
                path,
                format!("now implements `{t}`"),
            );
        }
        if old.deprecated != new.deprecated {
            let (action, detail) = if new.deprecated {
                (Action::Deprecated, "now `#[deprecated]`")
            } else {
                (Action::Changed, "no longer deprecated")
            };
            self.push(Severity::Compatible, Subject::Model, action, path, detail);
        }
        match (&old.shape, &new.shape) {
            (
                Shape::Struct {
                    fields: a,
                    new: new_a,
                    deprecated_fields: dep_a,
                },
                Shape::Struct {
                    fields: b,
                    new: new_b,
                    deprecated_fields: dep_b,
                },
            ) => {
                self.fields(path, Subject::Field, a, b, dep_a, dep_b);
                self.constructor(path, new_a.as_deref(), new_b.as_deref());
            }
            (
                Shape::Params { .. },
                Shape::Params { .. },
                // Each field has a setter of the same type, which the operation reports.
            ) => {}
            (Shape::Enum { values: a }, Shape::Enum { values: b }) => {
                self.members(path, Subject::EnumValue, a, b, |wire| format!("`{wire:?}`"))
            }
            (Shape::Union { variants: a }, Shape::Union { variants: b }) => {
                let subject = if path == format!("{WEBHOOK_EVENTS_PATH}::Event") {
                    Subject::WebhookEvent
                } else {
                    Subject::UnionVariant
                };
                self.members(path, subject, a, b, |ty| format!("`{ty}`"))
            }
            (Shape::Alias { target: a }, Shape::Alias { target: b })
            | (Shape::Newtype { inner: a }, Shape::Newtype { inner: b })
                if a != b =>
            {
                self.push(
                    Severity::Breaking,
                    Subject::Model,
                    Action::Changed,
                    path,
                    arrow(a, b),
                );
            }
            _ => {}
        }
    }

    /// A model behind tag features is there for a user who enables one of them. It
    /// breaks code when some feature set that saw it no longer does.
    fn gate(&mut self, path: &str, old: &[String], new: &[String]) {
        if old == new {
            return;
        }
        let describe = |gate: &[String]| {
            if gate.is_empty() {
                "always available".to_owned()
            } else {
                let names: Vec<String> = gate.iter().map(|g| code(g)).collect();
                format!("needs feature {}", names.join(" or "))
            }
        };
        let narrowed = !new.is_empty() && (old.is_empty() || old.iter().any(|f| !new.contains(f)));
        let severity = if narrowed {
            Severity::Breaking
        } else {
            Severity::Compatible
        };
        self.push(
            severity,
            Subject::Model,
            Action::Changed,
            path,
            format!("{} (was: {})", describe(new), describe(old)),
        );
    }

    /// The fields of a struct or a params struct. Both are `#[non_exhaustive]`, so a
    /// new field is compatible; one gone or retyped breaks code that names it.
    fn fields(
        &mut self,
        path: &str,
        subject: Subject,
        old: &BTreeMap<String, FieldSurface>,
        new: &BTreeMap<String, FieldSurface>,
        old_deprecated: &[String],
        new_deprecated: &[String],
    ) {
        for (name, ty) in old {
            let field = format!("{path}::{name}");
            match new.get(name) {
                None => self.push(
                    Severity::Breaking,
                    subject,
                    Action::Removed,
                    field,
                    format!("was `{}`", ty.spelled()),
                ),
                Some(now) if now != ty => self.push(
                    Severity::Breaking,
                    subject,
                    Action::Changed,
                    field,
                    retyped(ty, now),
                ),
                Some(_) if new_deprecated.contains(name) && !old_deprecated.contains(name) => self
                    .push(
                        Severity::Compatible,
                        subject,
                        Action::Deprecated,
                        field,
                        "now `#[deprecated]`",
                    ),
                Some(_) => {}
            }
        }
        for (name, ty) in new.iter().filter(|(n, _)| !old.contains_key(*n)) {
            self.push(
                Severity::Compatible,
                subject,
                Action::Added,
                format!("{path}::{name}"),
                code(&ty.spelled()),
            );
        }
    }

    /// `new(required...)`: its arguments are the required fields, in order.
    fn constructor(
        &mut self,
        path: &str,
        old: Option<&[[String; 2]]>,
        new: Option<&[[String; 2]]>,
    ) {
        let signature = |args: &[[String; 2]]| {
            let args: Vec<String> = args.iter().map(|[n, t]| format!("{n}: {t}")).collect();
            format!("new({})", args.join(", "))
        };
        let path = format!("{path}::new");
        match (old, new) {
            (None, Some(b)) => self.push(
                Severity::Compatible,
                Subject::Constructor,
                Action::Added,
                path,
                code(&signature(b)),
            ),
            (Some(a), None) => self.push(
                Severity::Breaking,
                Subject::Constructor,
                Action::Removed,
                path,
                format!("was {}", code(&signature(a))),
            ),
            (Some(a), Some(b)) if a != b => self.push(
                Severity::Breaking,
                Subject::Constructor,
                Action::Changed,
                path,
                arrow(&signature(a), &signature(b)),
            ),
            _ => {}
        }
    }

    /// Enum values and union variants: the enums are `#[non_exhaustive]`, so a new one
    /// is compatible; one gone breaks code that names it, as does a retyped payload.
    fn members(
        &mut self,
        path: &str,
        subject: Subject,
        old: &BTreeMap<String, String>,
        new: &BTreeMap<String, String>,
        show: impl Fn(&str) -> String,
    ) {
        for (name, was) in old {
            let member = format!("{path}::{name}");
            match new.get(name) {
                None => self.push(
                    Severity::Breaking,
                    subject,
                    Action::Removed,
                    member,
                    format!("was {}", show(was)),
                ),
                // A string enum's value is only text: a new spelling is no new type.
                Some(now) if now != was && subject == Subject::EnumValue => self.push(
                    Severity::Compatible,
                    subject,
                    Action::Changed,
                    member,
                    format!("{} -> {}", show(was), show(now)),
                ),
                Some(now) if now != was => self.push(
                    Severity::Breaking,
                    subject,
                    Action::Changed,
                    member,
                    format!("{} -> {}", show(was), show(now)),
                ),
                Some(_) => {}
            }
        }
        for (name, now) in new.iter().filter(|(n, _)| !old.contains_key(*n)) {
            self.push(
                Severity::Compatible,
                subject,
                Action::Added,
                format!("{path}::{name}"),
                show(now),
            );
        }
    }
}
