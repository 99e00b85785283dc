/*
 * enroll.h — the device side of enrolment (no secret ever leaves the device):
 *   enroll-request NAME : make device.key (0600, P-256) and device.csr in the state folder
 *   enroll BUNDLE       : check and install the CA's answer (device.pem, ca.pem,
 *                         recipients.pem, config.json)
 * The CA side (inloopctl enroll / init-demo) is sync/ca/ca.c; the subcommands are
 * app/kiosk/cmd_enroll.c.
 */
#ifndef INLOOP_ENROLL_H
#define INLOOP_ENROLL_H

#include <stddef.h>

#include "sync/record/wire.h"

/*
 * Makes (or reuses, when a request was made before) STATE/device.key and writes
 * STATE/device.csr for CN=name; the CSR's path goes to csr_path. Refuses an already
 * enrolled device (device.pem exists) and an invalid name.
 */
int enroll_request(const char *state_dir, const char *name, char *csr_path, size_t size);

/*
 * Installs the bundle at bundle_path into STATE after checking that its device
 * certificate belongs to STATE/device.key, chains to the bundle's CA for signing and
 * TLS client use, and that each recipient certificate is a P-256 key-agreement
 * certificate of the same CA. device.pem is written last: its presence means enrolled.
 * The enrolled device id goes to id (size bytes).
 */
int enroll_install(const char *state_dir, const char *bundle_path, char *id, size_t size);

#endif
