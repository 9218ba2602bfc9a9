import type { Capture } from '../evidence/model';
import { allCustody, commitWithCustody, readArtifact, type EvidenceDb } from '../evidence/store';
import type { Environment } from '../background/environment';
import { buildBundle, type BuiltBundle } from './export';

export interface ExportRequest {
  caseId: string;
  caseName: string;
  exportedBy: string;
  environment: Environment;
  onProgress?: (done: number, total: number) => void;
}

/** Parents before their children, oldest first, so folder numbers follow the order things happened. */
export function orderForBundle(captures: Capture[]): Capture[] {
  const byTime = [...captures].sort((a, b) => a.capturedAt.localeCompare(b.capturedAt) || a.id.localeCompare(b.id));
  const ids = new Set(byTime.map((c) => c.id));
  const roots = byTime.filter((c) => !c.parentId || !ids.has(c.parentId));
  return roots.flatMap((root) => [root, ...byTime.filter((c) => c.parentId === root.id)]);
}

/**
 * Builds the bundle for one case from the store and records the export as a
 * custody event. The whole custody log goes into the bundle, so an officer
 * can check the chain from its first event without gaps.
 */
export async function exportCase(db: EvidenceDb, request: ExportRequest): Promise<BuiltBundle> {
  const captures = orderForBundle(await db.getAllFromIndex('captures', 'caseId', request.caseId));
  if (captures.length === 0) throw new Error('There is nothing to export yet: this case has no captures.');
  const bundle = await buildBundle({
    caseName: request.caseName,
    captures,
    custody: await allCustody(db),
    readArtifact: (captureId, name) => readArtifact(db, captureId, name),
    exportedBy: request.exportedBy,
    exportedAt: new Date().toISOString(),
    tool: { name: 'Witness Box', version: request.environment.extensionVersion, browser: request.environment.browser, os: request.environment.os },
    onProgress: request.onProgress,
  });
  await commitWithCustody(
    db,
    {
      at: new Date().toISOString(),
      actor: request.exportedBy,
      action: 'exported',
      captureId: null,
      detail: { fileName: bundle.fileName, captureIds: captures.map((c) => c.id), fileCount: bundle.fileCount },
    },
    [],
    () => [],
  );
  return bundle;
}
