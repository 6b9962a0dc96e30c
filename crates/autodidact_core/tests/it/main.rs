#![allow(clippy::unwrap_used, clippy::expect_used)]

mod export;
mod file_format;
mod import;
mod planner;
mod templates;
