import { afterAll, beforeAll } from 'vitest';
import { launchWithExtension, type ExtensionBrowser } from './browser';
import { launchFirefoxWithExtension, type FirefoxExtensionBrowser } from './firefox';
import { startFixtureServer, type FixtureServer } from './fixture-server';

/**
 * The fixture sites and Chromium with the built extension, started before a
 * test file's tests and closed after them: what most e2e files need, written
 * once. The objects are handed out at once, before they exist, so a file can
 * keep `const { browser } = extensionSuite()` at the top; using one before
 * `beforeAll` has run is a mistake and says so.
 */
export function extensionSuite(): { browser: ExtensionBrowser; server: FixtureServer } {
  return suiteOf((server) => launchWithExtension({ server }));
}

/** The same for Firefox: the fixture sites, the host proxy and Firefox with the built Firefox extension. */
export function firefoxSuite(): { browser: FirefoxExtensionBrowser; server: FixtureServer } {
  return suiteOf((server) => launchFirefoxWithExtension({ server }));
}

function suiteOf<B extends { close(): Promise<void> }>(
  launch: (server: FixtureServer) => Promise<B>,
): { browser: B; server: FixtureServer } {
  let server: FixtureServer | undefined;
  let browser: B | undefined;
  beforeAll(async () => {
    server = await startFixtureServer();
    browser = await launch(server);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return { browser: startedLater(() => browser, 'browser'), server: startedLater(() => server, 'fixture server') };
}

/** Stands for the object `current()` returns once started; every property is read from it at the time of use. */
function startedLater<T extends object>(current: () => T | undefined, what: string): T {
  return new Proxy({} as T, {
    get(_target, key) {
      const real = current();
      if (!real) throw new Error(`The ${what} is used before the suite's beforeAll started it.`);
      const value: unknown = Reflect.get(real, key);
      return typeof value === 'function' ? value.bind(real) : value;
    },
  });
}
