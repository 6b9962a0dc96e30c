//! Spaced review of finished items: the FSRS rules (`rules`) and the use cases (`service`):
//! marking a done item worth revisiting, grading a review, and stopping.

mod rules;
mod service;

pub use rules::*;
pub use service::{ReviewServiceError, grade_review, mark_for_review, stop_review};
