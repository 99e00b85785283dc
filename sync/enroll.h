/*
 * enroll.h — the device side of enrolment (no secret ever leaves the device):
 *   enroll-request NAME : make device.key (0600, P-256) and device.csr in the state folder
 *   enroll BUNDLE       : check and install the CA's answer (device.pem, ca.pem,
 *                         recipients.pem, config.json)
 * The CA side (inloopctl enroll / init-demo) is in ctl_pki.c.
 */
#ifndef INLOOP_ENROLL_H
#define INLOOP_ENROLL_H

#include <stddef.h>

#include "app/commands.h"

#define ENROLL_BUNDLE_FORMAT "inloop-enrolment-bundle/1"

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

/* build/inloop subcommands: enroll-request NAME, enroll BUNDLE. */
int cmd_enroll_request(const struct inloop_opts *o, int argc, char **argv);
int cmd_enroll(const struct inloop_opts *o, int argc, char **argv);

#endif
