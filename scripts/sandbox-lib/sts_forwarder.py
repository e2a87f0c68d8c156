"""The network path from aws-iam-authenticator to the sandbox's STS (eks-auth.sh).

aws-iam-authenticator only verifies tokens whose presigned URL names an STS host of AWS's
own domains (sts.<region>.amazonaws.com), and calls that URL over HTTPS; no flag or config
points it elsewhere (docs/sandbox.md quotes the code). Its HTTP client is Go's default
transport, which honours HTTPS_PROXY, and Go reads its trusted roots from SSL_CERT_FILE. So
the unmodified authenticator runs with HTTPS_PROXY pointing here and SSL_CERT_FILE holding
the eks-auth CA, and this proxy:

1. accepts `CONNECT sts[.<region>].amazonaws.com:443` only (anything else: 403), answers it
   and speaks TLS with a certificate for that name signed by the eks-auth CA;
2. passes each request on, unchanged (method, path, query with its signature, Host and
   x-k8s-aws-id headers), to the sandbox STS over plain HTTP (UPSTREAM), adding
   `x-amz-content-sha256: <SHA-256 of the empty body>` when absent. That header is not among
   the signed ones; it tells fakecloud the payload hash the signer used: fakecloud assumes
   S3's `UNSIGNED-PAYLOAD` for every presigned URL, while STS presigned GETs (the AWS SDKs'
   and the authenticator's own client) sign the empty body's hash;
3. answers in JSON, as STS does for `Accept: application/json` (the authenticator parses
   JSON): fakecloud answers the Query API in XML only, so GetCallerIdentityResult and
   ErrorResponse are converted field by field.

It verifies nothing itself: the signature, its expiry and the caller are STS's (fakecloud
with --verify-sigv4). Logs one line per request, never the query (it carries the signature
and the session token) nor any header value other than the cluster id.

Usage: sts_forwarder.py PORT UPSTREAM_URL CERT_CHAIN_FILE KEY_FILE ALLOWED_HOST...
"""

import http.client
import json
import re
import socket
import socketserver
import ssl
import sys
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler

EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
LOG_LOCK = threading.Lock()


def log(**fields):
    fields["time"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    with LOG_LOCK:
        print(json.dumps(fields, sort_keys=True), flush=True)


def strip_ns(tag):
    return tag.rsplit("}", 1)[-1]


def find(root, name):
    for el in root.iter():
        if strip_ns(el.tag) == name:
            return el.text or ""
    return None


def field(body, name):
    """`name`'s text in an XML answer, for the log; None when there is none."""
    try:
        return find(ET.fromstring(body), name)
    except ET.ParseError:
        return None


def to_json(status, body):
    """STS's JSON shape of a GetCallerIdentity answer or an error, from the XML one."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return body
    if status == 200 and strip_ns(root.tag) == "GetCallerIdentityResponse":
        return json.dumps({
            "GetCallerIdentityResponse": {
                "GetCallerIdentityResult": {
                    "Arn": find(root, "Arn"), "UserId": find(root, "UserId"),
                    "Account": find(root, "Account"),
                },
                "ResponseMetadata": {"RequestId": find(root, "RequestId")},
            }
        }).encode()
    if strip_ns(root.tag) == "ErrorResponse":
        return json.dumps({
            "Error": {"Code": find(root, "Code"), "Message": find(root, "Message"),
                      "Type": find(root, "Type") or "Sender"},
            "RequestId": find(root, "RequestId"),
        }).encode()
    return body


class StsHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 on the TLS side of a CONNECT: each request goes to the upstream STS."""

    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # noqa: N802 - the base class's name
        pass  # our own line per request instead, without the query

    def do_GET(self):  # noqa: N802
        self.forward(b"")

    def do_POST(self):  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        self.forward(self.rfile.read(length))

    def forward(self, body):
        up = self.server.upstream
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in ("connection", "proxy-connection", "accept-encoding")}
        if not any(k.lower() == "x-amz-content-sha256" for k in headers):
            headers["x-amz-content-sha256"] = EMPTY_SHA256
        action = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query).get("Action", [None])[0]
        try:
            conn = http.client.HTTPConnection(up.hostname, up.port, timeout=10)
            conn.request(self.command, self.path, body=body or None, headers=headers)
            res = conn.getresponse()
            status, data = res.status, res.read()
            conn.close()
        except OSError as e:
            log(event="upstream-error", host=self.server.sni_host, action=action, error=str(e))
            self.send_error(502, "sandbox STS did not answer")
            return
        wants_json = "json" in (self.headers.get("Accept") or "")
        out = to_json(status, data) if wants_json else data
        log(event="request", host=self.server.sni_host, action=action, status=status,
            clusterId=self.headers.get("x-k8s-aws-id"),
            arn=field(data, "Arn") if status == 200 else None,
            error=field(data, "Code") if status != 200 else None)
        self.send_response(status)
        self.send_header("Content-Type", "application/json" if out is not data else
                         res.getheader("Content-Type") or "text/xml")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)


class TunnelContext:
    """What StsHandler reads from `self.server` for one tunnel."""

    def __init__(self, upstream, sni_host):
        self.upstream = upstream
        self.sni_host = sni_host


class ProxyHandler(socketserver.StreamRequestHandler):
    def handle(self):
        line = self.rfile.readline(4096).decode("latin-1").strip()
        while self.rfile.readline(4096) not in (b"\r\n", b"\n", b""):
            pass  # the CONNECT's headers
        m = re.match(r"^CONNECT ([^ ]+) HTTP/1\.[01]$", line)
        target = m.group(1) if m else None
        host = target[:-4] if target and target.endswith(":443") else None
        if host not in self.server.allowed_hosts:
            log(event="refused", request=line[:200])
            self.wfile.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
            return
        self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        self.wfile.flush()
        try:
            tls = self.server.tls.wrap_socket(self.connection, server_side=True)
        except (ssl.SSLError, OSError) as e:
            log(event="tls-error", host=host, error=str(e))
            return
        try:
            StsHandler(tls, self.client_address, TunnelContext(self.server.upstream, host))
        finally:
            try:
                tls.close()
            except OSError:
                pass


class Proxy(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main(argv):
    port, upstream, cert, key, *allowed = argv[1:]
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    tls.set_alpn_protocols(["http/1.1"])
    server = Proxy(("127.0.0.1", int(port)), ProxyHandler)
    server.tls = tls
    server.upstream = urllib.parse.urlsplit(upstream)
    server.allowed_hosts = set(allowed)
    log(event="listening", port=int(port), upstream=upstream, allowed=sorted(allowed))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    socket.setdefaulttimeout(30)
    main(sys.argv)
