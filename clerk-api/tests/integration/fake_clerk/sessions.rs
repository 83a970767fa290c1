//! Session tokens of the fake (features `auth` and `test-util`): signed by the key its
//! `/jwks` serves, so `Verifier::with_jwks(fake.client())` accepts them; the active
//! organization's claims come from the fake's state. The `jsonwebtoken` crate checks
//! the same tokens against the same JWKS, independently of this crate's verifier.
#![cfg(feature = "auth")]

use super::ops::*;
use clerk_api::auth::{Verifier, VerifyError};
use clerk_api::testing::FakeClerk;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{json, Value};

#[tokio::test]
async fn the_fakes_tokens_verify_against_its_own_jwks() {
    let fake = FakeClerk::start().await;
    let ada = fake.seed_user(json!({"first_name": "Ada"}));
    let token = fake.session_token(&ada);

    let verifier = Verifier::with_jwks(fake.client()).build();
    let claims = verifier.verify(&token).await.unwrap();
    assert_eq!(claims.sub, ada);
    assert!(claims
        .sid
        .as_deref()
        .is_some_and(|s| s.starts_with("sess_")));
    assert!(claims.organization.is_none());
    assert!(fake
        .requests()
        .iter()
        .any(|r| r.operation_id.as_deref() == Some("GetJWKS")));

    // The same token, checked by jsonwebtoken against the JWKS the fake serves.
    let jwks = get_jwks(&fake.client()).await.unwrap();
    let jwks: Value = serde_json::to_value(&jwks).unwrap();
    let jwk = &jwks["keys"][0];
    assert_eq!(
        (jwk["kty"].as_str(), jwk["alg"].as_str()),
        (Some("RSA"), Some("RS256"))
    );
    let key =
        DecodingKey::from_rsa_components(jwk["n"].as_str().unwrap(), jwk["e"].as_str().unwrap())
            .unwrap();
    let header = jsonwebtoken::decode_header(&token).unwrap();
    assert_eq!(header.kid.as_deref(), jwk["kid"].as_str());
    let mut validation = Validation::new(Algorithm::RS256);
    validation.validate_aud = false;
    let decoded = jsonwebtoken::decode::<Value>(&token, &key, &validation).unwrap();
    assert_eq!(decoded.claims["sub"], ada.as_str());
    assert_eq!(decoded.claims["iss"], format!("http://{}", fake.addr()));
}

#[tokio::test]
async fn the_active_organization_carries_the_members_role_and_its_permissions() {
    let fake = FakeClerk::start().await;
    let client = fake.client();
    let ada = fake.seed_user(json!({"first_name": "Ada"}));
    let bob = fake.seed_user(json!({"first_name": "Bob"}));
    let org = fake.seed_organization(json!({"name": "Acme", "slug": "acme", "created_by": ada}));
    fake.seed_membership(&org, json!({"user_id": bob, "role": "org:member"}));
    let verifier = Verifier::with_jwks(fake.client()).build();

    let claims = verifier
        .verify(&fake.session_token_in(&ada, "acme"))
        .await
        .unwrap();
    let active = claims.organization.clone().unwrap();
    assert_eq!(
        (
            active.id.as_str(),
            active.slug.as_deref(),
            active.role.as_deref()
        ),
        (org.as_str(), Some("acme"), Some("org:admin"))
    );
    assert!(claims.has_permission("org:sys_memberships:manage"));
    let member = verifier
        .verify(&fake.session_token_in(&bob, &org))
        .await
        .unwrap();
    assert!(!member.has_permission("org:sys_memberships:manage"));
    assert!(member.has_permission("org:sys_memberships:read"));

    // A token minted after a role change carries the new role.
    change_role(&client, &org, &bob, "org:admin").await.unwrap();
    let promoted = verifier
        .verify(&fake.session_token_in(&bob, &org))
        .await
        .unwrap();
    assert_eq!(
        promoted.organization.unwrap().role.as_deref(),
        Some("org:admin")
    );
}

#[tokio::test]
async fn another_fakes_tokens_and_expired_ones_are_refused() {
    let fake = FakeClerk::start().await;
    let other = FakeClerk::start().await;
    let ada = fake.seed_user(json!({"id": "user_ada"}));
    other.seed_user(json!({"id": "user_ada"}));
    let verifier = Verifier::with_jwks(fake.client()).build();
    assert!(verifier
        .verify(&fake.session_token("user_ada"))
        .await
        .is_ok());
    let foreign = verifier
        .verify(&other.session_token("user_ada"))
        .await
        .unwrap_err();
    // Each fake signs with a key of its own, which the other's JWKS does not list.
    assert!(matches!(foreign, VerifyError::UnknownKey), "{foreign:?}");
    let expired = fake.signing_key().token(&ada).expired().sign();
    assert_eq!(
        verifier.verify(&expired).await.unwrap_err().reason(),
        "expired"
    );
}

#[tokio::test]
#[should_panic(expected = "not a member")]
async fn a_token_for_an_organization_the_user_is_not_in_is_a_test_bug() {
    let fake = FakeClerk::start().await;
    let ada = fake.seed_user(json!({}));
    let org = fake.seed_organization(json!({"name": "Acme"}));
    fake.session_token_in(&ada, &org);
}
