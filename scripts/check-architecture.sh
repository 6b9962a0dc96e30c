#!/usr/bin/env bash
# The layering invariants of ARCHITECTURE.md, checked on the real dependency graph.
set -euo pipefail
cd "$(dirname "$0")/.."

fail=0
forbid() {
  local crate=$1; shift
  local tree
  tree=$(cargo tree -p "$crate" -e normal --prefix none --format '{p}' 2>/dev/null | awk '{print $1}' | sort -u)
  for dep in "$@"; do
    if grep -qx "$dep" <<<"$tree"; then
      echo "architecture: $crate must not depend on $dep, but its tree contains it:" >&2
      cargo tree -p "$crate" -e normal -i "$dep" >&2 || true
      fail=1
    fi
  done
}

forbid autodidact_core sqlx axum tokio clap hyper reqwest
# The web crate reaches storage only through the core's traits.
forbid autodidact_web sqlx clap

# SQL text lives in the store crate only.
if grep -rnE '"(SELECT|INSERT INTO|UPDATE [a-z_]+ SET|DELETE FROM|CREATE TABLE) ' crates/autodidact_core/src crates/autodidact_web/src crates/autodidact_cli/src; then
  echo "architecture: SQL belongs in crates/autodidact_store" >&2
  fail=1
fi

# The command line calls the core's services; of the web crate it only starts the app (`serve`)
# and reads its settings, and renders the static site of a public profile (the web app's pages
# written to files): the crate-root items AppState, build_router, WebConfig, serve,
# ServeLimits, build_site, SiteFile and SITE_MARKER.
web_uses=$(grep -rnoE 'autodidact_web::[A-Za-z_{][A-Za-z_:{}, ]*' crates/autodidact_cli/src || true)
allowed='(AppState|build_router|WebConfig|serve|ServeLimits|build_site|SiteFile|SITE_MARKER)'
bad_uses=$(grep -vE ":autodidact_web::($allowed|\\{$allowed(, $allowed)*\\})\$" <<<"$web_uses" | grep -v '^$' || true)
if [ -n "$bad_uses" ]; then
  echo "architecture: the CLI reaches into the web crate; call a core service instead:" >&2
  echo "$bad_uses" >&2
  fail=1
fi

# No file IO in the domain crate: it takes text and returns values.
if grep -rnE 'std::fs|File::open|tokio::' crates/autodidact_core/src; then
  echo "architecture: autodidact_core/src must not do IO" >&2
  fail=1
fi

[ "$fail" -eq 0 ] && echo "architecture: ok (core: no sqlx, axum, tokio, clap or IO; web: no sqlx or clap; SQL only in the store; the CLI only starts the web app and renders its static site)"
exit "$fail"
