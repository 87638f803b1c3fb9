//! The interactive terminal UI: `envward` with no subcommand.
//!
//! Built in The Elm Architecture: a plain-data [`model::Model`], a pure
//! [`update::update`] that turns [`msg::Msg`]s into changes and [`msg::Cmd`]s, and a
//! side-effect-free [`view::view`]. Keys resolve through one table ([`keys`]), which also
//! writes the footer and the help overlay. [`app`] owns the terminal and the loop;
//! [`worker`] saves and reloads off the UI thread.

pub mod app;
pub mod keys;
pub mod model;
pub mod msg;
pub mod update;
pub mod view;
pub mod worker;

pub use app::run;
pub use model::{Model, Options};
pub use msg::{Cmd, Msg};
pub use update::update;
pub use view::view;
