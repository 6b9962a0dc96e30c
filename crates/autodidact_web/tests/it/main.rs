#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
pub mod support;
