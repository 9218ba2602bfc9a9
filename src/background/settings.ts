import { browser } from 'wxt/browser';
import type { Settings } from '../evidence/model';

export const DEFAULT_CASE_ID = 'default';

export const DEFAULT_SETTINGS: Settings = {
  capturedBy: 'Not set',
  onBehalfOf: 'Not set',
  activeCaseId: DEFAULT_CASE_ID,
  captureProfileWithPost: true,
  profileScreens: 3,
  profileReuseMinutes: 10,
  blurScreenshots: true,
  setupDone: false,
  timestampsEnabled: false,
  tsaUrl: '',
};

/** Settings live in extension storage, not in the worker, because the worker is stopped when idle. */
export async function readSettings(): Promise<Settings> {
  const stored = (await browser.storage.local.get('settings')) as { settings?: Partial<Settings> };
  return { ...DEFAULT_SETTINGS, ...stored.settings };
}

/** Whether the first-run form still has to be filled in (settings from before it existed count as not set up). */
export function needsSetup(settings: Settings): boolean {
  return !settings.setupDone;
}

export async function writeSettings(changes: Partial<Settings>): Promise<Settings> {
  const next = { ...(await readSettings()), ...changes };
  await browser.storage.local.set({ settings: next });
  return next;
}
