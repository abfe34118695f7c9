import { verify, type Check, type CheckContext, type CheckOutcome } from '../verifying/index.js';
import { issuerIdOf } from '../issuing/index.js';
import type { CheckResult } from '../verifying/types.js';
import { evaluateAccreditationChain, type VerifyCredentialFn } from './accreditation-credential.js';
import { readCredentialFacts } from './credential-claims.js';
import type { RegistryReader } from './registry-checks.js';
import { checkAccreditationInRegistry, checkIssuerTrustInRegistry } from './registry-checks.js';
import type { AccreditationCheckOptions } from './evaluate-accreditation.js';

const strip = <T extends { check: string }>(r: T): Omit<T, 'check'> => {
  const { check: _name, ...rest } = r;
  return rest;
};

/**
 * Proof, issuer, status and validity of an accreditation credential, checked with the same loader, resolver,
 * status checker and clock as the credential under verification, but with the built-in checks only (no
 * registry checks: no recursion).
 */
export function chainVerifierFor(ctx: CheckContext): VerifyCredentialFn {
  return async (vc) => {
    const o = ctx.options;
    const report = await verify(vc, {
      documentLoader: o.documentLoader, resolver: o.resolver, now: o.now, clockSkewSeconds: o.clockSkewSeconds, limits: o.limits,
      ...(o.statusChecker ? { statusChecker: o.statusChecker } : {}),
    });
    const line = (name: string) => report.results.find((r) => r.check === name);
    const ok = (name: string) => line(name)?.status === 'passed';
    // A check that did not run (its prerequisite failed) says nothing; the proof line already decides then.
    const status = line('status');
    const validity = line('validity');
    return {
      verified: ok('proof') && ok('issuer'), issuer: report.summary.issuer ?? '',
      ...(status ? { status: { status: status.status, code: status.code, message: status.message } } : {}),
      ...(validity ? { validity: { status: validity.status, code: validity.code, message: validity.message } } : {}),
    };
  };
}

/**
 * Combine the registry result with the chains of the claimed accreditations that are backed by a signed
 * accreditation credential: a broken chain decides the line; otherwise the chain joins the detail.
 */
export async function accreditationWithChains(
  base: CheckResult, credential: Record<string, unknown>, repo: RegistryReader, verifyCredential: VerifyCredentialFn,
): Promise<CheckResult> {
  if (base.status === 'skipped') return base;
  const claimed = readCredentialFacts(credential).accreditations.map((a) => a.id);
  let backed;
  try {
    backed = (await repo.getAccreditations(claimed)).filter((a) => a.credential !== null);
  } catch {
    return base; // the registry read already decided the base line; an outage there is reported by it
  }
  if (backed.length === 0) return base;
  const chains: CheckResult[] = [];
  for (const acc of backed) {
    chains.push(await evaluateAccreditationChain({ accreditationCredential: acc.credential!, verifyCredential, registry: repo, microCredential: credential }));
  }
  const chainDetail = chains.map((c) => ({ accreditationCredential: c.detail?.credentialId ?? null, status: c.status, ...(c.code ? { code: c.code } : {}), chain: c.detail?.chain ?? [] }));
  const detail = { ...base.detail, chain: chainDetail[0]!.chain, chains: chainDetail };
  // Failed beats indeterminate: a chain that cannot be decided never hides a failure elsewhere.
  const broken = chains.find((c) => c.status === 'failed') ?? (base.status === 'failed' ? undefined : chains.find((c) => c.status !== 'passed'));
  if (broken) {
    return { check: 'accreditation', status: broken.status, ...(broken.code ? { code: broken.code } : {}), message: broken.message, detail };
  }
  if (base.status !== 'passed') return { ...base, detail };
  const suffix = chains.map((c) => c.message.match(/Chain: .*$/)?.[0]).filter(Boolean).join(' ');
  return { ...base, message: suffix ? `${base.message} ${suffix}` : base.message, detail };
}

/** The verifier's `trust` and `accreditation` checks over the stored registry. */
export function registryChecks(repo: RegistryReader, options: AccreditationCheckOptions = {}): Check[] {
  const trust: Check = {
    name: 'trust',
    appliesTo: ['credential'],
    // Trusting an issuer only means something once we know the document is really theirs.
    requires: ['issuer'],
    async run({ subject }) {
      const issuerDid = issuerIdOf(subject.document) ?? '';
      return strip(await checkIssuerTrustInRegistry({ issuerDid }, repo));
    },
  };
  const accreditation: Check = {
    name: 'accreditation',
    appliesTo: ['credential'],
    requires: ['format'],
    async run(ctx): Promise<CheckOutcome> {
      const { subject } = ctx;
      const issuerDid = issuerIdOf(subject.document);
      const base = await checkAccreditationInRegistry({ credential: subject.document, ...(issuerDid ? { issuerDid } : {}) }, repo, options);
      return strip(await accreditationWithChains(base, subject.document, repo, chainVerifierFor(ctx)));
    },
  };
  return [trust, accreditation];
}
