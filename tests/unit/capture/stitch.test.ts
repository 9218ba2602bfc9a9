// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { planStitch } from '../../../src/capture/stitch';

describe('planStitch', () => {
  it('stacks full screens at their scroll offsets', () => {
    expect(planStitch([0, 800, 1600], 800, 1280, 1)).toEqual({
      width: 1280,
      height: 2400,
      placements: [
        { index: 0, top: 0 },
        { index: 1, top: 800 },
        { index: 2, top: 1600 },
      ],
    });
  });

  it('places a last screen that stopped short of a full scroll at its real offset, without repeating content', () => {
    expect(planStitch([0, 800, 1100], 800, 1280, 1)).toMatchObject({
      height: 1900,
      placements: [{ top: 0 }, { top: 800 }, { top: 1100 }],
    });
  });

  it('drops screens taken at an offset already covered (a page shorter than N screens)', () => {
    expect(planStitch([0, 300, 300], 800, 1280, 1)).toEqual({
      width: 1280,
      height: 1100,
      placements: [
        { index: 0, top: 0 },
        { index: 1, top: 300 },
      ],
    });
  });

  it('converts CSS scroll offsets into screenshot pixels', () => {
    expect(planStitch([0, 800], 1600, 2560, 2)).toMatchObject({
      height: 3200,
      placements: [{ top: 0 }, { top: 1600 }],
    });
  });
});
