"""The sandbox's OIDC issuer host: serves discovery and JWKS at the issuer URL itself.

A real issuer (EKS's oidc.eks.<region>.amazonaws.com, or a self-hosted one) answers
<issuer>/.well-known/openid-configuration and the jwks_uri it names over HTTPS on port 443, and
that is what STS and the product's discovery checks (F8, F9, F19) fetch. The sandbox's issuer is
https://127.0.0.1/id/<hex> (k8s.sh sandbox_issuer); this server listens there, with the
apiserver's serving certificate (IP 127.0.0.1, signed by the sandbox CA), and answers
  <issuer path>/.well-known/openid-configuration   -> the apiserver's /.well-known/openid-configuration
  <issuer path>/keys                               -> the apiserver's /openid/v1/jwks
by fetching them from the kube-apiserver anonymously (seed_k8s.py allows that), so the documents
are the apiserver's own: `issuer` is the token `iss`, jwks_uri is <issuer>/keys. Anything else is
404; only GET and HEAD. No state, nothing cached.

Faults, for the tests that show what the product and STS say when an issuer breaks (F8): when
FAULT_FILE exists, it is read on every JWKS request and holds {"jwks": FAULT}, where FAULT is
  "no-keys"    -> 200 {"keys": []}: the issuer rotated its signing key and published none
  "not-found"  -> 404: the bucket or route that held the keys is gone
The tests that write it run alone (docs/sandbox.md, "Serial suites"), since every signature
check in the sandbox reads this one issuer.

Usage: issuer_server.py ISSUER_URL APISERVER_URL CA_FILE CERT_FILE KEY_FILE [FAULT_FILE]
"""

import http.server
import json
import os
import ssl
import sys
import urllib.error
import urllib.parse
import urllib.request

ISSUER, APISERVER, CA_FILE, CERT_FILE, KEY_FILE = sys.argv[1:6]
FAULT_FILE = sys.argv[6] if len(sys.argv) > 6 else ""
PARSED = urllib.parse.urlsplit(ISSUER)
PREFIX = PARSED.path.rstrip("/")
ROUTES = {
    f"{PREFIX}/.well-known/openid-configuration": "/.well-known/openid-configuration",
    f"{PREFIX}/keys": "/openid/v1/jwks",
}
UPSTREAM_TLS = ssl.create_default_context(cafile=CA_FILE)


def jwks_fault():
    """The JWKS fault a test has set, or None."""
    if not FAULT_FILE or not os.path.exists(FAULT_FILE):
        return None
    try:
        with open(FAULT_FILE, encoding="utf-8") as f:
            return json.load(f).get("jwks")
    except (OSError, ValueError):
        return None


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "irsa-sandbox-issuer"
    sys_version = ""

    def answer(self, status, body, content_type="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self):  # noqa: N802 (http.server's naming)
        path = urllib.parse.urlsplit(self.path).path
        if path == "/healthz":
            self.answer(200, b"ok", "text/plain")
            return
        upstream = ROUTES.get(path)
        if upstream is None:
            self.answer(404, b'{"error":"not found"}')
            return
        fault = jwks_fault() if upstream == "/openid/v1/jwks" else None
        if fault == "no-keys":
            self.answer(200, b'{"keys":[]}')
            return
        if fault == "not-found":
            self.answer(404, b'{"error":"not found"}')
            return
        try:
            with urllib.request.urlopen(APISERVER + upstream, context=UPSTREAM_TLS, timeout=5) as r:
                self.answer(200, r.read(), r.headers.get("Content-Type", "application/json"))
        except urllib.error.HTTPError as e:
            self.answer(502, f'{{"error":"apiserver answered {e.code}"}}'.encode())
        except OSError as e:
            self.answer(502, f'{{"error":"apiserver unreachable: {type(e).__name__}"}}'.encode())

    do_HEAD = do_GET

    def log_message(self, fmt, *args):
        sys.stderr.write("issuer: %s\n" % (fmt % args))


def main():
    host = "127.0.0.1"
    server = http.server.ThreadingHTTPServer((host, 443), Handler)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(CERT_FILE, KEY_FILE)
    # The handshake runs in the request thread, so a client that never speaks TLS stalls no one.
    server.socket = tls.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    sys.stderr.write(f"issuer: serving {ISSUER} on {host}:443\n")
    server.serve_forever()


if __name__ == "__main__":
    main()
