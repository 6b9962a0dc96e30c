#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod api;
mod authorization;
mod curricula;
mod dashboard;
mod follows;
mod logs;
pub mod support;
mod tokens;
