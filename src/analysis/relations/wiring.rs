//! Wiring through compose: which variable a service's client credential comes from, and
//! which of the project's own servers (postgres, redis, minio …) it logs in to, so the
//! client's password and the server's join one group.

use std::cell::OnceCell;

use foldhash::HashMap;

use super::super::facts::Var;
use super::super::knowledge::{ServerRole, name_words};
use super::super::{Class, Input};
use super::{current, example_value, is_user_name};
use crate::interpolate;
/// A server of the project: its service, family and the variable holding its password.
struct Server<'a> {
    service: &'a str,
    family: &'a str,
    clients: &'a [String],
    password_var: usize,
    /// The image keeps a root or admin password apart from this one (`mysql`'s
    /// `MYSQL_ROOT_PASSWORD` beside the user's `MYSQL_PASSWORD`): a client's root password
    /// is that one, not this.
    separate_admin: bool,
    /// `password_var` is the root account's password (`MYSQL_ROOT_PASSWORD`): only a client
    /// that logs in as `root` uses it.
    root: bool,
    /// The container variables the server's image reads.
    image_vars: &'a HashMap<String, super::super::knowledge::ValueRules>,
    /// The server's credential is a key or token (Meilisearch's master key), not a password:
    /// a client's `…_KEY` or `…_TOKEN` can be its copy.
    key_login: bool,
}

/// The account name that logs in to a server with its root password.
const ROOT_USER: &str = "root";

/// Whether a service logs in as `root`: a user-name setting it gets (`DB_USERNAME: root`
/// written in compose, or `HUGINN_DATABASE_USERNAME=root` from the env file) says so.
fn logs_in_as_root(
    service: &crate::compose::Service,
    feeds: &[(String, String)],
    index: &HashMap<String, usize>,
    vars: &[Var<'_>],
) -> bool {
    let literal = service
        .environment
        .iter()
        .any(|e| is_user_name(&e.key) && e.value.as_deref().is_some_and(|v| v.trim() == ROOT_USER));
    literal
        || feeds.iter().any(|(var, container)| {
            is_user_name(container)
                && index
                    .get(var)
                    .and_then(|&i| current(&vars[i]))
                    .is_some_and(|v| v.trim() == ROOT_USER)
        })
}

/// Whether a name speaks for a server's root or admin account.
pub(super) fn is_admin_name(name: &str) -> bool {
    name_words(name).any(|w| matches!(w.as_ref(), "ROOT" | "ADMIN" | "SUPERUSER"))
}

/// The `.env` variables each service reads, with the container variable each becomes, one
/// entry per service in the project's order.
pub(super) type ServiceInputs<'a> = Vec<(&'a str, Vec<(String, String)>)>;

/// See [`ServiceInputs`]. Empty when no service runs an image envward knows: only a known
/// image is a server to wire clients to, or has users to recognise (a generated 1,000-service
/// project knows none, and this was a tenth of its relations' work).
pub(super) fn service_inputs<'a>(input: &'a Input<'a>, vars: &[Var<'_>]) -> ServiceInputs<'a> {
    let knows_an_image = input.project.services.iter().any(|s| {
        s.image
            .as_deref()
            .is_some_and(|i| input.knowledge.image(i).is_some())
    });
    if !knows_an_image {
        return Vec::new();
    }
    let live_abs = input.project.env_file.clone();
    input
        .project
        .services
        .iter()
        .map(|s| {
            let mut out: Vec<(String, String)> = Vec::new();
            for e in &s.environment {
                match &e.value {
                    None => out.push((e.key.clone(), e.key.clone())),
                    Some(v) => {
                        for r in interpolate::references(v).unwrap_or_default() {
                            out.push((r.name, e.key.clone()));
                        }
                    }
                }
            }
            if s.env_files.iter().any(|f| f.path == live_abs) {
                // The whole file goes in: every variable not already fed by name.
                let named: foldhash::HashSet<String> = out.iter().map(|(n, _)| n.clone()).collect();
                for v in vars
                    .iter()
                    .filter(|v| v.live.is_some() || v.example.is_some())
                    .filter(|v| !named.contains(&v.name))
                {
                    out.push((v.name.clone(), v.name.clone()));
                }
            }
            (s.name.as_str(), out)
        })
        .collect()
}

/// Pairs (client variable, server password variable) for clients of the project's own
/// servers, with the reason in words.
pub(super) fn wiring(
    vars: &[Var<'_>],
    index: &HashMap<String, usize>,
    input: &Input<'_>,
    inputs: &ServiceInputs<'_>,
) -> Vec<(usize, usize, String)> {
    let knowledge = input.knowledge;
    let mut servers: Vec<Server<'_>> = Vec::new();
    for (s, (name, feeds)) in input.project.services.iter().zip(inputs) {
        let Some(image) = s.image.as_deref().and_then(|i| knowledge.image(i)) else {
            continue;
        };
        let Some(family) = image.family.as_deref() else {
            continue;
        };
        let keys: Vec<&str> = image.server_var(ServerRole::Key).collect();
        let pw: Vec<&str> = image
            .server_var(ServerRole::Password)
            .chain(keys.iter().copied())
            .collect();
        let admin_var = image.vars.keys().any(|v| is_admin_name(v));
        for (var, container) in feeds {
            let Some(&i) = index.get(var) else { continue };
            if pw.contains(&container.as_str()) {
                servers.push(Server {
                    service: name,
                    family,
                    clients: &image.clients,
                    password_var: i,
                    separate_admin: admin_var && !is_admin_name(container),
                    root: false,
                    image_vars: &image.vars,
                    key_login: keys.contains(&container.as_str()),
                });
            } else if is_admin_name(container)
                && name_words(container).any(|w| w == "ROOT")
                && image
                    .vars
                    .get(container)
                    .is_some_and(|r| r.class == Some(Class::Secret) && r.server.is_none())
            {
                // mysql's `MYSQL_ROOT_PASSWORD`: the password of a client logging in as root
                // (huginn's app does); `fill` gave it a value of its own and the app was
                // locked out.
                servers.push(Server {
                    service: name,
                    family,
                    clients: &image.clients,
                    password_var: i,
                    separate_admin: false,
                    root: true,
                    image_vars: &image.vars,
                    key_login: false,
                });
            }
        }
    }
    if servers.is_empty() {
        return Vec::new();
    }
    // Host evidence, asked for every (server, client) pair: the hosts each service names in
    // its inputs or its environment, once, and which services name each host. Scanning every
    // service's values per server made a project of 400 databases and their apps quadratic.
    let hosts: Vec<foldhash::HashSet<&str>> = input
        .project
        .services
        .iter()
        .zip(inputs)
        .map(|(s, (_, feeds))| {
            feeds
                .iter()
                .filter_map(|(var, _)| {
                    index
                        .get(var)
                        .and_then(|&i| current(&vars[i]).or(vars[i].default_value.as_deref()))
                })
                .chain(s.environment.iter().filter_map(|e| e.value.as_deref()))
                .filter_map(host_of)
                .collect()
        })
        .collect();
    let mut named_by: HashMap<&str, Vec<usize>> = HashMap::default();
    for (j, names) in hosts.iter().enumerate() {
        for host in names {
            named_by.entry(host).or_default().push(j);
        }
    }
    // Servers of a family, counted by service: a root password beside the user's is the
    // same server.
    let mut family_size: HashMap<&str, usize> = HashMap::default();
    let mut counted: foldhash::HashSet<(&str, &str)> = foldhash::HashSet::default();
    for server in &servers {
        if counted.insert((server.family, server.service)) {
            *family_size.entry(server.family).or_default() += 1;
        }
    }
    let every_service: Vec<usize> = (0..inputs.len()).collect();
    // The provider words the project's own images name, worked out once.
    let run_words: foldhash::HashSet<String> = input
        .project
        .services
        .iter()
        .filter_map(|s| s.image.as_deref())
        .flat_map(crate::analysis::classify::image_words)
        .collect();
    // Each service's inputs as a client, worked out when a server first asks.
    let client_inputs: Vec<OnceCell<Vec<ClientInput<'_>>>> =
        (0..inputs.len()).map(|_| OnceCell::new()).collect();
    let beside = super::UrlsBeside::of(vars, input);
    let mut out = Vec::new();
    for server in &servers {
        let same_family = family_size[server.family];
        // With another server of its kind, only a service naming this one can be its client.
        let candidates = if same_family > 1 {
            named_by.get(server.service).map_or(&[][..], Vec::as_slice)
        } else {
            &every_service
        };
        for &j in candidates {
            let (service, feeds) = &inputs[j];
            if *service == server.service {
                continue;
            }
            let mentions_server = hosts[j].contains(server.service);
            let clients = client_inputs[j].get_or_init(|| {
                client_inputs_of(
                    &input.project.services[j],
                    &run_words,
                    feeds,
                    index,
                    vars,
                    knowledge,
                    &beside,
                )
            });
            // A service whose own settings hand it the server's password variable
            // (`CUBEJS_DB_PASS: ${DB_PASS}`) logs in with it: its other passwords are for
            // something else (the SQL port Cube serves its own clients), not a second login
            // to this server, unless a host setting of their own names it (Appwrite's
            // `_APP_DB_PASS_VECTORSDB` beside `_APP_DB_HOST_VECTORSDB=postgresql`). A whole
            // env file loaded holds every password and says nothing, nor does the server's own
            // setting handed to every service by a shared block (Plane's `MINIO_ROOT_PASSWORD`).
            let password_name = vars[server.password_var].name.as_str();
            // Read from the service's inputs, which already hold each setting's references:
            // a setting of its own names the container key, a whole env file only names.
            let handed = feeds.iter().any(|(name, container)| {
                name == password_name
                    && !server.image_vars.contains_key(container)
                    && input.project.services[j].environment.iter().any(|e| {
                        e.key == *container && e.value.as_deref().is_none_or(|v| v.contains('$'))
                    })
            });
            for client in clients {
                if handed && client.own_host.as_deref() != Some(server.service) {
                    continue;
                }
                let i = client.var;
                if i == server.password_var {
                    continue;
                }
                let v = &vars[i];
                // A password written into a URL is for the URL's host, whatever the key holding
                // the URL is called (Mayan's `CELERY_RESULT_BACKEND: redis://:${REDIS_PASSWORD}
                // @redis…` is Redis's, not the Celery broker's RabbitMQ).
                if client
                    .url_host
                    .as_deref()
                    .is_some_and(|h| h != server.service)
                {
                    continue;
                }
                // A credential that names an outside provider is that provider's, whatever
                // else its name says (`AZURE_AI_SEARCH_API_KEY` is not the local search's).
                if client.providers.iter().any(|w| !server.clients.contains(w)) {
                    continue;
                }
                // A database URL setting beside the password (`spring.datasource.url` beside
                // `spring.datasource.password`) names the one server it logs in to.
                let beside_host = client.beside_host.as_deref();
                if beside_host.is_some_and(|h| h != server.service) {
                    continue;
                }
                let specific = client.specific.contains(&server.family);
                let speaks_family = (client.words.iter().any(|w| server.clients.contains(w))
                    && (specific || mentions_server))
                    || beside_host == Some(server.service);
                if !(speaks_family && client.credential) {
                    continue;
                }
                // A server that logs in with a password takes no key or token: rudder-server's
                // `PG_ROUTING_KEY` (PagerDuty's, beside `ALERT_PROVIDER=pagerduty`) was given
                // the postgres password.
                if !server.key_login && !client.password_word {
                    continue;
                }
                if server.separate_admin && client.admin {
                    continue;
                }
                // The root password pairs with a client that logs in as root, and with no
                // other; the user's password with every other client.
                let as_root = || logs_in_as_root(&input.project.services[j], feeds, index, vars);
                if server.root && !as_root() {
                    continue;
                }
                if server.separate_admin && as_root() {
                    continue;
                }
                if !mentions_server
                    && !feeds.iter().any(|(n, _)| {
                        index
                            .get(n)
                            .is_some_and(|&j| host_like(&vars[j], server.service))
                    })
                {
                    // Without a host setting pointing at the server, a matching name alone
                    // is not enough unless it is the only server of its kind.
                    if same_family != 1 {
                        continue;
                    }
                }
                // Two different real values in the template (the example file: a live file's
                // values are the user's, and may simply disagree) mean they are not the same.
                let a = example_value(v);
                let b = example_value(&vars[server.password_var]);
                if let (Some(a), Some(b)) = (a, b)
                    && a != b
                    && !(knowledge.placeholder(a, true).is_some()
                        || knowledge.placeholder(b, true).is_some())
                {
                    continue;
                }
                out.push((
                    i,
                    server.password_var,
                    format!(
                        "{} logs in to the project's own {} ({}), whose password is {}",
                        v.name, server.family, server.service, vars[server.password_var].name
                    ),
                ));
            }
        }
    }
    out
}

/// What the wiring asks of one input of a client service, the same for every server it is
/// asked for: its names' words, the families they name specifically, the outside providers
/// they name, and whether they name a credential.
struct ClientInput<'k> {
    var: usize,
    words: Vec<String>,
    specific: Vec<&'k str>,
    providers: Vec<String>,
    credential: bool,
    /// Its names carry a password word (`PASSWORD`, `PASS`, `PWD`, `PASSWD`, `SECRET`).
    password_word: bool,
    admin: bool,
    /// The host of the URL the service's setting writes the variable into, when it names one.
    url_host: Option<String>,
    /// The host its own host setting names: the setting whose key is the credential's with
    /// `HOST` for its password word (`_APP_DB_HOST_VECTORSDB` for `_APP_DB_PASS_VECTORSDB`).
    own_host: Option<String>,
    /// The host of the database URL setting beside it (see [`super::UrlsBeside`]).
    beside_host: Option<String>,
}

/// The inputs of a service that can be a client's credential: a `.env` variable that is not
/// configuration, not a password inside a URL, and not a user name (by either name).
fn client_inputs_of<'k>(
    service: &crate::compose::Service,
    run_words: &foldhash::HashSet<String>,
    feeds: &[(String, String)],
    index: &HashMap<String, usize>,
    vars: &[Var<'_>],
    knowledge: &'k super::super::Knowledge,
    beside: &super::UrlsBeside<'_>,
) -> Vec<ClientInput<'k>> {
    feeds
        .iter()
        .filter_map(|(var, container)| {
            let &i = index.get(var)?;
            let v = &vars[i];
            if v.class == Class::Config
                || v.url_credentials
                || is_user_name(container)
                || is_user_name(var)
            {
                return None;
            }
            let words: Vec<String> = name_words(container)
                .chain(name_words(var))
                .map(std::borrow::Cow::into_owned)
                .collect();
            // A provider the project runs itself is no outside party (Langfuse's
            // `LANGFUSE_S3_*` keys for the project's own MinIO, beside `langfuse/langfuse`).
            let providers = words
                .iter()
                .filter(|w| knowledge.is_provider_word(w) && !run_words.contains(w.as_str()))
                .cloned()
                .collect();
            let mut specific = knowledge.specific_families_of_name(container);
            specific.extend(knowledge.specific_families_of_name(var));
            // A key named for what it encrypts, signs or hashes (`DB_ENCRYPTION_KEY`,
            // `DB_SIGNING_SECRET`) is the app's own, whatever server its name mentions: given
            // the server's password it is the wrong shape (a Fernet key, say) and the app
            // fails to start.
            let purpose = words.iter().any(|w| is_purpose_word(w));
            let credential = !purpose
                && words.iter().any(|w| {
                    matches!(
                        w.as_str(),
                        "PASSWORD"
                            | "PASS"
                            | "PWD"
                            | "PASSWD"
                            | "SECRET"
                            | "KEY"
                            | "APIKEY"
                            | "TOKEN"
                    )
                });
            let password_word = words.iter().any(|w| {
                matches!(
                    w.as_str(),
                    "PASSWORD" | "PASS" | "PWD" | "PASSWD" | "SECRET"
                )
            });
            let url_host = service
                .environment
                .iter()
                .find(|e| e.key == *container)
                .and_then(|e| e.value.as_deref())
                .filter(|value| value.contains("://"))
                .and_then(host_of)
                .map(str::to_string);
            let own_host = host_key(container).and_then(|key| {
                feeds
                    .iter()
                    .find(|(_, c)| *c == key)
                    .and_then(|(n, _)| index.get(n))
                    .and_then(|&h| current(&vars[h]).or(vars[h].default_value.as_deref()))
                    .and_then(host_of)
                    .map(str::to_string)
            });
            let beside_host = beside
                .server_of(var)
                .or_else(|| beside.server_of(container))
                .map(|(host, _)| host.to_string());
            Some(ClientInput {
                var: i,
                beside_host,
                url_host,
                own_host,
                admin: is_admin_name(var) || is_admin_name(container),
                words,
                specific,
                providers,
                credential,
                password_word,
            })
        })
        .collect()
}

/// The key of the host setting beside a credential's: its password word made `HOST`.
fn host_key(credential: &str) -> Option<String> {
    let mut found = false;
    let key: Vec<&str> = credential
        .split('_')
        .map(|w| {
            if !found && matches!(w, "PASSWORD" | "PASS" | "PWD" | "PASSWD") {
                found = true;
                "HOST"
            } else {
                w
            }
        })
        .collect();
    found.then(|| key.join("_"))
}

/// A name word saying what a key is for other than logging in: encrypting, signing, hashing
/// or keeping sessions.
fn is_purpose_word(word: &str) -> bool {
    matches!(
        word,
        "ENCRYPTION"
            | "ENCRYPT"
            | "ENC"
            | "CRYPT"
            | "CRYPTO"
            | "CIPHER"
            | "AES"
            | "FERNET"
            | "SIGNING"
            | "SIGN"
            | "SIGNATURE"
            | "HMAC"
            | "JWT"
            | "HASH"
            | "SALT"
            | "PEPPER"
            | "SESSION"
            | "COOKIE"
    )
}

/// A client's access key id or user name for one of the project's own servers (the S3
/// access key of its `MinIO` is `MinIO`'s root user): configuration, not a provider's secret.
pub(super) fn own_server_users(
    vars: &mut [Var<'_>],
    index: &HashMap<String, usize>,
    input: &Input<'_>,
    inputs: &ServiceInputs<'_>,
) {
    let knowledge = input.knowledge;
    let mut users: Vec<(Vec<String>, String)> = Vec::new();
    for (s, (_, feeds)) in input.project.services.iter().zip(inputs) {
        let Some(image) = s.image.as_deref().and_then(|i| knowledge.image(i)) else {
            continue;
        };
        let user_vars: Vec<&str> = image.server_var(ServerRole::User).collect();
        for (var, container) in feeds {
            if user_vars.contains(&container.as_str())
                && let Some(&i) = index.get(var)
                && let Some(value) = current(&vars[i]).or(vars[i].default_value.as_deref())
            {
                users.push((image.clients.clone(), value.to_string()));
            }
        }
    }
    for v in vars.iter_mut().filter(|v| v.class != Class::Config) {
        let words: Vec<String> = name_words(&v.name)
            .map(std::borrow::Cow::into_owned)
            .collect();
        let user_like = !words
            .iter()
            .any(|w| matches!(w.as_str(), "SECRET" | "PASSWORD" | "PASS" | "PWD"))
            && (words
                .iter()
                .any(|w| matches!(w.as_str(), "ID" | "USER" | "USERNAME"))
                || words.ends_with(&["ACCESS".to_string(), "KEY".to_string()]));
        if !user_like {
            continue;
        }
        let Some(value) = current(v) else { continue };
        if users
            .iter()
            .any(|(clients, u)| u == value && words.iter().any(|w| clients.contains(w)))
        {
            v.class = Class::Config;
            v.kind = None;
            v.classified_by = "the user name of the project's own server".to_string();
        }
    }
}

/// Whether a variable is a host setting pointing at `service`.
fn host_like(v: &Var<'_>, service: &str) -> bool {
    current(v)
        .or(v.default_value.as_deref())
        .and_then(host_of)
        .is_some_and(|h| h == service)
}

/// The host a value names: itself when it is a bare host name, or the host part of a URL.
pub fn host_of(value: &str) -> Option<&str> {
    let v = value.trim();
    let rest = match v.split_once("://") {
        Some((_, after)) => after,
        None => v,
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = host_port.split(':').next().unwrap_or(host_port);
    (!host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    .then_some(host)
}
