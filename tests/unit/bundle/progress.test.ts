// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { percentProgress } from '../../../src/bundle/progress';

describe('percentProgress', () => {
  it('reports when the whole percentage moves, first and last always', () => {
    const seen: [number, number][] = [];
    const onProgress = percentProgress((done, total) => seen.push([done, total]));
    for (let done = 1; done <= 1000; done++) onProgress(done, 1000);
    expect(seen).toHaveLength(101);
    expect(seen[0]).toEqual([1, 1000]);
    expect(seen.at(-1)).toEqual([1000, 1000]);
  });

  it('reports every step of a small export', () => {
    const seen: number[] = [];
    const onProgress = percentProgress((done) => seen.push(done));
    for (let done = 1; done <= 3; done++) onProgress(done, 3);
    expect(seen).toEqual([1, 2, 3]);
  });
});
