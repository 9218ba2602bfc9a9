import { browser } from 'wxt/browser';

export interface Environment {
  browser: string;
  os: string;
  extensionVersion: string;
}

/** Names the browser from its user agent; brands are not available in every context. */
export function browserFromUserAgent(userAgent: string): string {
  const firefox = /Firefox\/([\d.]+)/.exec(userAgent);
  if (firefox) return `Firefox ${firefox[1]}`;
  const edge = /Edg\/([\d.]+)/.exec(userAgent);
  if (edge) return `Edge ${edge[1]}`;
  const chrome = /(?:HeadlessChrome|Chrome)\/([\d.]+)/.exec(userAgent);
  if (chrome) return `Chromium-based ${chrome[1]}`;
  return userAgent || 'unknown browser';
}

export async function describeEnvironment(): Promise<Environment> {
  const platform = await browser.runtime.getPlatformInfo();
  return {
    browser: browserFromUserAgent(navigator.userAgent),
    os: `${platform.os} ${platform.arch}`,
    extensionVersion: browser.runtime.getManifest().version,
  };
}
