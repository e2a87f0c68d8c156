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
IRSA_SANDBOX_AWS_REQUEST_LOG = path of the request log (none when unset);
IRSA_SANDBOX_FAKECLOUD_URL = the sandbox's fakecloud (shim 3; moto's permissive STS when unset);
IRSA_SANDBOX_CA_FILE = the sandbox CA, which the issuer's certificate chains to (shim 3).
"""

import base64
import io
import json
import os
import re
import sys
import threading
import urllib.request
import ssl
from datetime import datetime, timezone
from urllib.parse import parse_qs, urlparse
from xml.sax.saxutils import escape

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


# --- Shim 3: STS AssumeRoleWithWebIdentity decided as STS decides -------------------------------
# moto's STS accepts any token for any role. This shim answers AssumeRoleWithWebIdentity before
# moto does and lets moto mint credentials only when the call would succeed on AWS:
#   a) once moto has an IAM OIDC provider for the token's iss in the role's account, the token's
#      signature is verified against the issuer's JWKS, fetched like STS does from
#      <iss>/.well-known/openid-configuration and its jwks_uri (only issuers on 127.0.0.1, over TLS
#      with the sandbox CA; joserfc, moto's own dependency). Unreachable keys or a bad signature:
#      InvalidIdentityToken, as STS answers.
#   b) everything else is fakecloud's decision, a separate peer with its own IAM evaluator (never
#      this product's irsa-common): the role as moto has it (name, path, trust policy) and, when moto
#      has one, the IAM OIDC provider for the token's iss in the role's account (URL, client IDs)
#      are mirrored into fakecloud, then fakecloud's AssumeRoleWithWebIdentity gets the token.
#      fakecloud runs one account (FAKECLOUD_ACCOUNT), so the role's account in ARNs of the trust
#      policy is rewritten to it, and back to the role's account in fakecloud's error message. A
#      provider ARN of another account stays as it is, and matches nothing, as on AWS.
#   fakecloud's refusal (code, message, HTTP status) is the answer; its success hands over to moto.
# Without IRSA_SANDBOX_FAKECLOUD_URL (scripts/dev without fakecloud installed) the shim is off and
# moto's permissive STS answers, with a loud log line per call.
FAKECLOUD_ACCOUNT = "000000000099"
_sts_lock = threading.Lock()
_fakecloud = {}


def _fakecloud_clients(url):
    if not _fakecloud:
        import boto3
        from botocore import UNSIGNED
        from botocore.config import Config

        # fakecloud's reserved root keys ("test...") set the scene; the STS call itself is unsigned,
        # as the SDK sends AssumeRoleWithWebIdentity.
        kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="test",
                  aws_secret_access_key="test", config=Config(retries={"max_attempts": 1}))
        _fakecloud["iam"] = boto3.client("iam", **kw)
        kw["config"] = Config(retries={"max_attempts": 1}, signature_version=UNSIGNED)
        _fakecloud["sts"] = boto3.client("sts", **kw)
    return _fakecloud["iam"], _fakecloud["sts"]


class StsRefusal(Exception):
    def __init__(self, code, message, status=400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def _claims(token):
    import base64

    try:
        payload = token.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except Exception:
        raise StsRefusal("InvalidIdentityToken", "The ID Token provided is not a valid JWT. (You may "
                         "see this error if you sent an Access Token)")


def _fetch_json(url, ctx):
    with urllib.request.urlopen(url, timeout=5, context=ctx) as r:  # noqa: S310 (https only)
        return json.loads(r.read(1_000_000))


def _verify_signature(token, iss):
    from joserfc import jws
    from joserfc.jwk import KeySet

    no_key = StsRefusal("InvalidIdentityToken", "Couldn't retrieve verification key from your "
                        "identity provider,  please reference AssumeRoleWithWebIdentity documentation "
                        "for requirements")
    u = urlparse(iss if isinstance(iss, str) else "")
    if u.scheme != "https" or u.hostname != "127.0.0.1":
        raise no_key  # the sandbox reaches only its own issuer
    ctx = ssl.create_default_context(cafile=os.environ.get("IRSA_SANDBOX_CA_FILE") or None)
    try:
        discovery = _fetch_json(iss.rstrip("/") + "/.well-known/openid-configuration", ctx)
        jwks_uri = discovery["jwks_uri"]
        if urlparse(jwks_uri).hostname != "127.0.0.1":
            raise ValueError("jwks_uri off the sandbox")
        keys = KeySet.import_key_set(_fetch_json(jwks_uri, ctx))
        # A JWKS that does not hold the token's kid (a rotated key, an empty set) leaves STS
        # no key to verify with: the same refusal as an unreachable JWKS.
        kid = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "==")).get("kid")
        if kid is not None and kid not in {k.kid for k in keys.keys}:
            raise LookupError("kid not in the JWKS")
    except Exception as e:
        shim_log(f"sts: no verification key for {iss}: {type(e).__name__}")
        raise no_key
    try:
        jws.deserialize_compact(token, keys, algorithms=["RS256", "RS384", "RS512", "ES256", "ES384",
                                                         "ES512", "PS256", "PS384", "PS512"])
    except Exception as e:
        shim_log(f"sts: signature check failed for {iss}: {type(e).__name__}")
        raise StsRefusal("InvalidIdentityToken", "The web identity token signature could not be verified.")


def _mirror_and_ask(url, params, iss, verify):
    """fakecloud's answer for this call on moto's state; StsRefusal when it refuses. verify() checks
    the signature once an IAM OIDC provider for iss is known in the role's account (without one STS
    answers "No OpenIDConnect provider found", whatever the token)."""
    from botocore.exceptions import ClientError
    from moto.iam.models import iam_backends

    role_arn = params.get("RoleArn", "")
    m = re.match(r"^arn:([^:]+):iam::(\d{12}):role/(.+)$", role_arn)
    if not m:
        raise StsRefusal("ValidationError", f"{role_arn} is invalid")
    partition, account, path_name = m.groups()
    path, name = ("/" + path_name.rsplit("/", 1)[0] + "/", path_name.rsplit("/", 1)[1]) \
        if "/" in path_name else ("/", path_name)
    backend = iam_backends[account]["global"]
    role = next((r for r in backend.roles.values() if r.name == name and r.path == path), None)
    iss_key = re.sub(r"^https://", "", iss).rstrip("/")
    provider = next((p for p in backend.open_id_providers.values() if p.url.rstrip("/") == iss_key), None)
    if provider:
        verify()
    iam, sts = _fakecloud_clients(url)
    # Start from nothing: whatever the last call mirrored goes.
    for r in iam.list_roles().get("Roles", []):
        iam.delete_role(RoleName=r["RoleName"])
    for p in iam.list_open_id_connect_providers().get("OpenIDConnectProviderList", []):
        iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=p["Arn"])
    if provider:
        iam.create_open_id_connect_provider(Url=iss, ClientIDList=list(provider.client_id_list) or [],
                                            ThumbprintList=list(provider.thumbprint_list) or ["0" * 40])
    if role:
        trust = role.assume_role_policy_document
        if not isinstance(trust, str):
            trust = json.dumps(trust)
        trust = trust.replace(f":iam::{account}:", f":iam::{FAKECLOUD_ACCOUNT}:")
        iam.create_role(RoleName=name, Path=path, AssumeRolePolicyDocument=trust,
                        MaxSessionDuration=int(role.max_session_duration or 3600))
    call = {"RoleArn": f"arn:{partition}:iam::{FAKECLOUD_ACCOUNT}:role/{path_name}",
            "RoleSessionName": params.get("RoleSessionName", ""),
            "WebIdentityToken": params.get("WebIdentityToken", "")}
    if params.get("DurationSeconds"):
        call["DurationSeconds"] = int(params["DurationSeconds"])
    try:
        sts.assume_role_with_web_identity(**call)
    except ClientError as e:
        err = e.response.get("Error", {})
        message = (err.get("Message") or "").replace(f":iam::{FAKECLOUD_ACCOUNT}:", f":iam::{account}:")
        # STS's wording (fakecloud adds "issuer "): "No OpenIDConnect provider found in your
        # account for https://..."
        message = message.replace("provider found in your account for issuer ", "provider found in your account for ")
        raise StsRefusal(err.get("Code", "AccessDenied"), message,
                         e.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 400))
    return f"role={'yes' if role else 'no'} provider={'yes' if provider else 'no'}"


def _sts_error(start_response, refusal):
    import uuid

    body = ('<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>'
            f"<Code>{escape(refusal.code)}</Code><Message>{escape(refusal.message)}</Message></Error>"
            f"<RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>").encode()
    reason = {400: "Bad Request", 403: "Forbidden", 500: "Internal Server Error"}.get(refusal.status, "Error")
    start_response(f"{refusal.status} {reason}", [("Content-Type", "text/xml"),
                                                  ("Content-Length", str(len(body)))])
    return [body]


def sts_web_identity(app, fakecloud_url):
    def handled(environ, start_response):
        if environ.get("REQUEST_METHOD") != "POST" or environ.get("PATH_INFO", "").startswith("/moto-api"):
            return app(environ, start_response)
        params = _form_params(environ)
        if params.get("Action") != "AssumeRoleWithWebIdentity":
            return app(environ, start_response)
        if not fakecloud_url:
            shim_log("sts AssumeRoleWithWebIdentity: NO CHECK (no fakecloud; moto accepts any token) "
                     f"role={params.get('RoleArn')}")
            return app(environ, start_response)
        iss = "?"
        try:
            claims = _claims(params.get("WebIdentityToken", ""))
            iss = claims.get("iss") if isinstance(claims.get("iss"), str) else "?"
            with _sts_lock:
                token = params.get("WebIdentityToken", "")
                how = _mirror_and_ask(fakecloud_url, params, iss, lambda: _verify_signature(token, iss))
        except StsRefusal as r:
            shim_log(f"sts AssumeRoleWithWebIdentity refused: role={params.get('RoleArn')} iss={iss} "
                     f"{r.code}: {r.message}")
            return _sts_error(start_response, r)
        except Exception as e:  # the shim itself failed: say so, never let moto accept instead
            import traceback

            traceback.print_exc()
            shim_log(f"sts AssumeRoleWithWebIdentity: shim error {type(e).__name__}: {e}")
            return _sts_error(start_response, StsRefusal("InternalFailure", f"irsa-shim: {type(e).__name__}",
                                                         500))
        shim_log(f"sts AssumeRoleWithWebIdentity allowed by fakecloud: role={params.get('RoleArn')} "
                 f"iss={iss} {how}")
        return app(environ, start_response)

    return handled


if __name__ == "__main__":
    import moto.server
    from moto.server import main

    log_path = os.environ.get("IRSA_SANDBOX_AWS_REQUEST_LOG")
    fakecloud_url = os.environ.get("IRSA_SANDBOX_FAKECLOUD_URL")
    if not fakecloud_url:
        shim_log("STS CHECKS OFF: no fakecloud, so AssumeRoleWithWebIdentity accepts any token "
                 "(install it: scripts/sandbox-lib/install-fakecloud.sh)")
    _dispatcher = moto.server.DomainDispatcherApplication

    def _wrapped_dispatcher(*args, **kwargs):
        # The request log outermost, so a refusal of shim 3 is logged with its status.
        app = sts_web_identity(_dispatcher(*args, **kwargs), fakecloud_url)
        return request_log(app, log_path) if log_path else app

    moto.server.DomainDispatcherApplication = _wrapped_dispatcher

    # Bind to loopback only; the port comes from scripts/sandbox-lib.
    main(["-H", "127.0.0.1", "-p", sys.argv[1]])
