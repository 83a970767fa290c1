//! Every verification case of the issues, with tokens minted by two independent
//! implementations (the `jsonwebtoken` crate, and PyJWT when installed), verified with
//! a PEM key (networkless): session tokens, their class checks (`cat`, `typ`, machine
//! subjects), and M2M and OAuth JWTs where machine tokens are accepted. Each case is
//! one test per minter; `every_case_has_a_test` keeps the list and the tests in step.
#![cfg(all(feature = "auth", feature = "test-util"))]

use crate::auth_common;

use auth_common::*;
use clerk_api::auth::{
    Accepts, Caller, Claims, JwtKey, MachineAuth, Reverification, SessionStatus, TokenKind,
    Verifier,
};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::OnceLock;

const APP: &str = "https://app.example.com";
const ISSUER: &str = "https://clerk.example.com";

/// What verifying a case's token must give.
enum Expect {
    /// Accepted as a session, and the claims pass this check.
    Accepted(fn(&Claims)),
    /// Accepted as a machine, which passes this check.
    Machine(fn(&MachineAuth)),
    Rejected(&'static str),
}

struct Case {
    name: &'static str,
    mint: Mint,
    /// What the verifier accepts: session tokens, or every kind.
    accepts: Accepts,
    /// Replaces the minted token (for the hand-broken ones).
    tamper: Option<fn(String) -> String>,
    expect: Expect,
}

fn base(extra: Value) -> Value {
    let mut claims = session_claims("user_1");
    claims["azp"] = APP.into();
    claims["iss"] = ISSUER.into();
    for (name, value) in extra.as_object().unwrap() {
        if value.is_null() {
            claims.as_object_mut().unwrap().remove(name);
        } else {
            claims[name] = value.clone();
        }
    }
    claims
}

fn accepted(claims: &Claims) {
    assert_eq!(claims.sub, "user_1");
}

fn case(name: &'static str, mint: Mint, expect: Expect) -> Case {
    Case {
        name,
        mint,
        accepts: Accepts::session_token(),
        tamper: None,
        expect,
    }
}

/// A case verified by a verifier that accepts every kind of token.
fn any_kind(name: &'static str, mint: Mint, expect: Expect) -> Case {
    Case {
        accepts: Accepts::any(),
        ..case(name, mint, expect)
    }
}

fn tampered(name: &'static str, tamper: fn(String) -> String, expect: Expect) -> Case {
    Case {
        tamper: Some(tamper),
        ..case(name, rs256(base(json!({}))), expect)
    }
}

/// The claims of an M2M JWT as Clerk mints one.
fn m2m_claims(extra: Value) -> Value {
    let now = now();
    let mut claims = json!({
        "iss": ISSUER, "sub": "mch_2xMachineIdentifier00000001", "jti": "mt_0123456789abcdef0123456789abcdef",
        "iat": now, "nbf": now, "exp": now + 60, "scopes": "mch_2xOtherMachine000000000001 mch_2xThirdMachine000000000001",
    });
    for (name, value) in extra.as_object().unwrap() {
        claims[name] = value.clone();
    }
    claims
}

/// The claims of an OAuth access-token JWT.
fn oauth_claims(extra: Value) -> Value {
    let now = now();
    let mut claims = json!({
        "iss": ISSUER, "sub": "user_1", "jti": "oat_0123456789abcdef0123456789abcdef",
        "client_id": "client_abc", "scp": ["profile", "email"], "iat": now, "exp": now + 60,
    });
    for (name, value) in extra.as_object().unwrap() {
        claims[name] = value.clone();
    }
    claims
}

const CAT_SESSION: &str = "cl_B7d4PD111AAA";
const CAT_TEMPLATE: &str = "cl_B7d4PD222AAA";
const CAT_M2M: &str = "cl_B7d4PD333AAA";
const CAT_UNCLASSIFIED: &str = "cl_I7d4PD111III";

fn replace_part(token: &str, index: usize, part: &str) -> String {
    let mut parts: Vec<&str> = token.split('.').collect();
    parts[index] = part;
    parts.join(".")
}

fn b64(text: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
}

fn cases() -> Vec<Case> {
    use Expect::*;
    let now = now();
    vec![
        case(
            "valid",
            rs256(base(json!({}))),
            Accepted(|c| {
                assert_eq!(c.sub, "user_1");
                assert_eq!(c.sid.as_deref(), Some("sess_1"));
                assert_eq!(c.azp.as_deref(), Some(APP));
                assert_eq!(c.iss.as_deref(), Some(ISSUER));
                assert!(c.iat.is_some() && c.nbf.is_some());
                assert_eq!(c.version, 1);
                assert_eq!(c.organization, None);
            }),
        ),
        case(
            "expired",
            rs256(base(
                json!({"iat": now - 120, "nbf": now - 120, "exp": now - 60}),
            )),
            Rejected("expired"),
        ),
        case(
            "exp_just_inside_the_skew",
            rs256(base(json!({"exp": now - 2}))),
            Accepted(accepted),
        ),
        case(
            "exp_just_beyond_the_skew",
            rs256(base(json!({"exp": now - 8}))),
            Rejected("expired"),
        ),
        case(
            "nbf_just_inside_the_skew",
            rs256(base(json!({"nbf": now + 2}))),
            Accepted(accepted),
        ),
        case(
            "nbf_beyond_the_skew",
            rs256(base(json!({"nbf": now + 30}))),
            Rejected("not_yet_valid"),
        ),
        case(
            "iat_just_inside_the_skew",
            rs256(base(json!({"iat": now + 2}))),
            Accepted(accepted),
        ),
        case(
            "iat_in_the_future",
            rs256(base(json!({"iat": now + 30}))),
            Rejected("issued_in_future"),
        ),
        case(
            "wrong_azp",
            rs256(base(json!({"azp": "https://evil.example.com"}))),
            Rejected("unauthorized_party"),
        ),
        case(
            "missing_azp",
            rs256(base(json!({"azp": null}))),
            Rejected("unauthorized_party"),
        ),
        case(
            "wrong_issuer",
            rs256(base(json!({"iss": "https://clerk.other.example.com"}))),
            Rejected("wrong_issuer"),
        ),
        case(
            "missing_issuer",
            rs256(base(json!({"iss": null}))),
            Rejected("wrong_issuer"),
        ),
        case(
            "alg_none",
            Mint::Unsigned {
                claims: base(json!({})),
            },
            Rejected("bad_algorithm"),
        ),
        case(
            "hs256_signed_with_the_public_key",
            Mint::Hs256WithPublicKey {
                key: KEY_A,
                claims: base(json!({})),
            },
            Rejected("bad_algorithm"),
        ),
        case(
            "signed_by_another_key",
            Mint::Rs256 {
                key: KEY_B,
                kid: Some("kid_a"),
                claims: base(json!({})),
            },
            Rejected("bad_signature"),
        ),
        tampered(
            "claims_changed_after_signing",
            |t| replace_part(&t, 1, &b64(&base(json!({"sub": "user_admin"})).to_string())),
            Rejected("bad_signature"),
        ),
        tampered(
            "signature_of_another_length",
            |t| replace_part(&t, 2, &b64("short")),
            Rejected("bad_signature"),
        ),
        tampered(
            "two_parts",
            |t| t.rsplit_once('.').unwrap().0.to_owned(),
            Rejected("malformed"),
        ),
        tampered(
            "four_parts",
            |t| format!("{t}.extra"),
            Rejected("malformed"),
        ),
        tampered("empty", |_| String::new(), Rejected("malformed")),
        tampered(
            "bad_base64_in_the_header",
            |t| replace_part(&t, 0, "eyJ*bGciOi"),
            Rejected("malformed"),
        ),
        tampered(
            "bad_base64_in_the_payload",
            |t| replace_part(&t, 1, "eyJzdWIi!!"),
            Rejected("malformed"),
        ),
        tampered(
            "bad_base64_in_the_signature",
            |t| replace_part(&t, 2, "c2ln+/=="),
            Rejected("malformed"),
        ),
        tampered(
            "padded_base64",
            |t| replace_part(&t, 0, &format!("{}==", t.split('.').next().unwrap())),
            Rejected("malformed"),
        ),
        tampered(
            "a_100_kb_header",
            |t| {
                let header = json!({"alg": "RS256", "kid": "kid_a", "pad": "x".repeat(100 * 1024)});
                replace_part(&t, 0, &b64(&header.to_string()))
            },
            Rejected("malformed"),
        ),
        tampered(
            "a_2_kb_header",
            |t| {
                let header = json!({"alg": "RS256", "kid": "kid_a", "pad": "x".repeat(2048)});
                replace_part(&t, 0, &b64(&header.to_string()))
            },
            Rejected("malformed"),
        ),
        tampered(
            "a_header_that_is_not_json",
            |t| replace_part(&t, 0, &b64("RS256 please")),
            Rejected("malformed"),
        ),
        tampered(
            "a_header_without_alg",
            |t| replace_part(&t, 0, &b64(r#"{"typ":"JWT"}"#)),
            Rejected("malformed"),
        ),
        case(
            "a_signed_payload_that_is_not_json",
            Mint::Rs256Payload {
                key: KEY_A,
                payload: b"user_1 until tomorrow",
            },
            Rejected("malformed"),
        ),
        case(
            "a_signed_payload_without_exp",
            rs256(base(json!({"exp": null}))),
            Rejected("malformed"),
        ),
        case(
            "a_signed_payload_without_sub",
            rs256(base(json!({"sub": null}))),
            Rejected("malformed"),
        ),
        case(
            "v1_organization_claims",
            rs256(base(json!({
                "org_id": "org_1", "org_slug": "acme", "org_role": "org:admin",
                "org_permissions": ["org:invoices:read", "org:invoices:manage"],
            }))),
            Accepted(|c| {
                let org = c.organization.as_ref().expect("organization");
                assert_eq!(c.version, 1);
                assert_eq!(org.id, "org_1");
                assert_eq!(org.slug.as_deref(), Some("acme"));
                assert_eq!(org.role.as_deref(), Some("org:admin"));
                assert_eq!(
                    org.permissions,
                    ["org:invoices:read", "org:invoices:manage"]
                );
                assert!(c.has_permission("org:invoices:manage"));
                assert!(c.other.is_empty(), "{:?}", c.other);
            }),
        ),
        case(
            "v2_organization_claims",
            rs256(base(json!({
                "v": 2, "sts": "active", "fva": [3, -1], "pla": "o:pro",
                "fea": "o:dashboard,o:teams,u:export",
                "o": {"id": "org_2", "slg": "acme", "rol": "admin", "per": "manage,read", "fpm": "3,2"},
            }))),
            Accepted(|c| {
                let org = c.organization.as_ref().expect("organization");
                assert_eq!(c.version, 2);
                assert_eq!(c.session_status, Some(SessionStatus::Active));
                assert_eq!(org.id, "org_2");
                assert_eq!(org.slug.as_deref(), Some("acme"));
                assert_eq!(org.role.as_deref(), Some("org:admin"));
                assert_eq!(
                    org.permissions,
                    [
                        "org:dashboard:manage",
                        "org:dashboard:read",
                        "org:teams:read"
                    ]
                );
                assert_eq!(c.features, ["o:dashboard", "o:teams", "u:export"]);
                let ages = c.factor_verification_age.expect("fva");
                assert_eq!(
                    (ages.first_factor_minutes, ages.second_factor_minutes),
                    (Some(3), None)
                );
                assert_eq!(c.plans, ["o:pro"]);
                assert!(c.other.is_empty(), "{:?}", c.other);
            }),
        ),
        case(
            "custom_claims_are_kept",
            rs256(base(json!({
                "email": "ada@example.com", "metadata": {"plan": "gold", "seats": 3}, "sts": "active",
            }))),
            Accepted(|c| {
                assert_eq!(c.other["email"], "ada@example.com");
                assert_eq!(c.other["metadata"], json!({"plan": "gold", "seats": 3}));
                assert_eq!(c.session_status, Some(SessionStatus::Active));
                assert_eq!(c.other.len(), 2, "{:?}", c.other);
            }),
        ),
        case(
            "pending_session",
            rs256(base(json!({"sts": "pending"}))),
            Rejected("session_pending"),
        ),
        case(
            "cat_session_token",
            rs256_header(json!({"cat": CAT_SESSION}), base(json!({}))),
            Accepted(accepted),
        ),
        case(
            "cat_unclassified",
            rs256_header(json!({"cat": CAT_UNCLASSIFIED}), base(json!({}))),
            Accepted(accepted),
        ),
        case(
            "no_cat_and_no_typ",
            rs256_header(json!({"typ": null}), base(json!({}))),
            Accepted(accepted),
        ),
        case(
            "cat_jwt_template",
            rs256_header(json!({"cat": CAT_TEMPLATE}), base(json!({}))),
            Rejected("wrong_token_type"),
        ),
        case(
            "cat_m2m_token_on_a_user",
            rs256_header(json!({"cat": CAT_M2M}), base(json!({}))),
            Rejected("wrong_token_type"),
        ),
        case(
            "cat_unknown",
            rs256_header(json!({"cat": "cl_Z9z9ZZ999ZZZ"}), base(json!({}))),
            Rejected("wrong_token_type"),
        ),
        case(
            "typ_at_jwt",
            rs256_header(json!({"typ": "at+jwt"}), base(json!({}))),
            Rejected("wrong_token_type"),
        ),
        case(
            "typ_application_at_jwt",
            rs256_header(json!({"typ": "application/at+jwt"}), base(json!({}))),
            Rejected("wrong_token_type"),
        ),
        case(
            "typ_other",
            rs256_header(json!({"typ": "JOSE"}), base(json!({}))),
            Rejected("wrong_token_type"),
        ),
        case(
            "sub_of_a_machine",
            rs256(base(json!({"sub": "mch_2xMachineIdentifier00000001"}))),
            Rejected("wrong_token_type"),
        ),
        case(
            "v2_authorization_claims",
            rs256(base(json!({
                "v": 2, "sts": "active", "fva": [2, 30], "pla": "u:free,o:pro",
                "fea": "o:wide,u:export,uo:reports",
                "act": {"sub": "user_support", "iss": "https://dashboard.clerk.com", "sid": "sess_act"},
                "o": {"id": "org_2", "rol": "billing", "per": (0..70).map(|i| format!("p{i}")).collect::<Vec<_>>().join(","),
                      "fpm": "590295810358705651713,5"},
            }))),
            Accepted(|c| {
                // 2^69 + 1: the first and the seventieth permission; 5: the first and third.
                let org = c.organization.as_ref().unwrap();
                assert_eq!(
                    org.permissions,
                    [
                        "org:wide:p0",
                        "org:wide:p69",
                        "org:reports:p0",
                        "org:reports:p2"
                    ]
                );
                assert!(c.has_permission("wide:p69") && !c.has_permission("org:wide:p68"));
                assert!(c.has_role("billing") && !c.has_role("org:admin"));
                assert!(
                    c.has_feature("o:wide")
                        && c.has_feature("u:export")
                        && !c.has_feature("o:export")
                );
                assert!(c.has_feature("u:reports") && c.has_feature("o:reports"));
                assert!(c.has_plan("pro") && c.has_plan("o:pro") && !c.has_plan("u:pro"));
                assert!(c.has_plan("u:free"));
                let actor = c.actor.as_ref().expect("act");
                assert_eq!(
                    (actor.sub.as_str(), actor.sid.as_deref()),
                    ("user_support", Some("sess_act"))
                );
                // First factor 2 minutes ago, second 30: strict needs the second within 10.
                assert!(c.has_reverification(Reverification::Moderate));
                assert!(!c.has_reverification(Reverification::Strict));
                assert!(!c.has_reverification(Reverification::StrictMfa));
                assert!(c.has_reverification(Reverification::Custom {
                    level: clerk_api::auth::VerificationLevel::FirstFactor,
                    after_minutes: 5,
                }));
            }),
        ),
        any_kind(
            "m2m_jwt",
            rs256_header(json!({"cat": CAT_M2M}), m2m_claims(json!({"region": "eu"}))),
            Machine(|m| {
                assert_eq!(m.kind, TokenKind::M2mToken);
                assert_eq!(m.subject, "mch_2xMachineIdentifier00000001");
                assert_eq!(m.id, "mt_0123456789abcdef0123456789abcdef");
                assert_eq!(
                    m.scopes,
                    [
                        "mch_2xOtherMachine000000000001",
                        "mch_2xThirdMachine000000000001"
                    ]
                );
                let claims = m.claims.as_ref().expect("custom claims");
                assert_eq!(claims["region"], "eu");
                assert!(!claims.contains_key("sub") && !claims.contains_key("jti"));
            }),
        ),
        any_kind(
            "m2m_jwt_without_cat",
            rs256(m2m_claims(json!({}))),
            Machine(|m| assert_eq!(m.kind, TokenKind::M2mToken)),
        ),
        any_kind(
            "m2m_jwt_of_the_session_class",
            rs256_header(json!({"cat": CAT_SESSION}), m2m_claims(json!({}))),
            Rejected("wrong_token_type"),
        ),
        any_kind(
            "m2m_jwt_of_another_type",
            rs256_header(json!({"typ": "JOSE"}), m2m_claims(json!({}))),
            Rejected("wrong_token_type"),
        ),
        any_kind(
            "m2m_jwt_expired",
            rs256(m2m_claims(
                json!({"iat": now - 120, "nbf": now - 120, "exp": now - 60}),
            )),
            Rejected("expired"),
        ),
        any_kind(
            "m2m_jwt_signed_by_another_key",
            Mint::Rs256Header {
                key: KEY_B,
                header: json!({"kid": "kid_a", "cat": CAT_M2M}),
                claims: m2m_claims(json!({})),
            },
            Rejected("bad_signature"),
        ),
        any_kind(
            "oauth_jwt",
            rs256_header(json!({"typ": "at+jwt"}), oauth_claims(json!({}))),
            Machine(|m| {
                assert_eq!(m.kind, TokenKind::OAuthToken);
                assert_eq!(m.subject, "user_1");
                assert_eq!(m.client_id.as_deref(), Some("client_abc"));
                assert_eq!(m.scopes, ["profile", "email"]);
                assert!(m.has_scope("email") && !m.has_scope("admin"));
            }),
        ),
        any_kind(
            "oauth_jwt_with_space_separated_scope",
            rs256_header(
                json!({"typ": "application/at+jwt"}),
                oauth_claims(json!({"scp": null, "scope": "read write"})),
            ),
            Machine(|m| assert_eq!(m.scopes, ["read", "write"])),
        ),
        any_kind(
            "oauth_jwt_of_the_template_class",
            rs256_header(
                json!({"typ": "at+jwt", "cat": CAT_TEMPLATE}),
                oauth_claims(json!({})),
            ),
            Rejected("wrong_token_type"),
        ),
        any_kind(
            "session_token_where_any_kind_is_accepted",
            rs256(base(json!({}))),
            Accepted(accepted),
        ),
        any_kind(
            "template_token_where_any_kind_is_accepted",
            rs256_header(json!({"cat": CAT_TEMPLATE}), base(json!({}))),
            Rejected("wrong_token_type"),
        ),
    ]
}

fn verifier() -> Verifier {
    verifier_accepting(Accepts::session_token())
}

fn verifier_accepting(accepts: Accepts) -> Verifier {
    Verifier::with_key(JwtKey::from_pem(&public_pem(KEY_A)).unwrap())
        .authorized_parties([APP, "http://localhost:3000"])
        .issuer(ISSUER)
        .accepts(accepts)
        .build()
}

/// Every case minted by one Python process (its times kept relative to signing).
fn minted(minter: &dyn Minter) -> HashMap<&'static str, String> {
    let cases = cases();
    let requests: Vec<Mint> = cases.iter().map(|c| c.mint.clone()).collect();
    let tokens = minter.mint(&requests);
    cases
        .iter()
        .zip(tokens)
        .map(|(case, token)| (case.name, case.tamper.map_or(token.clone(), |t| t(token))))
        .collect()
}

async fn check(name: &str, tokens: &HashMap<&'static str, String>) {
    let case = cases()
        .into_iter()
        .find(|c| c.name == name)
        .expect("a listed case");
    let outcome = verifier_accepting(case.accepts)
        .verify_caller(&tokens[name])
        .await;
    match (case.expect, outcome) {
        (Expect::Accepted(inspect), Ok(Caller::Session(claims))) => inspect(&claims),
        (Expect::Machine(inspect), Ok(Caller::Machine(machine))) => inspect(&machine),
        (Expect::Rejected(reason), Err(e)) => assert_eq!(e.reason(), reason, "{name}: {e}"),
        (Expect::Rejected(reason), Ok(caller)) => {
            panic!("{name}: expected `{reason}`, got accepted {caller:?}")
        }
        (_, outcome) => panic!("{name}: expected another acceptance, got {outcome:?}"),
    }
}

/// The case minted by `jsonwebtoken` just now: time claims stay as close to the
/// verification as they can.
fn jsonwebtoken_tokens(name: &str) -> HashMap<&'static str, String> {
    let case = cases()
        .into_iter()
        .find(|c| c.name == name)
        .expect("a listed case");
    let token = JsonWebToken.mint(&[case.mint]).remove(0);
    HashMap::from([(case.name, case.tamper.map_or(token.clone(), |t| t(token)))])
}

fn pyjwt_tokens() -> Option<&'static HashMap<&'static str, String>> {
    static TOKENS: OnceLock<Option<HashMap<&'static str, String>>> = OnceLock::new();
    TOKENS
        .get_or_init(|| PyJwt::available().map(|py| minted(&py)))
        .as_ref()
}

macro_rules! matrix {
    ($($name:ident),* $(,)?) => {
        const TESTED: &[&str] = &[$(stringify!($name)),*];

        /// Tokens from the `jsonwebtoken` crate.
        mod minted_by_jsonwebtoken {
            $(
                #[tokio::test]
                async fn $name() {
                    let tokens = super::jsonwebtoken_tokens(stringify!($name));
                    super::check(stringify!($name), &tokens).await;
                }
            )*
        }

        /// Tokens from PyJWT (skipped, with a message, when it is not installed).
        mod minted_by_pyjwt {
            $(
                #[tokio::test]
                async fn $name() {
                    if let Some(tokens) = super::pyjwt_tokens() {
                        super::check(stringify!($name), tokens).await;
                    }
                }
            )*
        }
    };
}

matrix!(
    valid,
    expired,
    exp_just_inside_the_skew,
    exp_just_beyond_the_skew,
    nbf_just_inside_the_skew,
    nbf_beyond_the_skew,
    iat_just_inside_the_skew,
    iat_in_the_future,
    wrong_azp,
    missing_azp,
    wrong_issuer,
    missing_issuer,
    alg_none,
    hs256_signed_with_the_public_key,
    signed_by_another_key,
    claims_changed_after_signing,
    signature_of_another_length,
    two_parts,
    four_parts,
    empty,
    bad_base64_in_the_header,
    bad_base64_in_the_payload,
    bad_base64_in_the_signature,
    padded_base64,
    a_100_kb_header,
    a_2_kb_header,
    a_header_that_is_not_json,
    a_header_without_alg,
    a_signed_payload_that_is_not_json,
    a_signed_payload_without_exp,
    a_signed_payload_without_sub,
    v1_organization_claims,
    v2_organization_claims,
    custom_claims_are_kept,
    pending_session,
    cat_session_token,
    cat_unclassified,
    no_cat_and_no_typ,
    cat_jwt_template,
    cat_m2m_token_on_a_user,
    cat_unknown,
    typ_at_jwt,
    typ_application_at_jwt,
    typ_other,
    sub_of_a_machine,
    v2_authorization_claims,
    m2m_jwt,
    m2m_jwt_without_cat,
    m2m_jwt_of_the_session_class,
    m2m_jwt_of_another_type,
    m2m_jwt_expired,
    m2m_jwt_signed_by_another_key,
    oauth_jwt,
    oauth_jwt_with_space_separated_scope,
    oauth_jwt_of_the_template_class,
    session_token_where_any_kind_is_accepted,
    template_token_where_any_kind_is_accepted,
);

#[test]
fn every_case_has_a_test() {
    let listed: Vec<&str> = cases().iter().map(|c| c.name).collect();
    assert_eq!(listed, TESTED);
}

#[tokio::test]
async fn the_clock_skew_is_configurable() {
    let now = now();
    let token = &JsonWebToken.mint(&[rs256(base(json!({"exp": now - 20})))])[0];
    assert_eq!(
        verifier().verify(token).await.unwrap_err().reason(),
        "expired"
    );
    let lenient = Verifier::with_key(JwtKey::from_pem(&public_pem(KEY_A)).unwrap())
        .clock_skew(std::time::Duration::from_secs(60))
        .build();
    assert_eq!(lenient.verify(token).await.unwrap().sub, "user_1");
}

#[tokio::test]
async fn without_authorized_parties_any_azp_passes() {
    let token = &JsonWebToken.mint(&[rs256(base(json!({"azp": "https://elsewhere.example"})))])[0];
    let open = Verifier::with_key(JwtKey::from_pem(&public_pem(KEY_A)).unwrap()).build();
    assert_eq!(
        open.verify(token).await.unwrap().azp.as_deref(),
        Some("https://elsewhere.example")
    );
    let no_azp = &JsonWebToken.mint(&[rs256(base(json!({"azp": null})))])[0];
    assert_eq!(open.verify(no_azp).await.unwrap().azp, None);
}

#[test]
fn pem_keys_are_read_as_clerk_gives_them_and_others_are_refused() {
    let pem = public_pem(KEY_A);
    assert_eq!(JwtKey::from_pem(&pem).unwrap().modulus_bits(), 2048);
    // One line with `\n` escapes, as env files carry it, and the bare base64 body.
    assert!(JwtKey::from_pem(&pem.replace('\n', "\\n")).is_ok());
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    assert!(JwtKey::from_pem(&body).is_ok());
    // Not RSA, too small, a private key, garbage.
    let ec = JwtKey::from_pem(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/auth_keys/ec_p256.pub.pem"
        ))
        .unwrap(),
    );
    assert!(ec.unwrap_err().to_string().contains("not an RSA key"));
    let small = JwtKey::from_pem(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/auth_keys/rsa_1024.pub.pem"
        ))
        .unwrap(),
    );
    assert!(small.unwrap_err().to_string().contains("2048"));
    assert!(JwtKey::from_pem(&private_pem(KEY_A)).is_err());
    assert!(
        JwtKey::from_pem("-----BEGIN PUBLIC KEY-----\nnot base64!\n-----END PUBLIC KEY-----")
            .is_err()
    );
}

#[tokio::test]
async fn pending_sessions_are_let_in_when_the_verifier_opts_in() {
    let token = &JsonWebToken.mint(&[rs256(base(json!({"sts": "pending"})))])[0];
    assert_eq!(
        verifier().verify(token).await.unwrap_err().reason(),
        "session_pending"
    );
    let opted_in = Verifier::with_key(JwtKey::from_pem(&public_pem(KEY_A)).unwrap())
        .treat_pending_as_signed_out(false)
        .build();
    let claims = opted_in.verify(token).await.unwrap();
    assert_eq!(claims.session_status, Some(SessionStatus::Pending));
}

#[tokio::test]
async fn verify_takes_session_tokens_only_whatever_the_verifier_accepts() {
    let m2m = &JsonWebToken.mint(&[rs256(m2m_claims(json!({})))])[0];
    let any = verifier_accepting(Accepts::any());
    assert_eq!(
        any.verify(m2m).await.unwrap_err().reason(),
        "wrong_token_type"
    );
    assert!(any.verify_caller(m2m).await.is_ok());
    // A verifier for machine tokens only refuses session tokens.
    let machines_only = verifier_accepting(Accepts::from([TokenKind::M2mToken]));
    let session = &JsonWebToken.mint(&[rs256(base(json!({})))])[0];
    assert_eq!(
        machines_only
            .verify_caller(session)
            .await
            .unwrap_err()
            .reason(),
        "wrong_token_type"
    );
}

#[tokio::test]
async fn a_request_without_a_token_is_signed_out_with_no_token() {
    use clerk_api::auth::AuthOutcome;
    let outcome = verifier()
        .authenticate_headers(&clerk_api::reqwest::header::HeaderMap::new())
        .await;
    let AuthOutcome::SignedOut(reason) = outcome else {
        panic!("signed in without a token")
    };
    assert_eq!(reason.reason(), "no_token");
    // A verifier for machine tokens only does not read the session cookie.
    let mut cookie_only = clerk_api::reqwest::header::HeaderMap::new();
    let session = &JsonWebToken.mint(&[rs256(base(json!({})))])[0];
    cookie_only.insert("cookie", format!("__session={session}").parse().unwrap());
    assert!(verifier()
        .authenticate_headers(&cookie_only)
        .await
        .claims()
        .is_some());
    let machines = verifier_accepting(Accepts::from(TokenKind::ApiKey));
    let outcome = machines.authenticate_headers(&cookie_only).await;
    assert_eq!(outcome.into_result().unwrap_err().reason(), "no_token");
}

#[test]
fn cookie_suffixes_match_pythons_sha1() {
    let Some(python) = PyJwt::available() else {
        return;
    };
    // Lengths around SHA-1's 64-byte blocks and its 56-byte padding boundary.
    let keys: Vec<String> = [8, 9, 54, 55, 56, 57, 63, 64, 65, 119, 120, 200]
        .iter()
        .map(|len| format!("pk_test_{}", "Y".repeat(len - 8)))
        .collect();
    let script = "import base64, hashlib, json, sys\n\
        print(json.dumps([base64.urlsafe_b64encode(hashlib.sha1(k.encode()).digest()).decode()[:8] for k in json.load(sys.stdin)]))";
    let expected: Vec<String> =
        serde_json::from_str(&python.run(script, &json!(keys).to_string())).unwrap();
    let ours: Vec<String> = keys
        .iter()
        .map(|k| clerk_api::auth::cookie_suffix(k))
        .collect();
    assert_eq!(ours, expected);
}
