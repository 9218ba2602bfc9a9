/**
 * npm run fields:real
 *
 * Prints, per platform, how many of the posts, comments and messages on the
 * real saved pages in ../shared/realworld the site adapters find, and how
 * many of their hand-checked fields (tests/realworld/*.expected.json) they
 * read back exactly; lists every field read wrong. Exits 1 when a platform
 * is below 95% on either; skips, saying why, when ../shared is not there.
 */
import {
  belowTarget,
  formatRealTable,
  measureRealPages,
  realExpectations,
  realworldUnavailable,
} from '../tests/harness/realworld';

const unavailable = realworldUnavailable();
if (unavailable) {
  process.stdout.write(`fields:real skipped: ${unavailable}\n`);
} else {
  const results = await measureRealPages(await realExpectations());
  process.stdout.write(`${formatRealTable(results)}\n`);
  const wrong = results.flatMap((r) => r.wrong);
  if (wrong.length > 0) process.stdout.write(`\nRead wrong:\n${wrong.map((w) => `  ${w}`).join('\n')}\n`);
  const below = belowTarget(results);
  if (below.length > 0) {
    process.stdout.write(`\nBelow the 95% target: ${below.join('; ')}\n`);
    process.exitCode = 1;
  }
}
