use argon2::password_hash::rand_core::{OsRng, RngCore};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::server::secret::Secret;

/// A new random key: 48 bytes, URL-safe base64 (64 characters).
pub fn generate() -> String {
    let mut bytes = [0u8; 48];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database keeps of a key: HMAC-SHA256 keyed with `SECRET_KEY`, hex.
pub fn hash(secret_key: &Secret, key: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret_key.expose().as_bytes()).expect("HMAC takes any key length");
    mac.update(key.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_long_random_and_hash_stably() {
        let key = generate();
        assert_eq!(key.len(), 64);
        assert_ne!(key, generate());
        let secret = Secret::new("k".repeat(32));
        assert_eq!(hash(&secret, &key), hash(&secret, &key));
        assert_ne!(hash(&secret, &key), hash(&Secret::new("j".repeat(32)), &key));
        assert_eq!(hash(&secret, &key).len(), 64);
    }
}
