/**
 * Copies every JSON-LD context the service may load into schemas/contexts/, from the npm
 * packages that publish them (and the ELM reference folder). Run by hand after upgrading a
 * context package: `npx tsx scripts/bundle-contexts.ts`. The runtime reads only the output.
 */
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'schemas', 'contexts');
const require = createRequire(import.meta.url);
const W3C = 'W3C Software and Document License';
const BSD = 'BSD-3-Clause (Digital Bazaar)';

/** A bundled context: URL, output file, where it comes from, its licence. */
interface Source { url: string; file: string; from: string; licence: string; load: () => unknown }

const fromPackageFile = (pkg: string, rel: string) => () => {
  // Some packages do not export package.json, so locate them under node_modules directly.
  return JSON.parse(readFileSync(join(root, 'node_modules', pkg, rel), 'utf8'));
};
const fromCjsMap = (pkg: string, url: string) => () => (require(pkg) as { contexts: Map<string, unknown> }).contexts.get(url);

const sources: Source[] = [
  { url: 'https://www.w3.org/2018/credentials/v1', file: 'credentials-v1.jsonld', from: '@digitalbazaar/credentials-context contexts/v1.jsonld', licence: W3C, load: fromPackageFile('@digitalbazaar/credentials-context', 'contexts/v1.jsonld') },
  { url: 'https://www.w3.org/ns/credentials/v2', file: 'credentials-v2.jsonld', from: '@digitalbazaar/credentials-context contexts/v2.jsonld', licence: W3C, load: fromPackageFile('@digitalbazaar/credentials-context', 'contexts/v2.jsonld') },
  { url: 'https://www.w3.org/ns/credentials/undefined-terms/v2', file: 'credentials-undefined-terms-v2.jsonld', from: '@digitalbazaar/credentials-context contexts/undefined-terms-v2.jsonld', licence: W3C, load: fromPackageFile('@digitalbazaar/credentials-context', 'contexts/undefined-terms-v2.jsonld') },
  { url: 'https://www.w3.org/2018/credentials/examples/v1', file: 'credentials-examples-v1.jsonld', from: '@digitalbazaar/credentials-examples-context contexts/credentials-examples-v1.jsonld', licence: BSD, load: fromPackageFile('@digitalbazaar/credentials-examples-context', 'contexts/credentials-examples-v1.jsonld') },
  // Imported by the examples v1 context.
  { url: 'https://www.w3.org/ns/odrl.jsonld', file: 'odrl.jsonld', from: '@digitalbazaar/odrl-context contexts/odrl.jsonld', licence: BSD, load: fromPackageFile('@digitalbazaar/odrl-context', 'contexts/odrl.jsonld') },
  // No npm package publishes it; this is the W3C file's whole content (VC 2.0 spec examples).
  { url: 'https://www.w3.org/ns/credentials/examples/v2', file: 'credentials-examples-v2.jsonld', from: 'W3C, https://www.w3.org/ns/credentials/examples/v2 (transcribed: a single @vocab)', licence: W3C, load: () => ({ '@context': { '@vocab': 'https://www.w3.org/ns/credentials/examples#' } }) },
  { url: 'https://w3id.org/security/data-integrity/v1', file: 'data-integrity-v1.jsonld', from: '@digitalbazaar/data-integrity-context contexts/data-integrity-v1.jsonld', licence: BSD, load: fromPackageFile('@digitalbazaar/data-integrity-context', 'contexts/data-integrity-v1.jsonld') },
  { url: 'https://w3id.org/security/data-integrity/v2', file: 'data-integrity-v2.jsonld', from: '@digitalbazaar/data-integrity-context contexts/data-integrity-v2.jsonld', licence: BSD, load: fromPackageFile('@digitalbazaar/data-integrity-context', 'contexts/data-integrity-v2.jsonld') },
  { url: 'https://w3id.org/security/multikey/v1', file: 'multikey-v1.jsonld', from: '@digitalbazaar/multikey-context contexts/multikey-v1.jsonld', licence: BSD, load: fromPackageFile('@digitalbazaar/multikey-context', 'contexts/multikey-v1.jsonld') },
  { url: 'https://w3id.org/security/suites/ed25519-2020/v1', file: 'ed25519-signature-2020-v1.jsonld', from: 'ed25519-signature-2020-context contexts/ed25519-signature-2020-v1.jsonld', licence: BSD, load: fromPackageFile('ed25519-signature-2020-context', 'contexts/ed25519-signature-2020-v1.jsonld') },
  { url: 'https://www.w3.org/ns/did/v1', file: 'did-v1.jsonld', from: 'did-context contexts/did-v1.jsonld', licence: W3C, load: fromPackageFile('did-context', 'contexts/did-v1.jsonld') },
  { url: 'https://w3id.org/security/v1', file: 'security-v1.jsonld', from: '@digitalbazaar/security-context (contexts map)', licence: BSD, load: fromCjsMap('@digitalbazaar/security-context', 'https://w3id.org/security/v1') },
  { url: 'https://w3id.org/security/v2', file: 'security-v2.jsonld', from: '@digitalbazaar/security-context (contexts map)', licence: BSD, load: fromCjsMap('@digitalbazaar/security-context', 'https://w3id.org/security/v2') },
  { url: 'https://www.w3.org/ns/credentials/status/v1', file: 'vc-bitstring-status-list-v1.jsonld', from: '@digitalbazaar/vc-bitstring-status-list-context contexts/vc-bitstring-status-list-v1.jsonld', licence: BSD, load: fromPackageFile('@digitalbazaar/vc-bitstring-status-list-context', 'contexts/vc-bitstring-status-list-v1.jsonld') },
  { url: 'http://data.europa.eu/snb/model/context/edc-ap', file: 'edc-ap-context.jsonld', from: 'European Commission, ELM v3 (../shared/reference/edc/elm/context/edc-ap-context.jsonld)', licence: 'EUPL-1.2 (LICENSE-EUPL-1.2.txt beside it)', load: () => JSON.parse(readFileSync(resolve(root, '..', 'shared/reference/edc/elm/context/edc-ap-context.jsonld'), 'utf8')) },
];

mkdirSync(out, { recursive: true });
const index: Record<string, string> = {};
for (const s of sources) {
  const doc = s.load();
  if (!doc || typeof doc !== 'object' || !('@context' in doc)) throw new Error(`${s.url}: no @context in ${s.from}`);
  writeFileSync(join(out, s.file), JSON.stringify(doc, null, 2) + '\n');
  index[s.url] = s.file;
}
writeFileSync(join(out, 'index.json'), JSON.stringify(index, null, 2) + '\n');
// Written, not copied, so the source's read-only mode does not follow the file.
writeFileSync(join(out, 'LICENSE-EUPL-1.2.txt'), readFileSync(resolve(root, '..', 'shared/reference/edc/elm/LICENSE-EUPL-1.2.txt')));

const rows = sources.map((s) => `| ${s.url} | \`${s.file}\` | ${s.from} | ${s.licence} |`).join('\n');
writeFileSync(join(out, 'README.md'), `# Bundled JSON-LD contexts

Every JSON-LD context the service may load. The document loader (\`src/jsonld/\`) serves
only these files and refuses every other URL without network I/O. \`index.json\` maps URL →
file. Regenerate with \`npx tsx scripts/bundle-contexts.ts\` (reads the npm packages below and
the ELM reference folder); never edit the .jsonld files by hand.

| URL | file | source | licence |
|---|---|---|---|
${rows}

Licences: the W3C Software and Document License covers the context files taken from W3C
specifications (as stated by the packages' LICENSE.md). BSD-3-Clause, Copyright Digital
Bazaar, Inc., covers the files from the Digital Bazaar packages. The ELM context is
© European Union, licensed under the EUPL-1.2 (full text in \`LICENSE-EUPL-1.2.txt\`).
`);
console.log(`bundled ${sources.length} contexts into ${out}`);
