/**
 * A received message frame's payload, decoded as the node takes it in: the
 * protocol's wire codec, then the attachments. Never throws; a failure is a
 * reason string (it labels the bad-frame counter, and the connection closes).
 */
import type { Message } from '../../consensus/engine/messages.js';
import { SNOWMAN_WIRE_CODEC } from '../../consensus/engine/wire-codec.js';
import { decodeAttachments, type Attachments } from '../crypto/attachments.js';
import type { Frame } from './frame.js';

export type Incoming = { ok: true; msg: Message; attachments: Attachments } | { ok: false; reason: string; detail: string };

export function decodeIncoming(f: Extract<Frame, { type: 'message' }>): Incoming {
  const d = SNOWMAN_WIRE_CODEC.decode(f.payload);
  if (!d.ok) return { ok: false, reason: `codec:${d.error.reason}`, detail: d.error.detail };
  const a = decodeAttachments(f.attachments);
  if (!a.ok) return { ok: false, reason: 'attachments', detail: a.detail };
  return { ok: true, msg: d.msg, attachments: a.attachments };
}
