import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sandboxEnv } from './sandboxEnv';

/**
 * How the sandbox's issuer breaks its JWKS (scripts/sandbox-lib/issuer_server.py): `no-keys`
 * publishes an empty key set, as an issuer that rotated its signing key without publishing
 * the new one; `not-found` answers 404, as a self-hosted issuer whose bucket lost the file.
 *
 * @public
 */
export type IssuerJwksFault = 'no-keys' | 'not-found';

/**
 * Runs `fn` while the sandbox's one issuer serves a broken JWKS, and mends it afterwards,
 * however `fn` ends. Every signature check in the sandbox (STS's, the product's F8) reads
 * that issuer, so only suites that run alone may call this (docs/sandbox.md, "Serial
 * suites"); `scripts/sandbox up` clears a fault an interrupted run left.
 *
 * @public
 */
export async function withIssuerFault<T>(
  fault: IssuerJwksFault,
  fn: () => Promise<T>,
): Promise<T> {
  const file = join(sandboxEnv().dir, 'issuer-fault.json');
  await writeFile(file, JSON.stringify({ jwks: fault }));
  try {
    return await fn();
  } finally {
    await rm(file, { force: true });
  }
}
