"""Starts moto's server on 127.0.0.1 with the sandbox's shims.

Each shim fills a gap between moto (pinned in common.sh) and what backstage-irsa needs, and is
documented in docs/sandbox.md. Shims make the sandbox usable; they prove nothing about AWS, so no
test may claim AWS behaviour that only a shim provides. Every shim call is logged with the prefix
"[irsa-shim]" so that a test log shows when one was used.

Usage: python moto_launcher.py PORT
Environment: IRSA_SANDBOX_EKS_OVERRIDES = path of a JSON file {"<account>/<cluster>": {"issuer":
..., "endpoint": ..., "caData": ...}} read when a cluster is created (the seeding writes it first).
"""

import json
import os
import sys

import moto.eks.models as eks_models
from moto.core.responses import EmptyResult
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


if __name__ == "__main__":
    from moto.server import main

    # Bind to loopback only; the port comes from scripts/sandbox-lib.
    main(["-H", "127.0.0.1", "-p", sys.argv[1]])
