//! The one key table: which key does what in which context, with the words the footer and
//! the help overlay show.
//!
//! [`update`](super::update) never looks at a key code: it asks [`resolve`] for an [`Action`]
//! and matches on that. The footer ([`footer`]) and the help overlay ([`help`]) are generated
//! from the same [`BINDINGS`], so what they say is what the keys do. A key means one thing
//! everywhere it is bound: `r` reveals (Ctrl-R while typing), `R` reloads from disk.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// Where the keyboard is: the list, or one of the prompts and overlays above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// The variable list (the main screen).
    List,
    /// Typing a value for the selected variable.
    Edit,
    /// Typing a search.
    Search,
    /// Typing a short answer: a new variable's name, a reason, another variable's name.
    Ask,
    /// The help overlay.
    Help,
    /// The preview of unsaved changes.
    Diff,
    /// Every finding, as `check` lists them.
    Problems,
    /// Decisions about the selected variable (written to `envward.toml` or the example).
    Mark,
    /// Choosing another env file of the project.
    Files,
    /// A yes/no question before something that cannot be taken back easily.
    Confirm,
    /// Quitting with unsaved changes.
    ConfirmQuit,
    /// A save was refused because the file changed on disk.
    Conflict,
    /// A one-time notice to read (the backup identity was just created).
    Notice,
}

/// A decision about a variable, recorded in `envward.toml` or the example file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// `[vars.X] optional = true`: never `missing`.
    Optional,
    /// `[vars.X] class = "external"`.
    External,
    /// `[vars.X] class = "config"`.
    Config,
    /// `[vars.X] class = "secret"`.
    Secret,
    /// `[vars.X] same_as = [...]` (asks for the other name).
    SameAs,
    /// `[[ignore]]` for the selected variable's first finding (asks for a reason).
    Ignore,
    /// Add the variable to the example file (`NAME=`).
    Document,
}

/// What a key asks for. Handlers match on these, never on keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Select the previous variable (or scroll up in an overlay).
    Up,
    /// Select the next variable (or scroll down in an overlay).
    Down,
    /// One page up.
    PageUp,
    /// One page down.
    PageDown,
    /// The first variable.
    Home,
    /// The last variable.
    End,
    /// The next variable with a problem.
    NextProblem,
    /// The previous variable with a problem.
    PrevProblem,
    /// Generate the selected value.
    Generate,
    /// Generate every value envward can fix.
    GenerateAll,
    /// Rotate the selected secret: a new value, and the plan for putting it in service.
    Rotate,
    /// Edit the selected value (empty for a secret).
    Edit,
    /// Edit the selected value starting from the current one.
    EditCurrent,
    /// Show the selected value until the selection moves.
    Reveal,
    /// Copy the selected value to the clipboard (OSC 52).
    Copy,
    /// Undo the last change.
    Undo,
    /// Preview the unsaved changes.
    Diff,
    /// Save the live file.
    Save,
    /// Start typing a search.
    Search,
    /// Cycle the status filter.
    Filter,
    /// Enlarge or shrink the detail pane.
    Details,
    /// Every finding, with its place.
    Problems,
    /// Decisions about the selected variable.
    Mark,
    /// One decision, from the mark menu.
    Decide(Decision),
    /// Add a variable to the live file.
    Add,
    /// Delete the selected variable from the live file (only unused ones).
    Delete,
    /// Switch to another env file of the project.
    Files,
    /// Read the live file again from disk, dropping unsaved changes.
    Reload,
    /// The help overlay.
    Help,
    /// Quit (asks first when there are unsaved changes).
    Quit,
    /// Close the overlay or prompt; in the list, clear search, filter and messages.
    Cancel,
    /// Ctrl-C: quit, asking first when there are unsaved changes (twice: leave now).
    Interrupt,
    /// Accept what was typed, or answer yes.
    Accept,
    /// Quit without saving.
    Discard,
    /// Show or hide the value being typed.
    ToggleReveal,
    /// Put the current value in the editor.
    Prefill,
    /// Start a new line in the value (multi-line values: keys, certificates, JSON).
    Newline,
    /// Move the cursor one character left.
    Left,
    /// Move the cursor one character right.
    Right,
    /// Move the cursor one word left.
    WordLeft,
    /// Move the cursor one word right.
    WordRight,
    /// Move the cursor to the start of the line.
    LineStart,
    /// Move the cursor to the end of the line.
    LineEnd,
    /// Delete the character before the cursor.
    Backspace,
    /// Delete the character under the cursor.
    DeleteForward,
    /// Delete the word before the cursor.
    DeleteWord,
    /// Delete the word after the cursor.
    DeleteWordForward,
    /// Delete from the start of the line to the cursor.
    KillToStart,
    /// Delete from the cursor to the end of the line.
    KillToEnd,
    /// A character typed into a prompt (not in the table: any printable key).
    Input(char),
}

/// One key: a code and whether Ctrl or Alt is held. Shift is part of the character (`G`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// The key.
    pub code: KeyCode,
    /// Ctrl held.
    pub ctrl: bool,
    /// Alt held.
    pub alt: bool,
}

const fn key(code: KeyCode) -> Key {
    Key {
        code,
        ctrl: false,
        alt: false,
    }
}

const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
        alt: false,
    }
}

const fn alt(code: KeyCode) -> Key {
    Key {
        code,
        ctrl: false,
        alt: true,
    }
}

const fn ctrl_key(code: KeyCode) -> Key {
    Key {
        code,
        ctrl: true,
        alt: false,
    }
}

/// One row of the key table.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    /// Where it applies; `None` everywhere.
    pub context: Option<Context>,
    /// The keys, the first one shown in the footer.
    pub keys: &'static [Key],
    /// What they do.
    pub action: Action,
    /// A word or two for the footer.
    pub hint: &'static str,
    /// A sentence for the help overlay.
    pub help: &'static str,
    /// Whether the footer shows it.
    pub footer: bool,
}

const fn bind(
    context: Context,
    keys: &'static [Key],
    action: Action,
    hint: &'static str,
    help: &'static str,
    footer: bool,
) -> Binding {
    Binding {
        context: Some(context),
        keys,
        action,
        hint,
        help,
        footer,
    }
}

use Context as C;
use KeyCode as K;

/// The key table, in the order the footer and help list it.
#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    bind(C::List, &[key(K::Up), ch('k')], Action::Up, "up", "previous variable", false),
    bind(C::List, &[key(K::Down), ch('j')], Action::Down, "down", "next variable", false),
    bind(C::List, &[key(K::PageUp)], Action::PageUp, "page up", "one page up", false),
    bind(C::List, &[key(K::PageDown)], Action::PageDown, "page down", "one page down", false),
    bind(C::List, &[key(K::Home)], Action::Home, "first", "first variable", false),
    bind(C::List, &[key(K::End)], Action::End, "last", "last variable", false),
    bind(C::List, &[ch('n')], Action::NextProblem, "next", "next problem", true),
    bind(C::List, &[ch('N')], Action::PrevProblem, "prev", "previous problem", false),
    bind(C::List, &[ch('g')], Action::Generate, "gen", "generate the selected value", true),
    bind(C::List, &[ch('G')], Action::GenerateAll, "gen all", "generate all fixable", true),
    bind(C::List, &[ch('t')], Action::Rotate, "rotate", "rotate: new value and plan", false),
    bind(C::List, &[ch('e')], Action::Edit, "edit", "type a value (secrets start empty)", true),
    bind(C::List, &[ch('E')], Action::EditCurrent, "edit cur", "edit, starting from the value", false),
    bind(C::List, &[key(K::Enter), key(K::Tab)], Action::Details, "details", "enlarge the detail pane", false),
    bind(C::List, &[ch('r')], Action::Reveal, "reveal", "show value until you move", true),
    bind(C::List, &[ch('y')], Action::Copy, "copy", "copy the value to the clipboard", false),
    bind(C::List, &[ch('u')], Action::Undo, "undo", "undo the last change", true),
    bind(C::List, &[ch('d')], Action::Diff, "diff", "preview changes (masked)", true),
    bind(C::List, &[ch('s')], Action::Save, "save", "save (0600) with a backup", true),
    bind(C::List, &[ch('p')], Action::Problems, "problems", "every finding, with its place", true),
    bind(C::List, &[ch('m')], Action::Mark, "mark", "mark: optional, external, ignore…", true),
    bind(C::List, &[ch('a')], Action::Add, "add", "add a variable", false),
    bind(C::List, &[ch('x'), key(K::Delete)], Action::Delete, "delete", "delete an unused variable", false),
    bind(C::List, &[ch('o')], Action::Files, "files", "open another env file", false),
    bind(C::List, &[ch('/')], Action::Search, "search", "search names", true),
    bind(C::List, &[ch('f')], Action::Filter, "filter", "cycle the status filter", false),
    bind(C::List, &[ch('R')], Action::Reload, "reload", "read the file again from disk", false),
    bind(C::List, &[ch('?')], Action::Help, "help", "every key", true),
    bind(C::List, &[ch('q')], Action::Quit, "quit", "quit (asks if unsaved)", true),
    bind(C::List, &[key(K::Esc)], Action::Cancel, "clear", "clear search and filter", false),
    bind(C::Edit, &[key(K::Enter)], Action::Accept, "set", "set the value typed", true),
    bind(C::Edit, &[alt(K::Enter), ctrl('j')], Action::Newline, "new line", "new line (keys, certificates)", true),
    bind(C::Edit, &[ctrl('r')], Action::ToggleReveal, "reveal", "show or hide what you type", true),
    bind(C::Edit, &[ctrl('o')], Action::Prefill, "current", "start from the current value", true),
    bind(C::Edit, &[key(K::Esc)], Action::Cancel, "cancel", "leave the value as it was", true),
    bind(C::Edit, &[key(K::Left), ctrl('b')], Action::Left, "left", "cursor left", false),
    bind(C::Edit, &[key(K::Right), ctrl('f')], Action::Right, "right", "cursor right", false),
    bind(C::Edit, &[alt(K::Char('b')), ctrl_key(K::Left)], Action::WordLeft, "word left", "one word left", false),
    bind(C::Edit, &[alt(K::Char('f')), ctrl_key(K::Right)], Action::WordRight, "word right", "one word right", false),
    bind(C::Edit, &[key(K::Home), ctrl('a')], Action::LineStart, "start", "start of the line", false),
    bind(C::Edit, &[key(K::End), ctrl('e')], Action::LineEnd, "end", "end of the line", false),
    bind(C::Edit, &[key(K::Up)], Action::Up, "up", "line up", false),
    bind(C::Edit, &[key(K::Down)], Action::Down, "down", "line down", false),
    bind(C::Edit, &[key(K::Backspace), ctrl('h')], Action::Backspace, "delete", "delete before the cursor", false),
    bind(C::Edit, &[key(K::Delete), ctrl('d')], Action::DeleteForward, "del", "delete under the cursor", false),
    bind(C::Edit, &[ctrl('w'), alt(K::Backspace)], Action::DeleteWord, "del word", "delete the word before", false),
    bind(C::Edit, &[alt(K::Char('d'))], Action::DeleteWordForward, "del word", "delete the word after", false),
    bind(C::Edit, &[ctrl('u')], Action::KillToStart, "kill start", "delete to the start of the line", false),
    bind(C::Edit, &[ctrl('k')], Action::KillToEnd, "kill end", "delete to the end of the line", false),
    bind(C::Search, &[key(K::Enter)], Action::Accept, "keep", "keep the search", true),
    bind(C::Search, &[key(K::Backspace)], Action::Backspace, "delete", "delete a character", true),
    bind(C::Search, &[key(K::Esc)], Action::Cancel, "clear", "clear the search", true),
    bind(C::Ask, &[key(K::Enter)], Action::Accept, "ok", "accept", true),
    bind(C::Ask, &[key(K::Backspace)], Action::Backspace, "delete", "delete a character", true),
    bind(C::Ask, &[key(K::Esc)], Action::Cancel, "cancel", "go back", true),
    bind(C::Diff, &[key(K::Up), ch('k')], Action::Up, "up", "scroll up", false),
    bind(C::Diff, &[key(K::Down), ch('j')], Action::Down, "down", "scroll down", false),
    bind(C::Diff, &[ch('s')], Action::Save, "save", "save these changes", true),
    bind(C::Diff, &[key(K::Esc), ch('d'), ch('q')], Action::Cancel, "close", "close the preview", true),
    bind(C::Problems, &[key(K::Up), ch('k')], Action::Up, "up", "previous finding", false),
    bind(C::Problems, &[key(K::Down), ch('j')], Action::Down, "down", "next finding", false),
    bind(C::Problems, &[key(K::Enter)], Action::Accept, "go to", "select its variable", true),
    bind(C::Problems, &[key(K::Esc), ch('p'), ch('q')], Action::Cancel, "close", "close the list", true),
    bind(C::Mark, &[ch('o')], Action::Decide(Decision::Optional), "optional", "optional: never missing", true),
    bind(C::Mark, &[ch('x')], Action::Decide(Decision::External), "external", "issued by a provider", true),
    bind(C::Mark, &[ch('c')], Action::Decide(Decision::Config), "config", "configuration, not a secret", true),
    bind(C::Mark, &[ch('s')], Action::Decide(Decision::Secret), "secret", "a secret envward generates", true),
    bind(C::Mark, &[ch('=')], Action::Decide(Decision::SameAs), "same as", "holds the same value as…", true),
    bind(C::Mark, &[ch('i')], Action::Decide(Decision::Ignore), "ignore", "ignore its finding, with a reason", true),
    bind(C::Mark, &[ch('d')], Action::Decide(Decision::Document), "document", "add it to the example file", true),
    bind(C::Mark, &[key(K::Esc), ch('q')], Action::Cancel, "close", "go back", true),
    bind(C::Files, &[key(K::Up), ch('k')], Action::Up, "up", "previous file", false),
    bind(C::Files, &[key(K::Down), ch('j')], Action::Down, "down", "next file", false),
    bind(C::Files, &[key(K::Enter)], Action::Accept, "open", "open this file", true),
    bind(C::Files, &[key(K::Esc), ch('q')], Action::Cancel, "close", "go back", true),
    bind(C::Help, &[key(K::Up), ch('k')], Action::Up, "up", "scroll up", true),
    bind(C::Help, &[key(K::Down), ch('j')], Action::Down, "down", "scroll down", true),
    bind(C::Help, &[key(K::Esc), ch('?'), ch('q')], Action::Cancel, "close", "close the help", true),
    bind(C::Confirm, &[ch('y')], Action::Accept, "yes", "do it", true),
    bind(C::Confirm, &[key(K::Esc), ch('n')], Action::Cancel, "no", "go back", true),
    bind(C::ConfirmQuit, &[ch('s')], Action::Save, "save", "save, then quit", true),
    bind(C::ConfirmQuit, &[ch('y')], Action::Discard, "discard", "quit without saving", true),
    bind(C::ConfirmQuit, &[key(K::Esc), ch('n')], Action::Cancel, "stay", "go back", true),
    bind(C::Conflict, &[ch('R')], Action::Reload, "reload", "reload (drops your changes)", true),
    bind(C::Conflict, &[key(K::Esc)], Action::Cancel, "keep", "keep changes, do not save", true),
    bind(C::Notice, &[key(K::Enter), key(K::Esc)], Action::Cancel, "ok", "noted", true),
    Binding {
        context: None,
        keys: &[ctrl('c')],
        action: Action::Interrupt,
        hint: "quit",
        help: "quit (asks if unsaved; twice leaves)",
        footer: false,
    },
];

/// Contexts where printable keys are typed rather than looked up.
fn takes_text(context: Context) -> bool {
    matches!(context, Context::Edit | Context::Search | Context::Ask)
}

fn matches(k: &Key, event: &KeyEvent) -> bool {
    let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
    let alt = event.modifiers.contains(KeyModifiers::ALT);
    k.code == event.code && k.ctrl == ctrl && k.alt == alt
}

/// The action a key event asks for in `context`, if any. Key releases are ignored.
pub fn resolve(context: Context, event: &KeyEvent) -> Option<Action> {
    if event.kind == KeyEventKind::Release {
        return None;
    }
    let found = BINDINGS
        .iter()
        .filter(|b| b.context.is_none_or(|c| c == context))
        .find(|b| b.keys.iter().any(|k| matches(k, event)))
        .map(|b| b.action);
    if found.is_some() {
        return found;
    }
    let plain = !event
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    match event.code {
        KeyCode::Char(c) if takes_text(context) && plain && !c.is_control() => {
            Some(Action::Input(c))
        }
        _ => None,
    }
}

/// How a key is written in the footer and the help.
pub fn label(k: &Key) -> String {
    let name = match k.code {
        KeyCode::Up => "↑".to_string(),
        KeyCode::Down => "↓".to_string(),
        KeyCode::Left => "←".to_string(),
        KeyCode::Right => "→".to_string(),
        KeyCode::PageUp => "PgUp".to_string(),
        KeyCode::PageDown => "PgDn".to_string(),
        KeyCode::Home => "Home".to_string(),
        KeyCode::End => "End".to_string(),
        KeyCode::Enter => "Enter".to_string(),
        KeyCode::Esc => "Esc".to_string(),
        KeyCode::Tab => "Tab".to_string(),
        KeyCode::Backspace => "Bksp".to_string(),
        KeyCode::Delete => "Del".to_string(),
        KeyCode::Char(c) => c.to_string(),
        other => format!("{other:?}"),
    };
    match (k.ctrl, k.alt) {
        (true, _) if name.chars().count() == 1 => format!("^{}", name.to_uppercase()),
        (true, _) => format!("^{name}"),
        (false, true) => format!("M-{name}"),
        (false, false) => name,
    }
}

/// Every key of a binding, as `↑/k`.
pub fn labels(b: &Binding) -> String {
    b.keys.iter().map(label).collect::<Vec<_>>().join("/")
}

/// The footer's hints for `context`: (first key, short hint), in table order.
pub fn footer(context: Context) -> Vec<(String, &'static str)> {
    BINDINGS
        .iter()
        .filter(|b| b.footer && b.context == Some(context))
        .filter_map(|b| b.keys.first().map(|k| (label(k), b.hint)))
        .collect()
}

/// The help overlay's rows: (all keys, sentence) for `context`, then the keys that work
/// everywhere.
pub fn help(context: Context) -> Vec<(String, &'static str)> {
    BINDINGS
        .iter()
        .filter(|b| b.context.is_none_or(|c| c == context))
        .map(|b| (labels(b), b.help))
        .collect()
}

/// The first key bound to `action` in `context`, as the footer writes it (for sentences
/// such as "press g"), so a message cannot name a key the table does not bind.
pub fn key_for(context: Context, action: Action) -> String {
    BINDINGS
        .iter()
        .find(|b| b.context == Some(context) && b.action == action)
        .and_then(|b| b.keys.first())
        .map(label)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    const ALL: [Context; 13] = [
        C::List,
        C::Edit,
        C::Search,
        C::Ask,
        C::Help,
        C::Diff,
        C::Problems,
        C::Mark,
        C::Files,
        C::Confirm,
        C::ConfirmQuit,
        C::Conflict,
        C::Notice,
    ];

    #[test]
    fn list_keys_resolve_to_their_actions() {
        assert_eq!(
            resolve(C::List, &press(KeyCode::Char('j'))),
            Some(Action::Down)
        );
        assert_eq!(resolve(C::List, &press(KeyCode::Down)), Some(Action::Down));
        assert_eq!(
            resolve(
                C::List,
                &KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT)
            ),
            Some(Action::GenerateAll)
        );
        // Enter opens the detail, never the editor.
        assert_eq!(
            resolve(C::List, &press(KeyCode::Enter)),
            Some(Action::Details)
        );
        assert_eq!(resolve(C::List, &press(KeyCode::Char('z'))), None);
    }

    #[test]
    fn typing_contexts_take_printable_keys_as_input() {
        assert_eq!(
            resolve(C::Edit, &press(KeyCode::Char('q'))),
            Some(Action::Input('q'))
        );
        assert_eq!(
            resolve(C::Search, &press(KeyCode::Char('G'))),
            Some(Action::Input('G'))
        );
        assert_eq!(
            resolve(
                C::Edit,
                &KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)
            ),
            Some(Action::ToggleReveal)
        );
    }

    #[test]
    fn the_editor_knows_readline_keys() {
        let c = |ch| KeyEvent::new(KeyCode::Char(ch), KeyModifiers::CONTROL);
        let m = |ch| KeyEvent::new(KeyCode::Char(ch), KeyModifiers::ALT);
        assert_eq!(resolve(C::Edit, &c('a')), Some(Action::LineStart));
        assert_eq!(resolve(C::Edit, &c('e')), Some(Action::LineEnd));
        assert_eq!(resolve(C::Edit, &c('w')), Some(Action::DeleteWord));
        assert_eq!(resolve(C::Edit, &c('u')), Some(Action::KillToStart));
        assert_eq!(resolve(C::Edit, &c('k')), Some(Action::KillToEnd));
        assert_eq!(resolve(C::Edit, &m('b')), Some(Action::WordLeft));
        assert_eq!(resolve(C::Edit, &m('f')), Some(Action::WordRight));
        assert_eq!(
            resolve(C::Edit, &KeyEvent::new(KeyCode::Enter, KeyModifiers::ALT)),
            Some(Action::Newline)
        );
        // Alt with a letter is never typed as the letter.
        assert_eq!(resolve(C::Edit, &m('z')), None);
    }

    #[test]
    fn ctrl_c_is_bound_everywhere() {
        let event = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        for c in ALL {
            assert_eq!(resolve(c, &event), Some(Action::Interrupt), "{c:?}");
        }
    }

    #[test]
    fn r_means_reveal_and_shift_r_reload_wherever_they_are_bound() {
        for b in BINDINGS {
            if b.keys.contains(&ch('r')) {
                assert_eq!(b.action, Action::Reveal, "{:?}", b.context);
            }
            if b.keys.contains(&ctrl('r')) {
                assert_eq!(b.action, Action::ToggleReveal, "{:?}", b.context);
            }
            if b.keys.contains(&ch('R')) {
                assert_eq!(b.action, Action::Reload, "{:?}", b.context);
            }
        }
    }

    #[test]
    fn releases_are_ignored() {
        let mut event = press(KeyCode::Char('q'));
        event.kind = KeyEventKind::Release;
        assert_eq!(resolve(C::List, &event), None);
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                let overlap = a.context.is_none() || b.context.is_none() || a.context == b.context;
                if overlap {
                    for k in a.keys {
                        assert!(!b.keys.contains(k), "{k:?} bound twice ({:?})", a.context);
                    }
                }
            }
        }
    }

    #[test]
    fn footer_and_help_come_from_the_table() {
        let footer = footer(C::List);
        assert!(footer.contains(&("G".to_string(), "gen all")));
        assert!(footer.contains(&("?".to_string(), "help")));
        let help = help(C::List);
        assert!(help.contains(&("↑/k".to_string(), "previous variable")));
        assert!(help.contains(&("^C".to_string(), "quit (asks if unsaved; twice leaves)")));
        assert_eq!(key_for(C::List, Action::Generate), "g");
        assert_eq!(key_for(C::Edit, Action::WordLeft), "M-b");
    }
}
