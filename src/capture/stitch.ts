export interface ScreenShot {
  /** The page's scroll offset (CSS pixels) when this screen was taken. */
  scrollY: number;
  image: Blob;
}

export interface Placement {
  index: number;
  /** Where the screen goes in the stitched image, in image pixels. */
  top: number;
}

export interface StitchPlan {
  width: number;
  height: number;
  placements: Placement[];
}

/**
 * Where each screen of a scrolled page goes in one tall image. Screens are
 * placed at their own scroll offsets, so overlap (the last screen stops at
 * the page's end) never duplicates content; later screens are drawn over
 * earlier ones where they overlap. Screens at an offset already taken add
 * nothing and are dropped.
 */
export function planStitch(
  scrollOffsets: number[],
  viewportHeightPx: number,
  widthPx: number,
  devicePixelRatio: number,
): StitchPlan {
  const seen = new Set<number>();
  const placements: Placement[] = [];
  scrollOffsets.forEach((scrollY, index) => {
    const top = Math.round(scrollY * devicePixelRatio);
    if (seen.has(top)) return;
    seen.add(top);
    placements.push({ index, top });
  });
  const height = Math.max(0, ...placements.map((p) => p.top)) + viewportHeightPx;
  return { width: widthPx, height, placements };
}

/** Draws the screenshots into one PNG without scaling any of them. */
export async function stitchScreens(screens: ScreenShot[], devicePixelRatio: number): Promise<Blob> {
  const bitmaps = await Promise.all(screens.map((s) => createImageBitmap(s.image)));
  try {
    const first = bitmaps[0];
    if (!first) throw new Error('no screens to stitch');
    const plan = planStitch(
      screens.map((s) => s.scrollY),
      first.height,
      first.width,
      devicePixelRatio,
    );
    const canvas = new OffscreenCanvas(plan.width, plan.height);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('this browser could not make a canvas to stitch the screens');
    for (const { index, top } of plan.placements) context.drawImage(bitmaps[index]!, 0, top);
    return await canvas.convertToBlob({ type: 'image/png' });
  } finally {
    for (const bitmap of bitmaps) bitmap.close();
  }
}
