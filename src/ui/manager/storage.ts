import { formatBytes } from '../dom';

/**
 * The browser's storage for the extension: how much is used, how much is
 * left, and whether it is persistent (never cleared to free space).
 */

/** Warn when less than this is left, or when this share of the quota is used. */
export const LOW_SPACE_BYTES = 1_000_000_000;
export const HIGH_USE_SHARE = 0.8;

export interface StorageReport {
  text: string;
  low: boolean;
  warning: string | null;
}

export function describeStorage(
  estimate: { usage?: number; quota?: number },
  persisted: boolean | null,
): StorageReport {
  const usage = estimate.usage ?? 0;
  const quota = estimate.quota;
  const left = quota === undefined ? undefined : Math.max(0, quota - usage);
  const used = `Evidence and settings use ${formatBytes(usage)}`;
  const available = left === undefined ? 'the space left is not known' : `${formatBytes(left)} is available`;
  const persistence =
    persisted === null
      ? ''
      : persisted
        ? ' Storage is persistent: the browser will not clear it to free space.'
        : ' Storage is not marked persistent: the browser may clear it when the disk is nearly full.';
  const low = left !== undefined && quota !== undefined && (left < LOW_SPACE_BYTES || usage / quota > HIGH_USE_SHARE);
  return {
    text: `${used}; ${available}.${persistence}`,
    low,
    warning: low
      ? 'Space is running low: export the cases you have finished, then delete their captures, or free disk space. A capture that does not fit is refused, never half-saved.'
      : null,
  };
}
