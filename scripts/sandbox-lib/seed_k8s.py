"""Seeds the Kubernetes side of the sandbox and checks the IRSA prerequisites on it.

1. (built apiserver only) lets anonymous clients read OIDC discovery, as AWS STS would;
2. applies docs/rbac/backstage-irsa-rbac.yaml (server-side apply; the file platform teams use);
3. mints the backstage-irsa token the backend uses, and writes the admin and backstage kubeconfigs;
4. reads the issuer from discovery and checks that a TokenRequest with audience
   sts.amazonaws.com carries exactly that `iss`;
5. (built apiserver only) checks that the issuer URL itself serves that discovery document and a
   JWKS with the token's `kid` (issuer_server.py), as AWS and the product's checks fetch them.
Prints a JSON summary on stdout for scripts/sandbox.

Usage: seed_k8s.py local SERVER CA_FILE ADMIN_TOKEN | external KUBECONFIG [CONTEXT]
Environment: IRSA_SANDBOX_DIR, IRSA_SANDBOX_REPO, IRSA_SANDBOX_K8S_NAMESPACE, IRSA_SANDBOX_K8S_SA,
IRSA_SANDBOX_TOKEN_SECONDS.
"""

import base64
import json
import os
import ssl
import sys
import urllib.request

import yaml

from kubeapi import KubeApi, from_kubeconfig, write_kubeconfig

FIELD_MANAGER = "backstage-irsa-sandbox"
STS_AUDIENCE = "sts.amazonaws.com"
ANON_DISCOVERY_BINDING = {
    "apiVersion": "rbac.authorization.k8s.io/v1",
    "kind": "ClusterRoleBinding",
    "metadata": {"name": "irsa-sandbox-oidc-discovery-anonymous",
                 "labels": {"app.kubernetes.io/part-of": "backstage-irsa-sandbox"}},
    "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                "name": "system:service-account-issuer-discovery"},
    "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group",
                  "name": "system:unauthenticated"}],
}


def object_path(obj):
    """REST path of a manifest object (enough for the core and rbac kinds the sandbox applies)."""
    api_version, kind, meta = obj["apiVersion"], obj["kind"], obj["metadata"]
    base = "/api/v1" if api_version == "v1" else f"/apis/{api_version}"
    ns = f"/namespaces/{meta['namespace']}" if meta.get("namespace") else ""
    return f"{base}{ns}/{kind.lower()}s/{meta['name']}"


def apply(api, obj):
    path = f"{object_path(obj)}?fieldManager={FIELD_MANAGER}&force=true"
    # JSON is YAML, so the apply-patch content type takes it as is.
    api.request("PATCH", path, obj, content_type="application/apply-patch+yaml")


def mint_token(api, ns, sa, seconds, audiences=None):
    spec = {"expirationSeconds": seconds}
    if audiences:
        spec["audiences"] = audiences
    body = {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": spec}
    _, resp = api.request("POST", f"/api/v1/namespaces/{ns}/serviceaccounts/{sa}/token", body)
    return resp["status"]["token"]


def jwt_claims(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def jwt_header(token):
    head = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))


def fetch_json(url, ca_file):
    with urllib.request.urlopen(url, context=ssl.create_default_context(cafile=ca_file),
                                timeout=10) as r:
        return json.load(r)


def check_issuer_serves(issuer, token, ca_file):
    """The issuer URL serves discovery naming itself, and a JWKS holding the token's key."""
    if not issuer.startswith("https://127.0.0.1/"):
        print(f"sandbox: issuer {issuer} is not served on 127.0.0.1; discovery checks will fail (F19)",
              file=sys.stderr)
        return
    try:
        served = fetch_json(f"{issuer}/.well-known/openid-configuration", ca_file)
        if served.get("issuer") != issuer:
            raise SystemExit(f"sandbox: {issuer} serves discovery with issuer {served.get('issuer')}")
        keys = fetch_json(served["jwks_uri"], ca_file).get("keys") or []
    except OSError as e:
        raise SystemExit(f"sandbox: the issuer {issuer} does not serve discovery and JWKS: {e}")
    kid = jwt_header(token).get("kid")
    if kid not in [k.get("kid") for k in keys]:
        raise SystemExit(f"sandbox: the JWKS at {served['jwks_uri']} lacks the token's kid {kid}")


def main(argv):
    state = os.path.join(os.environ["IRSA_SANDBOX_DIR"], "state")
    os.makedirs(state, exist_ok=True)
    ns, sa = os.environ["IRSA_SANDBOX_K8S_NAMESPACE"], os.environ["IRSA_SANDBOX_K8S_SA"]
    mode = argv[1]
    if mode == "local":
        server, ca_file, admin_token = argv[2:5]
        with open(ca_file, encoding="utf-8") as f:
            admin = KubeApi(server, f.read(), token=admin_token)
    else:
        admin = from_kubeconfig(argv[2], argv[3] if len(argv) > 3 else None)
        ca_file = os.path.join(state, "k8s-ca.crt")
        with open(ca_file, "w", encoding="utf-8") as f:
            f.write(admin.ca_pem)

    admin.wait("/readyz", 90, "kube-apiserver /readyz")
    if mode == "local":
        # The apiserver's own system-namespaces controller makes `default` shortly after start.
        admin.wait("/api/v1/namespaces/default", 60, "namespace default")
        apply(admin, ANON_DISCOVERY_BINDING)

    rbac_file = os.path.join(os.environ["IRSA_SANDBOX_REPO"], "docs/rbac/backstage-irsa-rbac.yaml")
    with open(rbac_file, encoding="utf-8") as f:
        for obj in yaml.safe_load_all(f):
            if obj:
                apply(admin, obj)

    # Local: discovery must work without credentials (the RBAC binding above). External: read it
    # as admin; whether that cluster serves it anonymously is its own operators' choice.
    reader = admin.anonymous() if mode == "local" else admin
    discovery = reader.wait("/.well-known/openid-configuration", 30, "OIDC discovery")
    issuer = discovery["issuer"]
    if mode == "local":
        jwks = reader.get("/openid/v1/jwks", accept="application/jwk-set+json")
        if not jwks.get("keys"):
            raise SystemExit("sandbox: the apiserver's JWKS has no keys")

    sts_token = mint_token(admin, ns, sa, 600, [STS_AUDIENCE])
    claims = jwt_claims(sts_token)
    if claims.get("iss") != issuer or STS_AUDIENCE not in (claims.get("aud") or []):
        raise SystemExit(f"sandbox: TokenRequest gave iss={claims.get('iss')} aud={claims.get('aud')}, "
                         f"expected iss={issuer} aud={STS_AUDIENCE}")
    if mode == "local":
        check_issuer_serves(issuer, sts_token, ca_file)

    seconds = int(os.environ["IRSA_SANDBOX_TOKEN_SECONDS"])
    backstage_token = mint_token(admin, ns, sa, seconds)
    backstage = KubeApi(admin.server, admin.ca_pem, token=backstage_token)
    backstage.get(f"/api/v1/namespaces/{ns}/serviceaccounts/{sa}")  # proves the binding works

    admin_kubeconfig = os.path.join(state, "admin.kubeconfig")
    backstage_kubeconfig = os.path.join(state, "backstage.kubeconfig")
    write_kubeconfig(admin_kubeconfig, "irsa-sandbox-admin", admin)
    write_kubeconfig(backstage_kubeconfig, "irsa-sandbox-backstage", backstage, namespace=ns)

    json.dump({
        "server": admin.server,
        "issuer": issuer,
        "caFile": ca_file,
        "caData": base64.b64encode(admin.ca_pem.encode()).decode(),
        "adminToken": admin.token or "",
        "backstageToken": backstage_token,
        "adminKubeconfig": admin_kubeconfig,
        "backstageKubeconfig": backstage_kubeconfig,
    }, sys.stdout)


if __name__ == "__main__":
    main(sys.argv)
