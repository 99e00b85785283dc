/*
 * wire.h — what the device and the municipality agree on outside the record itself.
 */
#ifndef INLOOP_WIRE_H
#define INLOOP_WIRE_H

/* The enrolment bundle the CA writes (sync/ca/ca.c) and the device installs
 * (sync/device/enroll.c). */
#define ENROLL_BUNDLE_FORMAT "inloop-enrolment-bundle/1"

#endif
