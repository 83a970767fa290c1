//! The claims of a verified session token, typed, with every other claim kept as JSON.

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::fmt;

/// The claims of a verified Clerk session token.
///
/// The organization claims of both token versions end up in [`Claims::organization`]:
/// version 1's `org_id`, `org_slug`, `org_role` and `org_permissions`, and version 2's
/// compact `o` object, whose permissions are expanded from `o.per`, `o.fpm` and the
/// organization features of `fea` into the same `org:<feature>:<permission>` form (masks
/// of any width). The impersonation actor (`act`), the factor verification ages (`fva`),
/// features (`fea`) and plans (`pla`) are typed too; the authorization checks
/// ([`Claims::has_role`], [`Claims::has_permission`], [`Claims::has_feature`],
/// [`Claims::has_plan`], [`Claims::has_reverification`]) read them. Claims this type
/// does not name (custom claims of a JWT template, ...) are in [`Claims::other`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Claims {
    /// The user ID (`sub`).
    pub sub: String,
    /// The session ID (`sid`).
    pub sid: Option<String>,
    /// The authorized party (`azp`): the origin the token was issued to.
    pub azp: Option<String>,
    /// The issuer (`iss`): the instance's Frontend API URL.
    pub iss: Option<String>,
    /// Expiry, Unix seconds (`exp`).
    pub exp: i64,
    /// Issue time, Unix seconds (`iat`).
    pub iat: Option<i64>,
    /// Start of validity, Unix seconds (`nbf`).
    pub nbf: Option<i64>,
    /// The session's status (`sts`), where the instance includes it.
    pub session_status: Option<SessionStatus>,
    /// The claims version (`v`): 1 when absent, 2 for the compact format.
    pub version: u32,
    /// The active organization, if any.
    pub organization: Option<OrganizationClaims>,
    /// The enabled features (`fea`), each as `scope:name` (`o:dashboard`, `u:export`).
    pub features: Vec<String>,
    /// The subscribed plans (`pla`), each as `scope:name` (`o:pro`, `u:free`).
    pub plans: Vec<String>,
    /// Who is acting on the user's behalf (`act`), when the session is an
    /// impersonation.
    pub actor: Option<Actor>,
    /// How long ago the session's factors were last verified (`fva`), where the
    /// instance includes it; `None` also when the claim is not two integers (it then
    /// stays in [`Claims::other`], and every reverification check fails).
    pub factor_verification_age: Option<FactorVerificationAge>,
    /// Every other claim.
    pub other: Map<String, Value>,
}

/// The active organization of a session, in version 1's terms for both versions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct OrganizationClaims {
    pub id: String,
    pub slug: Option<String>,
    /// The member's role with its `org:` prefix, e.g. `org:admin`.
    pub role: Option<String>,
    /// Permissions as `org:<feature>:<permission>`, e.g. `org:invoices:read`.
    pub permissions: Vec<String>,
}

/// The impersonator of an actor-token session (`act`): who is signed in as the user.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct Actor {
    /// The acting user (`user_...`) or client.
    pub sub: String,
    #[serde(default)]
    pub iss: Option<String>,
    #[serde(default)]
    pub sid: Option<String>,
    /// The actor's other members.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// Minutes since each factor group was last verified in this session (`fva`);
/// `None` when the group is not enabled for the user (`-1` in the claim).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct FactorVerificationAge {
    pub first_factor_minutes: Option<u32>,
    pub second_factor_minutes: Option<u32>,
}

impl FactorVerificationAge {
    /// Reads `[first, second]`: two integers, each `-1` or at least `0`.
    fn from_claim(value: &Value) -> Option<FactorVerificationAge> {
        let [first, second] = value.as_array()?.as_slice() else {
            return None;
        };
        let age = |v: &Value| match v.as_i64()? {
            -1 => Some(None),
            minutes => u32::try_from(minutes).ok().map(Some),
        };
        Some(FactorVerificationAge {
            first_factor_minutes: age(first)?,
            second_factor_minutes: age(second)?,
        })
    }
}

/// The status of the session the token belongs to (`sts`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SessionStatus {
    Active,
    /// Signed in, with tasks left (for example choosing an organization).
    Pending,
    /// A status this version of the crate does not know.
    Other(String),
}

/// Version 2's `o` claim.
#[derive(Deserialize)]
struct CompactOrganization {
    id: String,
    #[serde(default)]
    slg: Option<String>,
    #[serde(default)]
    rol: Option<String>,
    #[serde(default)]
    per: Option<String>,
    #[serde(default)]
    fpm: Option<String>,
}

/// The organization claims as found, interpreted once the version is known: the claims
/// of the other version are custom claims and stay in `other`.
#[derive(Default)]
struct OrganizationFields {
    v1: [Option<Value>; 4],
    v2: Option<Value>,
}

const V1_NAMES: [&str; 4] = ["org_id", "org_slug", "org_role", "org_permissions"];

const BAD_ORGANIZATION: &str = "the organization claims do not have Clerk's types";

impl<'de> Deserialize<'de> for Claims {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ClaimsVisitor)
    }
}

struct ClaimsVisitor;

/// Claim names, matched without allocating; only custom claims are copied.
enum Name<'de> {
    Sub,
    Sid,
    Azp,
    Iss,
    Exp,
    Iat,
    Nbf,
    Sts,
    V,
    Fea,
    Pla,
    Act,
    Fva,
    O,
    V1(usize),
    Other(std::borrow::Cow<'de, str>),
}

impl<'de> Deserialize<'de> for Name<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NameVisitor;
        impl<'de> Visitor<'de> for NameVisitor {
            type Value = Name<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a claim name")
            }
            fn visit_borrowed_str<E: de::Error>(self, name: &'de str) -> Result<Name<'de>, E> {
                Ok(Name::known(name).unwrap_or(Name::Other(name.into())))
            }
            fn visit_str<E: de::Error>(self, name: &str) -> Result<Name<'de>, E> {
                Ok(Name::known(name).unwrap_or_else(|| Name::Other(name.to_owned().into())))
            }
        }
        deserializer.deserialize_str(NameVisitor)
    }
}

impl Name<'_> {
    fn known(name: &str) -> Option<Self> {
        Some(match name {
            "sub" => Name::Sub,
            "sid" => Name::Sid,
            "azp" => Name::Azp,
            "iss" => Name::Iss,
            "exp" => Name::Exp,
            "iat" => Name::Iat,
            "nbf" => Name::Nbf,
            "sts" => Name::Sts,
            "v" => Name::V,
            "fea" => Name::Fea,
            "pla" => Name::Pla,
            "act" => Name::Act,
            "fva" => Name::Fva,
            "o" => Name::O,
            _ => Name::V1(V1_NAMES.iter().position(|n| *n == name)?),
        })
    }
}

/// Sets a claim once: a claim given twice is an attempt to confuse a reader.
fn once<T, E: de::Error>(slot: &mut Option<T>, value: T, name: &str) -> Result<(), E> {
    if slot.replace(value).is_some() {
        return Err(E::custom(format_args!("duplicate claim `{name}`")));
    }
    Ok(())
}

impl<'de> Visitor<'de> for ClaimsVisitor {
    type Value = Claims;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object of claims")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Claims, A::Error> {
        let (mut sub, mut sid, mut azp, mut iss) = (None, None, None, None);
        let (mut exp, mut iat, mut nbf) = (None, None, None);
        let (mut sts, mut version, mut fea, mut pla) = (None, None, None, None);
        let (mut act, mut fva) = (None, None);
        let mut organization = OrganizationFields::default();
        let mut other = Map::new();
        while let Some(name) = map.next_key::<Name<'de>>()? {
            match name {
                Name::Sub => once(&mut sub, map.next_value::<String>()?, "sub")?,
                Name::Sid => once(&mut sid, map.next_value::<Option<String>>()?, "sid")?,
                Name::Azp => once(&mut azp, map.next_value::<Option<String>>()?, "azp")?,
                Name::Iss => once(&mut iss, map.next_value::<Option<String>>()?, "iss")?,
                Name::Exp => once(&mut exp, map.next_value::<NumericDate>()?.0, "exp")?,
                Name::Iat => once(&mut iat, map.next_value::<NumericDate>()?.0, "iat")?,
                Name::Nbf => once(&mut nbf, map.next_value::<NumericDate>()?.0, "nbf")?,
                Name::Sts => once(&mut sts, map.next_value::<Option<String>>()?, "sts")?,
                Name::V => once(&mut version, map.next_value::<u32>()?, "v")?,
                Name::Fea => once(&mut fea, map.next_value::<Option<String>>()?, "fea")?,
                Name::Pla => once(&mut pla, map.next_value::<Option<String>>()?, "pla")?,
                // An impersonation the crate cannot read refuses the token: dropping it
                // would make the actor's requests look like the user's own.
                Name::Act => once(&mut act, map.next_value::<Option<Actor>>()?, "act")?,
                Name::Fva => once(&mut fva, map.next_value::<Value>()?, "fva")?,
                Name::O => once(&mut organization.v2, map.next_value::<Value>()?, "o")?,
                Name::V1(i) => once(&mut organization.v1[i], map.next_value()?, V1_NAMES[i])?,
                Name::Other(name) => {
                    let value = map.next_value::<Value>()?;
                    if other.insert(name.into_owned(), value).is_some() {
                        return Err(de::Error::custom("duplicate claim"));
                    }
                }
            }
        }
        let version = version.unwrap_or(1);
        let scoped_list = |list: Option<Option<String>>| -> Vec<String> {
            list.flatten()
                .map(|list| split_list(&list).map(str::to_owned).collect())
                .unwrap_or_default()
        };
        let features = scoped_list(fea);
        let plans = scoped_list(pla);
        let factor_verification_age = fva.and_then(|value| {
            let ages = FactorVerificationAge::from_claim(&value);
            if ages.is_none() && !value.is_null() {
                other.insert("fva".to_owned(), value);
            }
            ages
        });
        let organization = organization
            .interpret(version, &features, &mut other)
            .map_err(de::Error::custom)?;
        Ok(Claims {
            sub: sub.ok_or_else(|| de::Error::missing_field("sub"))?,
            sid: sid.flatten(),
            azp: azp.flatten(),
            iss: iss.flatten(),
            exp: exp.ok_or_else(|| de::Error::missing_field("exp"))?,
            iat,
            nbf,
            session_status: sts.flatten().map(|status| match status.as_str() {
                "active" => SessionStatus::Active,
                "pending" => SessionStatus::Pending,
                _ => SessionStatus::Other(status),
            }),
            version,
            organization,
            features,
            plans,
            actor: act.flatten(),
            factor_verification_age,
            other,
        })
    }
}

impl OrganizationFields {
    fn interpret(
        self,
        version: u32,
        features: &[String],
        other: &mut Map<String, Value>,
    ) -> Result<Option<OrganizationClaims>, &'static str> {
        let OrganizationFields { v1, v2 } = self;
        if version >= 2 {
            for (name, value) in V1_NAMES.iter().zip(v1) {
                if let Some(value) = value {
                    other.insert((*name).to_owned(), value);
                }
            }
            return match v2 {
                None | Some(Value::Null) => Ok(None),
                Some(o) => {
                    let o: CompactOrganization =
                        serde_json::from_value(o).map_err(|_| BAD_ORGANIZATION)?;
                    Ok(Some(expand_compact(o, features)))
                }
            };
        }
        if let Some(o) = v2 {
            other.insert("o".to_owned(), o);
        }
        let [id, slug, role, permissions] = v1.map(|value| value.filter(|v| !v.is_null()));
        let Some(id) = id else {
            return Ok(None);
        };
        let text = |value: Option<Value>| match value {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(BAD_ORGANIZATION),
        };
        Ok(Some(OrganizationClaims {
            id: text(Some(id))?.unwrap_or_default(),
            slug: text(slug)?,
            role: text(role)?,
            permissions: match permissions {
                None => Vec::new(),
                Some(list) => serde_json::from_value(list).map_err(|_| BAD_ORGANIZATION)?,
            },
        }))
    }
}

/// Version 2's permissions: `o.fpm` holds one decimal integer per organization feature
/// of `fea` (in order); bit `i` of it (least significant first) grants the `i`th
/// permission name of `o.per`. Masks may be wider than any machine integer.
fn expand_compact(o: CompactOrganization, features: &[String]) -> OrganizationClaims {
    // Neither list drops empty items: positions pair masks with features and bits
    // with names.
    let names: Vec<&str> = o
        .per
        .as_deref()
        .map(|p| p.split(',').map(str::trim).collect())
        .unwrap_or_default();
    let organization_features = features.iter().filter_map(|entry| {
        let (scope, name) = entry.split_once(':')?;
        super::authorization::is_organization_scope(scope).then_some(name)
    });
    let masks = o.fpm.as_deref().map(|m| m.split(',')).into_iter().flatten();
    let mut permissions = Vec::new();
    for (feature, mask) in organization_features.zip(masks) {
        let bits = decimal_bits(mask.trim());
        for (name, _) in names.iter().zip(bits).filter(|(_, bit)| *bit) {
            permissions.push(format!("org:{feature}:{name}"));
        }
    }
    OrganizationClaims {
        id: o.id,
        slug: o.slg,
        role: o.rol.map(|role| format!("org:{role}")),
        permissions,
    }
}

/// The bits of a non-negative decimal integer of any length, least significant first
/// (long division by two); no bits for text that is not one.
fn decimal_bits(decimal: &str) -> Vec<bool> {
    if decimal.is_empty() || !decimal.bytes().all(|b| b.is_ascii_digit()) {
        return Vec::new();
    }
    let mut digits: Vec<u8> = decimal.bytes().map(|b| b - b'0').collect();
    let mut bits = Vec::new();
    while digits.iter().any(|&d| d != 0) {
        let mut remainder = 0;
        for digit in &mut digits {
            let value = remainder * 10 + *digit;
            *digit = value / 2;
            remainder = value % 2;
        }
        bits.push(remainder == 1);
    }
    bits
}

fn split_list(list: &str) -> impl Iterator<Item = &str> {
    list.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
}

/// A JWT NumericDate: seconds since the epoch, an integer or (rarely) a fraction,
/// which is rounded down.
struct NumericDate(i64);

impl<'de> Deserialize<'de> for NumericDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateVisitor;
        impl Visitor<'_> for DateVisitor {
            type Value = NumericDate;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a NumericDate (seconds since the epoch)")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<NumericDate, E> {
                Ok(NumericDate(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<NumericDate, E> {
                i64::try_from(v).map(NumericDate).map_err(E::custom)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<NumericDate, E> {
                if v.is_finite() && v.abs() < 1e15 {
                    Ok(NumericDate(v.floor() as i64))
                } else {
                    Err(E::custom("NumericDate out of range"))
                }
            }
        }
        deserializer.deserialize_any(DateVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims(value: Value) -> Claims {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn compact_permissions_follow_the_documented_bit_order() {
        // Clerk's documented example: dashboard -> 3 (both), teams -> 2 (second only).
        let claims = claims(json!({
            "sub": "user_1", "exp": 1, "v": 2, "fea": "o:dashboard,o:teams",
            "o": {"id": "org_1", "rol": "admin", "slg": "acme", "per": "manage,read", "fpm": "3,2"}
        }));
        let org = claims.organization.unwrap();
        assert_eq!(org.role.as_deref(), Some("org:admin"));
        assert_eq!(
            org.permissions,
            [
                "org:dashboard:manage",
                "org:dashboard:read",
                "org:teams:read"
            ]
        );
    }

    #[test]
    fn user_features_take_no_organization_mask() {
        let claims = claims(json!({
            "sub": "u", "exp": 1, "v": 2, "fea": "u:export,o:invoices,uo:reports",
            "o": {"id": "org_1", "per": "read,write", "fpm": "2,1"}
        }));
        assert_eq!(
            claims.organization.unwrap().permissions,
            ["org:invoices:write", "org:reports:read"]
        );
    }

    #[test]
    fn masks_wider_than_64_bits_grant_every_bit() {
        let names: Vec<String> = (0..70).map(|i| format!("p{i}")).collect();
        // 2^69 + 1: the first and the seventieth permission.
        let claims = claims(json!({
            "sub": "u", "exp": 1, "v": 2, "fea": "o:wide",
            "o": {"id": "org_1", "per": names.join(","), "fpm": "590295810358705651713"}
        }));
        assert_eq!(
            claims.organization.unwrap().permissions,
            ["org:wide:p0", "org:wide:p69"]
        );
        assert_eq!(decimal_bits("18446744073709551616").len(), 65);
        assert_eq!(decimal_bits("6"), [false, true, true]);
        assert!(decimal_bits("0").is_empty());
        assert!(decimal_bits("-1").is_empty() && decimal_bits("0x3").is_empty());
    }

    #[test]
    fn empty_list_items_keep_masks_and_names_aligned() {
        let claims = claims(json!({
            "sub": "u", "exp": 1, "v": 2, "fea": "o:a,o:b",
            "o": {"id": "org_1", "per": "x,,z", "fpm": ",5"}
        }));
        assert_eq!(
            claims.organization.unwrap().permissions,
            ["org:b:x", "org:b:z"]
        );
    }

    #[test]
    fn actor_plans_and_factor_ages_are_typed() {
        let claims = claims(json!({
            "sub": "u", "exp": 1, "v": 2, "pla": "u:free,o:pro", "fva": [3, -1],
            "act": {"sub": "user_admin", "iss": "https://dashboard.clerk.com", "sid": "sess_a", "x": 1},
        }));
        let actor = claims.actor.unwrap();
        assert_eq!(actor.sub, "user_admin");
        assert_eq!(actor.sid.as_deref(), Some("sess_a"));
        assert_eq!(actor.other["x"], 1);
        assert_eq!(claims.plans, ["u:free", "o:pro"]);
        let ages = claims.factor_verification_age.unwrap();
        assert_eq!(ages.first_factor_minutes, Some(3));
        assert_eq!(ages.second_factor_minutes, None);
        assert!(claims.other.is_empty(), "{:?}", claims.other);
        // An unreadable fva is kept raw and gives no ages; an unreadable act refuses.
        let odd = claims_result(json!({"sub": "u", "exp": 1, "fva": [1, 2, 3]})).unwrap();
        assert_eq!(odd.factor_verification_age, None);
        assert_eq!(odd.other["fva"], json!([1, 2, 3]));
        assert!(claims_result(json!({"sub": "u", "exp": 1, "act": "user_admin"})).is_err());
        assert!(claims_result(json!({"sub": "u", "exp": 1, "act": {"iss": "x"}})).is_err());
    }

    fn claims_result(value: Value) -> Result<Claims, serde_json::Error> {
        serde_json::from_value(value)
    }

    #[test]
    fn claims_of_the_other_version_stay_custom() {
        let v2 = claims(json!({"sub": "u", "exp": 1, "v": 2, "org_id": "custom"}));
        assert_eq!(v2.organization, None);
        assert_eq!(v2.other["org_id"], "custom");
        let v1 = claims(json!({"sub": "u", "exp": 1, "o": 5, "org_id": "org_1"}));
        assert_eq!(v1.organization.unwrap().id, "org_1");
        assert_eq!(v1.other["o"], 5);
    }

    #[test]
    fn duplicates_and_missing_required_claims_are_errors() {
        assert!(serde_json::from_str::<Claims>(r#"{"sub":"a","sub":"b","exp":1}"#).is_err());
        assert!(serde_json::from_str::<Claims>(r#"{"sub":"a","exp":1,"x":1,"x":2}"#).is_err());
        assert!(serde_json::from_str::<Claims>(r#"{"exp":1}"#).is_err());
        assert!(serde_json::from_str::<Claims>(r#"{"sub":"a"}"#).is_err());
        assert!(serde_json::from_str::<Claims>(r#"{"sub":"a","exp":"soon"}"#).is_err());
        assert_eq!(
            serde_json::from_str::<Claims>(r#"{"sub":"a","exp":1.9}"#)
                .unwrap()
                .exp,
            1
        );
    }
}
