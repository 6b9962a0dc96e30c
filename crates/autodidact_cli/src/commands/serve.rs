//! `autodidact serve` and `autodidact migrate`

use std::sync::Arc;

use anyhow::{Context, Result};
use autodidact_store::Db;
use autodidact_web::{AppState, ServeLimits, build_router};

use crate::config::{ServerArgs, ServerConfig};

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

fn init_logging(filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .try_init();
}

/// Connects and applies migrations: the first thing `serve` and `migrate` do.
pub async fn open_database(config: &ServerConfig) -> Result<Db> {
    let db = Db::connect(&config.database_url).await.with_context(|| {
        format!(
            "cannot open the database at {}",
            redact(&config.database_url)
        )
    })?;
    db.migrate()
        .await
        .context("cannot apply the database migrations")?;
    Ok(db)
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{user}:***{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}

pub fn serve(args: &ServerArgs) -> Result<()> {
    let config = args.resolve()?;
    init_logging(&config.log);
    runtime()?.block_on(async move {
        let db = open_database(&config).await?;
        let listener = tokio::net::TcpListener::bind(config.bind)
            .await
            .with_context(|| format!("cannot listen on {}", config.bind))?;
        let local = listener.local_addr()?;
        tracing::info!(address = %local, database = %redact(&config.database_url), "serving");
        eprintln!(
            "Autodidact is running at http://{local} (database: {})",
            redact(&config.database_url)
        );
        let state = AppState::new(Arc::new(db.clone()), config.web.clone())?;
        let app = build_router(state);
        autodidact_web::serve(listener, app, ServeLimits::default(), shutdown_signal()).await;
        db.close().await;
        eprintln!("Autodidact stopped.");
        Ok(())
    })
}

pub fn migrate(args: &ServerArgs) -> Result<()> {
    let config = args.resolve()?;
    init_logging(&config.log);
    runtime()?.block_on(async move {
        let db = open_database(&config).await?;
        db.close().await;
        eprintln!(
            "The database at {} is up to date.",
            redact(&config.database_url)
        );
        Ok(())
    })
}

/// Ctrl-C or SIGTERM: stop accepting, finish the requests in flight, then return.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
