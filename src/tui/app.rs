//! The edge of the TUI: the terminal and the event loop.
//!
//! It enters the alternate screen in raw mode, installs a panic hook that restores the
//! terminal before anything is printed (and prints no payload, which could hold a value),
//! turns keys, pastes, mouse events, resizes, signals and worker results into [`Msg`]s,
//! performs the [`Cmd`]s `update` returns, and redraws. Every event already waiting is
//! applied before the next frame is drawn, so a burst of typing (or a held key) costs one
//! frame, not one frame per key. The terminal is restored on every way out: quit, Ctrl-C
//! (a key in raw mode), SIGTERM/SIGHUP/SIGINT, an error, or a panic.

use std::io::{self, IsTerminal, Stdout};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::Duration;

use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event, KeyEventKind, MouseEventKind,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use super::model::{Model, Options};
use super::msg::{Cmd, Msg};
use super::update::{self, step, update};
use super::view::view;
use super::worker::{self, Job};
use crate::analysis::{FileFacts, Knowledge};
use crate::cli::save::SaveOptions;
use crate::cli::{Error, ExitCode, GlobalArgs, workspace};

/// How long the loop waits for input before looking at signals and the worker again.
const TICK: Duration = Duration::from_millis(50);

/// The most events applied before a frame is drawn (a paste of a million keys still shows
/// progress).
const MAX_BURST: usize = 4096;

/// Opens the TUI on the project the global flags describe.
pub fn run(global: &GlobalArgs) -> Result<ExitCode, Error> {
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        return Err(Error::Usage(
            "the interactive view needs a terminal; in scripts and CI use `envward check`"
                .to_string(),
        ));
    }
    let ws = open_workspace(global)?;
    let knowledge = Knowledge::builtin()?;
    let policy = ws.policy(global.policy);
    let facts = if ws.live.is_some() {
        workspace::file_facts(&ws.project.env_file)
    } else {
        FileFacts::default()
    };
    let options = Options {
        color: crate::cli::color_enabled(global, true),
        save: SaveOptions {
            identity: global.identity.clone(),
            follow_symlinks: global.follow_symlinks,
        },
        global: global.clone(),
    };
    let config_text =
        std::fs::read_to_string(ws.project.working_dir.join(workspace::CONFIG_NAME)).ok();
    let mut model = Model::new(
        ws,
        knowledge,
        policy,
        facts,
        jiff::Timestamp::now(),
        options,
    );
    model.config_text = config_text;
    // It edits one file: where the services load several and none is `.env`, say how to
    // open each instead of "Nothing to fix".
    if let Some(note) = workspace::one_at_a_time(global, &model.ws, "") {
        model.status = Some(super::mode::StatusLine {
            text: note,
            tone: super::mode::Tone::Warn,
        });
    }
    let signals = Arc::new(AtomicBool::new(false));
    for sig in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
    ] {
        signal_hook::flag::register(sig, Arc::clone(&signals))?;
    }
    let mut terminal = enter()?;
    let result = event_loop(&mut terminal, model, &signals);
    restore();
    let message = result?;
    if let Some(m) = message {
        eprintln!("{m}");
    }
    Ok(ExitCode::Clean)
}

/// Raw mode, the alternate screen (nothing stays in scrollback), bracketed paste, and a
/// panic hook that restores all that first.
fn enter() -> io::Result<Terminal<CrosstermBackend<Stdout>>> {
    std::panic::set_hook(Box::new(|_| {
        restore();
        // One fixed line, no payload (it could quote a value), exit 2.
        crate::cli::exit_after_panic();
    }));
    enable_raw_mode()?;
    if let Err(e) = execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableBracketedPaste,
        EnableMouseCapture
    ) {
        restore();
        return Err(e);
    }
    Terminal::new(CrosstermBackend::new(io::stdout())).inspect_err(|_| restore())
}

/// The workspace the TUI opens on: as [`workspace::load_editing`] reads it, except on a
/// fresh checkout, where the working copy starts as the example's copy (not yet on disk;
/// `s` creates the file), judged as `fill` judges it. The stand-ins the example carries
/// then show as placeholders and `G` replaces them, instead of being copied in as they are
/// and flagged only after the first save.
pub fn open_workspace(global: &GlobalArgs) -> Result<workspace::Workspace, Error> {
    let ws = workspace::load_editing(global)?;
    Ok(workspace::as_created_from_example(global, &ws).unwrap_or(ws))
}

/// Puts the terminal back as it was. Safe to call more than once.
fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

fn event_loop(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    mut model: Model,
    signals: &AtomicBool,
) -> Result<Option<String>, Error> {
    let (out, results): (mpsc::Sender<Msg>, Receiver<Msg>) = mpsc::channel();
    let (jobs, worker_thread) = worker::spawn(out)?;
    let size = terminal.size()?;
    update(&mut model, Msg::Resize(size.width, size.height));
    model.env_files = worker::env_files(&model.ws.project.working_dir);
    let mut redraw = true;
    while !model.quit {
        if redraw {
            model.settle();
            terminal.draw(|f| view(&model, f))?;
            redraw = false;
        }
        let mut msgs = Vec::new();
        if signals.load(Ordering::Relaxed) {
            msgs.push(Msg::Terminate);
        }
        if wait_for_input(TICK) == Input::HungUp {
            msgs.push(Msg::Terminate);
        } else {
            // Everything already waiting, not one event per tick: 200 typed characters are
            // applied together and drawn once.
            while event::poll(Duration::ZERO)? {
                match event::read()? {
                    Event::Key(k) if k.kind != KeyEventKind::Release => msgs.push(Msg::Key(k)),
                    Event::Paste(text) => msgs.push(Msg::Paste(text)),
                    Event::Resize(w, h) => msgs.push(Msg::Resize(w, h)),
                    Event::Mouse(m) if !matches!(m.kind, MouseEventKind::Moved) => {
                        msgs.push(Msg::Mouse(m));
                    }
                    _ => {}
                }
                if msgs.len() >= MAX_BURST {
                    break;
                }
            }
        }
        loop {
            match results.try_recv() {
                Ok(m) => msgs.push(m),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    return Err(Error::Usage(
                        "the worker thread stopped unexpectedly; nothing more was saved"
                            .to_string(),
                    ));
                }
            }
        }
        for msg in msgs {
            redraw = true;
            handle(&mut model, msg, &jobs, terminal)?;
            if model.quit {
                break;
            }
        }
    }
    drop(jobs);
    // A save in flight finishes (quit waits for it); nothing else can be running here.
    let _ = worker_thread.join();
    Ok(model.exit_message.take())
}

/// What waiting on the terminal found.
#[derive(Debug, PartialEq, Eq)]
enum Input {
    /// A key, a paste, or nothing before the timeout: ask crossterm.
    Maybe,
    /// The terminal went away (the window closed, the SSH link dropped).
    HungUp,
}

/// Waits up to `timeout` for the terminal. The wait is ours, not crossterm's: once the
/// terminal hangs up, standard input reads end-of-file forever and crossterm's own poll
/// spins on it without returning, and the SIGHUP that usually says so does not always reach
/// us (under `sh -c` we are not the session's leader). `POLLHUP` on standard input does.
fn wait_for_input(timeout: Duration) -> Input {
    use rustix::event::{PollFd, PollFlags, Timespec};
    let stdin = io::stdin();
    let mut fds = [PollFd::new(&stdin, PollFlags::IN)];
    let wait = Timespec {
        tv_sec: 0,
        tv_nsec: i64::try_from(timeout.as_nanos()).unwrap_or(50_000_000),
    };
    match rustix::event::poll(&mut fds, Some(&wait)) {
        Ok(_)
            if fds[0]
                .revents()
                .intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL) =>
        {
            Input::HungUp
        }
        _ => Input::Maybe,
    }
}

/// Applies a message and performs the commands that follow: generation here (it takes
/// microseconds, from the OS generator), a clipboard copy on the terminal, saving,
/// reloading and writing on the worker.
fn handle(
    model: &mut Model,
    msg: Msg,
    jobs: &mpsc::Sender<Job>,
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
) -> Result<(), Error> {
    let mut next = step(model, msg);
    while let Some(cmd) = next.take() {
        let job = match cmd {
            Cmd::Generate(requests) => {
                let msg = update::generate(&requests, &mut crate::generate::os_rng());
                next = step(model, msg);
                continue;
            }
            Cmd::Copy(value) => {
                copy_to_clipboard(terminal, &value)?;
                continue;
            }
            Cmd::Save(job) => Job::Save(job),
            Cmd::Reload(job) => Job::Reload(job),
            Cmd::Analyze(job) => Job::Analyze(job),
            Cmd::Record(job) => Job::Record(job),
            Cmd::Open(global) => Job::Open(global),
            Cmd::ListFiles(dir) => Job::ListFiles(dir),
        };
        jobs.send(job).map_err(|_| {
            Error::Usage("the worker thread stopped unexpectedly; nothing was saved".to_string())
        })?;
    }
    Ok(())
}

/// Sends `value` to the terminal's clipboard with OSC 52 (the user pressed the copy key;
/// nothing else ever writes a value to the terminal). The escape is built in a zeroed
/// buffer.
fn copy_to_clipboard(
    terminal: &mut Terminal<CrosstermBackend<Stdout>>,
    value: &secrecy::SecretString,
) -> io::Result<()> {
    use base64::Engine as _;
    use secrecy::ExposeSecret as _;
    use std::io::Write as _;
    let mut seq = zeroize::Zeroizing::new(String::from("\x1b]52;c;"));
    base64::engine::general_purpose::STANDARD.encode_string(value.expose_secret(), &mut seq);
    seq.push('\x07');
    let out = terminal.backend_mut();
    out.write_all(seq.as_bytes())?;
    out.flush()
}
