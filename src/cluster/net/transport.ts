/**
 * TCP between validators: one connection per peer pair (the lower id dials,
 * the higher accepts), a HELLO frame each way naming run and node, then
 * message frames. A dialer whose connection drops (the peer was killed,
 * paused past a timeout, restarted) redials with exponential backoff; an
 * acceptor takes a peer's new connection in place of its old one.
 *
 * A malformed, truncated, oversized or unknown frame is counted by reason
 * and closes that one connection; the node keeps running (and, if it is the
 * dialer, reconnects).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { NodeId } from '../../consensus/host.js';
import { DEFAULT_MAX_FRAME_BYTES, encodeHello, FrameReader, TRANSPORT_VERSION, type Frame, type FrameErrorReason } from './frame.js';

export interface PeerAddress {
  readonly host: string;
  readonly port: number;
}

export interface TransportOptions {
  nodeId: NodeId;
  /** Validators in the run: peers are 0..nodeCount-1. */
  nodeCount: number;
  /** Frames from another run (a stale process, a reused port) are refused. */
  runTag: number;
  host: string;
  /** 0 for any free port. */
  port: number;
  /** A taken port is an error instead of a fallback to a free one (standalone nodes: peers dial the configured port). */
  strictPort?: boolean;
  maxFrameBytes?: number;
  /** Most bytes queued on one socket before further frames to that peer are dropped. */
  maxQueuedBytesPerPeer?: number;
  /** A message frame from a peer; a returned reason (its payload did not decode) counts as a bad frame and closes the connection. */
  onMessage: (from: NodeId, frame: Extract<Frame, { type: 'message' }>) => string | undefined;
  /** Connection events, for the node's log. */
  onEvent?: (event: string) => void;
}

/** Why a frame was not sent. */
export type SendDrop = 'not-connected' | 'queue-full';

export interface TransportStats {
  framesOut: number;
  bytesOut: number;
  framesIn: number;
  bytesIn: number;
  dropped: Record<SendDrop, number>;
  /** Bad frames received, by reason (framing, handshake, or the payload's own decoder); each closed its connection. */
  badFrames: Record<string, number>;
  connects: number;
  disconnects: number;
}

const BACKOFF_MIN_MS = 50;
const BACKOFF_MAX_MS = 1_000;
const HELLO_TIMEOUT_MS = 5_000;

interface Link {
  socket: Socket | undefined;
  /** The peer's HELLO arrived: messages may flow. */
  ready: boolean;
  backoffMs: number;
  redial: NodeJS.Timeout | undefined;
}

export class TcpTransport {
  readonly stats: TransportStats = {
    framesOut: 0,
    bytesOut: 0,
    framesIn: 0,
    bytesIn: 0,
    dropped: { 'not-connected': 0, 'queue-full': 0 },
    badFrames: {},
    connects: 0,
    disconnects: 0,
  };
  private server: Server | undefined;
  private readonly peers = new Map<NodeId, PeerAddress>();
  private readonly links = new Map<NodeId, Link>();
  private readonly maxFrame: number;
  private readonly maxQueued: number;
  private closed = false;
  private readonly hello: Buffer;
  private readonly corked = new Set<Socket>();

  constructor(private readonly opts: TransportOptions) {
    this.maxFrame = opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.maxQueued = opts.maxQueuedBytesPerPeer ?? 64 * 1024 * 1024;
    this.hello = encodeHello(opts.runTag, opts.nodeId);
  }

  /** Starts listening; resolves with the bound port. A preferred port that is taken falls back to any free one. */
  async listen(): Promise<number> {
    try {
      return await this.listenOn(this.opts.port);
    } catch (e) {
      if (this.opts.strictPort === true && (e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new RangeError(`node ${this.opts.nodeId} transport: port ${this.opts.port} on ${this.opts.host} is already taken`);
      }
      if (this.opts.port === 0 || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
      this.opts.onEvent?.(`port ${this.opts.port} is taken; listening on a free one`);
      return this.listenOn(0);
    }
  }

  private listenOn(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const server = createServer((socket) => this.accepted(socket));
      server.once('error', reject);
      server.listen({ host: this.opts.host, port, exclusive: true }, () => {
        server.off('error', reject);
        const addr = server.address();
        if (addr === null || typeof addr === 'string') {
          reject(new Error('transport: listener has no TCP address'));
          return;
        }
        this.server = server;
        resolve(addr.port);
      });
    });
  }

  /** Sets where each peer listens; dials the peers this node dials (higher ids) that are not connected. */
  setPeers(peers: ReadonlyMap<NodeId, PeerAddress>): void {
    for (const [id, addr] of peers) {
      if (id === this.opts.nodeId) continue;
      const old = this.peers.get(id);
      this.peers.set(id, addr);
      if (id > this.opts.nodeId) {
        const link = this.link(id);
        const moved = old !== undefined && (old.port !== addr.port || old.host !== addr.host);
        if (moved && link.socket !== undefined) link.socket.destroy();
        else if (link.socket === undefined) this.dial(id);
      }
    }
  }

  /** Peers with an established connection (HELLO exchanged). */
  connectedPeers(): NodeId[] {
    const out: NodeId[] = [];
    for (const [id, l] of this.links) if (l.ready) out.push(id);
    return out.toSorted((a, b) => a - b);
  }

  isConnected(peer: NodeId): boolean {
    return this.links.get(peer)?.ready === true;
  }

  /** Writes one encoded frame to a peer now; false (and counted) if it cannot. */
  send(to: NodeId, frame: Buffer): boolean {
    const link = this.links.get(to);
    if (link === undefined || !link.ready || link.socket === undefined) {
      this.stats.dropped['not-connected']++;
      return false;
    }
    if (link.socket.writableLength > this.maxQueued) {
      this.stats.dropped['queue-full']++;
      return false;
    }
    const socket = link.socket;
    // Frames sent in one turn of the event loop leave in one write(2): cork now, uncork on the next tick.
    if (!this.corked.has(socket)) {
      this.corked.add(socket);
      socket.cork();
      process.nextTick(() => {
        this.corked.delete(socket);
        socket.uncork();
      });
    }
    socket.write(frame);
    this.stats.framesOut++;
    this.stats.bytesOut += frame.length;
    return true;
  }

  close(): Promise<void> {
    this.closed = true;
    for (const l of this.links.values()) {
      if (l.redial !== undefined) clearTimeout(l.redial);
      l.socket?.destroy();
    }
    return new Promise((resolve) => {
      if (this.server === undefined) resolve();
      else this.server.close(() => resolve());
    });
  }

  private link(id: NodeId): Link {
    let l = this.links.get(id);
    if (l === undefined) {
      l = { socket: undefined, ready: false, backoffMs: BACKOFF_MIN_MS, redial: undefined };
      this.links.set(id, l);
    }
    return l;
  }

  private dial(id: NodeId): void {
    if (this.closed) return;
    const addr = this.peers.get(id);
    const link = this.link(id);
    if (addr === undefined || link.socket !== undefined) return;
    if (link.redial !== undefined) {
      clearTimeout(link.redial);
      link.redial = undefined;
    }
    const socket = connect({ host: addr.host, port: addr.port });
    link.socket = socket;
    socket.setNoDelay(true);
    socket.once('connect', () => socket.write(this.hello));
    this.serve(socket, id);
  }

  private scheduleRedial(id: NodeId): void {
    const link = this.link(id);
    if (this.closed || link.redial !== undefined) return;
    const wait = link.backoffMs;
    link.backoffMs = Math.min(BACKOFF_MAX_MS, link.backoffMs * 2);
    link.redial = setTimeout(() => {
      link.redial = undefined;
      this.dial(id);
    }, wait);
  }

  private accepted(socket: Socket): void {
    if (this.closed) {
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    this.serve(socket, undefined);
  }

  /**
   * Reads frames from a socket. `expected` is the peer a dialled socket goes
   * to; an accepted socket learns its peer from the HELLO.
   */
  private serve(socket: Socket, expected: NodeId | undefined): void {
    const reader = new FrameReader(this.maxFrame);
    let peer: NodeId | undefined;
    const helloTimer = setTimeout(() => socket.destroy(), HELLO_TIMEOUT_MS);
    const bad = (reason: FrameErrorReason | 'wrong-run' | 'wrong-version' | 'unexpected-peer' | string, detail: string): void => {
      this.stats.badFrames[reason] = (this.stats.badFrames[reason] ?? 0) + 1;
      this.opts.onEvent?.(`closing connection${peer === undefined ? '' : ` with node ${peer}`}: ${reason} (${detail})`);
      socket.destroy();
    };
    socket.on('data', (chunk: Buffer) => {
      reader.push(chunk);
      for (;;) {
        const r = reader.next();
        if (r === undefined) return;
        if (!r.ok) {
          bad(r.error.reason, r.error.detail);
          return;
        }
        const f = r.frame;
        if (peer === undefined) {
          if (f.type !== 'hello') return bad('bad-hello', 'first frame is not a hello');
          if (f.version !== TRANSPORT_VERSION) return bad('wrong-version', `transport version ${f.version}, this node speaks ${TRANSPORT_VERSION}`);
          if (f.runTag !== this.opts.runTag >>> 0) return bad('wrong-run', `run tag ${f.runTag}`);
          if (expected !== undefined ? f.nodeId !== expected : f.nodeId >= this.opts.nodeId || f.nodeId >= this.opts.nodeCount) {
            return bad('unexpected-peer', `hello from node ${f.nodeId}`);
          }
          clearTimeout(helloTimer);
          peer = f.nodeId;
          this.established(peer, socket, expected === undefined);
          continue;
        }
        if (f.type !== 'message') return bad('bad-hello', 'a second hello');
        this.stats.framesIn++;
        this.stats.bytesIn += f.wireBytes;
        const refused = this.opts.onMessage(peer, f);
        if (refused !== undefined) return bad(refused, 'payload refused by the decoder');
        if (socket.destroyed) return;
      }
    });
    socket.on('error', () => {
      // 'close' follows; the error itself (ECONNREFUSED while a peer restarts, ECONNRESET on kill) is routine.
    });
    socket.on('close', () => {
      clearTimeout(helloTimer);
      const id = peer ?? expected;
      if (id === undefined) return;
      const link = this.links.get(id);
      if (link === undefined || link.socket !== socket) return;
      if (link.ready) {
        this.stats.disconnects++;
        this.opts.onEvent?.(`disconnected from node ${id}`);
      }
      link.socket = undefined;
      link.ready = false;
      if (id > this.opts.nodeId) this.scheduleRedial(id);
    });
  }

  private established(peer: NodeId, socket: Socket, inbound: boolean): void {
    const link = this.link(peer);
    if (inbound) {
      // The peer dialled again (it restarted, or its old connection is half-dead): the new socket wins.
      if (link.socket !== undefined && link.socket !== socket) {
        const old = link.socket;
        link.socket = undefined;
        old.destroy();
      }
      link.socket = socket;
      socket.write(this.hello);
    }
    link.ready = true;
    link.backoffMs = BACKOFF_MIN_MS;
    this.stats.connects++;
    this.opts.onEvent?.(`connected to node ${peer}`);
  }
}
