//! The interactive terminal UI: `envward` with no subcommand.
//!
//! Built in The Elm Architecture: a plain-data [`model::Model`], a pure
//! [`update::update`] that turns [`msg::Msg`]s into changes and [`msg::Cmd`]s, and a
//! side-effect-free [`view::view`] (one file per pane). Keys resolve through one table
//! ([`keys`]), which also writes the footer and the help overlay. [`editor`] is the value
//! editor, [`rows`] what the list shows, [`layout`] where the panes go, [`decide`] how
//! decisions are written to `envward.toml`. [`app`] owns the terminal and the loop;
//! [`worker`] saves, reloads and writes decisions off the UI thread.

pub mod app;
pub mod decide;
pub mod editor;
pub mod keys;
pub mod layout;
pub mod mode;
pub mod model;
pub mod msg;
pub mod rows;
pub mod update;
pub mod view;
pub mod worker;

pub use app::run;
pub use model::{Model, Options};
pub use msg::{Cmd, Msg};
pub use update::{step, update};
pub use view::view;
