/** Text in the primary language, or a language map keyed by ISO 639-1 code. */
export type LangText = string | Record<string, string>;

/** A related qualification or programme (stackability). */
export interface ReferenceInput { title: LangText; id?: string }

/** The micro-credential request (mirrors schemas/micro-credential.request.json). */
export interface MicroCredentialRequest {
  learner: {
    id?: string;
    givenName: string;
    familyName: string;
    email?: string;
    dateOfBirth?: string;
    nationalId?: { value: string; country: string };
    studentId?: string;
  };
  title: LangText;
  description?: LangText;
  learningOutcomes?: { text: LangText; escoSkill?: string }[];
  workload?: { ects?: number; ecvet?: number; hours?: number };
  eqfLevel?: number;
  nqfLevel?: string;
  thematicArea?: string[];
  learningOpportunityType?: string;
  assessment?: { type: string; title?: LangText; mode?: string; grade?: string; supervision?: string };
  participation?: { mode: string; learningSetting?: string };
  qualityAssurance?: { accreditationId?: string; type?: string };
  awardingBody?: { id?: string; legalName: string; country: string; legalIdentifier: string };
  awardedDate?: string;
  prerequisites?: LangText;
  stackability?: { standalone: boolean; partialQualification?: boolean; partOf?: ReferenceInput; stackableTowards?: ReferenceInput[] };
  furtherInformation?: { url?: string; text?: LangText };
  languages?: string[];
  validFrom?: string;
  validUntil?: string;
  identifier?: string;
}
