//! Identifiers as Clerk makes them: a type prefix, `_`, then 27 base-62 characters
//! (`user_2abc...`), and the hex trace id of each error answer.

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A fresh id with `prefix` (`user`, `org`, `orgmem`, ...).
pub(crate) fn new_id(prefix: &str) -> String {
    let mut id = String::with_capacity(prefix.len() + 28);
    id.push_str(prefix);
    id.push('_');
    id.extend((0..27).map(|_| char::from(BASE62[fastrand::usize(..BASE62.len())])));
    id
}

/// A `clerk_trace_id`: 32 hex digits.
pub(crate) fn trace_id() -> String {
    format!("{:032x}", fastrand::u128(..))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_carry_their_prefix_and_27_base62_characters() {
        let id = new_id("orgmem");
        let rest = id.strip_prefix("orgmem_").unwrap();
        assert_eq!(rest.len(), 27);
        assert!(rest.bytes().all(|b| BASE62.contains(&b)));
        assert_ne!(new_id("user"), new_id("user"));
        assert_eq!(trace_id().len(), 32);
    }
}
