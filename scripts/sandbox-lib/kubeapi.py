"""A minimal Kubernetes REST client for seeding (stdlib + PyYAML; there is no kubectl here).

Supports bearer-token and client-certificate credentials, from arguments or a kubeconfig context.
Exec and auth-provider plugins (EKS, GKE, ...) are not supported: the sandbox needs a context
with a token or a client certificate.
"""

import base64
import json
import os
import ssl
import tempfile
import time
import urllib.error
import urllib.request

import yaml


class KubeError(Exception):
    def __init__(self, status, body, what):
        super().__init__(f"{what}: HTTP {status}: {body[:500]}")
        self.status = status


class KubeApi:
    def __init__(self, server, ca_pem, token=None, cert_pem=None, key_pem=None):
        self.server = server.rstrip("/")
        self.ca_pem = ca_pem
        self.token = token
        self.cert_pem = cert_pem
        self.key_pem = key_pem
        self._ctx = ssl.create_default_context(cadata=ca_pem)
        if cert_pem and key_pem:
            # ssl wants files; keep them private and short-lived.
            with tempfile.TemporaryDirectory() as d:
                cf, kf = os.path.join(d, "c.pem"), os.path.join(d, "k.pem")
                for path, data in ((cf, cert_pem), (kf, key_pem)):
                    with open(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
                        f.write(data)
                self._ctx.load_cert_chain(cf, kf)

    def anonymous(self):
        return KubeApi(self.server, self.ca_pem)

    def request(self, method, path, body=None, content_type="application/json", ok=(200, 201),
                accept="application/json"):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.server + path, data=data, method=method)
        req.add_header("Accept", accept)
        if data is not None:
            req.add_header("Content-Type", content_type)
        if self.token:
            req.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(req, context=self._ctx, timeout=15) as resp:
                status, text = resp.status, resp.read().decode()
        except urllib.error.HTTPError as e:
            status, text = e.code, e.read().decode(errors="replace")
        if status not in ok:
            raise KubeError(status, text, f"{method} {path}")
        return status, (json.loads(text) if text.lstrip().startswith("{") else text)

    def get(self, path, ok=(200,), accept="application/json"):
        return self.request("GET", path, ok=ok, accept=accept)[1]

    def wait(self, path, seconds, what):
        deadline = time.time() + seconds
        while True:
            try:
                return self.get(path)
            except (KubeError, OSError) as e:
                if time.time() > deadline:
                    raise TimeoutError(f"{what} not ready after {seconds}s: {e}") from e
                time.sleep(0.25)


def _read_data(entry, key, base_dir):
    """kubeconfig `<key>-data` (base64) or `<key>` (a file path)."""
    if entry.get(f"{key}-data"):
        return base64.b64decode(entry[f"{key}-data"]).decode()
    if entry.get(key):
        path = os.path.join(base_dir, os.path.expanduser(entry[key]))
        with open(path, encoding="utf-8") as f:
            return f.read()
    return None


def from_kubeconfig(path, context_name=None):
    with open(path, encoding="utf-8") as f:
        cfg = yaml.safe_load(f)
    name = context_name or cfg.get("current-context")
    if not name:
        raise SystemExit(f"{path} has no current-context; set IRSA_SANDBOX_KUBECONFIG_CONTEXT")
    by_name = lambda kind: {e["name"]: e[kind[:-1]] for e in cfg.get(kind) or []}
    ctx = by_name("contexts").get(name) or _fail(f"context {name!r} not in {path}")
    cluster = by_name("clusters").get(ctx["cluster"]) or _fail(f"cluster {ctx['cluster']!r} not in {path}")
    user = by_name("users").get(ctx.get("user"), {})
    if user.get("exec") or user.get("auth-provider"):
        _fail(f"context {name!r} authenticates with an exec/auth-provider plugin; "
              "the sandbox needs a token or client-certificate context")
    base = os.path.dirname(os.path.abspath(path))
    ca = _read_data(cluster, "certificate-authority", base) or _fail(
        f"cluster {ctx['cluster']!r} has no certificate-authority; the sandbox needs the CA")
    token = user.get("token")
    if not token and user.get("tokenFile"):
        with open(os.path.join(base, user["tokenFile"]), encoding="utf-8") as f:
            token = f.read().strip()
    return KubeApi(cluster["server"], ca, token=token,
                   cert_pem=_read_data(user, "client-certificate", base),
                   key_pem=_read_data(user, "client-key", base))


def _fail(msg):
    raise SystemExit(f"sandbox: {msg}")


def write_kubeconfig(path, name, api, namespace=None):
    """A self-contained kubeconfig (all data inline) for `api`'s server and credentials."""
    b64 = lambda s: base64.b64encode(s.encode()).decode()
    user = {}
    if api.token:
        user["token"] = api.token
    if api.cert_pem:
        user["client-certificate-data"] = b64(api.cert_pem)
        user["client-key-data"] = b64(api.key_pem)
    ctx = {"cluster": name, "user": name}
    if namespace:
        ctx["namespace"] = namespace
    cfg = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": name, "cluster": {"server": api.server,
                                                "certificate-authority-data": b64(api.ca_pem)}}],
        "users": [{"name": name, "user": user}],
        "contexts": [{"name": name, "context": ctx}],
        "current-context": name,
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(fd, "w", encoding="utf-8") as f:
        yaml.safe_dump(cfg, f, sort_keys=False)
