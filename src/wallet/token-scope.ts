/** What an access token lets a wallet fetch. */
export interface TokenScope {
  /** Configurations of the offer the token covers. */
  configurationIds: string[];
  /** Issued for `authorization_details`: the wallet names credentials by `credential_identifier`. */
  identifiers: boolean;
}

/**
 * The scope of an access token over its offer's configurations: those it was narrowed to by
 * `authorization_details` (stored with the token), else the whole offer.
 */
export function scopeOf(narrowedTo: readonly string[] | null, offered: readonly string[]): TokenScope {
  if (!narrowedTo) return { configurationIds: [...offered], identifiers: false };
  return { configurationIds: offered.filter((id) => narrowedTo.includes(id)), identifiers: true };
}

/**
 * The credential_identifier of a configuration in a token response. One offer holds one
 * credential dataset, so within a token the configuration id identifies it without ambiguity.
 */
export function credentialIdentifier(configurationId: string): string {
  return configurationId;
}

/** The configuration a credential_identifier stands for in this scope, if it is one of its identifiers. */
export function configurationOfIdentifier(identifier: string, scope: TokenScope): string | undefined {
  return scope.identifiers ? scope.configurationIds.find((id) => credentialIdentifier(id) === identifier) : undefined;
}
