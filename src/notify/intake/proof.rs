//! How a client knows it talks to Baton before it hands over the token: a challenge on the health
//! endpoint.
//!
//! The client reads the token from its 0600 file, makes a fresh random challenge and asks
//! `GET /v1/health?challenge=HEX` without the token. Baton answers with
//! `proof = HMAC-SHA256(token, "baton-intake-proof/v1:" + ADDRESS + ":" + challenge)`, where ADDRESS is
//! the address the client connected to as the server sees it (`127.0.0.1:7429`). Only a program that
//! holds the token can compute it, so a program squatting on the port (another local user's, say) is
//! found out before it is sent anything but a random challenge; and since the proof names the address,
//! it cannot pass on the challenge to a real Baton listening elsewhere and relay that Baton's answer. The
//! prefix keeps the proofs useless as anything else; the challenge being fresh makes an old answer
//! useless too.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::Token;

/// What is signed before the address and the challenge.
const CONTEXT: &str = "baton-intake-proof/v1:";
/// Fewest and most bytes a challenge may have (as hex: twice as many digits).
pub const CHALLENGE_BYTES: std::ops::RangeInclusive<usize> = 16..=64;

/// The proof that whoever computed it holds `token`, for `challenge` (hex) sent to `addr`, as hex.
pub fn proof(token: &Token, addr: &str, challenge: &str) -> String {
    hex(&mac(token, addr, challenge).finalize().into_bytes())
}

/// Whether `proof` (hex, as the server sent it) is the one for `token`, `addr` and `challenge`,
/// compared in constant time.
pub fn verify(token: &Token, addr: &str, challenge: &str, proof: &str) -> bool {
    let Some(bytes) = unhex(proof) else {
        return false;
    };
    mac(token, addr, challenge).verify_slice(&bytes).is_ok()
}

/// A fresh random challenge, as hex.
pub fn challenge() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(hex(&bytes))
}

/// Whether `challenge` is one a server answers: hex of [`CHALLENGE_BYTES`] bytes.
pub fn is_valid_challenge(challenge: &str) -> bool {
    challenge.len().is_multiple_of(2)
        && CHALLENGE_BYTES.contains(&(challenge.len() / 2))
        && challenge.bytes().all(|b| b.is_ascii_hexdigit())
}

fn mac(token: &Token, addr: &str, challenge: &str) -> Hmac<Sha256> {
    // HMAC takes a key of any length.
    let mut mac = match Hmac::<Sha256>::new_from_slice(token.as_str().as_bytes()) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC accepts keys of every length"),
    };
    mac.update(CONTEXT.as_bytes());
    mac.update(addr.as_bytes());
    mac.update(b":");
    mac.update(challenge.to_ascii_lowercase().as_bytes());
    mac
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proof_holds_only_for_its_token_address_and_challenge() {
        let token = Token::generate().unwrap();
        let other = Token::generate().unwrap();
        let c = challenge().unwrap();
        assert!(is_valid_challenge(&c));
        let p = proof(&token, "127.0.0.1:7429", &c);
        assert_eq!(p.len(), 64);
        assert!(verify(&token, "127.0.0.1:7429", &c, &p));
        assert!(verify(&token, "127.0.0.1:7429", &c, &p.to_uppercase()));
        assert!(!verify(&other, "127.0.0.1:7429", &c, &p), "another token");
        assert!(
            !verify(&token, "127.0.0.1:7430", &c, &p),
            "relayed from another port"
        );
        assert!(
            !verify(&token, "127.0.0.1:7429", &challenge().unwrap(), &p),
            "an old answer"
        );
        assert!(!verify(&token, "127.0.0.1:7429", &c, ""));
        assert!(!verify(&token, "127.0.0.1:7429", &c, "zz"));
        assert!(!verify(&token, "127.0.0.1:7429", &c, &p[..62]));
        for bad in [
            "",
            "abc",
            "zz".repeat(16).as_str(),
            &"ab".repeat(15),
            &"ab".repeat(65),
        ] {
            assert!(!is_valid_challenge(bad), "{bad:?}");
        }
    }
}
