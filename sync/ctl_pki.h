/*
 * ctl_pki.h — the case-store side of the PKI: the demo PKI, issuing enrolment bundles,
 * revocation (crl.pem) and recipient-key rotation, and the inloopctl subcommands
 * init-demo, open, enroll, revoke, rotate-recipient.
 *
 * Every dir below is a layout root (layout.h): ca/ holds ca.pem, ca.key (0600),
 * config.json {"url", "location", "crisis_phone"} and the recipient certificates bundles
 * pin; office/ holds casestore.pem/.key (the ECDH recipient) [casestore-next.pem/.key
 * during rotation], ca.pem, crl.pem; casestore/ holds server.pem/.key (TLS), ca.pem,
 * crl.pem, devices/NAME.pem (issued certs), devices/revoked.txt ("SERIALHEX NAME" per
 * line). For the demo, device/ is a device state folder, enrolled through the same
 * functions as a real device.
 */
#ifndef INLOOP_CTL_PKI_H
#define INLOOP_CTL_PKI_H

#include <stddef.h>

#define CA_DEMO_DEVICE "kiosk-demo-1"
#define CA_DEFAULT_URL "https://127.0.0.1:8443"

/* Makes the demo PKI and enrolled demo device in dir (refuses an existing PKI). */
int ca_init_demo(const char *dir, const char *url);

/* What a bundle tells the device beyond certificates; NULL fields take the defaults
 * (location and crisis_phone from the store's config.json, mode "kiosk"). */
struct ca_settings {
	const char *location;
	const char *crisis_phone;
	const char *mode;          /* "kiosk" or "field" (a consultant's laptop) */
};

/*
 * Checks the CSR at csr_path (signature, EC P-256, valid CN = a device name not
 * enrolled, or revoked before), issues the device certificate, records it in devices/,
 * and writes the bundle (JSON, ENROLL_BUNDLE_FORMAT: certificates, URL, location, crisis
 * phone, mode; no secrets) to out_path, or to devices/NAME.bundle.json when out_path is
 * NULL. The path written goes to written (wsize bytes).
 */
int ca_issue_bundle(const char *dir, const char *csr_path, const struct ca_settings *set,
		    const char *out_path, char *written, size_t wsize);

/* Adds devices/NAME.pem's serial to devices/revoked.txt and regenerates crl.pem. */
int ca_revoke(const char *dir, const char *name);

#define CA_CRL_RENEW_DAYS 60   /* `crl renew` re-signs when fewer days than this are left */
#define CA_CRL_WARN_DAYS 30    /* the case store warns loudly from this many days before */

/* Regenerates crl.pem from devices/revoked.txt (signed by ca.key, valid 90 days) and
 * publishes it to casestore/ and office/. */
int ca_write_crl(const char *dir);

/* Renews the CRL (valid valid_days) when fewer than min_days are left (0: always);
 * prints what it did. */
int ca_renew_crl(const char *dir, int min_days, int valid_days);

/* Days until the CRL at path expires (negative once expired) into *days; -1 when unreadable. */
int ca_crl_days_left(const char *path, int *days);

/* inloopctl subcommands (dir = --dir, may be NULL). */
int ctl_init_demo(const char *dir, int argc, char **argv);
int ctl_open(const char *dir, int argc, char **argv);
int ctl_enroll(const char *dir, int argc, char **argv);
int ctl_revoke(const char *dir, int argc, char **argv);
int ctl_rotate_recipient(const char *dir, int argc, char **argv);
int ctl_crl(const char *dir, int argc, char **argv);

#endif
