import { assignExhibitReferences, captureOrder } from '../evidence/exhibits';
import { redactCustody } from '../evidence/custody-chain';
import { allCustody, commitWithCustody, readArtifact, type EvidenceDb } from '../evidence/store';
import type { Environment } from '../background/environment';
import { signDer, signingIdentity } from '../evidence/signing';
import { buildBundle, type BuiltBundle, type BundleIncludes, type ExportProfile } from './export';
import { describeDamaged, partitionRecords, type DamagedRecord } from '../evidence/capture-schema';
import type { Capture } from '../evidence/model';

export interface ExportRequest {
  caseId: string;
  caseName: string;
  exportedBy: string;
  environment: Environment;
  /** Police (default): everything. Platform: what a report form asks for. */
  profile?: ExportProfile;
  /** A platform report holds only what is chosen: these captures, or one platform's (default: the whole case). */
  selection?: ExportSelection;
  /** What a platform report may show beyond the posts (notes, names); a police bundle shows everything. */
  include?: Partial<BundleIncludes>;
  onProgress?: (done: number, total: number) => void;
}

/** What a platform report is made of: chosen captures, or one platform's; absent, the whole case. */
export type ExportSelection = { captureIds: readonly string[] } | { platform: string };

/** The captures a selection picks, in the case's order: exactly the chosen ones, nothing added. */
export function selectCaptures(captures: readonly Capture[], selection: ExportSelection | undefined): Capture[] {
  if (selection === undefined) return [...captures];
  if ('platform' in selection) return captures.filter((c) => c.platform === selection.platform);
  const chosen = new Set(selection.captureIds);
  return captures.filter((c) => chosen.has(c.id));
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
  const inCase = captureOrder(sound);
  if (inCase.length === 0) {
    throw new Error(
      `There is nothing to export yet: this case has no captures${damaged.length ? ` that can be read (${damaged.map((d) => describeDamaged(d, 'cannot be exported')).join(' ')})` : ''}.`,
    );
  }
  const captures = selectCaptures(inCase, request.profile === 'platform' ? request.selection : undefined);
  if (captures.length === 0) throw new Error('Nothing to export: no capture of this case matches what was chosen.');
  // Every exhibit has its reference before anyone sees the bundle; those given already stay.
  await assignExhibitReferences(db, request.caseId, request.exportedBy);
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
    ...(request.include && { include: request.include }),
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
