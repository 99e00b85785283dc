#!/bin/sh
# assets/office/install.sh — the office's part of the install step (called by
# platform/install-deps.sh): `npm ci` of the committed package-lock.json into
# assets/office/node_modules (NL Design System CSS, voorbeeld theme, Noto webfonts;
# axe-core and puppeteer-core for the browser tests). No install scripts run, nothing is
# fetched at build or run time. Skipped when the lock file is unchanged since the last run.
set -eu
d=$(cd "$(dirname "$0")" && pwd)
stamp="$d/node_modules/.inloop-lock"
if [ -f "$stamp" ] && cmp -s "$stamp" "$d/package-lock.json"; then
	exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
	echo "install-deps: npm is missing (Debian packages nodejs and npm)" >&2
	exit 1
fi
# Node carries its own CA list; trust the system's store too (where a site adds its own
# CA for the registry, e.g. a proxy, Debian's ca-certificates is where it lives).
if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -s /etc/ssl/certs/ca-certificates.crt ]; then
	export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
fi
npm ci --prefix "$d" --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
cp "$d/package-lock.json" "$stamp"
echo "install-deps: npm packages of the office installed in $d/node_modules" >&2
