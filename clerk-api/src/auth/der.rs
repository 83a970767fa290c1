//! The little DER that RSA public keys need: the PKCS#1 key inside a
//! SubjectPublicKeyInfo (what a PEM `PUBLIC KEY` holds), and a PKCS#1 key built from a
//! JWK's modulus and exponent. Lengths must be minimal (DER, not BER).

use super::error::KeyError;

const INTEGER: u8 = 0x02;
const BIT_STRING: u8 = 0x03;
const NULL: u8 = 0x05;
const OBJECT_IDENTIFIER: u8 = 0x06;
const SEQUENCE: u8 = 0x30;

/// The contents of the OID 1.2.840.113549.1.1.1 (`rsaEncryption`).
const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

const TRUNCATED: KeyError = KeyError("the key's DER encoding is truncated or malformed");

/// Splits one element with tag `tag` off the front of `input`: (contents, rest).
fn element(input: &[u8], tag: u8) -> Result<(&[u8], &[u8]), KeyError> {
    let [found, first, rest @ ..] = input else {
        return Err(TRUNCATED);
    };
    if *found != tag {
        return Err(TRUNCATED);
    }
    let (len, rest) = match *first {
        short @ 0..=0x7f => (usize::from(short), rest),
        0x81 => match rest {
            [len, rest @ ..] if *len >= 0x80 => (usize::from(*len), rest),
            _ => return Err(TRUNCATED),
        },
        0x82 => match rest {
            [hi, lo, rest @ ..] if *hi != 0 => (usize::from(*hi) << 8 | usize::from(*lo), rest),
            _ => return Err(TRUNCATED),
        },
        // Longer than 64 KiB: no public key is.
        _ => return Err(TRUNCATED),
    };
    if rest.len() < len {
        return Err(TRUNCATED);
    }
    Ok(rest.split_at(len))
}

/// The PKCS#1 `RSAPublicKey` inside a DER `SubjectPublicKeyInfo`.
pub(super) fn rsa_key_of_spki(spki: &[u8]) -> Result<&[u8], KeyError> {
    let (info, trailing) = element(spki, SEQUENCE)?;
    if !trailing.is_empty() {
        return Err(TRUNCATED);
    }
    let (algorithm, info) = element(info, SEQUENCE)?;
    let (oid, parameters) = element(algorithm, OBJECT_IDENTIFIER)?;
    if oid != RSA_ENCRYPTION {
        return Err(KeyError(
            "the key is not an RSA key (only RS256 is accepted)",
        ));
    }
    if !(parameters.is_empty() || parameters == [NULL, 0]) {
        return Err(TRUNCATED);
    }
    let (bits, trailing) = element(info, BIT_STRING)?;
    match bits {
        [0, key @ ..] if trailing.is_empty() => Ok(key),
        _ => Err(TRUNCATED),
    }
}

/// `n` and `e` (big-endian, unsigned) of a PKCS#1 `RSAPublicKey`.
pub(super) fn rsa_components(pkcs1: &[u8]) -> Result<(&[u8], &[u8]), KeyError> {
    let (key, trailing) = element(pkcs1, SEQUENCE)?;
    let (n, rest) = element(key, INTEGER)?;
    let (e, rest) = element(rest, INTEGER)?;
    if !trailing.is_empty() || !rest.is_empty() {
        return Err(TRUNCATED);
    }
    Ok((unsigned(n), unsigned(e)))
}

/// A non-negative DER INTEGER without the zero byte that keeps its top bit clear.
fn unsigned(integer: &[u8]) -> &[u8] {
    match integer {
        [0, rest @ ..] if !rest.is_empty() => rest,
        other => other,
    }
}

/// A DER `RSAPublicKey` for the unsigned big-endian `n` and `e`.
pub(super) fn rsa_public_key(n: &[u8], e: &[u8]) -> Vec<u8> {
    let mut body = Vec::with_capacity(n.len() + e.len() + 16);
    push_integer(&mut body, n);
    push_integer(&mut body, e);
    let mut der = Vec::with_capacity(body.len() + 4);
    push_header(&mut der, SEQUENCE, body.len());
    der.extend_from_slice(&body);
    der
}

fn push_integer(out: &mut Vec<u8>, unsigned: &[u8]) {
    let start = unsigned
        .iter()
        .position(|&b| b != 0)
        .unwrap_or(unsigned.len());
    let digits = &unsigned[start..];
    // A set top bit would read as negative: DER puts a zero byte in front.
    let pad = digits.first().is_none_or(|&b| b & 0x80 != 0);
    push_header(out, INTEGER, digits.len() + usize::from(pad));
    if pad {
        out.push(0);
    }
    out.extend_from_slice(digits);
}

fn push_header(out: &mut Vec<u8>, tag: u8, len: usize) {
    out.push(tag);
    match len {
        0..=0x7f => out.push(len as u8),
        0x80..=0xff => out.extend_from_slice(&[0x81, len as u8]),
        _ => out.extend_from_slice(&[0x82, (len >> 8) as u8, len as u8]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_round_trip_through_the_encoder() {
        let n = [0xc5; 256];
        let der = rsa_public_key(&n, &[1, 0, 1]);
        assert_eq!(&der[..4], &[SEQUENCE, 0x82, 0x01, 0x0a]);
        assert_eq!(rsa_components(&der).unwrap(), (&n[..], &[1u8, 0, 1][..]));
    }

    #[test]
    fn non_minimal_or_truncated_lengths_are_refused() {
        assert!(element(&[INTEGER, 0x81, 0x05, 1, 2, 3, 4, 5], INTEGER).is_err());
        assert!(element(&[INTEGER, 0x82, 0x00, 0x05, 1, 2, 3, 4, 5], INTEGER).is_err());
        assert!(element(&[INTEGER, 0x03, 1, 2], INTEGER).is_err());
        assert!(element(&[INTEGER, 0x02, 1, 2], INTEGER).is_ok());
    }
}
