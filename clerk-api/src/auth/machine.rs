//! Machine tokens: Clerk's verdict on an opaque one, and the claims of a verified M2M
//! or OAuth JWT, both read into a [`MachineAuth`].

use super::backend_api::VerifiedToken;
use super::caller::MachineAuth;
use super::error::VerifyError;
use super::token_kind::TokenKind;
use serde_json::{Map, Value};
use std::sync::Arc;

/// Clerk's answer to a verify call, as an acceptance or a refusal. A `200` that says
/// the token is revoked or expired is a refusal too (Clerk usually answers those with
/// an error status, but an answer that says so is never taken for a pass).
pub(super) fn from_verify_answer(
    kind: TokenKind,
    answer: VerifiedToken,
    now_ms: i64,
    skew_ms: i64,
) -> Result<MachineAuth, VerifyError> {
    if answer.active == Some(false) || answer.expired {
        return Err(VerifyError::Expired);
    }
    if answer.revoked {
        return Err(VerifyError::Revoked);
    }
    // Milliseconds are integers in practice; a fraction is cut off.
    let expires_at_ms = answer.expiration.map(|ms| ms as i64);
    if expires_at_ms.is_some_and(|at| at.saturating_add(skew_ms) <= now_ms) {
        return Err(VerifyError::Expired);
    }
    let (Some(id), Some(subject)) = (answer.id, answer.subject) else {
        return Err(unexpected_answer(
            "the verify answer has no `id` or `subject`",
        ));
    };
    let claims = match answer.claims {
        None | Some(Value::Null) => None,
        Some(Value::Object(claims)) => Some(claims),
        Some(_) => {
            return Err(unexpected_answer(
                "the verify answer's `claims` is not an object",
            ))
        }
    };
    Ok(MachineAuth {
        kind,
        id,
        subject,
        scopes: answer.scopes.unwrap_or_default(),
        claims,
        name: answer.name,
        client_id: answer.client_id,
        expires_at_ms,
    })
}

fn unexpected_answer(what: &'static str) -> VerifyError {
    VerifyError::ApiUnavailable(Arc::new(crate::Error::Config(format!(
        "Clerk's answer cannot be read: {what}"
    ))))
}

/// A failed verify call: Clerk refusing the token (`unknown_token`), or Clerk not
/// answering usefully (`api_unavailable`: unreachable, timed out, `5xx`, `429`, or
/// the secret key refused with `401`/`403`).
pub(super) fn from_verify_error(error: crate::Error) -> VerifyError {
    if let crate::Error::Api(api) = &error {
        let status = api.status().as_u16();
        let about_the_token = (400..500).contains(&status) && !matches!(status, 401 | 403 | 429);
        if about_the_token {
            return VerifyError::UnknownToken;
        }
    }
    VerifyError::ApiUnavailable(Arc::new(error))
}

/// The structural claims of a machine JWT; the others are the token's custom claims.
const RESERVED_CLAIMS: [&str; 6] = ["iss", "sub", "exp", "nbf", "iat", "jti"];

fn text(claims: &Map<String, Value>, name: &str) -> Option<String> {
    claims.get(name).and_then(Value::as_str).map(str::to_owned)
}

fn words(claims: &Map<String, Value>, name: &str) -> Option<Vec<String>> {
    let list = claims.get(name)?.as_str()?;
    Some(list.split_whitespace().map(str::to_owned).collect())
}

fn strings(claims: &Map<String, Value>, name: &str) -> Option<Vec<String>> {
    match claims.get(name)? {
        Value::Array(items) => Some(
            items
                .iter()
                .filter_map(|item| item.as_str().map(str::to_owned))
                .collect(),
        ),
        Value::String(one) => Some(vec![one.clone()]),
        _ => None,
    }
}

/// A verified M2M JWT: scopes from `scopes` (space-separated) or else `aud`, custom
/// claims everything but the structural ones.
pub(super) fn from_m2m_claims(claims: Map<String, Value>, sub: String, exp: i64) -> MachineAuth {
    let scopes = words(&claims, "scopes")
        .or_else(|| strings(&claims, "aud"))
        .unwrap_or_default();
    let id = text(&claims, "jti").unwrap_or_default();
    let custom: Map<String, Value> = claims
        .into_iter()
        .filter(|(name, _)| !RESERVED_CLAIMS.contains(&name.as_str()))
        .collect();
    MachineAuth {
        kind: TokenKind::M2mToken,
        id,
        subject: sub,
        scopes,
        claims: (!custom.is_empty()).then_some(custom),
        name: None,
        client_id: None,
        expires_at_ms: Some(exp.saturating_mul(1000)),
    }
}

/// A verified OAuth access-token JWT: scopes from `scp` (a list) or else `scope`
/// (space-separated), the application from `client_id`.
pub(super) fn from_oauth_claims(claims: Map<String, Value>, sub: String, exp: i64) -> MachineAuth {
    let scopes = strings(&claims, "scp")
        .or_else(|| words(&claims, "scope"))
        .unwrap_or_default();
    MachineAuth {
        kind: TokenKind::OAuthToken,
        id: text(&claims, "jti").unwrap_or_default(),
        subject: sub,
        scopes,
        client_id: text(&claims, "client_id"),
        name: None,
        claims: None,
        expires_at_ms: Some(exp.saturating_mul(1000)),
    }
}
