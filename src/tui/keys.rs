//! The one key table: which key does what in which context, with the words the footer and
//! the help overlay show.
//!
//! [`update`](super::update) never looks at a key code: it asks [`resolve`] for an [`Action`]
//! and matches on that. The footer ([`footer`]) and the help overlay ([`help`]) are generated
//! from the same [`BINDINGS`], so what they say is what the keys do.

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
    /// The help overlay.
    Help,
    /// The preview of unsaved changes.
    Diff,
    /// Quitting with unsaved changes.
    ConfirmQuit,
    /// A save was refused because the file changed on disk.
    Conflict,
    /// A one-time notice to read (the backup identity was just created).
    Notice,
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
    /// Generate the selected value.
    Generate,
    /// Generate every value envward can fix.
    GenerateAll,
    /// Rotate the selected secret: a new value, and the plan for putting it in service.
    Rotate,
    /// Edit the selected value.
    Edit,
    /// Show the selected value until the selection moves.
    Reveal,
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
    /// The help overlay.
    Help,
    /// Quit (asks first when there are unsaved changes).
    Quit,
    /// Close the overlay or prompt; in the list, clear search, filter and messages.
    Cancel,
    /// Ctrl-C: leave now, restoring the terminal.
    Interrupt,
    /// Accept what was typed.
    Accept,
    /// Delete the last character typed.
    Backspace,
    /// Show or hide the value being typed.
    ToggleReveal,
    /// Read the live file again from disk, dropping unsaved changes.
    Reload,
    /// Quit without saving.
    Discard,
    /// A character typed into a prompt (not in the table: any printable key).
    Input(char),
}

/// One key: a code and whether Ctrl is held. Shift is part of the character (`G`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// The key.
    pub code: KeyCode,
    /// Ctrl held.
    pub ctrl: bool,
}

const fn key(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
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

/// The key table, in the order the footer and help list it.
#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    bind(C::List, &[key(KeyCode::Up), ch('k')], Action::Up, "up", "previous variable", false),
    bind(C::List, &[key(KeyCode::Down), ch('j')], Action::Down, "down", "next variable", false),
    bind(C::List, &[key(KeyCode::PageUp)], Action::PageUp, "page up", "one page up", false),
    bind(C::List, &[key(KeyCode::PageDown)], Action::PageDown, "page down", "one page down", false),
    bind(C::List, &[key(KeyCode::Home)], Action::Home, "first", "first variable", false),
    bind(C::List, &[key(KeyCode::End)], Action::End, "last", "last variable", false),
    bind(C::List, &[ch('g')], Action::Generate, "gen", "generate the selected value", true),
    bind(C::List, &[ch('G')], Action::GenerateAll, "gen all", "generate all fixable", true),
    bind(C::List, &[ch('R')], Action::Rotate, "rotate", "rotate: new value and plan", false),
    bind(C::List, &[ch('e'), key(KeyCode::Enter)], Action::Edit, "edit", "type a value (masked)", true),
    bind(C::List, &[ch('r')], Action::Reveal, "reveal", "show value until you move", true),
    bind(C::List, &[ch('u')], Action::Undo, "undo", "undo the last change", true),
    bind(C::List, &[ch('d')], Action::Diff, "diff", "preview changes (masked)", true),
    bind(C::List, &[ch('s')], Action::Save, "save", "save (0600) with a backup", true),
    bind(C::List, &[ch('/')], Action::Search, "search", "search names", true),
    bind(C::List, &[ch('f')], Action::Filter, "filter", "cycle the status filter", true),
    bind(C::List, &[key(KeyCode::Tab)], Action::Details, "details", "enlarge the detail pane", false),
    bind(C::List, &[ch('?')], Action::Help, "help", "this help", true),
    bind(C::List, &[ch('q')], Action::Quit, "quit", "quit (asks if unsaved)", true),
    bind(C::List, &[key(KeyCode::Esc)], Action::Cancel, "clear", "clear search and filter", false),
    bind(C::Edit, &[key(KeyCode::Enter)], Action::Accept, "set", "set the value typed", true),
    bind(C::Edit, &[key(KeyCode::Backspace)], Action::Backspace, "delete", "delete a character", true),
    bind(C::Edit, &[ctrl('r')], Action::ToggleReveal, "reveal", "show or hide what you type", true),
    bind(C::Edit, &[key(KeyCode::Esc)], Action::Cancel, "cancel", "leave the value as it was", true),
    bind(C::Search, &[key(KeyCode::Enter)], Action::Accept, "keep", "keep the search", true),
    bind(C::Search, &[key(KeyCode::Backspace)], Action::Backspace, "delete", "delete a character", true),
    bind(C::Search, &[key(KeyCode::Esc)], Action::Cancel, "clear", "clear the search", true),
    bind(C::Diff, &[key(KeyCode::Up), ch('k')], Action::Up, "up", "scroll up", false),
    bind(C::Diff, &[key(KeyCode::Down), ch('j')], Action::Down, "down", "scroll down", false),
    bind(C::Diff, &[ch('s')], Action::Save, "save", "save these changes", true),
    bind(C::Diff, &[key(KeyCode::Esc), ch('d'), ch('q')], Action::Cancel, "close", "close the preview", true),
    bind(C::Help, &[key(KeyCode::Esc), ch('?'), ch('q')], Action::Cancel, "close", "close the help", true),
    bind(C::ConfirmQuit, &[ch('s')], Action::Save, "save", "save, then quit", true),
    bind(C::ConfirmQuit, &[ch('y')], Action::Discard, "discard", "quit without saving", true),
    bind(C::ConfirmQuit, &[key(KeyCode::Esc), ch('n')], Action::Cancel, "stay", "go back", true),
    bind(C::Conflict, &[ch('r')], Action::Reload, "reload", "reload (drops your changes)", true),
    bind(C::Conflict, &[key(KeyCode::Esc)], Action::Cancel, "keep", "keep changes, do not save", true),
    bind(C::Notice, &[key(KeyCode::Enter), key(KeyCode::Esc)], Action::Cancel, "ok", "noted", true),
    Binding {
        context: None,
        keys: &[ctrl('c')],
        action: Action::Interrupt,
        hint: "exit",
        help: "leave now, without saving",
        footer: false,
    },
];

/// Contexts where printable keys are typed rather than looked up.
fn takes_text(context: Context) -> bool {
    matches!(context, Context::Edit | Context::Search)
}

fn matches(k: &Key, event: &KeyEvent) -> bool {
    let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
    k.code == event.code && k.ctrl == ctrl
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
        KeyCode::PageUp => "PgUp".to_string(),
        KeyCode::PageDown => "PgDn".to_string(),
        KeyCode::Home => "Home".to_string(),
        KeyCode::End => "End".to_string(),
        KeyCode::Enter => "Enter".to_string(),
        KeyCode::Esc => "Esc".to_string(),
        KeyCode::Tab => "Tab".to_string(),
        KeyCode::Backspace => "Bksp".to_string(),
        KeyCode::Char(c) => c.to_string(),
        other => format!("{other:?}"),
    };
    if k.ctrl {
        format!("^{}", name.to_uppercase())
    } else {
        name
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

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

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
        assert_eq!(resolve(C::List, &press(KeyCode::Enter)), Some(Action::Edit));
        assert_eq!(resolve(C::List, &press(KeyCode::Char('x'))), None);
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
    fn ctrl_c_interrupts_everywhere() {
        let event = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        for c in [
            C::List,
            C::Edit,
            C::Search,
            C::Help,
            C::Diff,
            C::ConfirmQuit,
            C::Conflict,
            C::Notice,
        ] {
            assert_eq!(resolve(c, &event), Some(Action::Interrupt), "{c:?}");
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
        assert!(help.contains(&("^C".to_string(), "leave now, without saving")));
    }
}
