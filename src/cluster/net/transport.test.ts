/**
 * The TCP transport on 127.0.0.1: one connection per pair, frames both ways,
 * redial after the peer goes away and comes back on its port, and a peer
 * that sends garbage (or another run's hello) is counted and cut off while
 * the honest connection keeps working.
 */
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeHello, encodeMessageFrame, type Frame } from './frame.js';
import { TcpTransport } from './transport.js';

type Msg = Extract<Frame, { type: 'message' }>;

const open: TcpTransport[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

function transport(nodeId: number, got: Array<{ from: number; frame: Msg }>, port = 0, runTag = 42): TcpTransport {
  const t = new TcpTransport({ nodeId, nodeCount: 3, runTag, host: '127.0.0.1', port, onMessage: (from, frame) => void got.push({ from, frame }) });
  open.push(t);
  return t;
}

async function until(what: string, cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const frame = (n: number): Buffer => encodeMessageFrame(n, n + 1, new Uint8Array([1, 6, 0, 0, 0, 0]), new Uint8Array(0));

describe('TcpTransport', () => {
  it('connects a pair once (lower id dials), carries frames both ways, and redials a peer that restarts on its port', async () => {
    const got0: Array<{ from: number; frame: Msg }> = [];
    const got1: Array<{ from: number; frame: Msg }> = [];
    const a = transport(0, got0);
    const b = transport(1, got1);
    const pa = await a.listen();
    const pb = await b.listen();
    const peers = new Map([
      [0, { host: '127.0.0.1', port: pa }],
      [1, { host: '127.0.0.1', port: pb }],
    ]);
    a.setPeers(peers);
    b.setPeers(peers);
    await until('connection', () => a.isConnected(1) && b.isConnected(0));
    expect(a.send(1, frame(10))).toBe(true);
    expect(b.send(0, frame(20))).toBe(true);
    await until('frames', () => got0.length === 1 && got1.length === 1);
    expect(got1[0]).toMatchObject({ from: 0, frame: { sentAtUs: 10, intendedArrivalUs: 11 } });
    expect(got0[0]).toMatchObject({ from: 1, frame: { sentAtUs: 20 } });
    expect(a.stats.connects).toBe(1);

    // Node 1 goes away: sends to it are dropped and counted, then it comes back on the same port and node 0 redials.
    await b.close();
    await until('disconnect', () => !a.isConnected(1));
    expect(a.send(1, frame(30))).toBe(false);
    expect(a.stats.dropped['not-connected']).toBe(1);
    const got1b: Array<{ from: number; frame: Msg }> = [];
    const b2 = transport(1, got1b, pb);
    await b2.listen();
    b2.setPeers(peers);
    await until('reconnect', () => a.isConnected(1) && b2.isConnected(0));
    expect(a.send(1, frame(40))).toBe(true);
    await until('frame after reconnect', () => got1b.length === 1);
    expect(got1b[0]?.frame.sentAtUs).toBe(40);
  });

  it('closes a connection that sends garbage or another run\'s hello, counts it, and keeps serving its honest peer', async () => {
    const got: Array<{ from: number; frame: Msg }> = [];
    const b = transport(1, got);
    const pb = await b.listen();
    const a = transport(0, []);
    const pa = await a.listen();
    const peers = new Map([
      [0, { host: '127.0.0.1', port: pa }],
      [1, { host: '127.0.0.1', port: pb }],
    ]);
    a.setPeers(peers);
    b.setPeers(peers);
    await until('honest connection', () => a.isConnected(1));

    const closedAfter = (bytes: Buffer): Promise<void> =>
      new Promise((resolve, reject) => {
        const s = connect({ host: '127.0.0.1', port: pb }, () => s.write(bytes));
        s.on('error', () => undefined);
        s.resume(); // read what the transport sends (its hello), so its close is seen
        s.on('close', () => resolve());
        setTimeout(() => reject(new Error(`the transport did not close a bad connection (sent [${Array.from(bytes).join(',')}]; bad frames so far ${JSON.stringify(b.stats.badFrames)})`)), 5_000);
      });
    await closedAfter(Buffer.from([0xff, 0xff, 0xff, 0xff, 1, 2, 3]));
    await closedAfter(encodeHello(999, 0));
    await closedAfter(Buffer.concat([encodeHello(42, 0), Buffer.from([0, 0, 0, 2, 7, 7])]));
    expect(b.stats.badFrames).toMatchObject({ oversized: 1, 'wrong-run': 1, 'unknown-frame': 1 });

    // The honest peer is served again (the last impostor's valid hello displaced it, and it redialled).
    await until('honest connection again', () => a.isConnected(1) && b.isConnected(0));
    expect(a.send(1, frame(5))).toBe(true);
    await until('honest frame', () => got.length === 1);
    expect(a.isConnected(1)).toBe(true);
  });

  it('a payload the node refuses closes the connection and counts the reason', async () => {
    const b = new TcpTransport({ nodeId: 1, nodeCount: 2, runTag: 42, host: '127.0.0.1', port: 0, onMessage: () => 'codec:unknown-kind' });
    open.push(b);
    const pb = await b.listen();
    const a = transport(0, []);
    const pa = await a.listen();
    const peers = new Map([
      [0, { host: '127.0.0.1', port: pa }],
      [1, { host: '127.0.0.1', port: pb }],
    ]);
    b.setPeers(peers);
    a.setPeers(peers);
    await until('connection', () => a.isConnected(1));
    a.send(1, frame(1));
    await until('refusal', () => (b.stats.badFrames['codec:unknown-kind'] ?? 0) === 1);
    // The dialer redials after the cut.
    await until('redial', () => a.stats.connects >= 2);
  });
});
