// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { cropBox } from '../../../src/capture/crop';

describe('cropBox', () => {
  it('scales CSS pixels by the device pixel ratio', () => {
    expect(cropBox({ x: 10, y: 20, width: 100, height: 50 }, 2, 2560, 1600)).toEqual({
      sx: 20,
      sy: 40,
      sw: 200,
      sh: 100,
    });
  });

  it('rounds outwards so no edge pixel of the post is lost', () => {
    expect(cropBox({ x: 10.4, y: 0.6, width: 99.2, height: 10.1 }, 1, 1280, 800)).toEqual({
      sx: 10,
      sy: 0,
      sw: 100,
      sh: 11,
    });
  });

  it('clips a post partly above the viewport to what was on screen', () => {
    expect(cropBox({ x: 0, y: -300, width: 600, height: 500 }, 1, 1280, 800)).toEqual({
      sx: 0,
      sy: 0,
      sw: 600,
      sh: 200,
    });
  });

  it('clips a post running past the bottom edge', () => {
    expect(cropBox({ x: 340, y: 700, width: 600, height: 400 }, 1, 1280, 800)).toEqual({
      sx: 340,
      sy: 700,
      sw: 600,
      sh: 100,
    });
  });

  it('returns null for a post entirely off screen', () => {
    expect(cropBox({ x: 0, y: 900, width: 600, height: 200 }, 1, 1280, 800)).toBeNull();
    expect(cropBox({ x: 0, y: -250, width: 600, height: 200 }, 1, 1280, 800)).toBeNull();
  });

  it('returns null for an empty box', () => {
    expect(cropBox({ x: 10, y: 10, width: 0, height: 40 }, 1, 1280, 800)).toBeNull();
  });
});
