#!/usr/bin/env python3
"""tests/casestore_wire.py - raw HTTP/1.1 over mutual TLS to a running case store, for the
requests curl will not make (issue 9: D2, D10). Prints "key=value" lines.

  casestore_wire.py keepalive PORT DEVICE_DIR ID1 FILE1 ID2 FILE2 [CMD...]
      PUT FILE1 as ID1, then runs CMD (e.g. inloopctl revoke), then PUTs FILE2 as ID2 on
      the same connection: first=, second=, same_connection=
  framing PORT DEVICE_DIR ID FILE EXTRA_LEN
      PUT with two Content-Length headers, len(FILE) and len(FILE)+EXTRA_LEN: status=
  oversize PORT DEVICE_DIR ID LENGTH
      announces LENGTH bytes, sends 1000, then waits: status=, ms= (until the answer),
      closed= (the server closed the connection without the rest of the body)
"""
import socket
import ssl
import subprocess
import sys
import time
import http.client

PORT = int(sys.argv[2])
DEV = sys.argv[3]


def context():
    ctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=DEV + "/ca.pem")
    ctx.load_cert_chain(DEV + "/device.pem", DEV + "/device.key")
    return ctx


def tls_socket():
    raw = socket.create_connection(("127.0.0.1", PORT), timeout=5)
    return context().wrap_socket(raw, server_hostname="127.0.0.1")


def status_of(data):
    try:
        return int(data.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return 0


def keepalive(id1, f1, id2, f2, *cmd):
    c = http.client.HTTPSConnection("127.0.0.1", PORT, context=context(), timeout=5)
    hdr = {"Content-Type": "application/pkcs7-mime"}
    c.request("PUT", "/v1/records/" + id1, body=open(f1, "rb").read(), headers=hdr)
    r = c.getresponse()
    r.read()
    print("first=%d" % r.status)
    sock = c.sock
    if cmd:
        subprocess.run(list(cmd), check=True, stdout=subprocess.DEVNULL)
        time.sleep(0.05)
    c.request("PUT", "/v1/records/" + id2, body=open(f2, "rb").read(), headers=hdr)
    r = c.getresponse()
    r.read()
    print("second=%d" % r.status)
    print("same_connection=%d" % (c.sock is sock and sock is not None))


def framing(rid, f, extra):
    body = open(f, "rb").read()
    s = tls_socket()
    s.sendall(("PUT /v1/records/%s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               "Content-Type: application/pkcs7-mime\r\nContent-Length: %d\r\n"
               "Content-Length: %d\r\n\r\n" % (rid, len(body), len(body) + int(extra))).encode()
              + body)
    print("status=%d" % status_of(s.recv(4096)))
    s.close()


def oversize(rid, length):
    s = tls_socket()
    s.sendall(("PUT /v1/records/%s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               "Content-Type: application/pkcs7-mime\r\nContent-Length: %d\r\n\r\n"
               % (rid, int(length))).encode() + bytes(1000))
    t0 = time.monotonic()
    s.settimeout(4)
    try:
        data = s.recv(4096)
    except (socket.timeout, OSError):
        data = b""
    print("status=%d" % status_of(data))
    print("ms=%d" % ((time.monotonic() - t0) * 1000))
    closed = 0
    try:
        while True:
            more = s.recv(4096)
            if not more:
                closed = 1
                break
    except socket.timeout:
        closed = 0
    except (ssl.SSLError, OSError):
        closed = 1
    print("closed=%d" % closed)
    s.close()


if __name__ == "__main__":
    {"keepalive": keepalive, "framing": framing, "oversize": oversize}[sys.argv[1]](*sys.argv[4:])
