import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublicOnlyFetch } from '../../src/did/index.js';

describe('public-only fetch (no connection to private addresses, even after DNS)', () => {
  let server: Server;
  let port = 0;
  let hits = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits++;
      res.end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it.each([
    ['a name that resolves to loopback', () => `http://localhost:${port}/did.json`],
    ['an IPv4 loopback literal', () => `http://127.0.0.1:${port}/did.json`],
    ['an IPv6 loopback literal', () => `http://[::1]:${port}/did.json`],
    ['a private IPv4 literal', () => 'http://10.0.0.1/did.json'],
  ])('refuses %s without reaching the server', async (_label, url) => {
    const publicFetch = createPublicOnlyFetch();
    await expect(publicFetch(url())).rejects.toThrow();
    expect(hits).toBe(0);
  });

  it('the same server answers a plain fetch (the refusal is the guard, not the server)', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/did.json`);
    expect(res.status).toBe(200);
    expect(hits).toBe(1);
  });
});
