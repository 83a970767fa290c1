//! `GET /jwks`: the public key the fake signs session tokens with (none without the
//! `auth` feature, which mints them).

use super::call::Call;
use super::error::Outcome;
use super::state::Instance;
use serde_json::{json, Value};

#[cfg(feature = "auth")]
pub(crate) fn get(inst: &mut Instance, _call: &Call<'_>) -> Outcome<Value> {
    let key = super::session::signing_key(&inst.signing_key);
    Ok(json!({ "keys": [key.jwk()] }))
}

#[cfg(not(feature = "auth"))]
pub(crate) fn get(_inst: &mut Instance, _call: &Call<'_>) -> Outcome<Value> {
    Ok(json!({ "keys": [] }))
}
