"""Seeds the AWS side (moto) of the sandbox.

- In the cluster account and the target account: role backstage-irsa-manager, trusting the
  Backstage "main" account's root, with the inline policy docs/iam/backstage-irsa-manager-policy.json
  (the same file platform teams use).
- In the cluster account: EKS cluster `sandbox` whose issuer, endpoint and CA are the Kubernetes
  peer's (through the launcher's EKS shim, fed by the overrides file written here first).
- No OIDC provider: creating it is the product's job (aws:oidc:ensure).
Then checks that the main account can assume each manager role and use it in the right account.

Usage: seed_aws.py  (everything comes from the IRSA_SANDBOX_* environment and K8S_STATE_JSON)
"""

import json
import os
import sys

import boto3
from botocore.config import Config

E = os.environ
ENDPOINT = E["IRSA_SANDBOX_AWS_ENDPOINT"]
REGION = E["IRSA_SANDBOX_REGION"]
MAIN, CLUSTER, TARGET = (E["IRSA_SANDBOX_BACKSTAGE_ACCOUNT_ID"], E["IRSA_SANDBOX_CLUSTER_ACCOUNT_ID"],
                         E["IRSA_SANDBOX_TARGET_ACCOUNT_ID"])
MANAGER = E["IRSA_SANDBOX_MANAGER_ROLE_NAME"]
CLUSTER_NAME = E["IRSA_SANDBOX_EKS_CLUSTER_NAME"]
TAGS = [{"Key": "managed-by", "Value": "backstage-irsa-sandbox"}]


def client(service, account=None, creds=None):
    keys = creds or {"AccessKeyId": E["IRSA_SANDBOX_AWS_ACCESS_KEY_ID"],
                     "SecretAccessKey": E["IRSA_SANDBOX_AWS_SECRET_ACCESS_KEY"]}
    c = boto3.client(service, endpoint_url=ENDPOINT, region_name=REGION,
                     aws_access_key_id=keys["AccessKeyId"],
                     aws_secret_access_key=keys["SecretAccessKey"],
                     aws_session_token=keys.get("SessionToken"),
                     config=Config(retries={"max_attempts": 2}))
    if account:
        # moto's multi-account switch (server mode): the request acts in that account.
        def add_account(request, **_):
            request.headers["x-moto-account-id"] = account
        c.meta.events.register("before-sign.*.*", add_account)
    return c


def ensure_manager_role(account, policy_doc):
    iam = client("iam", account)
    trust = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{MAIN}:root"}, "Action": "sts:AssumeRole"}]}
    try:
        iam.create_role(RoleName=MANAGER, AssumeRolePolicyDocument=json.dumps(trust), Tags=TAGS,
                        Description="Assumed by the Backstage backend to manage IRSA in this account")
    except iam.exceptions.EntityAlreadyExistsException:
        iam.update_assume_role_policy(RoleName=MANAGER, PolicyDocument=json.dumps(trust))
    iam.put_role_policy(RoleName=MANAGER, PolicyName=MANAGER, PolicyDocument=policy_doc)


def ensure_cluster(k8s):
    # The launcher's shim reads this file when the cluster is created.
    with open(E["IRSA_SANDBOX_EKS_OVERRIDES"], "w", encoding="utf-8") as f:
        json.dump({f"{CLUSTER}/{CLUSTER_NAME}": {
            "issuer": k8s["issuer"], "endpoint": k8s["server"], "caData": k8s["caData"]}}, f)
    iam, eks = client("iam", CLUSTER), client("eks", CLUSTER)
    trust = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "eks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    try:
        role_arn = iam.create_role(RoleName="sandbox-eks-cluster", Tags=TAGS,
                                   AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    except iam.exceptions.EntityAlreadyExistsException:
        role_arn = iam.get_role(RoleName="sandbox-eks-cluster")["Role"]["Arn"]
    try:
        eks.create_cluster(name=CLUSTER_NAME, roleArn=role_arn, version="1.37",
                           resourcesVpcConfig={"subnetIds": []}, tags={"managed-by": "backstage-irsa-sandbox"})
    except eks.exceptions.ResourceInUseException:
        pass
    c = eks.describe_cluster(name=CLUSTER_NAME)["cluster"]
    if c["identity"]["oidc"]["issuer"] != k8s["issuer"] or c["endpoint"] != k8s["server"]:
        sys.exit(f"sandbox: EKS shim did not apply: issuer={c['identity']['oidc']['issuer']}")
    return c["arn"]


def check_manager(account):
    """Backstage's path: main-account keys -> sts:AssumeRole -> act in the other account."""
    creds = client("sts").assume_role(RoleArn=f"arn:aws:iam::{account}:role/{MANAGER}",
                                      RoleSessionName="sandbox-seed-check")["Credentials"]
    who = client("sts", creds=creds).get_caller_identity()
    if who["Account"] != account:
        sys.exit(f"sandbox: assumed {MANAGER} landed in account {who['Account']}, not {account}")
    client("iam", creds=creds).get_role(RoleName=MANAGER)


def main():
    with open(E["K8S_STATE_JSON"], encoding="utf-8") as f:
        k8s = json.load(f)
    with open(os.path.join(E["IRSA_SANDBOX_REPO"], "docs/iam/backstage-irsa-manager-policy.json"),
              encoding="utf-8") as f:
        policy_doc = json.dumps(json.load(f))
    for account in (CLUSTER, TARGET):
        ensure_manager_role(account, policy_doc)
    cluster_arn = ensure_cluster(k8s)
    for account in (CLUSTER, TARGET):
        check_manager(account)
    json.dump({"eksClusterArn": cluster_arn}, sys.stdout)


if __name__ == "__main__":
    main()
