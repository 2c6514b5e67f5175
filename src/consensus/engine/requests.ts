/**
 * Outstanding get requests of one node (AvalancheGo snow/engine/common
 * Requests): which peer was asked for which container under which request
 * id, with the timer that gives up on it. At most one request per container.
 */
import type { NodeId, TimerHandle } from '../host.js';

export interface OutstandingRequest<Id> {
  readonly from: NodeId;
  readonly id: Id;
  readonly timer: TimerHandle;
}

export class OutstandingRequests<Id> {
  private readonly byRequest = new Map<number, OutstandingRequest<Id>>();
  private readonly byId = new Map<Id, number>();

  get size(): number {
    return this.byRequest.size;
  }

  /** A request for `id` is outstanding. */
  has(id: Id): boolean {
    return this.byId.has(id);
  }

  get(requestId: number): OutstandingRequest<Id> | undefined {
    return this.byRequest.get(requestId);
  }

  add(requestId: number, req: OutstandingRequest<Id>): void {
    this.byRequest.set(requestId, req);
    this.byId.set(req.id, requestId);
  }

  /** Forgets the request for `id` (it arrived some other way); returns it so its timer can be cancelled. */
  removeId(id: Id): OutstandingRequest<Id> | undefined {
    const requestId = this.byId.get(id);
    if (requestId === undefined) return undefined;
    this.byId.delete(id);
    const req = this.byRequest.get(requestId);
    this.byRequest.delete(requestId);
    return req;
  }

  remove(requestId: number): OutstandingRequest<Id> | undefined {
    const req = this.byRequest.get(requestId);
    if (req === undefined) return undefined;
    this.byRequest.delete(requestId);
    if (this.byId.get(req.id) === requestId) this.byId.delete(req.id);
    return req;
  }

  timers(): IterableIterator<OutstandingRequest<Id>> {
    return this.byRequest.values();
  }

  clear(): void {
    this.byRequest.clear();
    this.byId.clear();
  }
}
