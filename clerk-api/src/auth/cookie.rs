//! The session cookie's name for one instance: `__session_<suffix>`, where the suffix is
//! the first 8 characters of the URL-safe base64 of the SHA-1 of the publishable key.
//! Clerk's frontend sets it beside `__session` so two Clerk apps can share a domain.

use base64::engine::general_purpose::URL_SAFE;
use base64::Engine as _;

/// The cookie Clerk's frontend SDKs keep the session token in.
pub const SESSION_COOKIE: &str = "__session";

/// The cookie suffix of the instance with this publishable key (`pk_live_...` or
/// `pk_test_...`).
///
/// ```
/// assert_eq!(clerk_api::auth::cookie_suffix("pk_test_Y2xlcmsuY2xlcmsuZGV2JA"), "QvfNY2dr");
/// ```
pub fn cookie_suffix(publishable_key: &str) -> String {
    let digest = sha1(publishable_key.trim().as_bytes());
    let mut suffix = URL_SAFE.encode(digest);
    suffix.truncate(8);
    suffix
}

/// The instance's own session cookie name, `__session_<suffix>`.
pub(super) fn suffixed_session_cookie(publishable_key: &str) -> String {
    format!("{SESSION_COOKIE}_{}", cookie_suffix(publishable_key))
}

/// SHA-1 (FIPS 180-4), used only to name the cookie as Clerk does: nothing secret
/// depends on it. graviola, the crate's hash provider, has no SHA-1.
fn sha1(message: &[u8]) -> [u8; 20] {
    let mut state: [u32; 5] = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    let mut padded = message.to_vec();
    padded.push(0x80);
    while padded.len() % 64 != 56 {
        padded.push(0);
    }
    padded.extend_from_slice(&(message.len() as u64).wrapping_mul(8).to_be_bytes());
    for block in padded.chunks_exact(64) {
        let mut w = [0u32; 80];
        for (i, word) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = state;
        for (i, word) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let next = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*word);
            (e, d, c, b, a) = (d, c, b.rotate_left(30), a, next);
        }
        for (s, v) in state.iter_mut().zip([a, b, c, d, e]) {
            *s = s.wrapping_add(v);
        }
    }
    let mut out = [0u8; 20];
    for (chunk, word) in out.chunks_exact_mut(4).zip(state) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn sha1_matches_the_standard_vectors() {
        assert_eq!(hex(&sha1(b"")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(
            hex(&sha1(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            hex(&sha1(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
        );
        assert_eq!(
            hex(&sha1(&[b'a'; 1_000_000])),
            "34aa973cd4c4daa4f61eeb2bdbad27316534016f"
        );
    }

    #[test]
    fn suffixes_are_those_clerk_computes() {
        // Publishable keys and suffixes as Clerk's JavaScript SDK documents them.
        assert_eq!(
            cookie_suffix("pk_live_ZmFrZS1jbGVyay10ZXN0LmNsZXJrLmFjY291bnRzLmRldiQ="),
            "qReyu04C"
        );
        assert_eq!(cookie_suffix("pk_test_Y2xlcmsuY2xlcmsuZGV2JA"), "QvfNY2dr");
        // URL-safe: `-` and `_`, never `+` or `/`.
        assert_eq!(
            cookie_suffix("pk_test_ZW5vdWdoLWFscGFjYS04Mi5jbGVyay5hY2NvdW50cy5sY2xjbGVyay5jb20k"),
            "jtYvyt_H"
        );
        assert_eq!(
            cookie_suffix("pk_test_eHh4eHh4LXhhYWFhYS1hYS5jbGVyay5hY2NvdW50cy5sY2xjbGVyay5jb20k"),
            "tZJdb-5s"
        );
    }
}
