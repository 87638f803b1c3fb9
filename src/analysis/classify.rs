//! Deciding a variable's class and kind, and saying why.
//!
//! The sources, strongest first: the project's `envward.toml`; what the template declares
//! (`# envward:`, `@sensitive`, `@type`); the shape of the value the template or a compose
//! default ships (a boolean, a path or an address is configuration whatever the name says);
//! the images the variable feeds (`POSTGRES_PASSWORD` of `postgres`); the name. The kind
//! comes from the same ranks, where a generation recipe in a comment and the shape of a
//! real-looking sample outrank the image and the name.

use super::Class;
use super::declare::Declared;
use super::knowledge::{Knowledge, ValueRules, image_name};
use super::shape::{self, Shape};
use crate::config::VarConfig;
use crate::generate::Kind;

/// What decided a variable's class and kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Classification {
    /// The class.
    pub class: Class,
    /// The kind to generate (secrets) or check (externals with one).
    pub kind: Option<Kind>,
    /// Constraints from the images it feeds, merged.
    pub rules: ValueRules,
    /// Why, in words.
    pub why: String,
    /// Its value is a URL that carries a password: judged by that password.
    pub url_credentials: bool,
    /// templates/names.toml knows the name itself as an application's key (`SECRET_KEY`,
    /// `APP_KEY`), not only by a word in it.
    pub known_key: bool,
}

/// What classification reads about one variable.
pub struct Evidence<'a> {
    /// Its name.
    pub name: &'a str,
    /// `[vars.NAME]` of `envward.toml`.
    pub config: Option<&'a VarConfig>,
    /// What the template declares.
    pub declared: Option<&'a Declared>,
    /// The template's value (or the live file's, when the live file is the template).
    pub sample: Option<&'a str>,
    /// Values compose defaults give it.
    pub defaults: Vec<&'a str>,
    /// `(image, container variable)` pairs it feeds, for the images envward knows and every
    /// image that names it in `environment:`.
    pub feeds: &'a [(String, String)],
    /// Images envward does not know that load the live file whole, when this variable is
    /// in it (directly or as the source of an alias that is): they run it too, but only
    /// whether one of them is a provider's own image matters.
    pub whole_file_images: &'a [String],
    /// Words of the project's service and image names: an API key named after one of them
    /// is the project's own.
    pub own_words: &'a foldhash::HashSet<String>,
    /// Words of the project's service names alone: the compose author's own naming.
    pub service_words: &'a foldhash::HashSet<String>,
    /// Words of the names of the known servers the project runs (its own MinIO): their
    /// credentials are the project's to set, not a provider's.
    pub own_servers: &'a foldhash::HashSet<String>,
    /// The `<P>_CLIENT_ID` beside this `<P>_SECRET` (or `<P>_SECRET_KEY`), or the vendor's
    /// `<P>_API_KEY` beside its `<P>_API_SECRET`, `<P>_SHARED_SECRET` …, when the project has
    /// one: they are issued together, by whoever owns the id or key.
    pub client_id: Option<&'a str>,
}

/// Every word an image's name names, in upper case: each path component, and the component
/// without the short owner prefix or suffix a vendor's name takes (`goauthentik`,
/// `getsentry`, `plausiblehq`, `matrixdotorg`).
pub(crate) fn image_words(image: &str) -> Vec<String> {
    let lower = image.to_ascii_lowercase();
    let mut out = Vec::new();
    for part in lower.split(['/', ':', '@']).filter(|p| !p.is_empty()) {
        out.push(part.to_ascii_uppercase());
        for pre in ["go", "get"] {
            if let Some(w) = part.strip_prefix(pre).filter(|w| !w.is_empty()) {
                out.push(w.to_ascii_uppercase());
            }
        }
        for post in ["hq", "io", "dotorg", "org", "labs"] {
            if let Some(w) = part.strip_suffix(post).filter(|w| !w.is_empty()) {
                out.push(w.to_ascii_uppercase());
            }
        }
    }
    out
}

/// Whether an image reference is the provider `word` itself: one of its [`image_words`]
/// (`quay.io/keycloak/keycloak`, `getsentry/sentry`). A component that only mentions it
/// (`chat4all-telegram-connector`, a client of Telegram) is not the provider.
/// Whether the only services handed the variable run an image named `word` (`HyperDX`'s
/// `HYPERDX_API_KEY`, read by the hyperdx app alone, in a service called `app`): an API key
/// named after a vendor's product and read by that product alone is one the product issues
/// (in its UI), where a key shared with the services that call it (Supabase's Logflare
/// tokens), or named after a service the compose author named (`SANDBOX_API_KEY` beside a
/// `sandbox` service), is set at boot, the project's to make.
fn only_its_namesake_reads(e: &Evidence<'_>, word: &str) -> bool {
    !e.feeds.is_empty() && e.feeds.iter().all(|(image, _)| image_names(image, word))
}

fn image_names(image: &str, word: &str) -> bool {
    image_words(image)
        .iter()
        .any(|w| w.eq_ignore_ascii_case(word))
}

/// Provider words that name a protocol or a generic service rather than one vendor
/// (`SMTP`, `S3`, `LDAP` …): a comment or a fill-in marker naming them says no one issues it.
fn names_no_one(word: &str) -> bool {
    matches!(
        word,
        "SMTP"
            | "MAIL"
            | "EMAIL"
            | "S3"
            | "LDAP"
            | "OIDC"
            | "SAML"
            | "OPENID"
            | "RELAY"
            | "LLM"
            | "REGISTRY"
            | "MINIO"
            | "MATRIX"
            | "SPACES"
            | "BOX"
            | "HF"
            | "MS"
            | "PD"
            | "FB"
            | "B2"
            | "R2"
            | "OSS"
            | "COS"
            | "TOS"
    )
}

fn merge_rules(into: &mut ValueRules, from: &ValueRules) {
    into.min_length = into.min_length.max(from.min_length);
    into.max_length = match (into.max_length, from.max_length) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    if from.alphabet.is_some() {
        into.alphabet.clone_from(&from.alphabet);
    }
    if let Some(f) = &from.forbidden {
        into.forbidden = Some(format!("{}{f}", into.forbidden.clone().unwrap_or_default()));
    }
    if let Some(f) = &from.no_leading {
        into.no_leading = Some(format!(
            "{}{f}",
            into.no_leading.clone().unwrap_or_default()
        ));
    }
    for c in &from.require {
        if !into.require.contains(c) {
            into.require.push(*c);
        }
    }
    into.uri_safe |= from.uri_safe;
    into.initializes |= from.initializes;
    into.required |= from.required;
}

/// Why a secret a key-pair or certificate tool makes is external: not a provider's, but no
/// random value either. The report lists it among the values the user makes, not among
/// those a provider issues.
pub const MADE_WITH_KEY_PAIR_TOOL: &str =
    "the example file makes it with a key-pair or certificate tool";

/// The class and kind of one variable.
pub fn classify(k: &Knowledge, e: &Evidence<'_>) -> Classification {
    let mut rules = ValueRules::default();
    let mut from_image: Option<(Class, Option<Kind>, String)> = None;
    for (image, container_var) in e.feeds {
        if let Some(r) = k.image_var(image, container_var) {
            merge_rules(&mut rules, r);
            if from_image.is_none()
                && let Some(class) = r.class
            {
                from_image = Some((
                    class,
                    r.kind.as_deref().and_then(|s| s.parse().ok()),
                    if container_var.starts_with("--") {
                        // A password the command line hands the server (`--requirepass`).
                        format!(
                            "image {} takes it as {container_var} on its command line",
                            image_name(image)
                        )
                    } else {
                        format!("image {} reads it as {container_var}", image_name(image))
                    },
                ));
            }
        }
    }
    let name = k.name(e.name);
    let shapes: Vec<Shape> = e
        .sample
        .into_iter()
        .chain(e.defaults.iter().copied())
        .map(shape::of)
        .filter(|s| *s != Shape::Empty)
        .collect();
    let url_credentials = shapes.contains(&Shape::Url { credentials: true });
    // A `0`/`1` sample is a switch when the name is not a secret's (`ENABLE_…` is caught by
    // the name already; `MAIL_SSL=1` has no secret word).
    // A number is a setting unless the name ends in a secret word (`DB_PASSWORD=123456` is a
    // terrible password, `TOKEN_VALIDITY=86400` a duration).
    let ends_secret = super::knowledge::name_words(e.name)
        .last()
        .is_some_and(|w| k.is_secret_word(&w));
    // `KEY` alone is also an identifier's word (`LDAP_DEFAULT_ROLE_KEY = 20;`, a role
    // number): with a number for its sample and no other credential word, it is a setting.
    // Tested last to first, so most names stop at their last word.
    let key_setting = || {
        super::knowledge::name_words(e.name)
            .last()
            .is_some_and(|w| w == "KEY")
            && !super::knowledge::name_words(e.name).any(|w| {
                matches!(
                    &*w,
                    "SECRET" | "PASSWORD" | "TOKEN" | "PRIVATE" | "API" | "ACCESS" | "LICENSE"
                )
            })
            && e.sample
                .map(|s| s.trim().trim_end_matches(';'))
                .is_some_and(|s| matches!(shape::of(s), Shape::Number | Shape::Bit))
    };
    // Nor is a dotted word a host when the name ends in a password word: lowcoder ships
    // `LOWCODER_DB_ENCRYPTION_PASSWORD="lowcoder.org"` and a salt of the same, to be changed.
    let host_as_secret = ends_secret
        && super::knowledge::name_words(e.name)
            .last()
            .is_some_and(|w| {
                matches!(
                    &*w,
                    "PASSWORD"
                        | "PASS"
                        | "PWD"
                        | "PASSWD"
                        | "PASSPHRASE"
                        | "SECRET"
                        | "SALT"
                        | "PEPPER"
                )
            });
    // No secret is a negative number: refly's `QUOTA_T1_TOKEN=-1` is a quota, "unlimited".
    let negative = e
        .sample
        .is_some_and(|v| v.trim().trim_matches(['"', '\'']).starts_with('-'));
    let config_shape = shapes
        .iter()
        .find(|s| {
            (s.is_config() && !(host_as_secret && matches!(s, Shape::Host)))
                || (matches!(s, Shape::Number | Shape::Bit) && (!ends_secret || negative))
        })
        .copied()
        .or_else(|| key_setting().then_some(Shape::Number));

    let (mut class, mut kind, mut why) = if let Some((c, kd, why)) = &from_image {
        (*c, *kd, why.clone())
    } else {
        (name.class, name.kind, name.why.to_string())
    };
    if from_image.is_none() && class == Class::External {
        let words: Vec<String> = super::knowledge::name_words(e.name)
            .map(std::borrow::Cow::into_owned)
            .collect();
        let api_like = words
            .iter()
            .any(|w| matches!(w.as_str(), "API" | "APIKEY" | "ACCESS" | "AUTH"));
        let provider = words.iter().find(|w| k.is_provider_word(w));
        // Only the words naming whose key it is count (`SANDBOX` in `SANDBOX_API_KEY`), not
        // the generic ones a service may also be called (`api`, `app`, `web`).
        let first_generic = words
            .iter()
            .position(|w| {
                matches!(
                    w.as_str(),
                    "API" | "APIKEY" | "ACCESS" | "AUTH" | "KEY" | "TOKEN" | "SECRET"
                )
            })
            .unwrap_or(words.len());
        let naming = &words[..first_generic];
        // `<VENDOR>_CLOUD_…` (cognee's `COGNEE_CLOUD_AUTH_TOKEN`): a credential for the
        // vendor's hosted cloud, which issues it, even where a service shares the vendor's
        // name. Not when the project runs a service or image named for a cloud itself
        // (AppFlowy-Cloud's `appflowy_cloud`): then the cloud is the project's own.
        // `NEXTCLOUD`, `OWNCLOUD` are one word, no cloud word.
        let hosted_cloud =
            naming.iter().skip(1).any(|w| w == "CLOUD") && !e.own_words.contains("CLOUD");
        let own = naming.iter().find(|w| {
            !matches!(
                w.as_str(),
                "APP" | "WEB" | "SERVER" | "SERVICE" | "BACKEND" | "FRONTEND" | "WORKER" | "CLIENT"
            ) && !hosted_cloud
                && (e.own_servers.contains(*w)
                    || (api_like
                        && provider.is_none()
                        && e.own_words.contains(*w)
                        && (e.service_words.contains(*w) || !only_its_namesake_reads(e, w)))
                    || (api_like
                        && provider.is_none()
                        && matches!(
                            w.as_str(),
                            "INTERNAL" | "INNER" | "LOCAL" | "SELF" | "ADMIN" | "MASTER" | "SYSTEM"
                        )))
        });
        // A list of API keys (Jackson's `JACKSON_API_KEYS`, split on `,`) is the set the app
        // accepts from its callers: a provider issues its user one key, not a list.
        let accepted_list = api_like
            && provider.is_none()
            && words
                .last()
                .is_some_and(|w| matches!(w.as_str(), "KEYS" | "APIKEYS"));
        if let Some(own) = own {
            class = Class::Secret;
            kind = Some(Kind::Password);
            why = format!("a credential of the project's own {}", own.to_lowercase());
        } else if accepted_list {
            class = Class::Secret;
            kind = Some(Kind::Password);
            why = "a list of API keys the app accepts, the project's own".to_string();
        } else if let Some(p) = provider
            && e.feeds
                .iter()
                .map(|(image, _)| image)
                .chain(e.whole_file_images)
                .any(|image| image_names(image, p))
        {
            // The project runs the provider itself (authentik's AUTHENTIK_SECRET_KEY for
            // ghcr.io/goauthentik/server): its secrets are the project's to make.
            let rest: Vec<&str> = words
                .iter()
                .filter(|w| *w != p)
                .map(String::as_str)
                .collect();
            let reading = k.name(&rest.join("_"));
            if reading.class == Class::Secret {
                class = Class::Secret;
                kind = reading.kind.or(Some(Kind::Password));
                why = format!("a secret of the {} the project runs", p.to_lowercase());
            }
        } else if provider.is_none()
            && let Some((container, reading)) = e
                .feeds
                .iter()
                .map(|(_, c)| c)
                .filter(|c| c.as_str() != e.name)
                .map(|c| (c, k.name(c)))
                .find(|(_, r)| r.class == Class::Secret)
        {
            // Seafile's `JWT_PRIVATE_KEY` is also its AI service's `SEAFILE_AI_SECRET_KEY`:
            // one value that is an application's own secret somewhere is no key pair a
            // provider issues, whatever the generic `*_PRIVATE_KEY` reading says.
            class = Class::Secret;
            kind = reading.kind.or(Some(Kind::Password));
            why = format!("a container reads it as {container}, an application's own secret");
        }
    }
    // Plaid's `PLAID_CLIENT_ID` and `PLAID_SECRET`: a vendor the templates do not know still
    // issues the secret of a client id it issued, unless the project runs it.
    if from_image.is_none()
        && class == Class::Secret
        && let Some(id) = e.client_id
        && !["_CLIENT_ID", "_API_KEY", "_APIKEY"]
            .iter()
            .find_map(|suffix| id.strip_suffix(suffix))
            .is_some_and(|p| e.own_words.contains(p) || e.own_servers.contains(p))
    {
        class = Class::External;
        kind = None;
        why = format!("issued with {id}, by whoever issued that");
    }
    // A provider's webhook signing secret is issued by it (Stripe's and Resend's `whsec_…`,
    // Shopify's app secret); a few take one the user picks and pastes in (GitHub, Telegram),
    // which stay the project's to make, as do those of a provider the project runs.
    // Most names have no webhook: a substring test spares splitting every name.
    if from_image.is_none() && class == Class::Secret && e.name.contains("WEBHOOK") {
        const CHOSEN: [&str; 14] = [
            "GITHUB",
            "GITLAB",
            "GITEA",
            "BITBUCKET",
            "TELEGRAM",
            "FACEBOOK",
            "INSTAGRAM",
            "WHATSAPP",
            "LEMONSQUEEZY",
            "MATRIX",
            "MASTODON",
            "NTFY",
            "GOTIFY",
            "RELAY",
        ];
        let words: Vec<String> = super::knowledge::name_words(e.name)
            .map(std::borrow::Cow::into_owned)
            .collect();
        let issuer = words
            .iter()
            .position(|w| matches!(w.as_str(), "WEBHOOK" | "WEBHOOKS"))
            .and_then(|at| {
                words[..at].iter().find(|w| {
                    k.is_provider_word(w)
                        && !CHOSEN.contains(&w.as_str())
                        && !e.own_words.contains(*w)
                        && !e.own_servers.contains(*w)
                })
            });
        if let Some(p) = issuer {
            class = Class::External;
            kind = None;
            why = format!("a webhook signing secret {} issues", p.to_lowercase());
        }
    }
    // A DSN that names a store rather than a server (Symfony's `LOCK_DSN=flock`,
    // `MESSENGER_TRANSPORT_DSN=sync`) holds no credential: a setting.
    if class != Class::Config
        && from_image.is_none()
        && e.name.ends_with("DSN")
        && e.sample.is_some_and(|s| {
            let s = s.trim().trim_matches(['"', '\'']);
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
                && k.placeholder(s, true).is_none()
        })
    {
        class = Class::Config;
        kind = None;
        why = "its value names a store, with no credential in it".to_string();
    }
    if shapes.contains(&Shape::Json) && class == Class::Secret {
        // A JSON blob (service-account credentials, a key set) is made elsewhere.
        class = Class::External;
        kind = None;
        why = "its value is a JSON document, which envward cannot generate".to_string();
    } else if url_credentials {
        // The password inside is a secret; the URL is not generated but follows it.
        class = Class::Secret;
        kind = None;
        why = "its value is a URL with a password in it".to_string();
    } else if let Some(s) = config_shape
        && from_image.is_none()
        && class != Class::Config
    {
        class = Class::Config;
        kind = None;
        why = format!("its example value is {}, not a secret", shape_words(s));
    }

    // The template says where to get it from an outside party (Bitwarden's "Get your ID and
    // key from https://bitwarden.com/host/"), and nowhere how to make it: a random value
    // would only look configured.
    if class == Class::Secret
        && from_image.is_none()
        && e.declared.is_some_and(|d| {
            d.issued_elsewhere
                && d.recipe.is_none()
                && d.block_recipe.is_none()
                && d.class.is_none()
        })
    {
        class = Class::External;
        kind = None;
        why = "the example file says where to get it".to_string();
    }
    // Its comment makes it with a key-pair or certificate tool (`openssl genrsa`, `openssl
    // req -x509`, `ssh-keygen`): one half of a pair, made together with the other, which a
    // random string cannot be.
    if class == Class::Secret
        && from_image.is_none()
        && e.declared.is_some_and(|d| d.key_pair && d.class.is_none())
    {
        class = Class::External;
        kind = None;
        why = MADE_WITH_KEY_PAIR_TOOL.to_string();
    }
    // Its own comment opens with the provider's name (openstatus's "Vercel Blob storage"
    // over `BLOB_READ_WRITE_TOKEN`, "Cloudflare API token for the DNS challenge"): the
    // provider issues it, unless the project runs that service. Protocol and generic words
    // (`SMTP`, `S3`, `LDAP` …) name no one in particular.
    if class == Class::Secret
        && from_image.is_none()
        && let Some(d) = e.declared
        && d.recipe.is_none()
        && d.block_recipe.is_none()
        && d.class.is_none()
        && let Some(first) = d.description.as_deref().and_then(|t| {
            t.split(|c: char| !c.is_ascii_alphanumeric())
                .find(|w| !w.is_empty())
                .map(str::to_ascii_uppercase)
        })
        && k.is_provider_word(&first)
        && !names_no_one(&first)
        && !e.own_words.contains(&first)
        && !e.own_servers.contains(&first)
    {
        class = Class::External;
        kind = None;
        why = format!(
            "its comment names {}, which issues it",
            first.to_lowercase()
        );
    }
    // Its sample is a fill-in marker naming the provider (DocsGPT's `API_KEY=<LLM api key
    // (for example, open ai key)>`): the user pastes that provider's key, and a generated
    // one would leave the app configured with nothing that works. Words written apart
    // (`open ai`) count joined.
    if class == Class::Secret
        && from_image.is_none()
        && e.declared
            .is_none_or(|d| d.recipe.is_none() && d.block_recipe.is_none() && d.class.is_none())
        && let Some(marker) = e.sample.map(str::trim).and_then(|v| {
            v.trim_matches(['"', '\''])
                .strip_prefix('<')
                .and_then(|v| v.strip_suffix('>'))
        })
        && let Some(p) = marker_provider(k, marker)
        && !e.own_words.contains(&p)
        && !e.own_servers.contains(&p)
    {
        class = Class::External;
        kind = None;
        why = format!("its sample names {}, which issues it", p.to_lowercase());
    }
    // A recipe in the variable's own comment (`# generate with: openssl rand -hex 32`) is how
    // the user makes it: no provider issues a value the template says to generate (Loomio's
    // Action Mailbox relay password, named for e-mail).
    // So is a comment asking for a random value (Activepieces' `AP_API_KEY`: "Random Long
    // Password"): no provider issues a random value the user is to pick.
    let asks_random = |d: &super::declare::Declared| {
        !d.key_pair
            && d.description.as_deref().is_some_and(|t| {
                let t = t.to_lowercase();
                t.contains("random") && !super::declare::says_made_elsewhere(&t)
            })
    };
    if class == Class::External
        && from_image.is_none()
        && e.declared
            .is_some_and(|d| d.recipe.is_some() || asks_random(d))
    {
        class = Class::Secret;
        why = "the example file says how to generate it".to_string();
    }

    // Kind: a recipe in the template's comments says what the app parses; then a name the
    // templates know exactly; then a recipe or real-looking shape in the sample itself.
    if class != Class::Config {
        let comment_recipe = e.declared.and_then(|d| d.recipe);
        let exact_name = from_image.is_none() && name.exact && name.kind.is_some();
        let sample_recipe = e.sample.and_then(super::declare::recipe);
        // A compose default is a sample too: when the template's value shows no shape (a
        // stand-in, or no template), `${KEY:-<64 hex>}` says what the app parses.
        let sample_kind = e
            .sample
            .map(shape::of)
            .and_then(Shape::kind)
            .or_else(|| e.defaults.iter().find_map(|d| Shape::kind(shape::of(d))))
            .filter(|_| !url_credentials);
        let block_recipe = e.declared.and_then(|d| d.block_recipe);
        // A signing key's sample gives its encoding, not its size: HMAC takes a key of any
        // length, and RFC 7518 (3.2) asks at least 256 bits of one (JJWT refuses less), so a
        // short public sample (`JWT_SECRET=<16 bytes of base64>`) is no size to copy.
        // An encryption key's size is the cipher's (AES-128 takes exactly 16 bytes). Only a
        // name that says it signs counts (Hexabot's `SIGNED_URL_SECRET`): a session or cookie
        // secret may be a cipher's key too (oauth2-proxy's cookie secret must be 16, 24 or 32
        // bytes).
        let signs = super::knowledge::name_words(e.name).any(|w| {
            matches!(
                &*w,
                "JWT" | "HMAC" | "SIGN" | "SIGNED" | "SIGNATURE" | "SIGNING"
            )
        }) && !super::knowledge::name_words(e.name).any(|w| {
            matches!(
                &*w,
                "ENCRYPTION" | "ENCRYPT" | "ENC" | "AES" | "IV" | "CIPHER" | "JWE"
            )
        });
        let sample_kind = sample_kind.map(|kd| match kd {
            Kind::Base64(n) if signs && n < 32 => Kind::Base64(32),
            Kind::Hex(n) if signs && n < 32 => Kind::Hex(32),
            kd => kd,
        });
        let chosen = comment_recipe.or(if exact_name {
            None
        } else {
            block_recipe.or(sample_recipe).or(sample_kind)
        });
        // A base64 recipe is for keys, not for the login half of a key pair beside them: an
        // access key id is sent in clear and split on `/` (Agenta's SeaweedFS
        // `AGENTA_STORE_ACCESS_KEY` under "Generate the signing key with: openssl rand -base64
        // 32" took a `/`); it keeps the URL-safe password alphabet.
        let login_half = super::relations::is_login_half(e.name);
        if let Some(kd) = chosen.filter(|kd| !(login_half && matches!(kd, Kind::Base64(_)))) {
            kind = Some(kd);
        }
    }

    if let Some(d) = e.declared {
        if let Some(c) = d.class {
            class = c;
            why = d.by.unwrap_or("the example file").to_string();
        }
        if let Some(kd) = d.kind {
            kind = Some(kd);
        }
    }
    if let Some(vc) = e.config {
        if let Some(c) = vc.class {
            class = c;
        }
        if let Some(kd) = vc.kind.as_deref().and_then(|s| s.parse().ok()) {
            kind = Some(kd);
        }
        if vc.class.is_some() || vc.kind.is_some() {
            why = "envward.toml".to_string();
        }
    }
    if class == Class::Secret && kind.is_none() && !url_credentials {
        kind = Some(Kind::Password);
    }
    if class == Class::Config {
        kind = None;
    }
    Classification {
        class,
        kind,
        rules,
        why,
        url_credentials: url_credentials && class != Class::Config,
        known_key: name.exact && class == Class::Secret,
    }
}

/// The provider a fill-in marker's text names, its words alone or two joined (`open ai`).
fn marker_provider(k: &Knowledge, marker: &str) -> Option<String> {
    let words: Vec<String> = marker
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_uppercase)
        .collect();
    let joined = words.windows(2).map(|w| format!("{}{}", w[0], w[1]));
    words
        .iter()
        .cloned()
        .chain(joined)
        .find(|w| k.is_provider_word(w) && !names_no_one(w))
}

fn shape_words(s: Shape) -> &'static str {
    match s {
        Shape::Bool => "a yes/no switch",
        Shape::Duration => "a duration",
        Shape::Url { .. } => "an address without credentials",
        Shape::Path => "a file path",
        Shape::Email => "an e-mail address",
        Shape::Host => "a host name",
        Shape::Number | Shape::Bit => "a number",
        Shape::Publishable => "a publishable key, public by design",
        _ => "configuration",
    }
}

#[cfg(test)]
mod image_word_tests {
    use super::image_names;

    #[test]
    fn an_image_names_a_provider_by_a_component_or_its_vendor_affixes() {
        assert!(image_names("langfuse/langfuse:3", "LANGFUSE"));
        assert!(image_names("docker.io/getsentry/sentry:24", "SENTRY"));
        assert!(image_names("ghcr.io/goauthentik/server", "authentik"));
        assert!(image_names("plausible/community-edition", "PLAUSIBLE"));
        // Mentioning a provider is not being it.
        assert!(!image_names(
            "example/chat4all-telegram-connector",
            "TELEGRAM"
        ));
        assert!(!image_names("minio/minio@sha256:abc", "SENTRY"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class_of(name: &str, sample: Option<&str>, feeds: &[(String, String)]) -> Classification {
        let k = Knowledge::builtin().unwrap();
        classify(
            &k,
            &Evidence {
                name,
                config: None,
                declared: None,
                sample,
                defaults: Vec::new(),
                feeds,
                whole_file_images: &[],
                own_words: &foldhash::HashSet::default(),
                service_words: &foldhash::HashSet::default(),
                own_servers: &foldhash::HashSet::default(),
                client_id: None,
            },
        )
    }

    #[test]
    fn shape_outranks_the_name() {
        for (name, sample) in [
            ("ALLOW_EMPTY_PASSWORD", "yes"),
            ("GPG_SECRET_KEYSERVER", "https://keys.openpgp.org"),
            ("APP_SECRETS_LOCATION", "/run/secrets/app"),
            ("ADMIN_SECRET_CONTACT", "admin@example.com"),
            ("AUTH_PASSWORD_RESET", "false"),
        ] {
            assert_eq!(
                class_of(name, Some(sample), &[]).class,
                Class::Config,
                "{name}"
            );
        }
        assert_eq!(class_of("DB_PASSWORD", Some("1"), &[]).class, Class::Secret);
    }

    #[test]
    fn samples_fix_the_kind() {
        let hex = "3f9a1c7e5b2d8f4a6c0e9b1d3f5a7c9e2b4d6f8a0c1e3f5a7b9d2c4e6f8a0b1c";
        assert_eq!(
            class_of("SESSION_SECRET", Some(hex), &[]).kind,
            Some(Kind::Hex(32))
        );
        assert_eq!(
            class_of(
                "ENCRYPTION_KEY",
                Some("6c1fe4e407b8911c104518103505b218"),
                &[]
            )
            .kind,
            Some(Kind::Hex(16))
        );
        assert_eq!(
            class_of("SESSION_SECRET", Some("changeme"), &[]).kind,
            Some(Kind::Password)
        );
    }

    #[test]
    fn a_compose_default_fixes_the_kind_when_the_sample_does_not() {
        // Cap: `${DATABASE_ENCRYPTION_KEY:-<64 hex>}`; the app reads 32 bytes of hex, and a
        // base64 key from the name alone made it refuse to start after `fill`.
        let hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        let k = Knowledge::builtin().unwrap();
        let with = |sample: Option<&str>, defaults: Vec<&str>| {
            classify(
                &k,
                &Evidence {
                    name: "DATABASE_ENCRYPTION_KEY",
                    config: None,
                    declared: None,
                    sample,
                    defaults,
                    feeds: &[],
                    whole_file_images: &[],
                    own_words: &foldhash::HashSet::default(),
                    service_words: &foldhash::HashSet::default(),
                    own_servers: &foldhash::HashSet::default(),
                    client_id: None,
                },
            )
            .kind
        };
        assert_eq!(with(Some("changeme"), vec![hex]), Some(Kind::Hex(32)));
        assert_eq!(with(None, vec![hex]), Some(Kind::Hex(32)));
        // The template's own shape outranks the default's.
        let uuid = "8f14e45f-ceea-467f-a0e6-7c0b5e1f2d3a";
        assert_eq!(with(Some(uuid), vec![hex]), Some(Kind::Uuid));
        // A default that is itself a stand-in says nothing: the name's own kind stays.
        assert_eq!(
            with(Some("changeme"), vec!["changeme"]),
            Some(Kind::Hex(32))
        );
    }

    #[test]
    fn images_outrank_names() {
        let feeds = [("postgres:16".to_string(), "POSTGRES_PASSWORD".to_string())];
        let c = class_of("DB_PASS_VALUE", None, &feeds);
        assert_eq!(c.class, Class::Secret);
        assert!(c.why.contains("postgres"));
    }

    #[test]
    fn urls_with_passwords_are_secrets_without_a_kind() {
        let c = class_of("DATABASE_URL", Some("postgres://app:pw@db/app"), &[]);
        assert_eq!(
            (c.class, c.kind, c.url_credentials),
            (Class::Secret, None, true)
        );
        let c = class_of("DATABASE_URL", Some("postgres://app@db/app"), &[]);
        assert_eq!(c.class, Class::Config);
    }
}
