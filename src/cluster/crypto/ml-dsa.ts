/**
 * ML-DSA-65 (FIPS 204, parameter set 3) through @noble/post-quantum: the
 * signature scheme of the specification's network. Keys are derived from the
 * run seed and an owner id, so a respawned node has the same key. Every call
 * is timed in CPU time, so the real node can report what one verification costs here:
 * that figure is what the calibration hands to the scenario's `cpu` section.
 */
import { createHash } from 'node:crypto';
import { ml_dsa65 } from '@noble/post-quantum/ml-dsa.js';
import { ML_DSA_65_PUBLIC_KEY_BYTES, ML_DSA_65_SIGNATURE_BYTES } from '../../consensus/engine/messages.js';
import { cpuNowUs } from '../host/busy-work.js';

export const SIGNATURE_BYTES = ML_DSA_65_SIGNATURE_BYTES;
export const PUBLIC_KEY_BYTES = ML_DSA_65_PUBLIC_KEY_BYTES;

export interface KeyPair {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

/** Cost counters of this process's signature work. */
export interface SignatureCosts {
  signs: number;
  signUs: number;
  verifies: number;
  verifyUs: number;
  failures: number;
}

export const signatureCosts: SignatureCosts = { signs: 0, signUs: 0, verifies: 0, verifyUs: 0, failures: 0 };

/** A deterministic key pair for (run seed, owner, purpose). */
export function deriveKeyPair(seed: number, owner: number, purpose: 'node' | 'client'): KeyPair {
  const keySeed = createHash('sha256').update(`avsim/${seed}/${owner}/${purpose}/ml-dsa-65`).digest();
  const k = ml_dsa65.keygen(new Uint8Array(keySeed));
  if (k.publicKey.length !== PUBLIC_KEY_BYTES) throw new Error(`ml-dsa-65: public key of ${k.publicKey.length} bytes, expected ${PUBLIC_KEY_BYTES}`);
  return { publicKey: k.publicKey, secretKey: k.secretKey };
}

export function sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
  const t0 = cpuNowUs();
  const sig = ml_dsa65.sign(message, secretKey);
  signatureCosts.signs++;
  signatureCosts.signUs += cpuNowUs() - t0;
  return sig;
}

/** Never throws: a malformed signature or key is a failed verification. */
export function verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  const t0 = cpuNowUs();
  let ok = false;
  try {
    ok = signature.length === SIGNATURE_BYTES && publicKey.length === PUBLIC_KEY_BYTES && ml_dsa65.verify(signature, message, publicKey);
  } catch {
    ok = false;
  }
  signatureCosts.verifies++;
  signatureCosts.verifyUs += cpuNowUs() - t0;
  if (!ok) signatureCosts.failures++;
  return ok;
}
