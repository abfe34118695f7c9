export type { KeyAlgorithm, JwsAlgorithm, Signer, KeyRecord, EncryptedPrivateKey, PublicJwk, PublicKeyInfo, MultikeyDocument } from './types.js';
export { parseKek } from './kek.js';
export { encryptSecret, decryptSecret } from './encryption.js';
export { generateKeyRecord, keyRecordFromSecret } from './generate.js';
export type { GenerateKeyOptions } from './generate.js';
export { loadSigner, jwsAlgorithmFor } from './signer.js';
export type { InstitutionSigner } from './signer.js';
export { publicJwkFromMultibase, algorithmOfMultibase } from './multikey.js';
