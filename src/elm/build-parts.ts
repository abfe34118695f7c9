/** Node builders shared by the micro-credential builder: organisations, learner, notes. */
import { UnprocessableError } from '../errors.js';
import type { Institution } from '../institutions/types.js';
import { concept, type ConceptNode } from './vocabularies.js';
import { toLangMap, type LangMap } from './lang.js';
import type { LangText, MicroCredentialRequest } from './request-types.js';

/** Mints node ids: `urn:epass:<kind>:<uuid>` like EDC, deterministic given newId. */
export type IdMinter = (kind: string) => string;

/** Creates an id minter over an injected uuid source. */
export function idMinter(newId: () => string): IdMinter {
  return (kind) => `urn:epass:${kind}:${newId()}`;
}

/** An ELM Note with a language map literal. */
export function note(mint: IdMinter, text: LangText, primary: string, subject?: ConceptNode): Record<string, unknown> {
  const n: Record<string, unknown> = { id: mint('note'), type: 'Note', noteLiteral: toLangMap(text, primary) };
  if (subject) n['subject'] = subject;
  return n;
}

function location(mint: IdMinter, country: ConceptNode): Record<string, unknown> {
  return { id: mint('location'), type: 'Location', address: { id: mint('address'), type: 'Address', countryCode: country } };
}

/** The institution's eIDAS identifier: eIDAS form first, then VAT, then national register number. */
export function institutionLegalIdentifier(institution: Institution): string {
  const ids = institution.legalIdentifiers;
  const value = ids.eidas ?? ids.vat ?? ids.national;
  if (!value) {
    throw new UnprocessableError('INSTITUTION_LEGAL_IDENTIFIER_MISSING',
      'The institution has no legal identifier; an EDC issuer needs exactly one eIDAS identifier.', { institution: institution.slug });
  }
  return value;
}

/** The issuer Organisation (id = institution DID) with location and exactly one eIDASIdentifier. */
export function issuerNode(mint: IdMinter, institution: Institution): Record<string, unknown> {
  const country = concept('country', institution.country, 'institution.country');
  const org: Record<string, unknown> = {
    id: institution.did,
    type: 'Organisation',
    legalName: { [institution.defaultLanguage]: institution.legalName },
    location: [location(mint, country)],
    eIDASIdentifier: { id: mint('legalIdentifier'), type: 'LegalIdentifier', notation: institutionLegalIdentifier(institution), spatial: country },
  };
  if (institution.homepage) org['homepage'] = { id: mint('webResource'), type: 'WebResource', contentURL: institution.homepage };
  return org;
}

/** An awarding body given in the request: Organisation with a registration LegalIdentifier. */
export function awardingBodyNode(mint: IdMinter, body: NonNullable<MicroCredentialRequest['awardingBody']>, primary: string): Record<string, unknown> {
  const country = concept('country', body.country, 'awardingBody.country');
  return {
    id: body.id ?? mint('org'),
    type: 'Organisation',
    legalName: { [primary]: body.legalName },
    location: [location(mint, country)],
    registration: { id: mint('legalIdentifier'), type: 'LegalIdentifier', notation: body.legalIdentifier, spatial: country },
  };
}

/** The learner as an ELM Person (without hasClaim). */
export function personNode(mint: IdMinter, learner: MicroCredentialRequest['learner'], primary: string, newId: () => string): Record<string, unknown> {
  const person: Record<string, unknown> = {
    id: learner.id ?? `urn:uuid:${newId()}`,
    type: 'Person',
    givenName: { [primary]: learner.givenName } satisfies LangMap,
    familyName: { [primary]: learner.familyName },
    fullName: { [primary]: `${learner.givenName} ${learner.familyName}` },
  };
  // EDC writes dateOfBirth as xsd:dateTime (midnight UTC).
  if (learner.dateOfBirth) person['dateOfBirth'] = `${learner.dateOfBirth}T00:00:00Z`;
  if (learner.nationalId) {
    person['nationalID'] = {
      id: mint('legalIdentifier'), type: 'LegalIdentifier', notation: learner.nationalId.value,
      spatial: concept('country', learner.nationalId.country, 'learner.nationalId.country'),
    };
  }
  if (learner.studentId) {
    person['identifier'] = [{ id: mint('identifier'), type: 'Identifier', notation: learner.studentId, schemeName: 'Student ID' }];
  }
  if (learner.email) {
    person['contactPoint'] = [{ id: mint('contactPoint'), type: 'ContactPoint', emailAddress: [{ id: `mailto:${learner.email}`, type: 'Mailbox' }] }];
  }
  return person;
}

/** ISO 8601 duration for notional hours (fractions allowed by xsd:duration). */
export function hoursToDuration(hours: number): string {
  return `PT${Number(hours.toFixed(2))}H`;
}

/** Parses an ISO 8601 duration made of hours/minutes/days/months into hours (months = 30 days); undefined if unparseable. */
export function durationToHours(duration: string): number | undefined {
  const m = /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(duration);
  if (!m || duration === 'P' || duration.endsWith('T')) return undefined;
  const n = (i: number): number => Number(m[i] ?? 0);
  return n(1) * 8760 + n(2) * 720 + n(3) * 168 + n(4) * 24 + n(5) + n(6) / 60 + n(7) / 3600;
}
