import { createCipheriv, createHash, type Cipher } from 'node:crypto';

const HEX_CHARS = Buffer.from('0123456789abcdef', 'latin1');
const UUIDS_PER_REFILL = 4096;

/**
 * uuid v5-shaped ids (version and variant bits set, so strict uuid validators accept them)
 * derived from a counter: the AES-128-CTR keystream under a key hashed from the seed, i.e. the
 * encryption of counter 0, 1, 2, ... Distinct counters give distinct blocks (AES is a
 * permutation), and one cipher call yields thousands of ids: a createHash per id would cost more
 * than the rest of the generator.
 */
export class UuidSource {
  private readonly cipher: Cipher;
  private text: Buffer = Buffer.alloc(0);
  private index = UUIDS_PER_REFILL;

  constructor(seed: number) {
    const key = createHash('sha256').update(`v1-history:${seed}`).digest().subarray(0, 16);
    this.cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
  }

  next(): string {
    if (this.index >= UUIDS_PER_REFILL) this.refill();
    const start = 36 * this.index++;
    return this.text.toString('latin1', start, start + 36);
  }

  private refill(): void {
    const bytes = this.cipher.update(Buffer.alloc(16 * UUIDS_PER_REFILL));
    const text = Buffer.alloc(36 * UUIDS_PER_REFILL);
    for (let i = 0; i < UUIDS_PER_REFILL; i++) {
      bytes[16 * i + 6] = (bytes[16 * i + 6]! & 0x0f) | 0x50;
      bytes[16 * i + 8] = (bytes[16 * i + 8]! & 0x3f) | 0x80;
      let at = 36 * i;
      for (let j = 0; j < 16; j++) {
        if (j === 4 || j === 6 || j === 8 || j === 10) text[at++] = 0x2d;
        const byte = bytes[16 * i + j]!;
        text[at++] = HEX_CHARS[byte >> 4]!;
        text[at++] = HEX_CHARS[byte & 0x0f]!;
      }
    }
    this.text = text;
    this.index = 0;
  }
}
