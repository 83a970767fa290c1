//! The compact JWS form of a token: three base64url parts, decoded into buffers the
//! caller owns, so that reading a token allocates nothing but its claims.

use super::error::VerifyError;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::de::IgnoredAny;
use serde::Deserialize;
use std::borrow::Cow;

/// Longer tokens are refused before anything is decoded (Clerk's fit in a cookie).
pub(super) const MAX_TOKEN_LEN: usize = 16 * 1024;
/// Decoded header bytes; Clerk's header is under 100.
pub(super) const MAX_HEADER_LEN: usize = 1024;
/// An RSA signature is as long as the modulus: at most 8192 bits.
pub(super) const MAX_SIGNATURE_LEN: usize = 1024;
/// Decoded claims up to this size stay on the stack.
pub(super) const INLINE_PAYLOAD_LEN: usize = 4096;

/// The three parts of a token, still encoded.
#[derive(Debug, Clone, Copy)]
pub(super) struct Parts<'a> {
    /// `header.payload`: the bytes the signature covers.
    pub signing_input: &'a [u8],
    pub header: &'a str,
    pub payload: &'a str,
    pub signature: &'a str,
}

/// The header fields verification looks at; others are ignored.
#[derive(Debug, Deserialize)]
pub(super) struct Header<'a> {
    #[serde(borrow)]
    pub alg: Text<'a>,
    #[serde(borrow, default)]
    pub kid: Option<Text<'a>>,
    /// The media type: `JWT` (or absent) for session and M2M tokens, `at+jwt` for OAuth
    /// access tokens.
    #[serde(borrow, default)]
    pub typ: Option<Text<'a>>,
    /// Clerk's token class tag (see `token_kind::category`).
    #[serde(borrow, default)]
    pub cat: Option<Text<'a>>,
    /// Extensions the signer says must be understood: none are, so any is a refusal.
    #[serde(default)]
    pub crit: Option<IgnoredAny>,
}

impl Header<'_> {
    pub fn typ(&self) -> Option<&str> {
        self.typ.as_ref().map(|t| &*t.0)
    }

    pub fn cat(&self) -> Option<&str> {
        self.cat.as_ref().map(|t| &*t.0)
    }
}

/// The one claim read before the signature is checked: the subject, which tells an M2M
/// JWT (`mch_...`) from a session token. Other claims are skipped unread.
#[derive(Debug, Deserialize)]
pub(super) struct Subject<'a> {
    #[serde(borrow, default)]
    pub sub: Option<Text<'a>>,
}

/// The subject of decoded claims, `None` when there is none (the claims' own parse
/// then says what is wrong).
pub(super) fn peek_subject(payload: &[u8]) -> Result<Option<Text<'_>>, VerifyError> {
    serde_json::from_slice::<Subject<'_>>(payload)
        .map(|s| s.sub)
        .map_err(|_| VerifyError::Malformed("the payload is not a JSON object with a string `sub`"))
}

/// A JSON string borrowed from the decoded header unless it has escapes (serde's own
/// `Option<Cow<str>>` always copies).
#[derive(Debug)]
pub(super) struct Text<'a>(pub Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> serde::de::Visitor<'de> for TextVisitor {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(text)))
            }
            fn visit_str<E>(self, text: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(text.to_owned())))
            }
        }
        deserializer.deserialize_str(TextVisitor)
    }
}

pub(super) fn split(token: &str) -> Result<Parts<'_>, VerifyError> {
    if token.len() > MAX_TOKEN_LEN {
        return Err(VerifyError::Malformed("the token is larger than 16 KiB"));
    }
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(VerifyError::Malformed(
            "a JWT has three parts separated by dots",
        ));
    };
    Ok(Parts {
        signing_input: &token.as_bytes()[..header.len() + 1 + payload.len()],
        header,
        payload,
        signature,
    })
}

/// Decodes one base64url part into `buffer`; `what` names the part in the error.
pub(super) fn decode_into<'b>(
    part: &str,
    buffer: &'b mut [u8],
    what: &'static str,
) -> Result<&'b [u8], VerifyError> {
    if base64::decoded_len_estimate(part.len()) > buffer.len() {
        return Err(VerifyError::Malformed(what));
    }
    let len = URL_SAFE_NO_PAD
        .decode_slice(part, buffer)
        .map_err(|_| VerifyError::Malformed(what))?;
    Ok(&buffer[..len])
}

pub(super) fn parse_header(json: &[u8]) -> Result<Header<'_>, VerifyError> {
    let header: Header<'_> = serde_json::from_slice(json)
        .map_err(|_| VerifyError::Malformed("the header is not a JSON object with `alg`"))?;
    if header.crit.is_some() {
        return Err(VerifyError::Malformed(
            "the header lists critical extensions",
        ));
    }
    Ok(header)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_needs_exactly_three_parts() {
        assert!(split("a.b.c").is_ok());
        assert!(split("a.b").is_err());
        assert!(split("a.b.c.d").is_err());
        let parts = split("hh.pp.ss").unwrap();
        assert_eq!(parts.signing_input, b"hh.pp");
        assert_eq!(
            (parts.header, parts.payload, parts.signature),
            ("hh", "pp", "ss")
        );
    }

    #[test]
    fn decoding_refuses_padding_other_alphabets_and_overflow() {
        let mut buffer = [0u8; 8];
        assert_eq!(decode_into("aGk", &mut buffer, "x").unwrap(), b"hi");
        assert!(decode_into("aGk=", &mut buffer, "x").is_err());
        assert!(decode_into("a+/k", &mut buffer, "x").is_err());
        assert!(decode_into("aGloaGloaGloaGk", &mut buffer, "x").is_err());
    }

    #[test]
    fn header_fields_borrow_and_crit_is_refused() {
        let header = parse_header(br#"{"alg":"RS256","kid":"ins_1","typ":"JWT"}"#).unwrap();
        assert!(matches!(header.kid, Some(Text(Cow::Borrowed("ins_1")))));
        assert_eq!(header.alg.0, "RS256");
        let escaped = parse_header(br#"{"alg":"RS256","kid":"a\/b"}"#).unwrap();
        assert_eq!(escaped.kid.unwrap().0, "a/b");
        assert!(parse_header(br#"{"alg":"RS256","crit":["b64"]}"#).is_err());
        assert!(parse_header(br#"{"alg":"RS256","alg":"none"}"#).is_err());
        assert!(parse_header(b"not json").is_err());
    }
}
