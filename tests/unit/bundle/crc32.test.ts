// @vitest-environment node
import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../../src/bundle/crc32';
import { pseudoRandomBytes } from '../../harness/synthetic-bundle';

describe('crc32', () => {
  it('gives the standard check value and the empty input', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
  });

  it('agrees with zlib at every length and alignment around the 8-byte steps', () => {
    const data = pseudoRandomBytes(4096 + 64, 3);
    for (let start = 0; start < 8; start++) {
      for (const length of [0, 1, 3, 7, 8, 9, 15, 16, 17, 63, 64, 65, 4095, 4096]) {
        const slice = data.subarray(start, start + length);
        expect(crc32(slice), `start ${start}, length ${length}`).toBe(zlibCrc32(slice));
      }
    }
  });

  it('continues over a file read in pieces', () => {
    const data = pseudoRandomBytes(100_003, 5);
    const whole = crc32(data);
    expect(crc32(data.subarray(37), crc32(data.subarray(0, 37)))).toBe(whole);
    expect(whole).toBe(zlibCrc32(data));
  });
});
