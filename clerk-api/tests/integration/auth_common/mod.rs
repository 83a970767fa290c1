//! Shared by the `auth_*` tests: the fixture keys and two token minters that share no
//! code with `clerk_api::auth`: the `jsonwebtoken` crate (RustCrypto's `rsa`) and
//! PyJWT with `cryptography` (from PyPI, installed into `.cache/python` by
//! `cargo xtask test`).
//!
//! The keys in `tests/auth_keys/` were generated once with Python's `cryptography`:
//! `rsa_a` and `rsa_b` (2048-bit, private PKCS#8 and public SubjectPublicKeyInfo PEM),
//! `rsa_1024` (public only, too small to accept) and `ec_p256` (public only, not RSA).

// Each auth test module uses a different subset.
#![allow(dead_code)]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

pub const KEY_A: &str = "rsa_a";
pub const KEY_B: &str = "rsa_b";

fn keys_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/auth_keys")
}

pub fn private_pem(key: &str) -> String {
    std::fs::read_to_string(keys_dir().join(format!("{key}.key.pem"))).unwrap()
}

pub fn public_pem(key: &str) -> String {
    std::fs::read_to_string(keys_dir().join(format!("{key}.pub.pem"))).unwrap()
}

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Claims of an ordinary session token for `sub`, valid for a minute.
pub fn session_claims(sub: &str) -> Value {
    let now = now();
    json!({"sub": sub, "sid": "sess_1", "iat": now, "nbf": now, "exp": now + 60})
}

/// The JWK of a fixture key as `jsonwebtoken` computes it from the private key.
pub fn jwk(key: &str, kid: &str) -> Value {
    let encoding = EncodingKey::from_rsa_pem(private_pem(key).as_bytes()).unwrap();
    let jwk = jsonwebtoken::jwk::Jwk::from_encoding_key(&encoding, Algorithm::RS256).unwrap();
    let mut value = serde_json::to_value(jwk).unwrap();
    value["kid"] = kid.into();
    value["use"] = "sig".into();
    value
}

/// A JWKS document listing fixture keys as `(key, kid)`.
pub fn jwks(keys: &[(&str, &str)]) -> Value {
    json!({"keys": keys.iter().map(|(key, kid)| jwk(key, kid)).collect::<Vec<_>>()})
}

/// One token to make.
#[derive(Debug, Clone)]
pub enum Mint {
    /// RS256 over JSON claims, with `kid` in the header when given.
    Rs256 {
        key: &'static str,
        kid: Option<&'static str>,
        claims: Value,
    },
    /// RS256 with these header fields beside `alg` (`kid`, `typ`, `cat`, ...; a `null`
    /// field is left out, `typ` included).
    Rs256Header {
        key: &'static str,
        header: Value,
        claims: Value,
    },
    /// RS256 over arbitrary payload bytes.
    Rs256Payload {
        key: &'static str,
        payload: &'static [u8],
    },
    /// HS256 with the PEM text of a public key as the HMAC secret.
    Hs256WithPublicKey { key: &'static str, claims: Value },
    /// `alg: none`, no signature.
    Unsigned { claims: Value },
}

/// RS256 with key A, `kid_a` and the extra header fields of `header`.
pub fn rs256_header(header: Value, claims: Value) -> Mint {
    let mut fields = json!({"kid": "kid_a", "typ": "JWT"});
    for (name, value) in header.as_object().unwrap() {
        fields[name] = value.clone();
    }
    Mint::Rs256Header {
        key: KEY_A,
        header: fields,
        claims,
    }
}

pub fn rs256(claims: Value) -> Mint {
    Mint::Rs256 {
        key: KEY_A,
        kid: Some("kid_a"),
        claims,
    }
}

/// A token minter independent of `clerk_api`.
pub trait Minter {
    fn mint(&self, requests: &[Mint]) -> Vec<String>;
}

/// The `jsonwebtoken` crate.
pub struct JsonWebToken;

impl Minter for JsonWebToken {
    fn mint(&self, requests: &[Mint]) -> Vec<String> {
        requests.iter().map(mint_with_jsonwebtoken).collect()
    }
}

fn mint_with_jsonwebtoken(request: &Mint) -> String {
    let rsa = |key: &str| EncodingKey::from_rsa_pem(private_pem(key).as_bytes()).unwrap();
    match request {
        Mint::Rs256 { key, kid, claims } => {
            let mut header = Header::new(Algorithm::RS256);
            header.kid = kid.map(str::to_owned);
            jsonwebtoken::encode(&header, claims, &rsa(key)).unwrap()
        }
        Mint::Rs256Header {
            key,
            header,
            claims,
        } => {
            // jsonwebtoken's `Header` has no room for `cat`: the header is written here
            // and the signature is jsonwebtoken's.
            let mut fields = serde_json::Map::new();
            fields.insert("alg".into(), "RS256".into());
            for (name, value) in header.as_object().unwrap() {
                if !value.is_null() {
                    fields.insert(name.clone(), value.clone());
                }
            }
            let input = format!(
                "{}.{}",
                URL_SAFE_NO_PAD.encode(Value::Object(fields).to_string()),
                URL_SAFE_NO_PAD.encode(claims.to_string())
            );
            let signature =
                jsonwebtoken::crypto::sign(input.as_bytes(), &rsa(key), Algorithm::RS256).unwrap();
            format!("{input}.{signature}")
        }
        Mint::Rs256Payload { key, payload } => {
            let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","typ":"JWT","kid":"kid_a"}"#);
            let input = format!("{header}.{}", URL_SAFE_NO_PAD.encode(payload));
            let signature =
                jsonwebtoken::crypto::sign(input.as_bytes(), &rsa(key), Algorithm::RS256).unwrap();
            format!("{input}.{signature}")
        }
        Mint::Hs256WithPublicKey { key, claims } => {
            let secret = EncodingKey::from_secret(public_pem(key).as_bytes()).unwrap();
            jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &secret).unwrap()
        }
        Mint::Unsigned { claims } => format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        ),
    }
}

/// PyJWT with `cryptography`, one Python process per `mint` call.
pub struct PyJwt;

const PYJWT_MINT: &str = r#"
import base64, hashlib, hmac, json, sys, time
import jwt

def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

from cryptography.hazmat.primitives.serialization import load_pem_private_key

keys = {}
def private(pem):
    if pem not in keys:
        keys[pem] = load_pem_private_key(pem.encode(), None)
    return keys[pem]

request = json.load(sys.stdin)
# Times in the claims are relative to when the caller made them: keep them relative to
# the moment each token is signed here.
def rebase(claims):
    if isinstance(claims, dict):
        shift = int(time.time()) - request["made_at"]
        for name in ("iat", "nbf", "exp"):
            if isinstance(claims.get(name), int):
                claims[name] += shift
    return claims

tokens = []
for r in request["tokens"]:
    if "claims" in r:
        rebase(r["claims"])
    kind = r["kind"]
    if kind == "rs256":
        headers = {"kid": r["kid"]} if r["kid"] else None
        tokens.append(jwt.encode(r["claims"], private(r["private"]), algorithm="RS256", headers=headers))
    elif kind == "rs256_header":
        # PyJWT writes the header: `typ` None drops it, other fields are kept.
        tokens.append(jwt.encode(r["claims"], private(r["private"]), algorithm="RS256", headers=r["header"]))
    elif kind == "rs256_payload":
        payload = r["payload"].encode()
        tokens.append(jwt.PyJWS().encode(payload, private(r["private"]), algorithm="RS256", headers={"kid": "kid_a"}))
    elif kind == "hs256_public":
        # PyJWT itself refuses a PEM public key as an HMAC secret, so sign by hand.
        header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        body = b64(json.dumps(r["claims"]).encode())
        mac = hmac.new(r["public"].encode(), f"{header}.{body}".encode(), hashlib.sha256).digest()
        tokens.append(f"{header}.{body}.{b64(mac)}")
    elif kind == "none":
        tokens.append(jwt.encode(r["claims"], None, algorithm="none"))
json.dump(tokens, sys.stdout)
"#;

impl PyJwt {
    /// PyJWT when it can be imported; `None` (after saying why) when it cannot and
    /// `CLERK_REQUIRE_TEST_TOOLS` is unset, a panic when it is set.
    pub fn available() -> Option<PyJwt> {
        match python(&["-c", "import jwt, cryptography"], "") {
            Ok(_) => Some(PyJwt),
            Err(e) if std::env::var_os("CLERK_REQUIRE_TEST_TOOLS").is_some() => {
                panic!("PyJWT is required (CLERK_REQUIRE_TEST_TOOLS is set): {e}")
            }
            Err(e) => {
                eprintln!("skipped: PyJWT is not available ({e}); `cargo xtask test` installs it");
                None
            }
        }
    }

    /// Runs a Python script with `input` on stdin; returns its stdout.
    pub fn run(&self, script: &str, input: &str) -> String {
        python(&["-c", script], input).unwrap_or_else(|e| panic!("python failed: {e}"))
    }
}

impl Minter for PyJwt {
    fn mint(&self, requests: &[Mint]) -> Vec<String> {
        let input: Vec<Value> = requests
            .iter()
            .map(|request| match request {
                Mint::Rs256 { key, kid, claims } => {
                    json!({"kind": "rs256", "private": private_pem(key), "kid": kid, "claims": claims})
                }
                Mint::Rs256Header {
                    key,
                    header,
                    claims,
                } => json!({
                    "kind": "rs256_header", "private": private_pem(key),
                    "header": header, "claims": claims,
                }),
                Mint::Rs256Payload { key, payload } => json!({
                    "kind": "rs256_payload", "private": private_pem(key),
                    "payload": std::str::from_utf8(payload).unwrap(),
                }),
                Mint::Hs256WithPublicKey { key, claims } => {
                    json!({"kind": "hs256_public", "public": public_pem(key), "claims": claims})
                }
                Mint::Unsigned { claims } => json!({"kind": "none", "claims": claims}),
            })
            .collect();
        let request = json!({"made_at": now(), "tokens": input});
        let output = self.run(PYJWT_MINT, &request.to_string());
        serde_json::from_str(&output).unwrap()
    }
}

/// Runs python3 with the project's `.cache/python` on `PYTHONPATH` (where `cargo xtask
/// test` installs the tools) in front of any inherited one.
fn python(args: &[&str], input: &str) -> Result<String, String> {
    let cache = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.cache/python");
    let mut path = cache.into_os_string();
    if let Some(existing) = std::env::var_os("PYTHONPATH").filter(|p| !p.is_empty()) {
        path.push(":");
        path.push(existing);
    }
    let mut child = Command::new("python3")
        .args(args)
        .env("PYTHONPATH", path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("python3 cannot be started: {e}"))?;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .map_err(|e| e.to_string())?;
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).trim().to_owned());
    }
    Ok(String::from_utf8(output.stdout).unwrap())
}
