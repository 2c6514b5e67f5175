/** The part of @nxtedition/rocksdb (an abstract-level v1 database; the package ships no types) the chain store uses. */
declare module '@nxtedition/rocksdb' {
  export interface BatchOp {
    type: 'put' | 'del';
    key: string;
    value?: string;
  }
  export interface IteratorOptions {
    gte?: string;
    lte?: string;
    gt?: string;
    lt?: string;
    reverse?: boolean;
    limit?: number;
  }
  export interface ChainedBatch {
    put(key: string, value: string): ChainedBatch;
    del(key: string): ChainedBatch;
    write(options?: { sync?: boolean }): Promise<void>;
    close(): Promise<void>;
  }
  export class RocksLevel {
    constructor(location: string, options?: Record<string, unknown>);
    readonly status: string;
    open(): Promise<void>;
    close(): Promise<void>;
    /** Rejects with code LEVEL_NOT_FOUND for a missing key. */
    get(key: string): Promise<string>;
    /**
     * The array form: do not use. 12.2.12's `_batch` builds a chained batch and writes it with the private `_write`,
     * which never closes it, so every call leaves a batch (and its native write batch, data included) in the
     * database's resource set until the database closes: a leak of one batch per write.
     */
    batch(ops: BatchOp[], options?: { sync?: boolean }): Promise<void>;
    /** A chained batch: `write()` writes and closes it (abstract-level's public path). */
    batch(): ChainedBatch;
    /**
     * A synchronous point read (the binding's db_get_many_sync; 12.2.12 has no public sync get, and this method is
     * what its own getMany would call). Buffers, undefined for a missing key. The accepted chain reads its older
     * blocks through it (AcceptedStore: the engine answers a request in one step).
     */
    _getManySync(keys: string[]): (Buffer | undefined)[];
    iterator(options?: IteratorOptions): AsyncIterable<[string, string]> & { close(): Promise<void> };
  }
}
