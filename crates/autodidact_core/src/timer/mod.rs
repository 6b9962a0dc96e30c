//! The study timer: started on an item and stopped when the work is done, kept on the server
//! so that it survives a closed tab, a reload or another device.
//!
//! - `rules`: how long a run is in whole minutes, and when it cannot be logged;
//! - `service`: start, stop (which logs the time through `logs::record_log`, so a timed log
//!   follows every rule of a typed one) and discard.

mod rules;
mod service;

pub use rules::{TimerError, elapsed_minutes};
pub use service::{
    Stopped, TimerServiceError, discard_timer, running_timer, start_timer, stop_timer,
};
