import { captureOrder } from '../evidence/exhibits';
import { redactCustody } from '../evidence/custody-chain';
import { allCustody, commitWithCustody, readArtifact, type EvidenceDb } from '../evidence/store';
import type { Environment } from '../background/environment';
import { signDer, signingIdentity } from '../evidence/signing';
import { buildBundle, type BuiltBundle, type ExportProfile } from './export';
import { describeDamaged, partitionRecords, type DamagedRecord } from '../evidence/capture-schema';

export interface ExportRequest {
  caseId: string;
  caseName: string;
  exportedBy: string;
  environment: Environment;
  /** Police (default): everything. Platform: what a report form asks for. */
  profile?: ExportProfile;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Builds the bundle for one case from the store and records the export as a
 * custody event. The bundle's log runs from the first event ever recorded, so
 * an officer can check the chain without gaps, but events about captures
 * outside the bundle (other cases, their exports) are replaced by stand-ins
 * that keep only the links: no other case leaks into the bundle.
 */
export async function exportCase(
  db: EvidenceDb,
  request: ExportRequest,
): Promise<BuiltBundle & { leftOut: DamagedRecord[] }> {
  // A damaged stored record is left out, and named, rather than failing the export of every genuine capture.
  const { captures: sound, damaged } = partitionRecords(await db.getAllFromIndex('captures', 'caseId', request.caseId));
  const captures = captureOrder(sound);
  if (captures.length === 0) {
    throw new Error(
      `There is nothing to export yet: this case has no captures${damaged.length ? ` that can be read (${damaged.map((d) => describeDamaged(d, 'cannot be exported')).join(' ')})` : ''}.`,
    );
  }
  const captureIds = captures.map((c) => c.id);
  const storedCase = await db.get('cases', request.caseId);
  const identity = await signingIdentity(db);
  const bundle = await buildBundle({
    signer: {
      publicKeyPem: identity.publicKeyPem,
      fingerprint: identity.fingerprint,
      sign: (data) => signDer(identity.privateKey, data),
    },
    caseName: request.caseName,
    onBehalfOf: storedCase?.onBehalfOf ?? null,
    profile: request.profile ?? 'police',
    captures,
    custody: redactCustody(await allCustody(db), new Set(captureIds)),
    readArtifact: (captureId, name) => readArtifact(db, captureId, name),
    exportedBy: request.exportedBy,
    exportedAt: new Date().toISOString(),
    tool: {
      name: 'Witness Box',
      version: request.environment.extensionVersion,
      browser: request.environment.browser,
      os: request.environment.os,
    },
    onProgress: request.onProgress,
  });
  await commitWithCustody(
    db,
    {
      at: new Date().toISOString(),
      actor: request.exportedBy,
      action: 'exported',
      captureId: null,
      detail: {
        fileName: bundle.fileName,
        caseId: request.caseId,
        profile: bundle.manifest.profile,
        captureIds,
        fileCount: bundle.fileCount,
        ...(damaged.length && { leftOut: damaged }),
      },
    },
    [],
    () => [],
  );
  return { ...bundle, leftOut: damaged };
}

/** What the export result says about damaged records it left out; empty when there were none. */
export function leftOutLines(leftOut: readonly DamagedRecord[]): string[] {
  return leftOut.map((d) => describeDamaged(d, 'was left out of the bundle'));
}
