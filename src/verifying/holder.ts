import { valuesOf } from './data-model.js';
import type { VerificationSubject } from './types.js';

/**
 * The presentation's holder: `holder` (URL or object id); failing that, for JOSE the kid's DID
 * and for Data Integrity the DID of the (single) proof's verification method.
 */
export function holderOf(subject: VerificationSubject): string | undefined {
  const h = subject.document.holder;
  if (typeof h === 'string') return h;
  if (typeof h === 'object' && h !== null && typeof (h as Record<string, unknown>).id === 'string') return (h as Record<string, string>).id;
  const vm = subject.jws ? subject.jws.header.kid : (valuesOf(subject.document.proof)[0] as Record<string, unknown> | undefined)?.verificationMethod;
  return typeof vm === 'string' && vm.includes('#') ? vm.slice(0, vm.indexOf('#')) : undefined;
}
