import { DidError, type VerificationRelationshipName, type DereferencedMethod } from '../did/index.js';
import { failed, indeterminate, type CheckOutcome, type ResolvedOptions } from './check.js';

/**
 * The verification method `vmId` must belong to `controllerDid` (same DID, controller equal) and be
 * listed under `relationship` in its DID document. Returns the method or the outcome to report.
 */
export async function authorizeMethod(
  options: ResolvedOptions,
  vmId: unknown,
  controllerDid: string | undefined,
  relationship: VerificationRelationshipName,
): Promise<{ vm: DereferencedMethod } | { outcome: CheckOutcome }> {
  if (typeof vmId !== 'string' || !vmId.startsWith('did:') || !vmId.includes('#')) {
    return { outcome: failed('VERIFICATION_METHOD_NOT_AUTHORIZED', 'The verification method must be a DID URL with a fragment.', { verificationMethod: vmId }) };
  }
  const did = vmId.slice(0, vmId.indexOf('#'));
  if (!controllerDid || did !== controllerDid) {
    return {
      outcome: failed('VERIFICATION_METHOD_NOT_AUTHORIZED', `Key ${vmId} does not belong to ${controllerDid ?? 'the signer'}.`, { verificationMethod: vmId, expected: controllerDid }),
    };
  }
  try {
    const vm = await options.resolver.getVerificationMethod(vmId, relationship);
    if (vm.controller !== controllerDid) {
      return { outcome: failed('VERIFICATION_METHOD_NOT_AUTHORIZED', `Key ${vmId} is controlled by ${vm.controller}, not ${controllerDid}.`) };
    }
    return { vm };
  } catch (err) {
    if (err instanceof DidError && err.transient) {
      return { outcome: indeterminate('DID_RESOLUTION_ERROR', `Could not resolve ${did}: ${err.message}`, { didCode: err.code }) };
    }
    if (err instanceof DidError && err.code === 'DID_URL_NOT_FOUND') {
      return { outcome: failed('VERIFICATION_METHOD_NOT_AUTHORIZED', err.message, { verificationMethod: vmId, relationship }) };
    }
    const code = err instanceof DidError ? err.code : 'DID_RESOLUTION_ERROR';
    return { outcome: failed(code, `Key ${vmId} could not be dereferenced: ${(err as Error).message}`) };
  }
}
