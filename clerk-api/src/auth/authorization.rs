//! What a signed-in session may do: its organization role and permissions, its
//! features and plans, how recently its factors were verified; and [`Requirement`]s
//! that the 403 layers check before a handler runs.
//!
//! The rules are those of Clerk's frontend and backend SDKs, so a check here answers
//! as `has(...)` does there: every check fails closed (missing data, an unreadable
//! claim or an unknown scope is a "no").

use super::caller::Caller;
use super::claims::{Claims, FactorVerificationAge};
use serde_json::{json, Value};
use std::fmt;

/// The scopes a `fea`/`pla` entry may carry for the organization: `o` alone, or both.
pub(super) fn is_organization_scope(scope: &str) -> bool {
    matches!(scope, "o" | "ou" | "uo")
}

fn is_user_scope(scope: &str) -> bool {
    matches!(scope, "u" | "ou" | "uo")
}

/// `admin`, `org:admin` and `org:org:admin` all name the role `org:admin`.
fn with_org_prefix(name: &str) -> String {
    let mut bare = name;
    while let Some(rest) = bare.strip_prefix("org:") {
        bare = rest;
    }
    format!("org:{bare}")
}

/// Whether `list` (entries `scope:name`) grants `asked`: `name` in either scope,
/// `o:name` (or `org:`, `organization:`) for the organization's, `u:name` (or
/// `user:`) for the user's own.
fn scoped_list_grants(list: &[String], asked: &str) -> bool {
    let mut parts = asked.split(':');
    let (first, second) = (parts.next().unwrap_or_default(), parts.next());
    let (organization, user, name) = match second {
        None => (true, true, first),
        Some(name) => match first {
            "o" | "org" | "organization" => (true, false, name),
            "u" | "user" => (false, true, name),
            _ => return false,
        },
    };
    if name.is_empty() {
        return false;
    }
    let mut found = false;
    for entry in list {
        // An entry without a scope makes the whole claim unreadable, as in Clerk's SDKs.
        let Some((scope, entry_name)) = entry.split_once(':') else {
            return false;
        };
        let in_scope =
            (organization && is_organization_scope(scope)) || (user && is_user_scope(scope));
        found |= in_scope && entry_name == name;
    }
    found
}

impl Claims {
    /// Whether the user has `role` in the active organization (`org:admin`; the `org:`
    /// prefix may be left out).
    pub fn has_role(&self, role: &str) -> bool {
        self.organization.as_ref().is_some_and(|org| {
            !org.id.is_empty()
                && org.role.as_deref().is_some_and(|have| {
                    !have.is_empty() && with_org_prefix(have) == with_org_prefix(role)
                })
        })
    }

    /// Whether the active organization grants `permission` (`org:invoices:read`; the
    /// `org:` prefix may be left out).
    pub fn has_permission(&self, permission: &str) -> bool {
        let wanted = with_org_prefix(permission);
        self.organization
            .as_ref()
            .is_some_and(|org| !org.id.is_empty() && org.permissions.contains(&wanted))
    }

    /// Whether a feature is enabled (`fea`): `export` in the user's or the active
    /// organization's features, `o:export` in the organization's only, `u:export` in
    /// the user's only.
    pub fn has_feature(&self, feature: &str) -> bool {
        scoped_list_grants(&self.features, feature)
    }

    /// Whether a plan is subscribed (`pla`), scoped as in [`Claims::has_feature`].
    pub fn has_plan(&self, plan: &str) -> bool {
        scoped_list_grants(&self.plans, plan)
    }

    /// Whether the session's factors were verified recently enough for `wanted`
    /// (from `fva`; without it, never).
    pub fn has_reverification(&self, wanted: Reverification) -> bool {
        self.factor_verification_age
            .is_some_and(|ages| wanted.is_met_by(ages))
    }

    /// Whether these claims meet `requirement`.
    pub fn satisfies(&self, requirement: &Requirement) -> bool {
        match requirement {
            Requirement::Role(role) => self.has_role(role),
            Requirement::Permission(permission) => self.has_permission(permission),
            Requirement::Feature(feature) => self.has_feature(feature),
            Requirement::Plan(plan) => self.has_plan(plan),
            Requirement::Reverification(wanted) => self.has_reverification(*wanted),
        }
    }
}

/// Which factors a reverification asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VerificationLevel {
    FirstFactor,
    /// The second factor when the user has one, else the first.
    SecondFactor,
    /// Both factors (the first alone when the user has no second).
    MultiFactor,
}

impl VerificationLevel {
    pub fn name(self) -> &'static str {
        match self {
            VerificationLevel::FirstFactor => "first_factor",
            VerificationLevel::SecondFactor => "second_factor",
            VerificationLevel::MultiFactor => "multi_factor",
        }
    }
}

/// How recently a session's factors must have been verified, for sensitive actions:
/// Clerk's four presets or a custom level and age.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reverification {
    /// Both factors within 10 minutes.
    StrictMfa,
    /// The second factor within 10 minutes.
    Strict,
    /// The second factor within an hour.
    Moderate,
    /// The second factor within a day.
    Lax,
    /// `level` within `after_minutes` (which must be at least 1).
    Custom {
        level: VerificationLevel,
        after_minutes: u32,
    },
}

impl Reverification {
    fn level_and_minutes(self) -> (VerificationLevel, u32) {
        match self {
            Reverification::StrictMfa => (VerificationLevel::MultiFactor, 10),
            Reverification::Strict => (VerificationLevel::SecondFactor, 10),
            Reverification::Moderate => (VerificationLevel::SecondFactor, 60),
            Reverification::Lax => (VerificationLevel::SecondFactor, 1440),
            Reverification::Custom {
                level,
                after_minutes,
            } => (level, after_minutes),
        }
    }

    fn is_met_by(self, ages: FactorVerificationAge) -> bool {
        let (level, after_minutes) = self.level_and_minutes();
        if after_minutes == 0 {
            return false;
        }
        let (first, second) = (ages.first_factor_minutes, ages.second_factor_minutes);
        let fresh = |age: Option<u32>| age.is_some_and(|minutes| minutes < after_minutes);
        match level {
            VerificationLevel::FirstFactor => fresh(first),
            // Without a second factor enrolled, the first stands in for it.
            VerificationLevel::SecondFactor => match second {
                None => fresh(first),
                Some(_) => fresh(second),
            },
            VerificationLevel::MultiFactor => match (first, second) {
                (_, None) => fresh(first),
                (None, Some(_)) => false,
                (Some(_), Some(_)) => fresh(first) && fresh(second),
            },
        }
    }

    /// The form Clerk's frontend reads from a reverification refusal: the preset's name,
    /// or `{"level": ..., "afterMinutes": ...}`.
    pub fn to_json(self) -> Value {
        match self {
            Reverification::StrictMfa => "strict_mfa".into(),
            Reverification::Strict => "strict".into(),
            Reverification::Moderate => "moderate".into(),
            Reverification::Lax => "lax".into(),
            Reverification::Custom {
                level,
                after_minutes,
            } => json!({"level": level.name(), "afterMinutes": after_minutes}),
        }
    }
}

/// One thing a signed-in caller must have to be let through, checked by
/// [`Requirements::check`] (and the 403 layers built on it).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Requirement {
    Role(String),
    Permission(String),
    Feature(String),
    Plan(String),
    Reverification(Reverification),
}

impl Requirement {
    pub fn role(role: impl Into<String>) -> Requirement {
        Requirement::Role(role.into())
    }

    pub fn permission(permission: impl Into<String>) -> Requirement {
        Requirement::Permission(permission.into())
    }

    pub fn feature(feature: impl Into<String>) -> Requirement {
        Requirement::Feature(feature.into())
    }

    pub fn plan(plan: impl Into<String>) -> Requirement {
        Requirement::Plan(plan.into())
    }

    pub fn reverification(wanted: Reverification) -> Requirement {
        Requirement::Reverification(wanted)
    }
}

/// Requirements that must all be met (an empty list lets every signed-in session
/// through).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Requirements(Vec<Requirement>);

impl<I: IntoIterator<Item = Requirement>> From<I> for Requirements {
    fn from(list: I) -> Requirements {
        Requirements(list.into_iter().collect())
    }
}

impl Requirements {
    /// The first requirement `caller` fails, as a [`Forbidden`]; a machine caller fails
    /// every list but the empty one (it has no roles, features or factors).
    pub fn check(&self, caller: &Caller) -> Result<(), Forbidden> {
        match caller {
            Caller::Session(claims) => match self.0.iter().find(|r| !claims.satisfies(r)) {
                None => Ok(()),
                Some(unmet) => Err(Forbidden::Unmet(unmet.clone())),
            },
            Caller::Machine(_) if self.0.is_empty() => Ok(()),
            Caller::Machine(_) => Err(Forbidden::NotASession),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &Requirement> {
        self.0.iter()
    }
}

/// Why a signed-in caller is refused (`403 Forbidden`), with a stable
/// [`reason`](Forbidden::reason) word.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Forbidden {
    /// A session without this requirement.
    Unmet(Requirement),
    /// A machine token where the requirements are a session's.
    NotASession,
}

impl Forbidden {
    /// `missing_role`, `missing_permission`, `missing_feature`, `missing_plan`,
    /// `reverification_required` or `not_a_session`.
    pub fn reason(&self) -> &'static str {
        match self {
            Forbidden::Unmet(Requirement::Role(_)) => "missing_role",
            Forbidden::Unmet(Requirement::Permission(_)) => "missing_permission",
            Forbidden::Unmet(Requirement::Feature(_)) => "missing_feature",
            Forbidden::Unmet(Requirement::Plan(_)) => "missing_plan",
            Forbidden::Unmet(Requirement::Reverification(_)) => "reverification_required",
            Forbidden::NotASession => "not_a_session",
        }
    }

    /// The body of the 403 answer: for a reverification, the JSON Clerk's frontend
    /// SDKs recognise and answer by asking the user to verify again; else none.
    pub fn body(&self) -> Option<String> {
        match self {
            Forbidden::Unmet(Requirement::Reverification(wanted)) => Some(
                json!({"clerk_error": {
                    "type": "forbidden",
                    "reason": "reverification-error",
                    "metadata": {"reverification": wanted.to_json()},
                }})
                .to_string(),
            ),
            _ => None,
        }
    }
}

impl fmt::Display for Forbidden {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Forbidden::Unmet(requirement) => {
                write!(f, "forbidden ({}): lacks {requirement:?}", self.reason())
            }
            Forbidden::NotASession => f.write_str(
                "forbidden (not_a_session): a machine token cannot meet a session's requirements",
            ),
        }
    }
}

impl std::error::Error for Forbidden {}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims(value: Value) -> Claims {
        let mut value = value;
        value["sub"] = "user_1".into();
        value["exp"] = 1.into();
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn roles_and_permissions_take_the_org_prefix_or_not() {
        let c = claims(json!({
            "org_id": "org_1", "org_role": "org:admin", "org_permissions": ["org:invoices:read"],
        }));
        assert!(c.has_role("org:admin") && c.has_role("admin") && c.has_role("org:org:admin"));
        assert!(!c.has_role("org:member") && !c.has_role(""));
        assert!(c.has_permission("org:invoices:read") && c.has_permission("invoices:read"));
        assert!(!c.has_permission("org:invoices:write"));
        let no_org = claims(json!({}));
        assert!(!no_org.has_role("org:admin") && !no_org.has_permission("org:invoices:read"));
    }

    #[test]
    fn features_and_plans_follow_their_scopes() {
        let c =
            claims(json!({"v": 2, "fea": "o:teams,u:export,uo:reports", "pla": "u:free,o:pro"}));
        assert!(c.has_feature("teams") && c.has_feature("o:teams") && c.has_feature("org:teams"));
        assert!(!c.has_feature("u:teams") && !c.has_feature("user:teams"));
        assert!(c.has_feature("u:export") && c.has_feature("export") && !c.has_feature("o:export"));
        assert!(c.has_feature("o:reports") && c.has_feature("u:reports"));
        assert!(c.has_feature("organization:teams"));
        assert!(!c.has_feature("x:teams") && !c.has_feature("o:") && !c.has_feature("missing"));
        assert!(c.has_plan("pro") && c.has_plan("o:pro") && !c.has_plan("u:pro"));
        assert!(c.has_plan("u:free") && !c.has_plan("o:free"));
        let unscoped = claims(json!({"v": 2, "fea": "teams,o:reports"}));
        assert!(
            !unscoped.has_feature("o:reports"),
            "an unreadable claim grants nothing"
        );
        assert!(!claims(json!({})).has_feature("teams"));
    }

    #[test]
    fn reverification_follows_the_presets_and_custom_levels() {
        use Reverification::*;
        use VerificationLevel::*;
        let aged = |fva: Value| claims(json!({"fva": fva}));
        // Second factor 5 minutes ago, first factor 30 minutes ago.
        let both = aged(json!([30, 5]));
        assert!(both.has_reverification(Strict) && both.has_reverification(Moderate));
        assert!(
            !both.has_reverification(StrictMfa),
            "the first factor is too old"
        );
        assert!(aged(json!([9, 9])).has_reverification(StrictMfa));
        assert!(
            !aged(json!([10, 9])).has_reverification(StrictMfa),
            "10 is not under 10"
        );
        // No second factor enrolled: the first stands in for it, for MFA too.
        let first_only = aged(json!([50, -1]));
        assert!(first_only.has_reverification(Moderate) && !first_only.has_reverification(Strict));
        assert!(aged(json!([5, -1])).has_reverification(StrictMfa));
        // No first factor but a second: multi-factor cannot be met.
        let second_only = aged(json!([-1, 5]));
        assert!(second_only.has_reverification(Strict));
        assert!(!second_only.has_reverification(StrictMfa));
        assert!(!aged(json!([-1, -1])).has_reverification(Lax));
        assert!(aged(json!([1439, 1439])).has_reverification(Lax));
        assert!(!aged(json!([1440, 1440])).has_reverification(Lax));
        let custom = |level, after_minutes| Custom {
            level,
            after_minutes,
        };
        assert!(both.has_reverification(custom(FirstFactor, 31)));
        assert!(!both.has_reverification(custom(FirstFactor, 30)));
        assert!(
            !both.has_reverification(custom(SecondFactor, 0)),
            "an age of 0 is invalid"
        );
        assert!(
            !claims(json!({})).has_reverification(Lax),
            "no fva, no reverification"
        );
        assert_eq!(
            custom(MultiFactor, 5).to_json(),
            json!({"level": "multi_factor", "afterMinutes": 5})
        );
    }

    #[test]
    fn requirements_report_the_first_unmet_one_and_refuse_machines() {
        let c = claims(json!({"org_id": "org_1", "org_role": "org:admin", "fva": [100, 100]}));
        let session = Caller::Session(c);
        let list = Requirements::from([Requirement::role("admin"), Requirement::plan("pro")]);
        let refused = list.check(&session).unwrap_err();
        assert_eq!(refused.reason(), "missing_plan");
        assert_eq!(refused.body(), None);
        assert!(Requirements::from([Requirement::role("admin")])
            .check(&session)
            .is_ok());
        let reverify = Requirements::from([Requirement::reverification(Reverification::Strict)]);
        let refused = reverify.check(&session).unwrap_err();
        assert_eq!(refused.reason(), "reverification_required");
        let body: Value = serde_json::from_str(&refused.body().unwrap()).unwrap();
        assert_eq!(body["clerk_error"]["reason"], "reverification-error");
        assert_eq!(body["clerk_error"]["metadata"]["reverification"], "strict");
    }

    #[test]
    fn each_unmet_requirement_has_its_reason_word() {
        let session = Caller::Session(claims(json!({})));
        let reason = |requirement: Requirement| {
            Requirements::from([requirement])
                .check(&session)
                .unwrap_err()
                .reason()
        };
        assert_eq!(reason(Requirement::role("admin")), "missing_role");
        assert_eq!(reason(Requirement::permission("a:b")), "missing_permission");
        assert_eq!(reason(Requirement::feature("export")), "missing_feature");
        assert_eq!(reason(Requirement::plan("pro")), "missing_plan");
        assert_eq!(
            reason(Requirement::reverification(Reverification::Lax)),
            "reverification_required"
        );
        let machine = Caller::Machine(crate::auth::MachineAuth {
            kind: crate::auth::TokenKind::ApiKey,
            id: "ak_1".into(),
            subject: "user_1".into(),
            scopes: Vec::new(),
            claims: None,
            name: None,
            client_id: None,
            expires_at_ms: None,
        });
        let any = Requirements::from([Requirement::role("admin")]);
        assert_eq!(any.check(&machine).unwrap_err().reason(), "not_a_session");
        assert!(Requirements::default().check(&machine).is_ok());
    }
}
