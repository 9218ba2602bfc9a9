import { describe, expect, it } from 'vitest';
import { renderCapturesCsv, CSV_COLUMNS } from '../../../src/bundle/csv';
import { renderReport, type ReportInput } from '../../../src/bundle/report';
import { makeCapture, makeCustodyLog } from '../factories';
import { reportCapture, reportInputFor } from '../bundle/report-input';

const REPORT = {
  reportId: 'r1',
  recipientKind: 'police',
  recipient: '<b>West Yorkshire Police</b>',
  reportedAt: '2026-11-21',
  reference: '13/1/26',
  outcome: '',
};

async function input(withLog: boolean): Promise<ReportInput> {
  const reported = makeCapture({ id: 'c1' });
  const unreported = makeCapture({ id: 'c2', capturedAt: '2026-11-21T10:00:00.000Z' });
  const custody = withLog
    ? await makeCustodyLog([
        { action: 'captured', captureId: 'c1' },
        { action: 'captured', captureId: 'c2' },
        { action: 'reported', captureId: 'c1', detail: { report: REPORT } },
      ])
    : [];
  const files = [{ name: 'metadata.json', bytes: 1, sha256: 'a'.repeat(64) }];
  return reportInputFor({
    caseName: 'Case',
    onBehalfOf: null,
    exportedBy: 'Priya',
    exportedAt: '2026-11-22T10:00:00.000Z',
    tool: { name: 'Witness Box', version: '0.1.0', browser: 'Chrome', os: 'Linux' },
    profile: withLog ? 'police' : 'platform',
    captures: [
      reportCapture({ capture: reported, folder: 'captures/0001', files, missing: [], omitted: [] }),
      reportCapture({ capture: unreported, folder: 'captures/0002', files, missing: [], omitted: [] }),
    ],
    custody,
  });
}

describe('report.html: reports made', () => {
  it('lists each capture’s reports, escaped, and says how many are unreported', async () => {
    const html = renderReport(await input(true));
    const doc = new DOMParser().parseFromString(html, 'text/html');
    expect(doc.querySelector('#reports-made')?.textContent).toContain('1 of 2 captures has no recorded report');
    expect(doc.querySelector('#capture-1 table.reports')?.textContent).toContain('<b>West Yorkshire Police</b>');
    expect(doc.querySelector('#capture-1 table.reports')?.textContent).toContain('13/1/26');
    expect(doc.querySelector('#capture-2 .unreported')?.textContent).toBe('No report recorded for this capture.');
    expect(doc.querySelector('#capture-1 b')).toBeNull();
  });

  it('says nothing about reports when the bundle carries no custody log', async () => {
    const html = renderReport(await input(false));
    expect(html).not.toContain('Reports made');
  });
});

describe('captures.csv: reports made', () => {
  it('gives every row its number of reports and what they were', () => {
    const c = makeCapture({ id: 'c1' });
    const csv = renderCapturesCsv([
      {
        capture: c,
        exhibit: 'VA1',
        folder: 'f',
        metadataSha256: '0'.repeat(64),
        reports: [{ ...REPORT, recipientKind: 'police', outcome: 'charged' }],
      },
      { capture: makeCapture({ id: 'c2' }), exhibit: 'VA2', folder: 'g', metadataSha256: '0'.repeat(64), reports: [] },
    ]);
    const [header, first, second] = csv.slice(1).split('\r\n');
    expect(header).toBe(CSV_COLUMNS.map((c) => (/[,;]/.test(c) ? `"${c}"` : c)).join(','));
    expect(first).toContain(',1,"<b>West Yorkshire Police</b>, 2026-11-21, ref 13/1/26, outcome: charged",');
    expect(second).toContain(',0,,');
  });
});
