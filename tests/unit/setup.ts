import 'fake-indexeddb/auto';
import { vi } from 'vitest';
import { expectOfficerToolsAgree, officerToolsMissing } from './bundle/officer-tools';

if (officerToolsMissing.length) {
  console.warn(
    `Accepted bundles are not re-checked with the officer's tools: ${officerToolsMissing.join(', ')} missing.`,
  );
}

/**
 * A property of the whole suite: every bundle Witness Box's verify (or
 * import, which verifies first) accepts in any test also passes `unzip -t`,
 * `sha256sum -c SHA256SUMS` and the openssl signature check, so our verify is
 * never more lenient than the tools an officer is told to use.
 */
vi.mock('../../src/bundle/verify', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/bundle/verify')>();
  return {
    ...actual,
    verifyBundle: async (...args: Parameters<typeof actual.verifyBundle>) => {
      const result = await actual.verifyBundle(...args);
      if (result.ok) await expectOfficerToolsAgree(args[0]);
      return result;
    },
    inspectBundle: async (...args: Parameters<typeof actual.inspectBundle>) => {
      const inspected = await actual.inspectBundle(...args);
      if (inspected.result.ok) await expectOfficerToolsAgree(args[0]);
      return inspected;
    },
  };
});
