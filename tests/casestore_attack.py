#!/usr/bin/env python3
"""tests/casestore_attack.py - bounded attacks on a running case store (issue 9, D1),
driven by t5201, and on the web office's listener (t5204). Loopback only; every phase is
limited in count and in time.

  casestore_attack.py PHASE PORT DEVICE_DIR [ARGS]   the case store: a device is the good client
  casestore_attack.py PHASE PORT CA.pem [ARGS]       the office: a browser (GET /login, no
                                                     client certificate) is the good client

Phases print "key=value" lines that the shell test checks:
  slowloris N [S]   N sockets from 127.0.0.2 drip a ClientHello one byte per 0.2 s for up
                    to S s (4); prints how many the server closed and the latest close (ms)
  peraddr N         N silent sockets from 127.0.0.3; prints how many were closed in 0.5 s
  flood N GOOD      N connects from 127.0.0.10-.59 (silent, held) while a device makes
                    GOOD fresh-connection requests; prints the device's p50/p99 and failures
  emfile PID LOG N SECS
                    lowers server PID's fd limit to 10 above what it holds, holds N silent
                    sockets for SECS, then gives the limit back and makes a good request;
                    prints the fd limit used, the lines of LOG with "accept" that came,
                    the server's CPU ms meanwhile and the good request's status and time
  tlsidle N GOOD    N connections from 127.0.0.100-.102 finish their TLS handshake (with
                    the device certificate at the case store) and then send nothing, held
                    while the good client makes GOOD requests; prints how many were held
                    and the good client's failures
  framing           raw requests with ambiguous framing (two Content-Lengths, Content-Length
                    with Transfer-Encoding) and their twins; prints NAME=STATUS,closed|open
"""
import os
import resource
import socket
import ssl
import sys
import threading
import time
import http.client

PORT = int(sys.argv[2])
DEV = sys.argv[3]
BROWSER = DEV.endswith(".pem")   # the office: DEV is the CA file to trust
GOOD_PATH = "/login" if BROWSER else "/v1/health"


def tcp_from(addr, timeout=0.05):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((addr, 0))
    s.settimeout(2)
    s.connect(("127.0.0.1", PORT))
    s.settimeout(timeout)
    return s


def closed_by_peer(s):
    """True when the server has closed s (EOF or reset); never blocks long."""
    try:
        return s.recv(4096) == b""
    except socket.timeout:
        return False
    except OSError:
        return True


def device_context():
    if BROWSER:
        return ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=DEV)
    ctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=DEV + "/ca.pem")
    ctx.load_cert_chain(DEV + "/device.pem", DEV + "/device.key")
    return ctx


def device_request(ctx, timeout=5.0):
    """One GET of GOOD_PATH on a fresh connection from 127.0.0.1: (status, seconds)."""
    t0 = time.monotonic()
    c = http.client.HTTPSConnection("127.0.0.1", PORT, context=ctx, timeout=timeout,
                                    source_address=("127.0.0.1", 0))
    try:
        c.request("GET", GOOD_PATH)
        status = c.getresponse().status
    except (OSError, http.client.HTTPException):
        status = 0
    finally:
        c.close()
    return status, time.monotonic() - t0


def slowloris(n, secs=4.0):
    hello = bytes([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]) + bytes(64)
    socks = [tcp_from("127.0.0.2") for _ in range(n)]
    t0 = time.monotonic()
    closed = {}
    i = 0
    while time.monotonic() - t0 < secs and len(closed) < n:
        for k, s in enumerate(socks):
            if k in closed:
                continue
            try:
                s.send(hello[i % len(hello):i % len(hello) + 1])
            except OSError:
                closed[k] = time.monotonic() - t0
                continue
            if closed_by_peer(s):
                closed[k] = time.monotonic() - t0
        i += 1
        time.sleep(0.2)
    for s in socks:
        s.close()
    print("closed=%d" % len(closed))
    print("last_close_ms=%d" % (max(closed.values()) * 1000 if closed else 99999))


def peraddr(n):
    socks = [tcp_from("127.0.0.3") for _ in range(n)]
    time.sleep(0.5)
    closed = sum(1 for s in socks if closed_by_peer(s))
    for s in socks:
        s.close()
    print("closed=%d" % closed)


def flood(n, good):
    ctx = device_context()
    stop = threading.Event()
    made = [0]

    def attacker():
        held = []
        while not stop.is_set() and made[0] < n:
            addr = "127.0.0.%d" % (10 + made[0] % 50)
            try:
                held.append(tcp_from(addr, timeout=0.001))
                made[0] += 1
            except OSError:
                time.sleep(0.01)
            if len(held) > 400:
                held.pop(0).close()
            time.sleep(0.002)
        stop.wait(10)
        for s in held:
            s.close()

    th = threading.Thread(target=attacker)
    th.start()
    while made[0] < min(n, 200):   # the attack is under way before the device starts
        time.sleep(0.01)
    lat, fails = [], 0
    t_end = time.monotonic() + 8.0
    for _ in range(good):
        if time.monotonic() > t_end:
            break
        status, secs = device_request(ctx)
        lat.append(secs)
        fails += status != 200
    stop.set()
    th.join()
    lat.sort()
    p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000 if lat else 99999
    print("attack_connects=%d" % made[0])
    print("good=%d" % len(lat))
    print("good_failed=%d" % fails)
    print("good_p50_ms=%d" % p(0.50))
    print("good_p99_ms=%d" % p(0.99))


def cpu_ms(pid):
    """utime + stime of pid (fields 14 and 15 of /proc/PID/stat) in ms."""
    stat = open("/proc/%d/stat" % pid).read()
    rest = stat[stat.rindex(")") + 2:].split()
    return (int(rest[11]) + int(rest[12])) * 1000 // os.sysconf("SC_CLK_TCK")


def accept_lines(log):
    return sum("accept" in line for line in open(log, errors="replace"))


def emfile(pid, log, n, secs):
    pid = int(pid)
    soft, hard = resource.prlimit(pid, resource.RLIMIT_NOFILE)
    limit = len(os.listdir("/proc/%d/fd" % pid)) + 10
    lines0, cpu0 = accept_lines(log), cpu_ms(pid)
    resource.prlimit(pid, resource.RLIMIT_NOFILE, (limit, hard))
    socks = []
    for k in range(n):
        try:
            socks.append(tcp_from("127.0.0.%d" % (60 + k % 10), timeout=0.001))
        except OSError:
            break
    time.sleep(secs)
    cpu1, lines1 = cpu_ms(pid), accept_lines(log)
    for s in socks:
        s.close()
    resource.prlimit(pid, resource.RLIMIT_NOFILE, (soft, hard))
    status, t = device_request(device_context(), timeout=10)
    print("fd_limit=%d" % limit)
    print("accept_lines=%d" % (lines1 - lines0))
    print("cpu_ms=%d" % (cpu1 - cpu0))
    print("after_status=%d" % status)
    print("after_ms=%d" % (t * 1000))


def tlsidle(n, good):
    ctx = device_context()
    held = []
    for k in range(n):
        try:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.%d" % (100 + k % 3), 0))
            s.settimeout(3)
            s.connect(("127.0.0.1", PORT))
            held.append(ctx.wrap_socket(s, server_hostname="127.0.0.1"))
        except OSError:
            pass
        if k % 25 == 24:
            # the client is done with its handshake before the server has read its
            # Finished: a pause lets a loaded server finish them, so that at the cap they
            # count as idle, not as handshakes (t5204 under SAN on a busy machine)
            time.sleep(0.3)
    fails = sum(device_request(ctx)[0] != 200 for _ in range(good))
    print("tls_held=%d" % len(held))
    print("good_failed=%d" % fails)
    for s in held:
        s.close()


def raw_exchange(ctx, data):
    """Sends data on a fresh TLS connection; (first status, whether the server closed)."""
    s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", PORT), timeout=2),
                        server_hostname="127.0.0.1")
    s.settimeout(1.0)
    s.sendall(data)
    out, closed = b"", False
    try:
        while True:
            d = s.recv(65536)
            if not d:
                closed = True
                break
            out += d
    except socket.timeout:
        pass
    except OSError:
        closed = True
    s.close()
    status = out.split(b" ", 2)[1].decode() if out.startswith(b"HTTP/1.") else "none"
    return status, "closed" if closed else "open"


def framing():
    form = b"Content-Type: application/x-www-form-urlencoded\r\n"
    head = b"POST /logout HTTP/1.1\r\nHost: 127.0.0.1\r\n" + form
    body = b"a=b&c=d"
    cases = {
        "two_lengths": head + b"Content-Length: 7\r\nContent-Length: 70\r\n\r\n" + body,
        "same_length_twice": head + b"Content-Length: 7\r\nContent-Length: 7\r\n\r\n" + body,
        "one_length": head + b"Content-Length: 7\r\n\r\n" + body,
        "length_and_chunked": head + b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                              b"0\r\n\r\nGET /worklist HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        "over_limit": head + b"Content-Length: 100000000\r\n\r\n" + b"a" * 1000,
    }
    ctx = device_context()
    for name, data in cases.items():
        print("%s=%s,%s" % ((name,) + raw_exchange(ctx, data)))


if __name__ == "__main__":
    phase = sys.argv[1]
    args = [a if "/" in a else float(a) if "." in a else int(a) for a in sys.argv[4:]]
    {"slowloris": slowloris, "peraddr": peraddr, "flood": flood,
     "tlsidle": tlsidle, "framing": framing, "emfile": emfile}[phase](*args)
