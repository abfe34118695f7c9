import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** Top self-time functions and packages, and top inclusive (self + callees) functions, of a V8 .cpuprofile, as printable lines. */
export function summarizeProfile(file: string, top = 15): { totalMs: number; functions: string[]; packages: string[]; inclusive: string[] } {
  const p = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const cf = byId.get(id)!.callFrame;
    const where = cf.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(src|bench)\//, '$1/');
    const fkey = `${cf.functionName || '(anonymous)'} ${where}${where ? `:${cf.lineNumber}` : ''}`;
    fn.set(fkey, (fn.get(fkey) ?? 0) + us);
    const pk = where.startsWith('@') ? where.split('/').slice(0, 2).join('/') : where.split('/')[0] || cf.functionName;
    pkg.set(pk, (pkg.get(pk) ?? 0) + us);
    total += us;
  }
  // Inclusive time: each sample counts once for every distinct function on its stack.
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = (id: number): string => {
    const cf = byId.get(id)!.callFrame;
    const where = cf.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(src|bench)\//, '$1/');
    return `${cf.functionName || '(anonymous)'} ${where}${where ? `:${cf.lineNumber}` : ''}`;
  };
  const incl = new Map<string, number>();
  for (const [id, us] of self) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const k = keyOf(at);
      if (seen.has(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + us);
    }
  }
  for (const k of ['(root) ', '(program) ', '(idle) ']) incl.delete(k);
  const fmt = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => `${((us / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
  return { totalMs: total / 1000, functions: fmt(fn), packages: fmt(pkg), inclusive: fmt(incl) };
}
