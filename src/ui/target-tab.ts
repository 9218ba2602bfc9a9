import { browser } from 'wxt/browser';

export interface TabChoice {
  id?: number;
  windowId?: number;
  lastAccessed?: number;
}

/**
 * Of the active tabs of normal windows, the one in the last focused window when
 * that is a normal window, else the one used last (the popup may be a window of
 * its own, which is never the tab to capture).
 */
export function chooseTargetTab(
  activeNormalTabs: readonly TabChoice[],
  lastFocused: { id?: number; type?: string } | null,
): number | null {
  const inFocused =
    lastFocused?.type === 'normal' ? activeNormalTabs.find((tab) => tab.windowId === lastFocused.id) : undefined;
  const newest = [...activeNormalTabs].sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0))[0];
  return (inFocused ?? newest)?.id ?? null;
}

/**
 * The tab a popup or manager button acts on. Not getLastFocused({ windowTypes }):
 * Firefox warns that windowTypes is deprecated there and can answer with a popup
 * window (https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/API/windows/getLastFocused);
 * tabs.query's windowType filter is what both browsers accept.
 */
export async function targetTabId(): Promise<number> {
  const [tabs, lastFocused] = await Promise.all([
    browser.tabs.query({ active: true, windowType: 'normal' }),
    browser.windows.getLastFocused().catch(() => null),
  ]);
  const id = chooseTargetTab(tabs, lastFocused);
  if (id === null) throw new Error('There is no open tab to capture.');
  return id;
}
