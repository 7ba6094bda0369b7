use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::domain::Role;
use crate::error::ApiError;

const ISSUER: &str = "cadre-records";
const AUDIENCE: &str = "cadre-records";

/// What an access token says about its bearer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The user id.
    pub sub: String,
    /// The username.
    pub name: String,
    /// The role when the token was issued.
    pub role: Role,
    /// The user's home unit.
    pub unit_id: Option<i64>,
    /// The user's record version when the token was issued.
    pub ver: i32,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
}

/// The HS256 keys and token lifetime.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    ttl_seconds: i64,
}

impl TokenKeys {
    /// Keys from the configured secret.
    pub fn new(secret: &[u8], ttl_seconds: i64) -> Self {
        TokenKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            ttl_seconds,
        }
    }

    /// How long an issued token lives.
    pub fn ttl_seconds(&self) -> i64 {
        self.ttl_seconds
    }

    /// Signs a token for this user.
    pub fn issue(
        &self,
        user_id: i64,
        username: &str,
        role: Role,
        unit_id: Option<i64>,
        version: i32,
    ) -> Result<String, ApiError> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: user_id.to_string(),
            name: username.to_owned(),
            role,
            unit_id,
            ver: version,
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            iat: now,
            exp: now + self.ttl_seconds,
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).map_err(ApiError::internal)
    }

    /// Checks a token's signature (HS256 only), expiry, issuer and audience.
    pub fn verify(&self, token: &str) -> Result<Claims, ApiError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.leeway = 30;
        decode::<Claims>(token, &self.decoding, &validation)
            .map(|data| data.claims)
            .map_err(|e| ApiError::Unauthorized(format!("the access token is not valid: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"a-test-secret-that-is-long-enough-for-hs256";

    fn sign(claims: serde_json::Value) -> String {
        encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(SECRET),
        )
        .expect("signed")
    }

    #[test]
    fn issued_tokens_verify_and_every_claim_is_required() {
        let keys = TokenKeys::new(SECRET, 3600);
        let token = keys.issue(7, "hr.pt", Role::Hr, Some(3), 2).expect("issued");
        let claims = keys.verify(&token).expect("valid");
        assert_eq!(
            (claims.sub.as_str(), claims.role, claims.unit_id, claims.ver),
            ("7", Role::Hr, Some(3), 2)
        );

        let now = chrono::Utc::now().timestamp();
        let full = serde_json::json!({"sub": "7", "name": "hr.pt", "role": "hr", "unit_id": 3, "ver": 2,
                                      "iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 60});
        assert!(keys.verify(&sign(full.clone())).is_ok());
        for missing in ["iss", "aud", "iat", "exp", "sub"] {
            let mut claims = full.clone();
            claims.as_object_mut().expect("object").remove(missing);
            assert!(keys.verify(&sign(claims)).is_err(), "a token without {missing} passed");
        }
        let mut wrong_issuer = full.clone();
        wrong_issuer["iss"] = "someone-else".into();
        assert!(keys.verify(&sign(wrong_issuer)).is_err());
        let hs512 = encode(&Header::new(Algorithm::HS512), &full, &EncodingKey::from_secret(SECRET)).expect("signed");
        assert!(keys.verify(&hs512).is_err(), "only HS256 is accepted");
    }
}
