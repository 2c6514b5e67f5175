/**
 * The sans-I/O boundary (DESIGN.md, "The one architectural rule").
 *
 * A node engine in src/consensus talks to the world only through a Host. The
 * simulator (src/sim) implements it with virtual time and a simulated network;
 * the real node daemon implements it with real time and TCP. Nothing in
 * src/consensus imports from src/sim.
 */

/** Integer microseconds (same unit as src/sim/time.ts; redeclared to keep the boundary clean). */
export type Micros = number;

/** Node ids are dense integers 0..n-1. */
export type NodeId = number;

/** Opaque handle of a timer set through a host. */
export type TimerHandle = number;

export interface Host<M> {
  /** This node's id. */
  readonly id: NodeId;
  /** Current time in microseconds (virtual in the simulator, real in the daemon). */
  now(): Micros;
  /** Send one message to one node; delivery is subject to the network and may fail silently. */
  send(to: NodeId, msg: M): void;
  /** Fire `onTimer(tag)` after `delay` microseconds. */
  setTimer(delay: Micros, tag: number): TimerHandle;
  /** Cancel a timer; cancelling a fired or unknown timer is a no-op. */
  cancelTimer(handle: TimerHandle): void;
  /** Uniform double in [0, 1) from this node's own seeded consensus stream. */
  random(): number;
  /** Account local CPU work (block building, signing): delays this node's next processing. */
  chargeCpu(cost: Micros): void;
  /**
   * Whether `peer` is reachable now (AvalancheGo's connected-peer tracking:
   * the network layer's Connected/Disconnected). The simulator knows crashed
   * nodes and partitions; the real node knows its TCP connections. A node is
   * always connected to itself. Used to fail requests to unreachable peers at
   * once (snow/networking/sender) and for the connected-stake gates.
   */
  isConnected(peer: NodeId): boolean;
  /**
   * Optional: a number that changes whenever `isConnected` may answer
   * differently for some peer (a crash or restart took effect, a partition
   * began or healed). A node uses it only to skip recomputing what it derives
   * from every peer's connectivity (the connected-stake figure: O(validators)
   * per frontier tick) while nothing changed; a host that cannot tell omits it
   * and the node recomputes every time, with the same result. With it, the
   * node also re-reads its connected stake before every query (the
   * connected-stake gate follows a disconnect at once, as AvalancheGo's
   * tracker does); without it, at boot and on every frontier tick.
   */
  connectivityVersion?(): number;
}

/** What a host drives: the inputs a node engine accepts. */
export interface HostedNode<M, C> {
  /** Called once when the node boots (and never again; see onRestart). */
  onStart(): void;
  /**
   * `receivedAt`: when the message reached this node (before it waited for the
   * CPU), so that a request can expire in the queue (AvalancheGo handler:
   * expiration = arrival + the request's deadline). Hosts that do not know it
   * omit it, and nothing expires.
   */
  onMessage(from: NodeId, msg: M, receivedAt?: Micros): void;
  onTimer(tag: number): void;
  /** A client submits work (a transaction) to this node. */
  onClient(request: C): void;
  /** The process died: in-memory state is lost; persisted state (the accepted chain) survives. */
  onCrash(): void;
  /** The process came back after a crash. */
  onRestart(): void;
}
