import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Opaque cursors. A cursor names the last row of a page — only its id — sealed with AES-256-GCM
 * under a server key and bound (as authenticated data) to the tenant, the caller, their purpose
 * and the list it came from. It carries no sort value, so it says nothing about any personal
 * value; and a cursor that was forged, altered, cut, or made for another caller, tenant or list
 * does not open. The page after it is found by comparing with that row's sort key in the store,
 * computed the same way the caller's own ordering is.
 */
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Ids are UUIDs (36 characters); nothing longer is ever sealed, so nothing longer is opened. */
const MAX_CURSOR_LENGTH = 200;

/** What a cursor is bound to: it opens only for the same binding. */
export interface CursorBinding {
  tenantId: string;
  userId: string;
  role: string;
  purpose: string;
  partnerClientId?: string;
}

export class CursorSealer {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('cursors:v1').digest();
  }

  /** A sealer for one request: seals and opens cursors of that caller's lists. */
  forCaller(binding: CursorBinding): RequestCursors {
    return new RequestCursors(this.key, [binding.tenantId, binding.userId, binding.role, binding.purpose, binding.partnerClientId ?? ''].join('\u0000'));
  }
}

export class RequestCursors {
  constructor(
    private readonly key: Buffer,
    private readonly binding: string,
  ) {}

  private aad(list: string): Buffer {
    return Buffer.from(`${this.binding}\u0000${list}`, 'utf8');
  }

  seal(list: string, rowId: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(this.aad(list));
    const sealed = Buffer.concat([cipher.update(rowId, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
  }

  /** The row id a cursor names, or undefined when it does not open for this caller and list. */
  open(list: string, cursor: string): string | undefined {
    if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
    const raw = Buffer.from(cursor, 'base64url');
    if (raw.length <= IV_BYTES + TAG_BYTES) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(this.aad(list));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }
}
