//! HS256 JSON Web Tokens derived from a secret (Supabase's `ANON_KEY` and `SERVICE_ROLE_KEY`
//! are signed with `JWT_SECRET`): checking that a token still matches its source, and making
//! a new one after the source changes. Messages never contain the token or the secret.

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

fn mac(secret: &str) -> Hmac<Sha256> {
    // HMAC takes keys of any length; this cannot fail.
    Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap_or_else(|_| unreachable!())
}

/// Checks that `token` is an HS256 JWT signed with `secret`, carrying `claims`, and not
/// expired at `now`. The error says what is wrong, in words.
pub fn verify(
    token: &str,
    secret: &str,
    claims: &BTreeMap<String, String>,
    now: jiff::Timestamp,
) -> Result<(), String> {
    let parts: Vec<&str> = token.trim().split('.').collect();
    let [header, payload, signature] = parts.as_slice() else {
        return Err("it is not a JSON Web Token".into());
    };
    let decode = |p: &str| {
        URL_SAFE_NO_PAD
            .decode(p.trim_end_matches('='))
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
    };
    let (Some(h), Some(body)) = (decode(header), decode(payload)) else {
        return Err("it is not a JSON Web Token".into());
    };
    if h["alg"] != "HS256" {
        return Err("it is not signed with HS256".into());
    }
    let Ok(sig) = URL_SAFE_NO_PAD.decode(signature.trim_end_matches('=')) else {
        return Err("its signature is not base64url".into());
    };
    let mut m = mac(secret);
    m.update(format!("{header}.{payload}").as_bytes());
    if m.verify_slice(&sig).is_err() {
        return Err("its signature does not verify".into());
    }
    for (claim, want) in claims {
        if body[claim.as_str()].as_str() != Some(want.as_str()) {
            return Err(format!("its {claim} claim is not {want:?}"));
        }
    }
    if let Some(exp) = body["exp"].as_i64()
        && exp <= now.as_second()
    {
        return Err("it has expired".into());
    }
    Ok(())
}

/// A new HS256 JWT with `claims`, issued at `now` and valid for `lifetime_days`.
pub fn sign(
    secret: &str,
    claims: &BTreeMap<String, String>,
    now: jiff::Timestamp,
    lifetime_days: u32,
) -> String {
    let mut body = serde_json::Map::new();
    for (k, v) in claims {
        body.insert(k.clone(), serde_json::Value::String(v.clone()));
    }
    let iat = now.as_second();
    body.insert("iat".into(), iat.into());
    body.insert(
        "exp".into(),
        (iat + i64::from(lifetime_days) * 86_400).into(),
    );
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::Value::Object(body).to_string());
    let mut m = mac(secret);
    m.update(format!("{header}.{payload}").as_bytes());
    let sig = URL_SAFE_NO_PAD.encode(m.finalize().into_bytes());
    format!("{header}.{payload}.{sig}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(role: &str) -> BTreeMap<String, String> {
        BTreeMap::from([
            ("role".to_string(), role.to_string()),
            ("iss".to_string(), "supabase".to_string()),
        ])
    }

    #[test]
    fn signed_tokens_verify_and_others_do_not() {
        let now = jiff::Timestamp::from_second(1_700_000_000).unwrap();
        let t = sign(
            "s3cret-s3cret-s3cret-s3cret-s3cret",
            &claims("anon"),
            now,
            10,
        );
        assert_eq!(
            verify(
                &t,
                "s3cret-s3cret-s3cret-s3cret-s3cret",
                &claims("anon"),
                now
            ),
            Ok(())
        );
        assert!(
            verify(&t, "other", &claims("anon"), now)
                .unwrap_err()
                .contains("signature")
        );
        assert!(
            verify(
                &t,
                "s3cret-s3cret-s3cret-s3cret-s3cret",
                &claims("service_role"),
                now
            )
            .unwrap_err()
            .contains("role")
        );
        let later = jiff::Timestamp::from_second(1_700_000_000 + 11 * 86_400).unwrap();
        assert!(
            verify(
                &t,
                "s3cret-s3cret-s3cret-s3cret-s3cret",
                &claims("anon"),
                later
            )
            .unwrap_err()
            .contains("expired")
        );
        assert!(verify("not-a-token", "x", &claims("anon"), now).is_err());
    }

    #[test]
    fn the_supabase_demo_key_verifies_with_its_demo_secret() {
        // The public pair from Supabase's self-hosting template.
        let secret = "your-super-secret-jwt-token-with-at-least-32-characters-long";
        let anon = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyAgCiAgICAicm9sZSI6ICJhbm9uIiwKICAgICJpc3MiOiAic3VwYWJhc2UtZGVtbyIsCiAgICAiaWF0IjogMTY0MTc2OTIwMCwKICAgICJleHAiOiAxNzk5NTM1NjAwCn0.dc_X5iR_VP_qT0zsiyj_I_OZ2T9FtRU2BBNWN8Bu4GE";
        let now = jiff::Timestamp::from_second(1_700_000_000).unwrap();
        let role = BTreeMap::from([("role".to_string(), "anon".to_string())]);
        assert_eq!(verify(anon, secret, &role, now), Ok(()));
    }
}
