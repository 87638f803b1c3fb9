//! What a value looks like, whatever its variable is called.
//!
//! The shape of a value a template or a compose default ships tells more than the name: a
//! `yes` under `ALLOW_EMPTY_PASSWORD` is a switch, `https://keys.openpgp.org` under
//! `*_KEYSERVER` is an address, and a 64-character hex sample under `SECRET_KEY` says the app
//! wants 32 random bytes in hex. This module only reads text; it knows no names and no rules.

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// Decoders that accept what real samples contain: padding or none, and non-zero trailing
/// bits (hand-made samples often end in an arbitrary character).
const LENIENT: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_decode_allow_trailing_bits(true)
    .with_decode_padding_mode(DecodePaddingMode::Indifferent);
const STANDARD: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, LENIENT);
const URL_SAFE: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, LENIENT);

use crate::generate::Kind;

/// The recognisable form of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Empty or only whitespace.
    Empty,
    /// `true`, `false`, `yes`, `no`, `on`, `off` (any case).
    Bool,
    /// `0` or `1`: a switch or a number, depending on the name.
    Bit,
    /// An integer or decimal number.
    Number,
    /// `30s`, `15m`, `1h30m`, `7d`, `500ms`.
    Duration,
    /// `scheme://…`; `credentials` when it carries a password (`user:pass@`).
    Url {
        /// A non-empty password in the user information.
        credentials: bool,
    },
    /// `/run/secrets/x`, `./data`, `~/.ssh/id`.
    Path,
    /// `someone@example.com`.
    Email,
    /// `smtp.example.com`, `10.0.0.1`.
    Host,
    /// A lowercase UUID or one in capitals.
    Uuid,
    /// Hex digits of even length (at least 16), holding this many bytes.
    Hex(usize),
    /// `base64:` and base64: a Laravel application key.
    Laravel,
    /// Padded url-safe base64 of 32 bytes: a Fernet key.
    Fernet,
    /// Base64 (standard or url-safe) of this many bytes, at least 16.
    Base64(usize),
    /// A JSON Web Token: three base64url parts, the first a JSON header.
    Jwt,
    /// A JSON object or array (`{}` and `[]` count as empty).
    Json,
    /// A key its vendor publishes for browsers, public by design: a `PostHog` project key
    /// (`phc_…`), a Stripe publishable key (`pk_live_…`, `pk_test_…`), a Mapbox public token
    /// (`pk.eyJ…`).
    Publishable,
    /// Anything else.
    Text,
}

impl Shape {
    /// Whether a value of this shape is configuration whatever its name says. `0`/`1` is not:
    /// it is a switch under `ENABLE_*` but a (terrible) password under `DB_PASSWORD`.
    pub fn is_config(self) -> bool {
        matches!(
            self,
            Shape::Bool
                | Shape::Duration
                | Shape::Url { credentials: false }
                | Shape::Path
                | Shape::Email
                | Shape::Host
                | Shape::Publishable
        )
    }

    /// The kind a real-looking sample of this shape asks for (`None` when the shape says
    /// nothing about how to generate).
    pub fn kind(self) -> Option<Kind> {
        match self {
            Shape::Uuid => Some(Kind::Uuid),
            Shape::Hex(n) => Some(Kind::Hex(n)),
            Shape::Laravel => Some(Kind::Laravel),
            Shape::Fernet => Some(Kind::Fernet),
            Shape::Base64(n) => Some(Kind::Base64(n)),
            _ => None,
        }
    }
}

/// Whether a value is empty in effect: blank, an empty JSON object or array, or a word that
/// frameworks read as "not set" (Laravel's `env()` turns `null` into null).
pub fn is_blank(value: &str) -> bool {
    let v = value.trim();
    matches!(v, "" | "{}" | "[]")
        || ["null", "nil", "none", "undefined"]
            .iter()
            .any(|w| v.eq_ignore_ascii_case(w))
}

/// The shape of `value`.
pub fn of(value: &str) -> Shape {
    let v = value.trim();
    if is_blank(v) {
        return Shape::Empty;
    }
    let lower = v.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off"
    ) {
        return Shape::Bool;
    }
    if v == "0" || v == "1" {
        return Shape::Bit;
    }
    if is_number(v) {
        return Shape::Number;
    }
    if is_duration(&lower) {
        return Shape::Duration;
    }
    if let Some(url) = url_shape(v) {
        return url;
    }
    if is_uuid(v) {
        return Shape::Uuid;
    }
    if let Some(n) = hex_bytes(v) {
        return Shape::Hex(n);
    }
    if let Some(rest) = v.strip_prefix("base64:")
        && STANDARD.decode(rest).is_ok_and(|b| b.len() >= 16)
    {
        return Shape::Laravel;
    }
    if is_jwt(v) {
        return Shape::Jwt;
    }
    if is_publishable(v) {
        return Shape::Publishable;
    }
    if is_json_document(v) {
        return Shape::Json;
    }
    if let Some(shape) = base64_shape(v) {
        return shape;
    }
    if is_path(v) {
        return Shape::Path;
    }
    // A `mailto:` URI (web push's VAPID subject) is an address as much as the bare one.
    if is_email(v.strip_prefix("mailto:").unwrap_or(v)) {
        return Shape::Email;
    }
    if is_host(v) {
        return Shape::Host;
    }
    Shape::Text
}

/// A vendor's publishable key: its documented public prefix and a body of at least 16 key
/// characters (a `phc_xxx` stand-in is not one).
fn is_publishable(v: &str) -> bool {
    ["phc_", "pk_live_", "pk_test_", "pk.eyJ"]
        .iter()
        .find_map(|p| v.strip_prefix(p))
        .is_some_and(|body| {
            body.len() >= 16
                && body
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
                && !body.bytes().all(|b| b == body.as_bytes()[0])
        })
}

/// A JSON object or array that parses: brackets alone are not enough, since templates wrap
/// their stand-ins in them (`[generate with openssl rand -base64 36]`, `[random secret]`),
/// and a stand-in taken for a JSON blob made a self-made secret a provider's.
fn is_json_document(v: &str) -> bool {
    ((v.starts_with('{') && v.ends_with('}')) || (v.starts_with('[') && v.ends_with(']')))
        && serde_json::from_str::<serde::de::IgnoredAny>(v).is_ok()
}

fn is_number(v: &str) -> bool {
    let digits = v.strip_prefix('-').unwrap_or(v);
    let mut parts = digits.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    // Long digit strings are identifiers or keys, not quantities.
    !int.is_empty()
        && int.len() <= 12
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

fn is_duration(lower: &str) -> bool {
    let mut rest = lower;
    let mut parts = 0;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return false;
        }
        rest = &rest[digits..];
        let unit = ["ms", "us", "ns", "s", "m", "h", "d", "w", "y"]
            .iter()
            .find(|u| rest.starts_with(*u));
        match unit {
            Some(u) => rest = &rest[u.len()..],
            None => return false,
        }
        parts += 1;
    }
    parts > 0
}

/// The scheme of a `scheme://…` value, read through a JDBC prefix: Java apps name their
/// database `jdbc:postgresql://db:5432/app`, which is a `postgresql` URL to `db` like any
/// other (its host and credentials sit where a plain URL's do).
pub fn url_scheme(v: &str) -> Option<&str> {
    let (scheme, _) = v.split_once("://")?;
    Some(match scheme.get(..5) {
        Some(prefix) if prefix.eq_ignore_ascii_case("jdbc:") => &scheme[5..],
        _ => scheme,
    })
}

/// `scheme://…` (the scheme letters, digits, `+ - .`, after a `jdbc:` prefix), with or
/// without a password.
fn url_shape(v: &str) -> Option<Shape> {
    let scheme = url_scheme(v)?;
    let scheme_ok = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok || v.contains(char::is_whitespace) {
        return None;
    }
    Some(Shape::Url {
        credentials: url_password_span(v).is_some_and(|r| !r.is_empty()),
    })
}

/// The part of a URI a position sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UriPart {
    /// `user:password@`.
    UserInfo,
    /// The host and port.
    Host,
    /// The end of the authority, after host text (`http://${HOST}${SUFFIX}/`): the value
    /// may add a port or begin the path (`/grafana`).
    HostEnd,
    /// The path.
    Path,
    /// After `?`.
    Query,
    /// After `#`.
    Fragment,
}

impl UriPart {
    /// The characters a value placed here must not contain unencoded.
    pub fn breaking(self) -> &'static [char] {
        match self {
            UriPart::UserInfo => &['@', ':', '/', '?', '#', '[', ']', '%', ' '],
            UriPart::Host => &['@', '/', '?', '#', '[', ']', '%', ' '],
            UriPart::HostEnd => &['@', '%', ' '],
            UriPart::Path => &['?', '#', '%', ' '],
            UriPart::Query => &['#', '%', ' ', '&'],
            UriPart::Fragment => &['%', ' '],
        }
    }
}

/// Which part of a `scheme://…` URI byte `offset` of `text` sits in (the URI being the run of
/// non-space characters around it), or `None` outside any URI. `${…}` expressions count as
/// opaque, so `postgres://${USER}:${PW}@${HOST}/db` places each where it belongs.
pub fn uri_part(text: &str, offset: usize) -> Option<UriPart> {
    uri_parts_all(text, &[offset])[0]
}

/// [`uri_part`] for each of `offsets` (any order), in one pass over `text`: linear however
/// many references a long value holds.
pub fn uri_parts_all(text: &str, offsets: &[usize]) -> Vec<Option<UriPart>> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut out = vec![None; offsets.len()];
    let bytes = text.as_bytes();
    let is_break = |b: u8| b.is_ascii_whitespace() || b == b'"' || b == b'\'';
    let mut next = 0;
    let mut start = 0;
    while start <= bytes.len() && next < order.len() {
        let end = bytes[start..]
            .iter()
            .position(|&b| is_break(b))
            .map_or(bytes.len(), |i| start + i);
        let first = next;
        while next < order.len() && offsets[order[next]].min(bytes.len()) < end.max(start + 1) {
            next += 1;
        }
        if next > first
            && let Some(token) = text.get(start..end)
            && let Some(layout) = Layout::of(token)
        {
            for &i in &order[first..next] {
                out[i] = layout.part(offsets[i].saturating_sub(start));
            }
        }
        start = end + 1;
    }
    out
}

/// Where the parts of one URI token begin and end, with `${…}` expressions opaque.
struct Layout {
    authority_start: usize,
    authority_end: usize,
    at_sign: Option<usize>,
    query: Option<usize>,
    fragment: Option<usize>,
    /// Where each top-level `${…}` starts and ends (exclusive).
    exprs: Vec<(usize, usize)>,
}

impl Layout {
    fn of(token: &str) -> Option<Layout> {
        let scheme_end = token.find("://")?;
        let bytes = token.as_bytes();
        // Delimiters inside `${…}` do not count.
        let mut depth = 0usize;
        let mut plain = Vec::with_capacity(bytes.len());
        let mut exprs = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'$' && bytes.get(i + 1) == Some(&b'{') {
                if depth == 0 {
                    exprs.push((i, bytes.len()));
                }
                depth += 1;
                plain.extend_from_slice(b"xx");
                i += 2;
                continue;
            }
            if depth > 0 {
                if bytes[i] == b'}' {
                    depth -= 1;
                    if depth == 0
                        && let Some(last) = exprs.last_mut()
                    {
                        last.1 = i + 1;
                    }
                }
                plain.push(b'x');
            } else {
                plain.push(bytes[i]);
            }
            i += 1;
        }
        let authority_start = scheme_end + 3;
        let find = |from: usize, set: &[u8]| {
            plain
                .get(from..)?
                .iter()
                .position(|b| set.contains(b))
                .map(|p| from + p)
        };
        let authority_end = find(authority_start, b"/?#").unwrap_or(plain.len());
        let at_sign = plain
            .get(authority_start..authority_end)
            .and_then(|a| a.iter().rposition(|&b| b == b'@'))
            .map(|p| authority_start + p);
        let query = find(authority_end, b"?");
        let fragment = find(authority_end, b"#");
        Some(Layout {
            authority_start,
            authority_end,
            at_sign,
            query,
            fragment,
            exprs,
        })
    }

    fn part(&self, at: usize) -> Option<UriPart> {
        if at < self.authority_start {
            return None;
        }
        if at < self.authority_end {
            let host_start = self.at_sign.map_or(self.authority_start, |a| a + 1);
            // An expression that closes the authority after some host text may carry the
            // port or open the path itself.
            let closes_authority = at > host_start
                && self
                    .exprs
                    .iter()
                    .any(|&(start, end)| start == at && end == self.authority_end);
            return Some(match self.at_sign {
                Some(a) if at < a => UriPart::UserInfo,
                _ if closes_authority => UriPart::HostEnd,
                _ => UriPart::Host,
            });
        }
        Some(match (self.query, self.fragment) {
            (_, Some(f)) if at > f => UriPart::Fragment,
            (Some(q), _) if at > q => UriPart::Query,
            _ => UriPart::Path,
        })
    }
}

/// The byte range of the password in `scheme://user:password@host…`, when there is one.
pub fn url_password_span(url: &str) -> Option<std::ops::Range<usize>> {
    let start = url.find("://")? + 3;
    let authority_len = url[start..]
        .find(['/', '?', '#'])
        .unwrap_or(url.len() - start);
    let authority = &url[start..start + authority_len];
    let at = authority.rfind('@')?;
    let colon = authority[..at].find(':')?;
    Some(start + colon + 1..start + at)
}

fn is_uuid(v: &str) -> bool {
    v.len() == 36
        && v.char_indices().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

/// Bytes held by an even run of at least 16 hex digits with both letters and digits in one
/// case (random hex has both; a long number or a word does not).
fn hex_bytes(v: &str) -> Option<usize> {
    let ok = v.len() >= 16
        && v.len().is_multiple_of(2)
        && v.bytes().all(|b| b.is_ascii_hexdigit())
        && v.bytes().any(|b| b.is_ascii_digit())
        && v.bytes().any(|b| b.is_ascii_alphabetic())
        && (v.bytes().all(|b| !b.is_ascii_uppercase())
            || v.bytes().all(|b| !b.is_ascii_lowercase()));
    ok.then_some(v.len() / 2)
}

fn is_jwt(v: &str) -> bool {
    let parts: Vec<&str> = v.split('.').collect();
    parts.len() == 3
        && parts[0].starts_with("eyJ")
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
        })
}

/// Base64 of at least 16 bytes that mixes cases and digits (a word in letters is not key
/// material, however it decodes).
fn base64_shape(v: &str) -> Option<Shape> {
    if v.len() < 22 {
        return None;
    }
    let mixed = v.bytes().any(|b| b.is_ascii_uppercase())
        && v.bytes().any(|b| b.is_ascii_lowercase())
        && v.bytes().any(|b| b.is_ascii_digit());
    if !mixed {
        return None;
    }
    let url_safe = v.contains(['-', '_']);
    if url_safe {
        if v.len() == 44 && v.ends_with('=') && URL_SAFE.decode(v).is_ok_and(|b| b.len() == 32) {
            return Some(Shape::Fernet);
        }
        let bytes = URL_SAFE.decode(v).ok()?.len();
        return (bytes >= 16).then_some(Shape::Base64(bytes));
    }
    let bytes = STANDARD.decode(v).ok()?.len();
    (bytes >= 16).then_some(Shape::Base64(bytes))
}

fn is_path(v: &str) -> bool {
    (v.starts_with('/')
        || v.starts_with("./")
        || v.starts_with("../")
        || v.starts_with("~/")
        || parameter_rooted(v))
        && !v.contains(char::is_whitespace)
        && v.len() > 1
}

/// A path under a framework parameter: Symfony's `%kernel.project_dir%/config/jwt/private.pem`
/// (Mbin's `OAUTH_PRIVATE_KEY` is where the key file is, not the key).
fn parameter_rooted(v: &str) -> bool {
    v.strip_prefix('%')
        .and_then(|rest| rest.split_once('%'))
        .is_some_and(|(name, after)| {
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.'))
                && after.starts_with('/')
        })
}

fn is_email(v: &str) -> bool {
    let Some((user, domain)) = v.split_once('@') else {
        return false;
    };
    !user.is_empty()
        && !v.contains(char::is_whitespace)
        && !user.contains(['/', ':'])
        && domain.contains('.')
        && is_host(domain)
}

/// A dotted host name in lower case whose last label is letters (`smtp.gmail.com`), or an
/// IPv4 address.
fn is_host(v: &str) -> bool {
    let v = v.split_once(':').map_or(v, |(h, port)| {
        if port.bytes().all(|b| b.is_ascii_digit()) && !port.is_empty() {
            h
        } else {
            v
        }
    });
    let labels: Vec<&str> = v.split('.').collect();
    if labels.len() == 4 && labels.iter().all(|l| l.parse::<u8>().is_ok()) {
        return true;
    }
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
        && labels.last().is_some_and(|l| {
            (2..=12).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_lowercase())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vendors_publishable_key_is_public_by_design_and_its_stand_in_is_not_one() {
        for v in [
            "phc_hmVSxIjTW1REBHXgj2aw4HW9X6CXb6FzerBgP9XenC7",
            "pk_test_51H8xQ2Lk9Jd7Vb3Nm8Rt5Yp1Zs6Hc0Gf",
            "pk.eyJ1IjoiZXhhbXBsZSIsImEiOiJjazEyMyJ9.abcDEF123",
        ] {
            assert_eq!(of(v), Shape::Publishable, "{v}");
            assert!(of(v).is_config());
        }
        for v in [
            "phc_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "phc_short",
            "sk_live_51H8xQ2Lk9Jd7Vb3Nm8Rt5Yp1Zs6Hc0Gf",
        ] {
            assert_ne!(of(v), Shape::Publishable, "{v}");
        }
    }

    #[test]
    fn shapes_of_config_values() {
        for (v, want) in [
            ("yes", Shape::Bool),
            ("FALSE", Shape::Bool),
            ("1", Shape::Bit),
            ("8080", Shape::Number),
            ("0.5", Shape::Number),
            ("30s", Shape::Duration),
            ("1h30m", Shape::Duration),
            (
                "https://keys.openpgp.org",
                Shape::Url { credentials: false },
            ),
            (
                "postgres://u:pw@db:5432/x",
                Shape::Url { credentials: true },
            ),
            ("redis://:pw@redis:6379", Shape::Url { credentials: true }),
            ("postgres://u@db/x", Shape::Url { credentials: false }),
            (
                "jdbc:postgresql://db:5432/x",
                Shape::Url { credentials: false },
            ),
            (
                "jdbc:mysql://app:pw@db:3306/x",
                Shape::Url { credentials: true },
            ),
            ("/run/secrets/db_password", Shape::Path),
            ("./data", Shape::Path),
            ("%kernel.project_dir%/config/jwt/private.pem", Shape::Path),
            ("admin@example.com", Shape::Email),
            ("mailto:support@oneuptime.com", Shape::Email),
            ("smtp.gmail.com", Shape::Host),
            ("10.0.0.1", Shape::Host),
            ("", Shape::Empty),
        ] {
            assert_eq!(of(v), want, "{v}");
        }
        for v in ["yes", "30s", "/run/x", "a@b.io", "https://x.io"] {
            assert!(of(v).is_config(), "{v}");
        }
        for v in ["1", "changeme", "postgres", "postgres://u:p@h/x"] {
            assert!(!of(v).is_config(), "{v}");
        }
    }

    #[test]
    fn shapes_of_key_material() {
        let hex64 = "3f9a1c7e5b2d8f4a6c0e9b1d3f5a7c9e2b4d6f8a0c1e3f5a7b9d2c4e6f8a0b1c";
        assert_eq!(of(hex64), Shape::Hex(32));
        assert_eq!(of("6c1fe4e407b8911c104518103505b218"), Shape::Hex(16));
        assert_eq!(
            of("base64:q7Zr3kW1pX9vB2nM5tY8cF4hJ6gD0sA3eL7uI1oK9wR="),
            Shape::Laravel
        );
        assert_eq!(
            of("q7Zr3kW1pX9vB2nM5tY8cF4hJ6gD0sA3eL7uI1oK9wR="),
            Shape::Base64(32)
        );
        assert_eq!(
            of("q7Zr3kW1pX9vB2nM5tY8cF4hJ6gD0sA3eL7uI1o-9wR="),
            Shape::Fernet
        );
        assert_eq!(of("1b4e28ba-2fa1-41d2-883f-0016d3cca427"), Shape::Uuid);
        assert_eq!(
            of("eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.abc_DEF-123"),
            Shape::Jwt
        );
        assert_eq!(of("12345678901234567890"), Shape::Text, "not a quantity");
        assert_eq!(of("dead0beef1dead2b").kind(), Some(Kind::Hex(8)));
        assert_eq!(of("changeme").kind(), None);
    }

    #[test]
    fn an_expression_closing_the_authority_may_open_the_path() {
        let t = "http://${DOMAIN}${SUBPATH}/";
        assert_eq!(
            uri_part(t, t.find("${DOMAIN}").unwrap()),
            Some(UriPart::Host)
        );
        let at = t.find("${SUBPATH}").unwrap();
        assert_eq!(uri_part(t, at), Some(UriPart::HostEnd));
        assert!(!UriPart::HostEnd.breaking().contains(&'/'));
        assert!(UriPart::HostEnd.breaking().contains(&'@'));
        // Alone in the authority, the expression is the host: a path there breaks the URL.
        assert_eq!(uri_part("http://${SUBPATH}/", 7), Some(UriPart::Host));
    }

    #[test]
    fn uri_parts() {
        let t = "postgresql://${USER}:${PW}@${HOST}/${DB}?sslmode=${MODE}";
        let part = |name: &str| uri_part(t, t.find(name).unwrap());
        assert_eq!(part("${USER}"), Some(UriPart::UserInfo));
        assert_eq!(part("${PW}"), Some(UriPart::UserInfo));
        assert_eq!(part("${HOST}"), Some(UriPart::Host));
        assert_eq!(part("${DB}"), Some(UriPart::Path));
        assert_eq!(part("${MODE}"), Some(UriPart::Query));
        assert_eq!(uri_part("plain ${X}", 6), None);
        assert!(!UriPart::Host.breaking().contains(&':'));
        let long = format!("scheme://{}@h/", "${A}".repeat(20_000));
        let offsets: Vec<usize> = (0..20_000).map(|i| 9 + 4 * i).collect();
        let parts = uri_parts_all(&long, &offsets);
        assert!(parts.iter().all(|p| *p == Some(UriPart::UserInfo)));
    }

    #[test]
    fn password_span() {
        let u = "postgres://app:s3cret@db:5432/app";
        assert_eq!(&u[url_password_span(u).unwrap()], "s3cret");
        assert_eq!(url_password_span("postgres://app@db/x"), None);
        let odd = "http://u:p@ss@host/x";
        assert_eq!(&odd[url_password_span(odd).unwrap()], "p@ss");
    }
}
