/**
 * Prints the README's "Reliability" table from a vitest JSON report:
 *
 *   npm run reliability [-- path/to/vitest.json]     (default .test-tmp/vitest.json, written by .ci/run)
 *
 * Every test named `fault: … → sees: … → kept: …` (see tests/e2e/reliability-cases.ts)
 * becomes a row with its result in each browser (the Firefox suite is tests/e2e-firefox), so the table
 * says only what the last run proved.
 * Cases declared in the registry but missing from the report are listed as "not run".
 * Exits 1 if a reliability test failed or no report exists.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseReliabilityTitle, RELIABILITY, reliabilityTitle } from '../tests/e2e/reliability-cases';

interface AssertionResult {
  title: string;
  status: string;
}
interface Report {
  startTime?: number;
  testResults: { name: string; assertionResults: AssertionResult[] }[];
}

const reportPath = resolve(process.argv[2] ?? '.test-tmp/vitest.json');
if (!existsSync(reportPath)) {
  console.error(
    `No vitest report at ${reportPath}. Run \`bash .ci/run\`, or \`npm test -- --reporter=json --outputFile.json=${reportPath}\`.`,
  );
  process.exit(1);
}
const report = JSON.parse(readFileSync(reportPath, 'utf8')) as Report;

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
const resultOf = (status: string) => (status === 'passed' ? 'pass' : status === 'failed' ? '**FAIL**' : status);

/** Which browser's suite a test file belongs to: the Firefox suite lives in tests/e2e-firefox. */
const browserOf = (file: string): 'chromium' | 'firefox' =>
  /[\\/]e2e-firefox[\\/]/.test(file) ? 'firefox' : 'chromium';

interface Row {
  fault: string;
  sees: string;
  kept: string;
  result: Record<'chromium' | 'firefox', string>;
}
const rows = new Map<string, Row>();
for (const file of report.testResults) {
  const browser = browserOf(file.name);
  for (const test of file.assertionResults) {
    const parsed = parseReliabilityTitle(test.title);
    if (!parsed) continue;
    const row = rows.get(test.title) ?? { ...parsed, result: { chromium: 'not run', firefox: 'not run' } };
    const previous = row.result[browser];
    row.result[browser] = previous !== 'not run' && previous !== 'pass' ? previous : resultOf(test.status);
    rows.set(test.title, row);
  }
}
for (const c of Object.values(RELIABILITY)) {
  const title = reliabilityTitle(c);
  if (!rows.has(title)) rows.set(title, { ...c, result: { chromium: 'not run', firefox: 'not run' } });
}

const when = report.startTime
  ? new Date(report.startTime).toISOString().slice(0, 16).replace('T', ' ') + ' UTC'
  : 'unknown time';
console.log(`| fault or bad input | what the user sees | what is kept | Chromium (${when}) | Firefox |`);
console.log('| --- | --- | --- | --- | --- |');
for (const row of rows.values())
  console.log(
    `| ${cell(row.fault)} | ${cell(row.sees)} | ${cell(row.kept)} | ${row.result.chromium} | ${row.result.firefox} |`,
  );
process.exit([...rows.values()].some((r) => Object.values(r.result).includes('**FAIL**')) ? 1 : 0);
