//! The baseline: axum with one empty handler, on the same runtime settings as `autodidact
//! serve` (tokio's multi-threaded runtime, one worker per core). `hello 127.0.0.1:8090`

use axum::Router;
use axum::routing::get;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8090".to_owned());
    let app = Router::new().route("/", get(|| async {}));
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    eprintln!("hello is listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await
}
