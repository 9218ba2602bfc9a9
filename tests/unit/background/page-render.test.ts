import { describe, expect, it } from 'vitest';
import { pageRenderResult } from '../../../src/background/page-render';

describe('pageRenderResult', () => {
  const png = 'data:image/png;base64,iVBORw0KGgo=';

  it('passes on a render and the images it left out', () => {
    expect(pageRenderResult({ pngDataUrl: png, omittedImages: ['https://nocors.example/a.png'] })).toEqual({
      pngDataUrl: png,
      omittedImages: ['https://nocors.example/a.png'],
    });
  });

  it("turns the page script's error into the failure's reason", () => {
    expect(() => pageRenderResult({ error: 'the post left the page before it could be rendered' })).toThrow(
      'the post left the page before it could be rendered',
    );
  });

  it('refuses anything else the page could have put there', () => {
    for (const bad of [
      undefined,
      null,
      'data:image/png;base64,',
      { pngDataUrl: 'javascript:alert(1)', omittedImages: [] },
      { pngDataUrl: png, omittedImages: [1] },
    ])
      expect(() => pageRenderResult(bad)).toThrow(/render in the page/);
  });
});
