/**
 * npm run fields
 *
 * Prints, per platform, how many of the hand-checked fields in the fixture
 * pages' expected extracts the site adapters read back exactly (the README's
 * "Fields extracted" table), and lists any field read wrong. Exits 1 if one is.
 */
import { formatAccuracyTable, measureAllPlatforms } from '../tests/harness/field-accuracy';

const results = await measureAllPlatforms();
process.stdout.write(`${formatAccuracyTable(results)}\n`);
const wrong = results.flatMap((r) => r.wrong.map((w) => `${r.platform}/${w}`));
if (wrong.length > 0) {
  process.stdout.write(`\nRead wrong:\n${wrong.map((w) => `  ${w}`).join('\n')}\n`);
  process.exitCode = 1;
}
