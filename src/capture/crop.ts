import type { Rect } from '../messages';

export interface PixelBox {
  sx: number;
  sy: number;
  sw: number;
  sh: number;
}

/**
 * The part of a viewport screenshot that shows `rect` (CSS pixels), in
 * screenshot pixels. Clipped to the image, because a post partly scrolled
 * off screen was only partly seen; null when none of it was on screen.
 */
export function cropBox(
  rect: Rect,
  devicePixelRatio: number,
  imageWidth: number,
  imageHeight: number,
): PixelBox | null {
  const left = Math.max(0, Math.floor(rect.x * devicePixelRatio));
  const top = Math.max(0, Math.floor(rect.y * devicePixelRatio));
  const right = Math.min(imageWidth, Math.ceil((rect.x + rect.width) * devicePixelRatio));
  const bottom = Math.min(imageHeight, Math.ceil((rect.y + rect.height) * devicePixelRatio));
  if (right - left < 1 || bottom - top < 1) return null;
  return { sx: left, sy: top, sw: right - left, sh: bottom - top };
}

/** Cuts `box` out of a PNG without resampling: the cropped pixels are the screenshot's own. */
export async function cropPng(png: Blob, box: PixelBox): Promise<Blob> {
  const bitmap = await createImageBitmap(png, box.sx, box.sy, box.sw, box.sh);
  const canvas = new OffscreenCanvas(box.sw, box.sh);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This browser could not make a canvas to crop the screenshot.');
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  return canvas.convertToBlob({ type: 'image/png' });
}
