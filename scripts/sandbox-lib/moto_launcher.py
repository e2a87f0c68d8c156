"""Starts moto's server on 127.0.0.1 with the sandbox's shims.

Each shim fills a gap between moto (pinned in common.sh) and what backstage-irsa needs, and is
documented in docs/sandbox.md. Shims make the sandbox usable; they prove nothing about AWS, so no
test may claim AWS behaviour that only a shim provides. Every shim call is logged with the prefix
"[irsa-shim]" so that a test log shows when one was used.

Besides the shims it writes one JSON line per AWS request to IRSA_SANDBOX_AWS_REQUEST_LOG, so
tests can count what reached the peer from the peer's own record (see request_log below).

Usage: python moto_launcher.py PORT
Environment: IRSA_SANDBOX_EKS_OVERRIDES = path of a JSON file {"<account>/<cluster>": {"issuer":
..., "endpoint": ..., "caData": ...}} read when a cluster is created (the seeding writes it first);
IRSA_SANDBOX_AWS_REQUEST_LOG = path of the request log (none when unset).
"""

import io
import json
import os
import re
import sys
import threading
from datetime import datetime, timezone
from urllib.parse import parse_qs

import moto.eks.models as eks_models
from moto.core.responses import EmptyResult
from moto.iam.models import get_account_id_from
from moto.iam.exceptions import LimitExceededException, ValidationError
from moto.iam.responses import IamResponse


def shim_log(msg: str) -> None:
    print(f"[irsa-shim] {msg}", file=sys.stderr, flush=True)


# --- Shim 1: EKS cluster issuer, endpoint and CA ------------------------------------------------
# moto gives every cluster a random https://oidc.eks.<region>.amazonaws.com/id/<X> issuer (the same
# X for all clusters of one process), a random endpoint and a CA that is not even base64 PEM, and
# the EKS API has no way to set them. The sandbox needs DescribeCluster to report the local
# kube-apiserver, so a token's `iss` equals the cluster's issuer as on real EKS.
_orig_cluster_init = eks_models.Cluster.__init__


def _cluster_init(self, *args, **kwargs):
    _orig_cluster_init(self, *args, **kwargs)
    path = os.environ.get("IRSA_SANDBOX_EKS_OVERRIDES")
    if not path or not os.path.exists(path):
        return
    with open(path, encoding="utf-8") as f:
        overrides = json.load(f)
    key = f"{kwargs.get('account_id')}/{kwargs.get('name')}"
    o = overrides.get(key)
    if not o:
        return
    self.identity = {"oidc": {"issuer": o["issuer"]}}
    self.endpoint = o["endpoint"]
    self.certificate_authority = {"data": o["caData"]}
    shim_log(f"eks cluster {key}: issuer={o['issuer']} endpoint={o['endpoint']}")


eks_models.Cluster.__init__ = _cluster_init


# --- Shim 2: iam:AddClientIDToOpenIDConnectProvider ---------------------------------------------
# Not implemented by moto (a call gives HTTP 500). The product's aws:oidc:ensure adds
# sts.amazonaws.com to an existing provider that lacks it. Semantics follow the IAM API reference:
# idempotent for an existing client ID, at most 255 characters, at most 100 client IDs.
def _add_client_id_to_open_id_connect_provider(self):
    arn = self._get_param("OpenIDConnectProviderArn")
    client_id = self._get_param("ClientID")
    provider = self.backend.get_open_id_connect_provider(arn)  # NoSuchEntity when unknown
    if not client_id or len(client_id) > 255:
        raise ValidationError("ClientID must be 1 to 255 characters long")
    if client_id not in provider.client_id_list:
        if len(provider.client_id_list) >= 100:
            raise LimitExceededException("Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100")
        provider.client_id_list.append(client_id)
    shim_log(f"iam AddClientIDToOpenIDConnectProvider {arn} {client_id}")
    return EmptyResult()


if hasattr(IamResponse, "add_client_id_to_open_id_connect_provider"):
    shim_log("moto implements AddClientIDToOpenIDConnectProvider itself: drop shim 2")
else:
    IamResponse.add_client_id_to_open_id_connect_provider = _add_client_id_to_open_id_connect_provider


# --- Request log --------------------------------------------------------------------------------
# One JSON line per AWS request, written before the response goes out and flushed at once, so a
# test that got its answer finds the line. Only what names the call is kept: service, action,
# account, access key ids (CloudTrail logs them too) and the role parameters. Never the body as a
# whole, a signature, a secret key, a session token or a WebIdentityToken.
#
# sourceAccessKeyId tells callers apart: the long-term key that temporary keys were assumed with
# (through any AssumeRole chain), so a test can give a backend its own dummy key and count only
# that backend's requests while other tests use the same peer.
_log_lock = threading.Lock()
_LOGGED_PARAMS = {"RoleArn": "roleArn", "RoleName": "roleName", "RoleSessionName": "roleSessionName"}
_ISSUED_KEY = re.compile(rb"<AccessKeyId>([A-Za-z0-9]{16,128})</AccessKeyId>")
_source_of = {}  # temporary access key id -> the long-term key behind it


def _now():
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _form_params(environ):
    """Query and form parameters; the form body is read, then put back for moto to read again."""
    params = parse_qs(environ.get("QUERY_STRING", ""))
    if environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
        try:
            size = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            size = 0
        if size > 0:
            body = environ["wsgi.input"].read(size)
            environ["wsgi.input"] = io.BytesIO(body)
            params.update(parse_qs(body.decode("utf-8", "replace")))
    return {k: v[0] for k, v in params.items() if v}


def _credential(environ, params):
    """(access key id, service) from the SigV4 credential scope, header or presigned query."""
    auth = environ.get("HTTP_AUTHORIZATION", "")
    if "Credential=" in auth:
        scope = auth.split("Credential=", 1)[1].split(",", 1)[0]
    else:
        scope = params.get("X-Amz-Credential", "")
    parts = scope.strip().split("/")
    return (parts[0], parts[3]) if len(parts) == 5 else (None, None)


def _describe(environ):
    params = _form_params(environ)
    key, service = _credential(environ, params)
    method, path = environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", "")
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    action = params.get("Action") or (target.rsplit(".", 1)[-1] if target else None) or f"{method} {path}"
    if not service and params.get("Action", "").startswith("AssumeRoleWith"):
        service = "sts"  # unsigned, as moto itself infers it
    account = environ.get("HTTP_X_MOTO_ACCOUNT_ID") or (get_account_id_from(key) if key else None)
    entry = {"time": _now(), "service": service, "action": action, "method": method, "path": path,
             "account": account, "accessKeyId": key, "sourceAccessKeyId": _source_of.get(key, key)}
    entry.update({out: params[p] for p, out in _LOGGED_PARAMS.items() if p in params})
    return entry


def request_log(app, log_path):
    out = open(log_path, "a", encoding="utf-8", buffering=1)  # line-buffered: one flush per line

    def logged(environ, start_response):
        if environ.get("PATH_INFO", "").startswith(("/moto-api", "/favicon.ico")):
            return app(environ, start_response)  # moto's own control plane, not AWS
        try:
            entry = _describe(environ)
        except Exception as e:  # a request the log cannot name still gets a line (read as a write)
            method, path = environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", "")
            entry = {"time": _now(), "service": None, "action": f"{method} {path}", "method": method,
                     "path": path, "logError": type(e).__name__}
        status = []

        def capture(code, headers, exc_info=None):
            status.append(code)
            return start_response(code, headers, exc_info)

        try:
            result = app(environ, capture)
            if entry["action"].startswith("AssumeRole") and status and status[0].startswith("200"):
                # Note the key id it issued (never the secret or token beside it) and its source.
                body = b"".join(result)
                if hasattr(result, "close"):
                    result.close()
                issued = _ISSUED_KEY.search(body)
                if issued:
                    entry["issuedAccessKeyId"] = issued.group(1).decode()
                    if entry.get("sourceAccessKeyId"):
                        _source_of[entry["issuedAccessKeyId"]] = entry["sourceAccessKeyId"]
                result = [body]
            return result
        finally:
            entry["status"] = int(status[0].split()[0]) if status else None
            with _log_lock:
                out.write(json.dumps(entry) + "\n")

    return logged


if __name__ == "__main__":
    import moto.server
    from moto.server import main

    log_path = os.environ.get("IRSA_SANDBOX_AWS_REQUEST_LOG")
    if log_path:
        _dispatcher = moto.server.DomainDispatcherApplication

        def _logged_dispatcher(*args, **kwargs):
            return request_log(_dispatcher(*args, **kwargs), log_path)

        moto.server.DomainDispatcherApplication = _logged_dispatcher

    # Bind to loopback only; the port comes from scripts/sandbox-lib.
    main(["-H", "127.0.0.1", "-p", sys.argv[1]])
