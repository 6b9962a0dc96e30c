//! Autodidact's web app: server-rendered HTML pages (askama) and the JSON API under `/api/v1`,
//! both over the core's services and storage traits.
//!
//! What belongs here: routing, extracting and validating requests, authentication, CSRF,
//! rendering. What does not: SQL (the store crate), domain rules (the core). Handlers stay thin:
//! extract, call the core or the store, render.

mod account;
mod accounts;
mod api;
mod app;
mod assets;
mod auth;
mod caching;
mod commitments;
mod crowd;
mod curricula;
mod dashboard;
mod error;
mod explore;
mod follows;
mod health;
mod home;
mod insight;
mod logs;
mod mail;
pub mod markdown;
mod memos;
mod page;
mod reviews;
mod security;
mod serve;
mod sharing;
mod today;
mod tokens;
mod upstream;
mod week;

pub use app::{AppState, WebConfig, build_router};
pub use error::{ApiError, PageError};
pub use mail::MailError;
pub use serve::{ServeLimits, serve};
/// The static site of a public profile (`autodidact site` writes it to a folder).
pub use sharing::site::{SITE_MARKER, SiteFile, build_site};
