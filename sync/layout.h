/*
 * layout.h — where the case store's three kinds of state live (README "Where state lives"),
 * so that the process facing the network never holds a key it does not need:
 *
 *   ROOT/casestore/  the server's folder: server.pem/.key (TLS), ca.pem, crl.pem,
 *                    devices/NAME.pem + devices/revoked.txt (the registry), store.sqlite
 *   ROOT/office/     the back office: casestore.key/.pem (opens every record; plus
 *                    casestore-next.* during a rotation), ca.pem, crl.pem
 *   ROOT/ca/         the enrolment tool: ca.key/.pem (signs certificates and the CRL),
 *                    config.json (URL, location, crisis phone for bundles), the recipient
 *                    certificates that bundles pin (casestore.pem, casestore-next.pem)
 *
 * `inloopctl --dir ROOT` takes the root; each command opens only the folders it needs, so
 * each folder can live under its own user or machine (ROOT then holds links to them).
 */
#ifndef INLOOP_LAYOUT_H
#define INLOOP_LAYOUT_H

#include <stddef.h>

enum layout_part {
	LAYOUT_CASESTORE,
	LAYOUT_OFFICE,
	LAYOUT_CA,
};

/* ROOT/<part> into buf; -1 (with error()) when it does not fit. */
int layout_dir(const char *root, enum layout_part part, char *buf, size_t size);

/* ROOT/<part>/name into buf; -1 (with error()) when it does not fit. */
int layout_path(const char *root, enum layout_part part, const char *name, char *buf,
		size_t size);

/*
 * The case-store folder the server is given: DIR itself, or DIR/casestore when DIR is a
 * layout root (holds a casestore/ folder). Into buf; -1 when it does not fit.
 */
int layout_server_dir(const char *dir, char *buf, size_t size);

#endif
