/**
 * A fast, exact path from JSON-LD to RDF for the documents this service handles.
 *
 * jsonld.js spends most of a credential's canonicalization re-processing contexts: every
 * node under a type-scoped context (VC 1.1 applies one to each credential) clones the whole
 * active context and processes the next scoped context against the fresh clone, which the
 * processed-context cache can never recognise. Active contexts are immutable once built, so
 * here every context transition (parent context, local context, propagate, override) is
 * computed once by jsonld.js's own context processor and then reused by identity.
 *
 * The walk below follows jsonld.js's expansion algorithm (lib/expand.js) step by step and
 * emits the quads jsonld.js's toRDF would (same node merging and value deduplication), which
 * rdf-canonize then canonicalizes exactly as before. It covers the JSON-LD features
 * credentials use: bundled URL contexts, type- and property-scoped contexts, @vocab,
 * compact IRIs, type coercion, @set, @language and @graph containers, value objects, blank nodes.
 * Anything else, and anything jsonld.js's safe mode would report or refuse (an undefined
 * term, a relative IRI, a dropped value, a keyword it does not cover), makes it give up
 * (`undefined`), and the caller runs the stock jsonld.js path, which then produces the
 * result or the exact error. So the fast path never decides an error, and where it answers,
 * the answer is byte-identical to the reference (test/jsonld/fast-rdf.test.ts checks this on
 * every fixture and on generated variants).
 */
import { createRequire } from 'node:module';
import jsonld from 'jsonld';
import * as rdfCanonize from 'rdf-canonize';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import type { Canonicalize, Expand, JsonLdOffload } from './canonicalizer.js';
import type { ContextMap } from './contexts.js';

// The stock path: the Digital Bazaar cryptosuites' own canonize (jsonld.toRDF + rdf-canonize).
const stockCanonize: Canonicalize = (input, options) => eddsaRdfc2022.canonize(input, options ?? {});

// jsonld.js's context processor and IRI expansion (CommonJS internals; pinned major version).
const require = createRequire(import.meta.url);
interface ActiveContext {
  mappings: Map<string, TermDefinition | null>;
  previousContext?: ActiveContext;
  [key: string]: unknown;
}
interface TermDefinition {
  '@id'?: string;
  '@type'?: string;
  '@container'?: string[];
  '@context'?: unknown;
  reverse?: boolean;
  [key: string]: unknown;
}
interface ContextApi {
  process(args: { activeCtx: ActiveContext; localCtx: unknown; options: object; propagate?: boolean; overrideProtected?: boolean }): Promise<ActiveContext>;
  expandIri(ctx: ActiveContext, value: string, relativeTo: { vocab?: boolean; base?: boolean }, options?: object): string | null;
  getContextValue(ctx: ActiveContext, key: string | null, type: string): unknown;
  getInitialContext(options: object): ActiveContext;
}
const ctxApi = require('jsonld/lib/context.js') as ContextApi;
const ContextResolver = require('jsonld/lib/ContextResolver.js') as new (o: { sharedCache: unknown }) => unknown;

const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const RDF_LANGSTRING = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString';
const XSD = 'http://www.w3.org/2001/XMLSchema#';
const XSD_BOOLEAN = `${XSD}boolean`;
const XSD_DOUBLE = `${XSD}double`;
const XSD_INTEGER = `${XSD}integer`;
const XSD_STRING = `${XSD}string`;
// jsonld.js's own tests for these (lib/url.js, lib/util.js).
const IS_ABSOLUTE = /^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s]*$/;
const BCP47 = /^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/;

/** RDF/JS-shaped terms, as jsonld.js's toRDF produces them and rdf-canonize consumes them. */
type Term =
  | { termType: 'NamedNode'; value: string }
  | { termType: 'BlankNode'; value: string }
  | { termType: 'DefaultGraph'; value: '' }
  | { termType: 'Literal'; value: string; datatype: { termType: 'NamedNode'; value: string }; language?: string };
interface Quad {
  subject: Term;
  predicate: Term;
  object: Term;
  graph: Term;
}

/** Thrown inside the walk: the fast path does not cover this document. */
const GIVE_UP = Symbol('give up');
/** Thrown inside the walk: a context transition must be computed (asynchronously) first. */
class NeedContext {
  constructor(readonly from: ActiveContext, readonly local: unknown, readonly flags: number, readonly top = false) {}
}

/** Stands for a `null` scoped context in the transition memo (WeakMap keys must be objects). */
const NULL_CONTEXT = Object.freeze({});

const PROPAGATE = 1;
const OVERRIDE = 2;

/** A node object met during the walk; a blank one is labelled when the quads are written. */
interface Node {
  id: string | null;
  /** Has a type or property: not empty and not a bare reference (what jsonld.js drops where it cannot stand alone). */
  substantial?: boolean;
}
/**
 * A literal, with the expanded value it came from: jsonld.js deduplicates on the expanded
 * value (@value with its JSON type, @type, @language), not on the quad it becomes.
 */
interface Lit {
  lit: true;
  term: Term;
  raw: string | number | boolean;
  datatype: string | null;
  language: string | null;
}
type Value = Node | Lit;

interface Edge {
  s: Node;
  p: string;
  o: Value;
  /** The named graph (a @graph container's blank node), null for the default graph. */
  g: Node | null;
}

function giveUp(): never {
  throw GIVE_UP;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** jsonld.js's toRDF literal conversion (lib/toRdf.js _objectToRDF), for one expanded value. */
function literal(value: string | number | boolean, datatype: string | null, language: string | null): Lit {
  let out: string;
  let dt: string;
  let lang: string | undefined;
  if (typeof value === 'boolean') {
    out = String(value);
    dt = datatype ?? XSD_BOOLEAN;
  } else if ((typeof value === 'number' && (String(value).includes('.') || Math.abs(value) >= 1e21)) || datatype === XSD_DOUBLE) {
    const n = typeof value === 'number' ? value : parseFloat(value);
    out = n.toExponential(15).replace(/(\d)0*e\+?/, '$1E');
    dt = datatype ?? XSD_DOUBLE;
  } else if (typeof value === 'number') {
    out = value.toFixed(0);
    dt = datatype ?? XSD_INTEGER;
  } else if (language !== null) {
    out = value;
    dt = datatype ?? RDF_LANGSTRING;
    lang = language;
  } else {
    out = value;
    dt = datatype ?? XSD_STRING;
  }
  const term: Term = lang === undefined
    ? { termType: 'Literal', value: out, datatype: { termType: 'NamedNode', value: dt } }
    : { termType: 'Literal', value: out, datatype: { termType: 'NamedNode', value: dt }, language: lang };
  return { lit: true, term, raw: value, datatype, language };
}

/** Compiled state shared by every walk: context transitions and IRI expansions, by identity. */
class ContextCache {
  private readonly transitions = new WeakMap<ActiveContext, WeakMap<object, (ActiveContext | undefined)[]>>();
  private readonly vocabIris = new WeakMap<ActiveContext, Map<string, string | null>>();
  private readonly tops = new Map<readonly string[], ActiveContext>();
  private readonly lists = new Map<string, readonly string[]>();
  private readonly initial: ActiveContext;
  private readonly options: object;

  constructor(private readonly contexts: ContextMap) {
    this.initial = ctxApi.getInitialContext({});
    this.options = {
      base: null,
      // Only bundled contexts: the walk never reaches a URL that is not one.
      documentLoader: async (url: string) => {
        const doc = contexts.get(url);
        if (!doc) throw new Error(`not a bundled context: ${url}`);
        return { contextUrl: null, documentUrl: url, document: structuredClone(doc) };
      },
      contextResolver: new ContextResolver({ sharedCache: new Map() }),
      // Any warning while processing a context: leave the document to jsonld.js.
      eventHandler: ({ event }: { event: { level: string } }) => {
        if (event.level === 'warning') throw GIVE_UP;
      },
    };
  }

  /** The active context for the document's own @context (bundled URLs only). */
  top(local: unknown): ActiveContext {
    const urls = this.urls(local);
    const hit = this.tops.get(urls);
    if (hit) return hit;
    throw new NeedContext(this.initial, urls, PROPAGATE, true);
  }

  /**
   * A @context of bundled URLs, as one shared array per distinct list, so that the same list in
   * any document is the same local context (and transitions on it are found again). Bounded: a
   * client cycling through orderings of the bundled URLs must not grow it forever.
   */
  urls(local: unknown): readonly string[] {
    const list = typeof local === 'string' ? [local] : local;
    if (!Array.isArray(list) || list.length === 0 || list.length > 16) giveUp();
    for (const u of list) if (typeof u !== 'string' || !this.contexts.has(u)) giveUp();
    const key = list.join('\n');
    let shared = this.lists.get(key);
    if (!shared) {
      if (this.lists.size >= 256) {
        this.lists.clear();
        this.tops.clear();
      }
      this.lists.set(key, (shared = Object.freeze([...list] as string[])));
    }
    return shared;
  }

  /** jsonld.js context processing of `local` on `from`, computed once. */
  transition(from: ActiveContext, local: unknown, flags: number): ActiveContext {
    // Scoped contexts are objects of the processed context documents (or null, a reset, as VC 2.0
    // scopes `verifiableCredential`); a URL becomes its shared list.
    if (local !== null && typeof local !== 'object') local = this.urls(local);
    const key = local === null ? NULL_CONTEXT : (local as object);
    const hit = this.transitions.get(from)?.get(key)?.[flags];
    if (hit) return hit;
    throw new NeedContext(from, local, flags);
  }

  async compute(need: NeedContext): Promise<void> {
    const result = await ctxApi.process({
      activeCtx: need.from, localCtx: need.local, options: this.options,
      propagate: (need.flags & PROPAGATE) !== 0, overrideProtected: (need.flags & OVERRIDE) !== 0,
    });
    if (need.top) {
      this.tops.set(need.local as readonly string[], result);
      return;
    }
    let byLocal = this.transitions.get(need.from);
    if (!byLocal) this.transitions.set(need.from, (byLocal = new WeakMap()));
    const key = need.local === null ? NULL_CONTEXT : (need.local as object);
    let slots = byLocal.get(key);
    if (!slots) byLocal.set(key, (slots = []));
    slots[need.flags] = result;
  }

  /** expandIri(ctx, key, {vocab: true}), memoised per context. */
  vocab(ctx: ActiveContext, key: string): string | null {
    let m = this.vocabIris.get(ctx);
    if (!m) this.vocabIris.set(ctx, (m = new Map()));
    let v = m.get(key);
    if (v === undefined) {
      v = ctxApi.expandIri(ctx, key, { vocab: true }, this.options);
      if (m.size < 4096) m.set(key, v);
    }
    return v;
  }

  iri(ctx: ActiveContext, value: string, vocab: boolean): string | null {
    return ctxApi.expandIri(ctx, value, vocab ? { vocab: true, base: true } : { base: true }, this.options);
  }
}

const termOf = (ctx: ActiveContext, key: string | null): TermDefinition | null | undefined => (key === null ? undefined : ctx.mappings.get(key));

/**
 * What a top-level property's value expanded to: its edges and values, for the context and key
 * it was expanded under. A verification canonicalizes the same credential more than once (the
 * format check expands it with its proof, the proof check canonicalizes it without): the
 * second walk takes every unchanged top-level value from here. Kept per scope (one
 * verification), whose documents nobody modifies meanwhile.
 */
export type SubtreeMemo = WeakMap<object, { ctx: ActiveContext; key: string; edges: Edge[]; values: Value[] }>;

/** One walk over one document (synchronous; restarts after each missing context transition). */
class Walk {
  readonly edges: Edge[] = [];
  private graph: Node | null = null;
  constructor(private readonly cache: ContextCache, private readonly memo?: SubtreeMemo) {}

  /** An absolute IRI or blank node identifier for an @id-like value, or give up. */
  private id(ctx: ActiveContext, value: unknown, vocab: boolean): string {
    if (typeof value !== 'string') giveUp();
    const iri = this.cache.iri(ctx, value, vocab);
    if (iri === null || !IS_ABSOLUTE.test(iri)) giveUp();
    return iri;
  }

  /** api.expand(): any element under `prop`, appending what it expands to onto `out`. */
  element(ctx: ActiveContext, prop: string | null, el: unknown, tsc: ActiveContext | null, out: Value[], top = false): void {
    if (el === null || el === undefined) return;
    if (Array.isArray(el)) {
      const container = termOf(ctx, prop)?.['@container'];
      if (container?.includes('@list')) giveUp();
      for (const e of el) this.element(ctx, prop, e, tsc, out);
      return;
    }
    if (typeof el !== 'object') {
      if (prop === null) giveUp(); // free-floating scalar
      out.push(this.scalar(ctx, prop, el as string | number | boolean));
      return;
    }
    out.push(this.object(ctx, prop, el as Record<string, unknown>, tsc, top));
  }

  /** _expandValue() followed by toRDF's literal conversion. */
  private scalar(ctx: ActiveContext, prop: string, value: string | number | boolean): Value {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') giveUp();
    const expandedProperty = this.cache.vocab(ctx, prop);
    if (expandedProperty === null || expandedProperty.startsWith('@')) giveUp();
    const type = ctxApi.getContextValue(ctx, prop, '@type') as string | null;
    if (type === '@id' && typeof value === 'string') return { id: this.id(ctx, value, false) };
    if (type === '@vocab' && typeof value === 'string') return { id: this.id(ctx, value, true) };
    if (type === '@json') giveUp();
    if (type && type !== '@id' && type !== '@vocab' && type !== '@none') return literal(value, type, null);
    if (typeof value !== 'string') return literal(value, null, null);
    if (ctxApi.getContextValue(ctx, prop, '@direction') !== null) giveUp();
    const language = ctxApi.getContextValue(ctx, prop, '@language') as string | null;
    return literal(value, null, language);
  }

  /** api.expand() of a JSON object: context reverting and scoping, then _expandObject(). */
  private object(ctx: ActiveContext, prop: string | null, el: Record<string, unknown>, tsc: ActiveContext | null, top: boolean): Value {
    // jsonld.js copies its input first, and the copy turns an own "__proto__" key into a prototype
    // (inherited keys, an inherited @context); that reading is jsonld.js's to give.
    if (Object.hasOwn(el, '__proto__')) giveUp();
    const propertyScoped = termOf(ctx, prop)?.['@context'];
    tsc = tsc ?? (ctx.previousContext ? ctx : null);
    const keys = Object.keys(el).sort();
    let mustRevert = true;
    if (tsc && keys.length <= 2 && !keys.includes('@context')) {
      for (const key of keys) {
        const expanded = this.cache.vocab(tsc, key);
        if (expanded === '@value') {
          mustRevert = false;
          ctx = tsc;
          break;
        }
        if (expanded === '@id' && keys.length === 1) {
          mustRevert = false;
          break;
        }
      }
    }
    // revertToPreviousContext() hands out a clone of the previous context; the context itself is the same value.
    if (mustRevert && ctx.previousContext) ctx = ctx.previousContext;
    if (propertyScoped !== undefined) ctx = this.cache.transition(ctx, propertyScoped, PROPAGATE | OVERRIDE);
    if ('@context' in el) {
      // Bundled URLs only (a presentation's credentials carry their own); inline contexts go to jsonld.js.
      ctx = top ? this.cache.top(el['@context']) : this.cache.transition(ctx, this.cache.urls(el['@context']), PROPAGATE);
    }
    const typeScoped = ctx;
    for (const key of keys) {
      if (this.cache.vocab(ctx, key) !== '@type') continue;
      const value = el[key];
      const types = Array.isArray(value) ? (value.length > 1 ? [...value].sort() : value) : [value];
      for (const t of types) {
        if (typeof t !== 'string') giveUp();
        const scoped = typeScoped.mappings.get(t)?.['@context'];
        if (scoped !== undefined) ctx = this.cache.transition(ctx, scoped, 0);
      }
    }
    return this.properties(ctx, el, keys, typeScoped, top);
  }

  /** _expandObject() plus the node map: the node's @id, types and property values as edges. */
  private properties(ctx: ActiveContext, el: Record<string, unknown>, keys: string[], typeScoped: ActiveContext, top: boolean): Value {
    const node: Node = { id: null };
    const seen = new Set<string>();
    const edges: Array<[string, Value]> = [];
    const types: string[] = [];
    let typeIsArray = false;
    let hasValue = false;
    // Property keys seen, whether or not they produced a value: a value object may have none.
    let propertyKeys = 0;
    let value: unknown;
    let language: string | null = null;
    for (const key of keys) {
      if (key === '@context') continue;
      const expanded = this.cache.vocab(ctx, key);
      if (expanded === null) giveUp();
      const v = el[key];
      if (expanded.startsWith('@')) {
        if (seen.has(expanded) && expanded !== '@type') giveUp(); // colliding keywords
        seen.add(expanded);
        switch (expanded) {
          case '@id':
            node.id = this.id(ctx, v, false);
            continue;
          case '@type':
            if (Array.isArray(v)) typeIsArray = true;
            for (const t of Array.isArray(v) ? v : [v]) {
              const iri = this.id(typeScoped, t, true);
              if (iri.startsWith('_:')) giveUp();
              types.push(iri);
            }
            continue;
          case '@value':
            if (v === null || typeof v === 'object') giveUp();
            hasValue = true;
            value = v;
            continue;
          case '@language':
            if (typeof v !== 'string' || !BCP47.test(v)) giveUp();
            language = v.toLowerCase();
            continue;
          default:
            giveUp(); // @graph, @list, @set, @reverse, @nest, @included, @index, @direction, …
        }
      }
      // A property that is rdf:type itself would sit beside @type in jsonld.js's node map (duplicates): not covered.
      if (!IS_ABSOLUTE.test(expanded) || expanded.startsWith('_:') || expanded === RDF_TYPE) giveUp();
      propertyKeys++;
      const term = ctx.mappings.get(key);
      let termCtx = ctx;
      const scoped = term?.['@context'];
      if (scoped !== undefined) termCtx = this.cache.transition(ctx, scoped, PROPAGATE | OVERRIDE);
      const container = term?.['@container'] ?? [];
      if (term?.['@type'] === '@json' || termCtx.mappings.get(key)?.reverse) giveUp();
      const remembered = top && typeof v === 'object' && v !== null ? this.memo?.get(v) : undefined;
      if (remembered && remembered.ctx === termCtx && remembered.key === key) {
        for (const e of remembered.edges) this.edges.push(e);
        for (const o of remembered.values) edges.push([expanded, o]);
        continue;
      }
      const start = this.edges.length;
      const values: Value[] = [];
      if (container.includes('@language') && isPlainObject(v)) {
        if (ctxApi.getContextValue(termCtx, key, '@direction') !== null) giveUp();
        if (Object.hasOwn(v, '__proto__')) giveUp();
        for (const lang of Object.keys(v).sort()) {
          const noLanguage = this.cache.vocab(termCtx, lang) === '@none';
          if (!noLanguage && !BCP47.test(lang)) giveUp();
          const items = Array.isArray(v[lang]) ? (v[lang] as unknown[]) : [v[lang]];
          for (const item of items) {
            if (item === null) continue;
            if (typeof item !== 'string') giveUp();
            values.push(literal(item, null, noLanguage ? null : lang.toLowerCase()));
          }
        }
      } else if (container.includes('@graph')) {
        if (container.some((c) => c !== '@graph' && c !== '@set')) giveUp();
        this.graphContainer(termCtx, key, v, values);
      } else {
        if (container.some((c) => c !== '@set' && c !== '@language')) giveUp();
        this.element(termCtx, key, v, null, values);
      }
      for (const o of values) edges.push([expanded, o]);
      if (top && this.memo && typeof v === 'object' && v !== null) this.memo.set(v, { ctx: termCtx, key, edges: this.edges.slice(start), values });
    }
    if (hasValue) {
      // A value object: @value with one @type or a @language (not both), nothing else, never at the
      // top. jsonld.js counts keys, not values: `{"@value": "x", "p": []}` is invalid, not "x".
      if (top || node.id !== null || propertyKeys > 0 || typeIsArray || types.length > 1) giveUp();
      if (language !== null && (types.length > 0 || typeof value !== 'string')) giveUp();
      return literal(value as string | number | boolean, types[0] ?? null, language);
    }
    // Objects jsonld.js drops (a safe-mode error): @language alone or beside properties; at the top, empty or a bare @id.
    if (language !== null) giveUp();
    if (top && edges.length === 0 && types.length === 0) giveUp();
    node.substantial = edges.length > 0 || types.length > 0;
    const g = this.graph;
    for (const t of types) this.edges.push({ s: node, p: RDF_TYPE, o: { id: t }, g });
    for (const [p, o] of edges) this.edges.push({ s: node, p, o, g });
    return node;
  }

  /**
   * A @graph container (e.g. `proof`): each value is a node object in a named graph of its
   * own, named by a fresh blank node that is the property's value. jsonld.js drops (a safe-mode
   * error) values that are empty, bare references or literals, so those give up.
   */
  private graphContainer(ctx: ActiveContext, key: string, v: unknown, out: Value[]): void {
    const items = Array.isArray(v) ? v.flat(Infinity) : [v];
    const outer = this.graph;
    for (const item of items) {
      if (item === null || item === undefined) continue;
      const name: Node = { id: null };
      const got: Value[] = [];
      this.graph = name;
      try {
        this.element(ctx, key, item, null, got);
      } finally {
        this.graph = outer;
      }
      const value = got[0];
      if (got.length !== 1 || !value || 'lit' in value || !value.substantial) giveUp();
      out.push(name);
    }
  }
}

const DEFAULT_GRAPH: Term = { termType: 'DefaultGraph', value: '' };

/**
 * A key equal for two values exactly when they are the same expanded value (jsonld.js's
 * util.compareValues, for what the walk produces): a literal by its JSON value and type,
 * @type and @language; a node by its @id, an unlabelled node by itself.
 */
function valueKey(v: Value): unknown {
  if ('lit' in v) return `\u0001${typeof v.raw}\u0000${String(v.raw)}\u0000${v.datatype ?? '\u0002'}\u0000${v.language ?? '\u0002'}`;
  return v.id === null ? v : `\u0003${v.id}`;
}

/** valueKey(a) === valueKey(b), without building the keys. */
function sameValue(a: Value, b: Value): boolean {
  if ('lit' in a) return 'lit' in b && a.raw === b.raw && a.datatype === b.datatype && a.language === b.language;
  return !('lit' in b) && (a.id === null ? a === b : a.id === b.id);
}

/**
 * The values one subject has for one predicate so far. Almost every predicate has one or a
 * few, compared directly; past DEDUP_SCAN values they are keyed, so that a property with
 * thousands of values stays linear.
 */
interface Seen {
  values: Value[];
  keys?: Set<unknown>;
}
const DEDUP_SCAN = 8;

/** Adds `v` unless an equal value is there; true when added. */
function addValue(seen: Seen, v: Value): boolean {
  if (seen.keys) {
    const key = valueKey(v);
    if (seen.keys.has(key)) return false;
    seen.keys.add(key);
    return true;
  }
  for (const w of seen.values) if (sameValue(v, w)) return false;
  seen.values.push(v);
  if (seen.values.length > DEDUP_SCAN) seen.keys = new Set(seen.values.map(valueKey));
  return true;
}

/**
 * The walk's edges as jsonld.js's toRDF dataset: labelled nodes, and each subject's values
 * deduplicated per predicate as its node map does (the same node met twice, or a value
 * repeated in an array, gives one quad).
 */
function toDataset(edges: Edge[]): Quad[] {
  // Terms and labels per dataset: nodes of a remembered subtree take part in several datasets.
  const unlabelled = new Map<Node, Term>();
  const labelled = new Map<string, Term>();
  let blanks = 0;
  const nodeTerm = (n: Node): Term => {
    if (n.id === null) {
      let t = unlabelled.get(n);
      if (t === undefined) unlabelled.set(n, (t = { termType: 'BlankNode', value: `g${blanks++}` }));
      return t;
    }
    let t = labelled.get(n.id);
    // Document blank node labels keep their identity (same label, same node), apart from generated ones.
    if (t === undefined) labelled.set(n.id, (t = n.id.startsWith('_:') ? { termType: 'BlankNode', value: `d${n.id.slice(2)}` } : { termType: 'NamedNode', value: n.id }));
    return t;
  };
  // graph → subject (its id, or the node itself when unlabelled) → predicate → its values so far.
  const graphs = new Map<Node | null, Map<string | Node, Map<string, Seen>>>();
  const quads: Quad[] = [];
  const predicates = new Map<string, Term>();
  for (const { s, p, o, g } of edges) {
    let subjects = graphs.get(g);
    if (!subjects) graphs.set(g, (subjects = new Map()));
    const subjectKey = s.id ?? s;
    let byPredicate = subjects.get(subjectKey);
    if (!byPredicate) subjects.set(subjectKey, (byPredicate = new Map()));
    const seen = byPredicate.get(p);
    if (seen === undefined) byPredicate.set(p, { values: [o] });
    else if (!addValue(seen, o)) continue;
    let predicate = predicates.get(p);
    if (!predicate) predicates.set(p, (predicate = { termType: 'NamedNode', value: p }));
    quads.push({ subject: nodeTerm(s), predicate, object: 'lit' in o ? o.term : nodeTerm(o), graph: g === null ? DEFAULT_GRAPH : nodeTerm(g) });
  }
  return quads;
}

/** Options jsonld.js/the cryptosuites pass that the fast path reproduces; anything else falls back. */
const UNDERSTOOD = new Set(['skipExpansion', 'algorithm', 'format', 'safe', 'base', 'documentLoader', 'signal', 'maxWorkFactor', 'maxDeepIterations', 'rdfDirection', 'produceGeneralizedRdf', 'timeoutMs', 'messageDigestAlgorithm', 'createMessageDigest', 'discard', 'rejectURDNA2015']);

function understood(options: Record<string, unknown>): boolean {
  for (const k of Object.keys(options)) if (!UNDERSTOOD.has(k)) return false;
  if (options.safe === false || options.skipExpansion === true) return false;
  if (options.base !== undefined && options.base !== null && options.base !== '') return false;
  if (options.format !== undefined && options.format !== 'application/n-quads') return false;
  return true;
}

/** The fast path over a set of bundled contexts. */
export interface FastRdf {
  /** Canonical N-Quads exactly as toRDF + rdf-canonize produce them, or undefined (left to jsonld.js). */
  canonize(doc: unknown, options?: Record<string, unknown>, memo?: SubtreeMemo): Promise<string | undefined>;
  /** True when safe-mode expansion of `doc` certainly succeeds; undefined when jsonld.js must decide. */
  expandsSafely(doc: unknown, options?: Record<string, unknown>, memo?: SubtreeMemo): Promise<true | undefined>;
  /** Documents answered by the fast path and documents left to jsonld.js, since start. */
  stats(): { answered: number; leftToJsonld: number };
}

export function createFastRdf(contexts: ContextMap): FastRdf {
  const cache = new ContextCache(contexts);
  const counts = { answered: 0, leftToJsonld: 0 };

  async function walk(doc: unknown, options: Record<string, unknown>, memo?: SubtreeMemo): Promise<Edge[] | undefined> {
    const edges = await walkOnce(doc, options, memo);
    if (edges) counts.answered++;
    else counts.leftToJsonld++;
    return edges;
  }

  async function walkOnce(doc: unknown, options: Record<string, unknown>, memo?: SubtreeMemo): Promise<Edge[] | undefined> {
    if (!isPlainObject(doc) || !('@context' in doc) || !understood(options)) return undefined;
    // Each missing context transition is computed and the walk restarted; once warm there are none.
    for (let attempt = 0; attempt < 64; attempt++) {
      const w = new Walk(cache, memo);
      try {
        w.element(ctxApi.getInitialContext({}), null, doc, null, [], true);
        return w.edges;
      } catch (e) {
        if (e === GIVE_UP) return undefined;
        if (!(e instanceof NeedContext)) return undefined;
        try {
          await cache.compute(e);
        } catch {
          return undefined;
        }
      }
    }
    return undefined;
  }

  return {
    async canonize(doc, options = {}, memo) {
      const edges = await walk(doc, options, memo);
      if (!edges) return undefined;
      const { documentLoader: _l, timeoutMs, safe: _s, base: _b, rdfDirection: _r, produceGeneralizedRdf: _g, ...rest } = options;
      const opts: Record<string, unknown> = { algorithm: 'RDFC-1.0', format: 'application/n-quads', ...rest };
      if (typeof timeoutMs === 'number' && !opts.signal) opts.signal = AbortSignal.timeout(timeoutMs);
      return rdfCanonize.canonize(toDataset(edges), opts) as Promise<string>;
    },
    async expandsSafely(doc, options = {}, memo) {
      return (await walk(doc, options, memo)) ? true : undefined;
    },
    stats: () => ({ ...counts }),
  };
}

/**
 * An offload that answers from the fast path and hands whatever it does not cover to
 * `fallback` (a worker pool), or without one to the stock cryptosuite canonize and
 * jsonld.expand in this thread. The fast path runs in the calling thread: at about a
 * millisecond for a 100 KB credential, copying the document to a worker would cost more.
 */
export function fastFirst(fast: FastRdf, fallback?: JsonLdOffload, memo?: SubtreeMemo): JsonLdOffload {
  const canonize: Canonicalize = fallback?.canonize ?? ((input, options) => stockCanonize(structuredClone(input), options ?? {}));
  const expand: Expand = fallback?.expand ?? (async (input, options = {}) => {
    const { discard, ...rest } = options;
    const expanded = await jsonld.expand(structuredClone(input) as jsonld.JsonLdDocument, { base: null, safe: true, ...rest } as jsonld.Options);
    return discard ? null : expanded;
  });
  return {
    async canonize(input, options = {}) {
      return (await fast.canonize(input, options, memo)) ?? canonize(input, options);
    },
    async expand(input, options = {}) {
      if (options.discard === true && (await fast.expandsSafely(input, options, memo))) return null;
      return expand(input, options);
    },
    // One verification: its walks share what they expanded (see SubtreeMemo).
    scoped: () => fastFirst(fast, fallback, new WeakMap()),
  };
}
