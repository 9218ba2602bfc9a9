import { isRecord } from './effective';
import { allCustody, commitEventsWithCustody, commitWithCustody, type EvidenceDb } from './store';
import type { Capture, CustodyEvent, CustodyEventBody } from './model';

/**
 * Exhibit references, as police in England and Wales name exhibits: the
 * initials of the person who produces it and a consecutive number ("SO1",
 * "SO2"), referred to in that person's statement ("I produce … marked SO1").
 * The producer is whoever captured it. Each capture in a case gets one
 * reference, once, recorded by an `exhibit-assigned` custody event; a case can
 * change the format for references not yet given (an `exhibit-format-set`
 * event). A capture moved to another case gets a reference there, unique in
 * that case; the one it had stays in the log.
 */

export const DEFAULT_EXHIBIT_FORMAT = '{initials}{n}';

export interface ExhibitAssignment {
  captureId: string;
  caseId: string;
  reference: string;
  /** The person who captured it, as recorded on the capture. */
  producer: string;
  initials: string;
  /** The consecutive number among this producer's exhibits in the case. */
  number: number;
}

/** "Sam Okafor" → "SO", "Mary-Jane O'Neil" → "MJO", "José" → "J"; "X" when the name has no letter. */
export function initialsOf(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .split(/[\s\-‐‑–—_.]+/u)
    .map((w) => w.replace(/[^\p{L}\p{N}]/gu, ''))
    .filter((w) => /\p{L}/u.test(w));
  const initials = words.map((w) => [...w.replace(/^\P{L}+/u, '')][0] ?? '').join('');
  return initials ? initials.toLocaleUpperCase('en-GB').slice(0, 6) : 'X';
}

/**
 * A format holds `{n}` once and `{initials}` at most once, and otherwise only
 * letters, digits, `-`, `_`, `.` and `/` (references appear in folder names,
 * statements and court bundles): "{initials}{n}", "WB/{initials}/{n}", "EX{n}".
 */
export function exhibitFormatProblem(format: string): string | null {
  if (format.length === 0 || format.length > 40) return 'The format must be 1 to 40 characters long.';
  if (format.split('{n}').length !== 2) return 'The format must hold {n}, the consecutive number, exactly once.';
  if (format.split('{initials}').length > 2) return 'The format may hold {initials} at most once.';
  const rest = format.replace('{n}', '').replace('{initials}', '');
  if (!/^[A-Za-z0-9._/-]*$/.test(rest))
    return 'Besides {initials} and {n}, the format may hold only letters, digits and - _ . /';
  return null;
}

export function formatExhibitReference(format: string, initials: string, n: number): string {
  return format.replace('{initials}', initials).replace('{n}', String(n));
}

function isAssignment(value: unknown): value is Omit<ExhibitAssignment, 'captureId'> {
  return (
    isRecord(value) &&
    typeof value.caseId === 'string' &&
    typeof value.reference === 'string' &&
    typeof value.producer === 'string' &&
    typeof value.initials === 'string' &&
    typeof value.number === 'number'
  );
}

export interface CaseExhibits {
  format: string;
  /** Capture id → its reference in this case. */
  byCapture: Map<string, ExhibitAssignment>;
}

/**
 * The references of one case, from custody events (any order; folded by seq):
 * the first `exhibit-assigned` event of a capture for this case wins, as a
 * reference is never changed once given.
 */
export function caseExhibits(
  events: readonly Pick<CustodyEvent, 'seq' | 'action' | 'captureId' | 'detail'>[],
  caseId: string,
): CaseExhibits {
  let format = DEFAULT_EXHIBIT_FORMAT;
  const byCapture = new Map<string, ExhibitAssignment>();
  for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
    if (event.action === 'exhibit-format-set' && event.detail.caseId === caseId) {
      const f = event.detail.format;
      if (typeof f === 'string' && exhibitFormatProblem(f) === null) format = f;
    } else if (event.action === 'exhibit-assigned' && event.captureId !== null) {
      const d = event.detail;
      if (isAssignment(d) && d.caseId === caseId && !byCapture.has(event.captureId)) {
        byCapture.set(event.captureId, { ...d, captureId: event.captureId });
      }
    }
  }
  return { format, byCapture };
}

/** Capture id → reference, from any custody log (a bundle's, a store's), whatever the case. */
export function exhibitReferences(
  captures: readonly Pick<Capture, 'id' | 'caseId'>[],
  events: readonly Pick<CustodyEvent, 'seq' | 'action' | 'captureId' | 'detail'>[],
): Map<string, string> {
  const perCase = new Map<string, CaseExhibits>();
  const refs = new Map<string, string>();
  for (const c of captures) {
    // A capture shows the reference of the case it is filed in now.
    let exhibits = perCase.get(c.caseId);
    if (!exhibits) perCase.set(c.caseId, (exhibits = caseExhibits(events, c.caseId)));
    const a = exhibits.byCapture.get(c.id);
    if (a) refs.set(c.id, a.reference);
  }
  return refs;
}

/**
 * References for the captures of a case that have none yet, in the order
 * given (the bundle's: oldest first, each profile after its post): each
 * producer's numbers continue from their highest so far, skipping any
 * reference already used in the case (compared without case).
 */
export function planExhibitReferences(
  captures: readonly Pick<Capture, 'id' | 'caseId' | 'capturedBy'>[],
  existing: CaseExhibits,
  caseId: string,
): ExhibitAssignment[] {
  const used = new Set([...existing.byCapture.values()].map((a) => a.reference.toLowerCase()));
  const highest = new Map<string, number>();
  for (const a of existing.byCapture.values())
    highest.set(a.initials, Math.max(highest.get(a.initials) ?? 0, a.number));
  const planned: ExhibitAssignment[] = [];
  for (const capture of captures) {
    if (capture.caseId !== caseId || existing.byCapture.has(capture.id)) continue;
    const initials = initialsOf(capture.capturedBy);
    let n = (highest.get(initials) ?? 0) + 1;
    while (used.has(formatExhibitReference(existing.format, initials, n).toLowerCase())) n++;
    const reference = formatExhibitReference(existing.format, initials, n);
    used.add(reference.toLowerCase());
    highest.set(initials, n);
    planned.push({ captureId: capture.id, caseId, reference, producer: capture.capturedBy, initials, number: n });
  }
  return planned;
}

export function exhibitAssignedEvent(assignment: ExhibitAssignment, actor: string, at: string): CustodyEventBody {
  const { captureId, ...detail } = assignment;
  return { at, actor, action: 'exhibit-assigned', captureId, detail };
}

/** Parents before their children, oldest first: the order of exhibit numbers and of the bundle's folders. */
export function captureOrder<T extends Pick<Capture, 'id' | 'parentId' | 'capturedAt'>>(captures: readonly T[]): T[] {
  const byTime = [...captures].sort((a, b) => a.capturedAt.localeCompare(b.capturedAt) || a.id.localeCompare(b.id));
  const ids = new Set(byTime.map((c) => c.id));
  const roots = byTime.filter((c) => !c.parentId || !ids.has(c.parentId));
  return roots.flatMap((root) => [root, ...byTime.filter((c) => c.parentId === root.id)]);
}

// ---------------------------------------------------------------------------
// In the store

/**
 * Gives every capture of the case that has no reference yet its reference,
 * each recorded by an `exhibit-assigned` event, all in one transaction.
 * Returns every reference of the case (capture id → reference). Called
 * whenever references are about to be seen (the manager, import, export), so
 * the capture path itself stays as fast as it was.
 */
export async function assignExhibitReferences(
  db: EvidenceDb,
  caseId: string,
  actor: string,
): Promise<Map<string, string>> {
  const state = async () => {
    const captures = captureOrder(await db.getAllFromIndex('captures', 'caseId', caseId));
    const existing = caseExhibits(await allCustody(db), caseId);
    return { captures, existing, planned: planExhibitReferences(captures, existing, caseId) };
  };
  const first = await state();
  if (first.planned.length > 0) {
    const at = new Date().toISOString();
    await commitEventsWithCustody(
      db,
      async () => (await state()).planned.map((a) => exhibitAssignedEvent(a, actor, at)),
      [],
      () => [],
    );
  }
  const { existing, captures } = first.planned.length > 0 ? await state() : first;
  return new Map(
    captures.flatMap((c) => {
      const a = existing.byCapture.get(c.id);
      return a ? [[c.id, a.reference] as const] : [];
    }),
  );
}

/** Changes the format of the case's references not yet given; those given stay as they are. */
export async function setExhibitFormat(
  db: EvidenceDb,
  caseId: string,
  format: string,
  actor: string,
): Promise<CustodyEvent> {
  const problem = exhibitFormatProblem(format);
  if (problem) throw new Error(problem);
  return commitWithCustody(
    db,
    { at: new Date().toISOString(), actor, action: 'exhibit-format-set', captureId: null, detail: { caseId, format } },
    [],
    () => [],
  );
}

// ---------------------------------------------------------------------------
// The producer's draft statement

/** What the producer may change in their draft statement before export. */
export interface StatementFields {
  /** Their full name as it should appear in the statement. */
  name: string;
  /** "Volunteer for the Example campaign", "Caseworker to Cllr Example". */
  role: string;
  /** Why and how they came to capture these posts, in their own words. */
  context: string;
}

const STATEMENT_LIMIT = 4000;

/** Producer (as recorded on their captures) → their latest edit, for one case. */
export function statementEdits(
  events: readonly Pick<CustodyEvent, 'seq' | 'action' | 'detail'>[],
  caseId: string,
): Map<string, StatementFields> {
  const edits = new Map<string, StatementFields>();
  for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
    if (event.action !== 'statement-edited') continue;
    const { caseId: c, producer, name, role, context } = event.detail;
    if (c !== caseId || typeof producer !== 'string') continue;
    if (typeof name === 'string' && typeof role === 'string' && typeof context === 'string') {
      edits.set(producer, { name, role, context });
    }
  }
  return edits;
}

/** Records an edit of a producer's draft statement: a `statement-edited` event naming the exhibits it covers. */
export async function recordStatementEdit(
  db: EvidenceDb,
  caseId: string,
  producer: string,
  fields: StatementFields,
  actor: string,
): Promise<CustodyEvent> {
  const clean = { name: fields.name.trim(), role: fields.role.trim(), context: fields.context.trim() };
  if (!clean.name) throw new Error('The statement needs the name of the person making it.');
  if (clean.role.length > 200 || clean.context.length > STATEMENT_LIMIT || clean.name.length > 200) {
    throw new Error(`The statement is too long (the context may be up to ${STATEMENT_LIMIT} characters).`);
  }
  const captureIds = (await db.getAllFromIndex('captures', 'caseId', caseId))
    .filter((c) => c.capturedBy === producer)
    .map((c) => c.id);
  if (captureIds.length === 0) throw new Error(`${producer} has no captures in this case.`);
  return commitWithCustody(
    db,
    {
      at: new Date().toISOString(),
      actor,
      action: 'statement-edited',
      captureId: null,
      // captureIds: the log's redaction keeps this event in any bundle holding one of them.
      detail: { caseId, producer, ...clean, captureIds },
    },
    [],
    () => [],
  );
}
