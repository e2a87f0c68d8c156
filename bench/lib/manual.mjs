// The manual path of the benchmark (issue #11): what the IRSA guides tell a human to do, with the
// AWS CLI and kubectl against the sandbox, one process per command as a human or a shell script
// would run them. Phase timings are wall clock including each process's start-up, because that
// is what the manual path costs. Tools come from scripts/bench-lib/tools.sh; when kubectl could
// not be built there, Kubernetes calls go to the apiserver with curl (ctx.k8sClient says which).
//
// Secrets (the admin token, assumed credentials, the ServiceAccount token) travel in env, in
// files of mode 0600 in a private temp dir, or as `file://` parameters: never on a command line
// (visible in `ps`), never printed.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const NS = 'bench-manual';
// The first policy the product's guardrails offer (app-config.yaml): both paths attach the same.
const POLICY_ARN = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';
const AUDIENCE = 'sts.amazonaws.com';
const names = id => ({ sa: `manual-${id}`, role: `bench-manual-${id}` });

/** argv from a template, as a shell splits it: words at whitespace, a value stays one word. */
function cmd(strs, ...vals) {
  const out = [];
  let cur; // the word being built; undefined between words
  strs.forEach((s, i) => {
    for (const part of s.split(/(\s+)/)) {
      if (!/^\s*$/.test(part)) cur = (cur ?? '') + part;
      else if (part && cur !== undefined) {
        out.push(cur);
        cur = undefined;
      }
    }
    if (i < vals.length) cur = (cur ?? '') + String(vals[i]);
  });
  if (cur !== undefined) out.push(cur);
  return out;
}

function run(file, args, { env, input } = {}) {
  return new Promise((res, rej) => {
    const child = execFile(
      file,
      args,
      { env, maxBuffer: 16 << 20 },
      (err, stdout, stderr) =>
        err ? rej(Object.assign(err, { stdout, stderr })) : res(stdout),
    );
    child.stdin.end(input);
  });
}

const msSince = t => Math.round(Number(process.hrtime.bigint() - t) / 1e5) / 10;

/**
 * Runs one command of the manual path and records it in `calls` (its argv with the temp dir
 * shortened: no secret is ever in an argv). `opts.ok` lists error fragments that are an answer
 * (NotFound, AlreadyExists), resolved as null.
 */
async function step(ctx, calls, tool, args, opts = {}) {
  const file = { aws: ctx.aws, kubectl: ctx.kubectl, curl: 'curl' }[tool];
  const summary = args.join(' ').replaceAll(ctx.dir, '$TMP');
  const t = process.hrtime.bigint();
  try {
    return await run(file, args, {
      env: { ...ctx.env, ...opts.env },
      input: opts.input,
    });
  } catch (e) {
    // curl --fail-with-body puts the apiserver's Status on stdout; the other tools use stderr.
    const why =
      `${e.stderr ?? ''} ${tool === 'curl' ? e.stdout : ''}`.trim() ||
      e.message;
    if (opts.ok?.some(s => why.includes(s))) return null;
    throw new Error(`${tool} ${summary} failed: ${why}`);
  } finally {
    calls.push({ tool, args: summary, ms: msSince(t) });
  }
}

async function phase(fn) {
  const calls = [];
  const t = process.hrtime.bigint();
  await fn(calls);
  return { ms: msSince(t), calls };
}

// --- Kubernetes: kubectl, or curl to the apiserver (the same requests kubectl would send) -------
// Each op: [kubectl argv, [method, path, curl options]].
const k8sOps = {
  getNamespace: ns => [
    cmd`get namespace ${ns} --ignore-not-found -o name`,
    ['GET', `/api/v1/namespaces/${ns}`, { ok: ['error: 404'], out: () => ns }],
  ],
  createNamespace: ns => [
    cmd`create namespace ${ns}`,
    ['POST', '/api/v1/namespaces', { body: { metadata: { name: ns } } }],
  ],
  applySa: (ns, sa, file) => [
    cmd`apply -f ${file}`,
    // Server-side apply of the same manifest file.
    [
      'PATCH',
      `/api/v1/namespaces/${ns}/serviceaccounts/${sa}?fieldManager=bench-manual`,
      { file, type: 'application/apply-patch+yaml' },
    ],
  ],
  getSa: (ns, sa) => [
    cmd`get sa ${sa} -n ${ns} -o json`,
    ['GET', `/api/v1/namespaces/${ns}/serviceaccounts/${sa}`, {}],
  ],
  createToken: (ns, sa) => [
    cmd`create token ${sa} -n ${ns} --audience ${AUDIENCE}`,
    [
      'POST',
      `/api/v1/namespaces/${ns}/serviceaccounts/${sa}/token`,
      {
        body: { spec: { audiences: [AUDIENCE] } },
        out: o => JSON.parse(o).status.token,
      },
    ],
  ],
  deleteSa: (ns, sa) => [
    cmd`delete sa ${sa} -n ${ns} --ignore-not-found`,
    [
      'DELETE',
      `/api/v1/namespaces/${ns}/serviceaccounts/${sa}`,
      { ok: ['error: 404'] },
    ],
  ],
};

async function k8s(ctx, calls, op, ...a) {
  const [kubectlArgs, [method, path, o]] = k8sOps[op](...a);
  if (ctx.k8sClient === 'kubectl')
    return step(ctx, calls, 'kubectl', kubectlArgs);
  // The admin token goes in a header file (-H @file), not on curl's command line.
  const args = cmd`-sS --fail-with-body --cacert ${ctx.caFile} -H @${ctx.authHeaderFile}`;
  args.push('-X', method, `${ctx.k8sUrl}${path}`);
  if (o.body)
    args.push(...cmd`-H ${'Content-Type: application/json'} --data-binary @-`);
  if (o.file)
    args.push(...cmd`-H ${`Content-Type: ${o.type}`} --data-binary @${o.file}`);
  const input = o.body && JSON.stringify(o.body);
  const out = await step(ctx, calls, 'curl', args, { input, ok: o.ok });
  return out === null ? '' : o.out ? o.out(out) : out;
}

// --- the phases --------------------------------------------------------------------------------

export async function manualSetup() {
  const e = process.env;
  for (const v of [
    'IRSA_SANDBOX_AWS_ENDPOINT',
    'IRSA_SANDBOX_K8S_URL',
    'IRSA_SANDBOX_K8S_ADMIN_TOKEN',
  ])
    if (!e[v])
      throw new Error(`${v} is not set: eval "$(scripts/sandbox env)" first`);
  // tools.sh is idempotent and quick once installed; it prints BENCH_AWS, BENCH_KUBECTL, ...
  const tools = e.BENCH_AWS
    ? e
    : Object.fromEntries(
        (await run(join(REPO, 'scripts/bench-lib/tools.sh'), [], { env: e }))
          .trim()
          .split('\n')
          .map(l => l.split(/=(.*)/s).slice(0, 2)),
      );
  const dir = await mkdtemp(join(tmpdir(), 'bench-manual-'));
  let caFile = e.IRSA_SANDBOX_K8S_CA_FILE;
  if (!caFile) {
    caFile = join(dir, 'ca.crt');
    await writeFile(caFile, Buffer.from(e.IRSA_SANDBOX_K8S_CA_DATA, 'base64'));
  }
  const kubeconfig = join(dir, 'kubeconfig');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'sandbox',
        cluster: {
          server: e.IRSA_SANDBOX_K8S_URL,
          'certificate-authority': caFile,
        },
      },
    ],
    users: [{ name: 'admin', user: { token: e.IRSA_SANDBOX_K8S_ADMIN_TOKEN } }],
    contexts: [
      { name: 'sandbox', context: { cluster: 'sandbox', user: 'admin' } },
    ],
    'current-context': 'sandbox',
  };
  await writeFile(kubeconfig, JSON.stringify(config), { mode: 0o600 });
  const authHeaderFile = join(dir, 'auth.header');
  const header = `Authorization: Bearer ${e.IRSA_SANDBOX_K8S_ADMIN_TOKEN}\n`;
  await writeFile(authHeaderFile, header, { mode: 0o600 });
  // A clean shell: none of the caller's AWS_* or KUBECONFIG, no ~/.aws files.
  const baseEnv = Object.fromEntries(
    Object.entries(e).filter(([k]) => !/^(AWS_|KUBECONFIG$)/.test(k)),
  );
  Object.assign(baseEnv, {
    KUBECONFIG: kubeconfig,
    AWS_CONFIG_FILE: join(dir, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'aws-credentials'),
    AWS_ENDPOINT_URL: e.IRSA_SANDBOX_AWS_ENDPOINT,
    AWS_DEFAULT_REGION: e.IRSA_SANDBOX_REGION,
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  const ctx = {
    dir,
    caFile,
    kubeconfig,
    authHeaderFile,
    k8sUrl: e.IRSA_SANDBOX_K8S_URL,
    aws: tools.BENCH_AWS,
    kubectl: tools.BENCH_KUBECTL,
    k8sClient:
      tools.BENCH_K8S_CLIENT === 'kubectl' && tools.BENCH_KUBECTL
        ? 'kubectl'
        : 'curl',
    account: e.IRSA_SANDBOX_CLUSTER_ACCOUNT_ID,
    cluster: e.IRSA_SANDBOX_EKS_CLUSTER_NAME,
    baseEnv,
    env: baseEnv,
    created: { roles: new Set(), sas: new Set() },
  };
  // The admin of the cluster's account logs in once. moto puts a call in the account of the
  // temporary keys it minted; the sandbox's one role there is the manager role, which trusts the
  // main account's keys, and moto enforces no IAM authorization, so it acts as the account's admin.
  const mainKeys = {
    AWS_ACCESS_KEY_ID: e.IRSA_SANDBOX_AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: e.IRSA_SANDBOX_AWS_SECRET_ACCESS_KEY,
  };
  const manager = `arn:aws:iam::${ctx.account}:role/${e.IRSA_SANDBOX_MANAGER_ROLE_NAME}`;
  const login = await step(
    ctx,
    [],
    'aws',
    cmd`sts assume-role --role-arn ${manager} --role-session-name bench-manual-admin`,
    { env: mainKeys },
  );
  ctx.env = { ...baseEnv, ...credEnv(JSON.parse(login).Credentials) };
  return ctx;
}

const credEnv = c => ({
  AWS_ACCESS_KEY_ID: c.AccessKeyId,
  AWS_SECRET_ACCESS_KEY: c.SecretAccessKey,
  AWS_SESSION_TOKEN: c.SessionToken,
});

export async function manualProvision(ctx, id) {
  const { sa, role } = names(id);
  return phase(async calls => {
    const aws = (args, opts) => step(ctx, calls, 'aws', args, opts);
    // 1. The cluster's issuer, as the EKS guide gets it.
    const issuer = (
      await aws(cmd`eks describe-cluster --name ${ctx.cluster}
        --query cluster.identity.oidc.issuer --output text`)
    ).trim();
    const hp = issuer.replace(/^https:\/\//, '').replace(/\/$/, '');
    const providerArn = `arn:aws:iam::${ctx.account}:oidc-provider/${hp}`;
    // 2. The IAM OIDC provider, only when missing (what eksctl utils associate-iam-oidc-provider
    // does). No thumbprint: IAM no longer requires one, and moto checks only its length.
    const { OpenIDConnectProviderList: providers } = JSON.parse(
      await aws(cmd`iam list-open-id-connect-providers`),
    );
    if (!providers.some(p => p.Arn === providerArn)) {
      // EntityAlreadyExists: someone else sharing the sandbox made it just now; that is fine.
      await aws(
        cmd`iam create-open-id-connect-provider --url ${issuer}
        --client-id-list ${AUDIENCE}`,
        { ok: ['EntityAlreadyExists'] },
      );
    }
    // 3. The role, trusting exactly this ServiceAccount with the STS audience, and its policy.
    const trustFile = join(ctx.dir, `trust-${id}.json`);
    const trust = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: providerArn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              [`${hp}:sub`]: `system:serviceaccount:${NS}:${sa}`,
              [`${hp}:aud`]: AUDIENCE,
            },
          },
        },
      ],
    };
    await writeFile(trustFile, JSON.stringify(trust, null, 2));
    const { Role } = JSON.parse(
      await aws(cmd`iam create-role --role-name ${role}
        --assume-role-policy-document file://${trustFile}`),
    );
    ctx.created.roles.add(role);
    await aws(
      cmd`iam attach-role-policy --role-name ${role} --policy-arn ${POLICY_ARN}`,
    );
    // 4. The namespace when missing, then the annotated ServiceAccount. The namespace is kept
    // across runs: the sandbox runs no namespace controller, a deleted one stays Terminating.
    if (!(await k8s(ctx, calls, 'getNamespace', NS)).trim()) {
      await k8s(ctx, calls, 'createNamespace', NS);
    }
    const saFile = join(ctx.dir, `${sa}.yaml`);
    await writeFile(
      saFile,
      `apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${sa}
  namespace: ${NS}
  annotations:
    eks.amazonaws.com/role-arn: ${Role.Arn}
`,
    );
    await k8s(ctx, calls, 'applySa', NS, sa, saFile);
    ctx.created.sas.add(sa);
  });
}

export async function manualStatus(ctx, id) {
  const { sa, role } = names(id);
  return phase(async calls => {
    const aws = args => step(ctx, calls, 'aws', args);
    const obj = JSON.parse(await k8s(ctx, calls, 'getSa', NS, sa));
    const bound = obj.metadata.annotations?.['eks.amazonaws.com/role-arn'];
    const { Role } = JSON.parse(
      await aws(cmd`iam get-role --role-name ${role}`),
    );
    if (bound !== Role.Arn) {
      throw new Error(
        `ServiceAccount ${NS}/${sa} names ${bound}, the role is ${Role.Arn}`,
      );
    }
    // The provider the trust names, as a human checks next: it exists and has the audience.
    const providerArn =
      Role.AssumeRolePolicyDocument.Statement[0].Principal.Federated;
    const provider = JSON.parse(
      await aws(cmd`iam get-open-id-connect-provider
        --open-id-connect-provider-arn ${providerArn}`),
    );
    if (!provider.ClientIDList.includes(AUDIENCE)) {
      throw new Error(`${providerArn} lacks the audience ${AUDIENCE}`);
    }
  });
}

export async function manualVerify(ctx, id) {
  const { sa, role } = names(id);
  const roleArn = `arn:aws:iam::${ctx.account}:role/${role}`;
  // As from a pod: no admin credentials in these processes' env (the web-identity call is unsigned).
  const pod = { ...ctx, env: ctx.baseEnv };
  return phase(async calls => {
    const token = (await k8s(ctx, calls, 'createToken', NS, sa)).trim();
    const tokenFile = join(ctx.dir, `token-${id}`);
    await writeFile(tokenFile, token, { mode: 0o600 });
    let creds;
    try {
      const out = await step(
        pod,
        calls,
        'aws',
        cmd`sts assume-role-with-web-identity --role-arn ${roleArn}
          --role-session-name manual-${id} --web-identity-token file://${tokenFile}`,
      );
      creds = JSON.parse(out).Credentials;
    } finally {
      await rm(tokenFile, { force: true });
    }
    const who = JSON.parse(
      await step(pod, calls, 'aws', cmd`sts get-caller-identity`, {
        env: credEnv(creds),
      }),
    );
    const want = `arn:aws:sts::${ctx.account}:assumed-role/${role}/manual-${id}`;
    if (who.Arn !== want)
      throw new Error(`get-caller-identity says ${who.Arn}, expected ${want}`);
  });
}

export async function manualCleanup(ctx) {
  const calls = [];
  const errors = [];
  const attempt = p => p.catch(e => errors.push(e.message));
  const ok = ['NoSuchEntity'];
  for (const role of ctx.created.roles) {
    await attempt(
      step(
        ctx,
        calls,
        'aws',
        cmd`iam detach-role-policy --role-name ${role}
        --policy-arn ${POLICY_ARN}`,
        { ok },
      ),
    );
    await attempt(
      step(ctx, calls, 'aws', cmd`iam delete-role --role-name ${role}`, { ok }),
    );
  }
  for (const sa of ctx.created.sas)
    await attempt(k8s(ctx, calls, 'deleteSa', NS, sa));
  // The IAM OIDC provider stays: it is the cluster's, shared by everyone using the sandbox (the
  // product's aws:oidc:ensure makes the same one), and no guide removes it with a role.
  ctx.created.roles.clear();
  ctx.created.sas.clear();
  await rm(ctx.dir, { recursive: true, force: true });
  if (errors.length) throw new Error(`cleanup: ${errors.join('; ')}`);
  return { calls };
}
