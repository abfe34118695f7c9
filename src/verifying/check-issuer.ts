import { resolutionError } from '../did/index.js';
import { issuerId } from './data-model.js';
import { failed, indeterminate, passed, type Check } from './check.js';

/** `issuer`: the issuer is a DID that resolves; network trouble → indeterminate, a bad/unsupported DID → failed. */
export const issuerCheck: Check = {
  name: 'issuer',
  appliesTo: ['credential'],
  requires: ['format'],
  async run({ subject, options, state }) {
    const did = issuerId(subject.document);
    if (!did?.startsWith('did:')) return failed('DID_INVALID', `Issuer ${String(did)} is not a DID; only DID issuers can be verified.`);
    const result = await options.resolver.resolve(did);
    if (!result.didDocument || result.didResolutionMetadata.error) {
      const err = resolutionError(did, result);
      if (err.transient) return indeterminate('DID_RESOLUTION_ERROR', `Issuer DID could not be resolved now: ${err.message}`, { did, didCode: err.code });
      return failed(err.code, `Issuer DID ${did} does not resolve: ${err.message}`, { did, error: result.didResolutionMetadata.error });
    }
    state.set('issuerDocument', result.didDocument);
    return passed(`Issuer DID ${did} resolved.`, { did });
  },
};
