import { fullEvents } from '../evidence/custody-chain';
import { effectiveArtifacts, isArrayOf, isArtifactRef, isMissingArtifact, isRecord } from '../evidence/effective';
import type { ArtifactRef, Capture, CustodyEventBody, MissingArtifact, StoredArtifact } from '../evidence/model';
import { sha256Hex } from '../evidence/sha256';
import { commitWithCustody, custodyFor, type EvidenceDb } from '../evidence/store';
import { captureProblems, isCapture } from '../evidence/capture-schema';
import { formatFingerprint } from '../evidence/fingerprint';
import { checkKeyName, listTrustedKeys, trustKey } from '../evidence/trusted-keys';
import { SUMS_PATH } from './export';
import { bundleVerdict, type Verdict } from './verdict';
import { inspectBundle, type InspectedBundle } from './verify';
import type { ManifestCapture, VerifyProblem } from './verify-types';
import type { ZipLimits } from './zip-reader';

/**
 * Imports a bundle (a volunteer's export) into a case. The bundle is verified
 * first, every hash and the custody chain; one that fails is refused with the
 * reasons and nothing is written. Each capture keeps its id, capture time,
 * capturer and artifact hashes, and is stored with its artifacts and an
 * `imported` custody event in one transaction. A capture already here with
 * the same hashes is skipped; one with the same id but different hashes is
 * never overwritten.
 */

export interface ImportOptions {
  /** The case the captures join. */
  caseId: string;
  /** Who is importing, for the custody log. */
  actor: string;
  /** The bundle's file name, for the custody log and messages. */
  fileName: string;
  limits?: ZipLimits;
  /** The time to record; defaults to now. */
  now?: () => string;
  /**
   * The user compared this fingerprint with the sender and named the key:
   * a bundle signed with it is imported, and the key trusted from now on.
   */
  confirmKey?: { fingerprint: string; name: string };
}

/** Which key signed the bundle, the name it is trusted under, and how that was decided; kept in each `imported` event. */
export interface ImportKeyDecision {
  fingerprint: string;
  name: string;
  decision: 'own key' | 'trusted key' | 'confirmed at import';
}

export interface ImportedCapture {
  id: string;
  folder: string;
}

export interface SkippedCapture extends ImportedCapture {
  reason: string;
}

export type ImportOutcome = ImportRefused | ImportDone;

export interface ImportRefused {
  ok: false;
  refused: string;
  problems: VerifyProblem[];
  /** Set when the one thing missing is the user's confirmation of this key's fingerprint, with a name. */
  confirmFingerprint?: string;
}

export interface ImportDone {
  ok: true;
  imported: ImportedCapture[];
  skipped: SkippedCapture[];
  verdict: Verdict;
  key: ImportKeyDecision;
}

/** Thrown internally when the bundle verifies but its contents cannot be imported as they are. */
class ImportRefusal extends Error {}

export async function importBundle(
  db: EvidenceDb,
  zip: Blob | Uint8Array,
  options: ImportOptions,
): Promise<ImportOutcome> {
  const inspected = await inspectBundle(zip, { limits: options.limits });
  const { result } = inspected;
  let verdict = bundleVerdict(result, await listTrustedKeys(db));
  const refuse = (why: string, extra: Partial<ImportRefused> = {}): ImportRefused => ({
    ok: false,
    refused: `${options.fileName} was refused and nothing was imported: ${why}`,
    problems: [],
    ...extra,
  });
  if (verdict.kind === 'altered') {
    const n = result.problems.length;
    return refuse(`it does not verify (${n} ${n === 1 ? 'problem' : 'problems'}).`, { problems: result.problems });
  }
  if (verdict.kind === 'unsigned' || verdict.fingerprint === null) {
    return refuse(
      'it is not signed, so anyone could have made it. Ask the sender to export it again from Witness Box (every export is signed), and to read you the fingerprint of their key, shown in their manager.',
    );
  }
  const shown = formatFingerprint(verdict.fingerprint);
  if (verdict.key?.withdrawnAt) {
    return refuse(
      `it is signed with the key of "${verdict.key.name}" (fingerprint ${shown}), and you withdrew your trust in that key on ${verdict.key.withdrawnAt}.`,
    );
  }
  let plans: CapturePlan[];
  try {
    plans = planImport(inspected);
  } catch (err) {
    if (!(err instanceof ImportRefusal)) throw err;
    return refuse(err.message);
  }
  let key: ImportKeyDecision;
  if (verdict.kind === 'trusted' && verdict.key) {
    key = {
      fingerprint: verdict.fingerprint,
      name: verdict.key.name,
      decision: verdict.key.own ? 'own key' : 'trusted key',
    };
  } else {
    const confirmed = options.confirmKey;
    if (confirmed?.fingerprint !== verdict.fingerprint) {
      return refuse(
        `it is signed by a key you have not confirmed (fingerprint ${shown}). Compare that fingerprint with the one the sender reads to you from their manager; if they match, name the key and confirm to import.`,
        { confirmFingerprint: verdict.fingerprint },
      );
    }
    // Checked before anything is written; the key is trusted only once everything else is known to import.
    const name = checkKeyName(confirmed.name);
    const trusted = await trustKey(db, { fingerprint: verdict.fingerprint, name }, options.actor, options.now);
    key = { fingerprint: trusted.fingerprint, name, decision: 'confirmed at import' };
    // From here the bundle is signed by a key this manager trusts, and its verdict says so.
    verdict = bundleVerdict(result, [trusted]);
  }

  const imported: ImportedCapture[] = [];
  const skipped: SkippedCapture[] = [];
  for (const plan of plans) {
    const why = await existingReason(db, plan);
    if (why) {
      skipped.push({ id: plan.capture.id, folder: plan.folder, reason: why });
      continue;
    }
    await storeImported(db, inspected, plan, options, key);
    imported.push({ id: plan.capture.id, folder: plan.folder });
  }
  return { ok: true, imported, skipped, verdict, key };
}

/** Lines for people: what was imported and what was skipped, and why. */
export function describeImport(outcome: ImportOutcome): string[] {
  if (!outcome.ok) return [outcome.refused, ...outcome.problems.map((p) => p.message)];
  const n = outcome.imported.length;
  return [
    `${outcome.verdict.headline}. Imported ${n} ${n === 1 ? 'capture' : 'captures'}${outcome.skipped.length ? `; skipped ${outcome.skipped.length}` : ''}.`,
    ...outcome.skipped.map((s) => `Skipped ${s.folder}: ${s.reason}`),
  ];
}

interface CapturePlan {
  folder: string;
  /** The record as the exporting computer stored it (metadata.json's "capture"). */
  capture: Capture;
  artifacts: ArtifactRef[];
  missing: MissingArtifact[];
}

/** Every capture's metadata, shape-checked, parents before children: all or nothing, before anything is written. */
function planImport(inspected: InspectedBundle): CapturePlan[] {
  const manifest = inspected.manifest;
  if (!manifest) throw new ImportRefusal('its manifest could not be read.');
  if (manifest.profile !== 'police') {
    throw new ImportRefusal(
      'it is a platform-report bundle, which leaves out the page archives and the custody log. Import the police bundle instead.',
    );
  }
  const plans = manifest.captures.map((c) => planCapture(c, inspected.metadata.get(c.folder)));
  const ids = new Set(plans.map((p) => p.capture.id));
  if (ids.size !== plans.length) throw new ImportRefusal('it lists the same capture twice.');
  // Parents first, so a profile never arrives before the post it belongs to.
  const done = new Set<string>();
  const ordered: CapturePlan[] = [];
  const visit = (plan: CapturePlan, depth: number): void => {
    if (done.has(plan.capture.id)) return;
    if (depth > plans.length) throw new ImportRefusal('its captures name each other as parents in a loop.');
    const parent = plans.find((p) => p.capture.id === plan.capture.parentId);
    if (parent) visit(parent, depth + 1);
    done.add(plan.capture.id);
    ordered.push(plan);
  };
  for (const plan of plans) visit(plan, 0);
  return ordered;
}

function planCapture(entry: ManifestCapture, metadata: unknown): CapturePlan {
  const where = `${entry.folder}/metadata.json`;
  if (!isRecord(metadata)) throw new ImportRefusal(`${where} could not be read.`);
  const { capture, artifacts, missing } = metadata;
  const problems = captureProblems(capture);
  if (!isCapture(capture)) {
    const more = problems.length > 5 ? `; and ${problems.length - 5} more` : '';
    throw new ImportRefusal(
      `${where} does not hold a valid capture record: ${problems.slice(0, 5).join('; ')}${more}.`,
    );
  }
  if (capture.id !== entry.id) {
    throw new ImportRefusal(
      `${where} describes capture ${JSON.stringify(capture.id)}, but the manifest says ${JSON.stringify(entry.id)}.`,
    );
  }
  const lists = captureProblems({ ...capture, artifacts, missing }, where);
  if (!isArrayOf(artifacts, isArtifactRef) || !isArrayOf(missing, isMissingArtifact) || lists.length) {
    throw new ImportRefusal(`${where} has no valid list of artifacts: ${lists.slice(0, 5).join('; ')}.`);
  }
  return { folder: entry.folder, capture, artifacts, missing };
}

/** Why `plan` must not be stored: already here with the same hashes, or a different capture under the same id. */
async function existingReason(db: EvidenceDb, plan: CapturePlan): Promise<string | null> {
  const existing = await db.get('captures', plan.capture.id);
  if (!existing) return null;
  const here = effectiveArtifacts(existing, await custodyFor(db, existing.id)).artifacts;
  const key = (refs: readonly ArtifactRef[]) =>
    refs
      .map((a) => `${a.name}:${a.sha256}`)
      .sort()
      .join('\n');
  return key(here) === key(plan.artifacts)
    ? 'already in this evidence store, with the same hashes.'
    : 'a different capture with the same id is already in this evidence store; it was left as it is and this one was not imported.';
}

async function storeImported(
  db: EvidenceDb,
  inspected: InspectedBundle,
  plan: CapturePlan,
  options: ImportOptions,
  key: ImportKeyDecision,
): Promise<void> {
  const zip = inspected.zip;
  if (!zip) throw new Error('The bundle is no longer open.');
  const stored: StoredArtifact[] = [];
  for (const ref of plan.artifacts) {
    const path = `${plan.folder}/${ref.name}`;
    const entry = zip.entries.find((e) => e.name === path);
    if (!entry) throw new Error(`${path} vanished from the bundle while it was imported.`);
    const bytes = await zip.read(entry);
    // Verified moments ago; checked again on the very bytes that are stored.
    if ((await sha256Hex(bytes)) !== ref.sha256)
      throw new Error(`${path} changed while it was imported; nothing of this capture was stored.`);
    stored.push({
      captureId: plan.capture.id,
      name: ref.name,
      mime: ref.mime,
      blob: new Blob([bytes], { type: ref.mime }),
    });
  }
  const record: Capture = {
    ...plan.capture,
    caseId: options.caseId,
    // Artifacts added after capture arrived by custody events in the exporter's log; here they are part of the record.
    artifacts: plan.artifacts,
    missing: plan.missing,
    pending: [],
  };
  const manifest = inspected.manifest;
  const body: CustodyEventBody = {
    at: options.now?.() ?? new Date().toISOString(),
    actor: options.actor,
    action: 'imported',
    captureId: plan.capture.id,
    detail: {
      fileName: options.fileName,
      folder: plan.folder,
      key: { ...key },
      sha256sums: inspected.actual.get(SUMS_PATH)?.sha256 ?? null,
      from: manifest ? { case: manifest.case, exportedBy: manifest.exportedBy, exportedAt: manifest.exportedAt } : null,
      originalCaseId: plan.capture.caseId,
      artifacts: plan.artifacts.map(({ name, sha256 }) => ({ name, sha256 })),
      // The capture's history on the computer it came from, as that computer's chain recorded it.
      sourceCustody: fullEvents(inspected.custody ?? []).filter((e) => e.captureId === plan.capture.id),
    },
  };
  await commitWithCustody(db, body, ['captures', 'artifacts'], (tx) => [
    tx.objectStore('captures').add(record),
    ...stored.map((a) => tx.objectStore('artifacts').add(a)),
  ]);
}
