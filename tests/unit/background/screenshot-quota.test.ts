// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRateGate } from '../../../src/background/screenshot-quota';

describe('createRateGate', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('spaces calls at least the interval apart, in the order they arrived', async () => {
    const gate = createRateGate(500);
    const started: number[] = [];
    const task = (n: number) => gate(async () => started.push(n) && Date.now());
    const t0 = Date.now();
    const runs = Promise.all([task(1), task(2), task(3)]);
    await vi.runAllTimersAsync();
    const times = await runs;
    expect(started).toEqual([1, 2, 3]);
    expect(times.map((t) => t - t0)).toEqual([0, 500, 1000]);
  });

  it('does not delay a call that comes after a quiet spell', async () => {
    const gate = createRateGate(500);
    await gate(async () => undefined);
    await vi.advanceTimersByTimeAsync(2000);
    const before = Date.now();
    const ran = gate(async () => Date.now());
    await vi.runAllTimersAsync();
    expect((await ran) - before).toBe(0);
  });

  it('passes a failing task through without blocking the next', async () => {
    const gate = createRateGate(500);
    const failing = gate(async () => {
      throw new Error('quota');
    }).catch((error: unknown) => error);
    const next = gate(async () => 'ok');
    await vi.runAllTimersAsync();
    expect(await failing).toEqual(new Error('quota'));
    await expect(next).resolves.toBe('ok');
  });
});
