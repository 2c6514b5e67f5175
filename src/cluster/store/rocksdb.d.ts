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
  export class RocksLevel {
    constructor(location: string, options?: Record<string, unknown>);
    readonly status: string;
    open(): Promise<void>;
    close(): Promise<void>;
    /** Rejects with code LEVEL_NOT_FOUND for a missing key. */
    get(key: string): Promise<string>;
    batch(ops: BatchOp[], options?: { sync?: boolean }): Promise<void>;
    iterator(options?: IteratorOptions): AsyncIterable<[string, string]> & { close(): Promise<void> };
  }
}
