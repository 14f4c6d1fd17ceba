use jsonwebtoken::{decode, Algorithm, DecodingKey, Validation};
use serde::Deserialize;

/// Verifies bearer tokens an external identity provider signed (RS256).
pub struct IdpVerifier {
    key: DecodingKey,
    validation: Validation,
}

#[derive(Debug, Clone, Deserialize)]
pub struct IdpClaims {
    pub sub: String,
    #[serde(default)]
    pub email: Option<String>,
}

impl IdpVerifier {
    pub fn new(public_key_pem: &str, audience: Option<&str>) -> Result<Self, String> {
        let key = DecodingKey::from_rsa_pem(public_key_pem.as_bytes())
            .map_err(|error| format!("AUTH_JWT_PUBLIC_KEY: not an RSA public key in PEM form ({error})"))?;
        let mut validation = Validation::new(Algorithm::RS256);
        validation.leeway = 30;
        validation.set_required_spec_claims(&["exp", "sub"]);
        match audience {
            Some(audience) => validation.set_audience(&[audience]),
            None => validation.validate_aud = false,
        }
        Ok(IdpVerifier { key, validation })
    }

    pub fn verify(&self, token: &str) -> Option<IdpClaims> {
        decode::<IdpClaims>(token, &self.key, &self.validation)
            .ok()
            .map(|data| data.claims)
    }
}
