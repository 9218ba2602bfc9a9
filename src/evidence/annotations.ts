import { reportsFromCustody, type CaptureReport, type CustodyEvent } from './model';

/**
 * What the custody log says about one capture now: its tags, notes, reports
 * and moves. Each is a fold over the capture's events in sequence order,
 * because the events are the record and nothing is edited in place.
 */
export interface Annotations {
  tags: string[];
  notes: { seq: number; at: string; actor: string; note: string }[];
  reports: CaptureReport[];
  moves: { seq: number; at: string; actor: string; fromCaseId: string; toCaseId: string }[];
}

export function annotationsOf(captureId: string, events: readonly CustodyEvent[]): Annotations {
  const mine = events.filter((e) => e.captureId === captureId).sort((a, b) => a.seq - b.seq);
  const tags = new Set<string>();
  const notes: Annotations['notes'] = [];
  const moves: Annotations['moves'] = [];
  for (const e of mine) {
    if (e.action === 'tagged' && typeof e.detail.tag === 'string') {
      if (e.detail.op === 'remove') tags.delete(e.detail.tag);
      else tags.add(e.detail.tag);
    } else if (e.action === 'noted' && typeof e.detail.note === 'string') {
      notes.push({ seq: e.seq, at: e.at, actor: e.actor, note: e.detail.note });
    } else if (
      e.action === 'moved' &&
      typeof e.detail.fromCaseId === 'string' &&
      typeof e.detail.toCaseId === 'string'
    ) {
      moves.push({
        seq: e.seq,
        at: e.at,
        actor: e.actor,
        fromCaseId: e.detail.fromCaseId,
        toCaseId: e.detail.toCaseId,
      });
    }
  }
  return { tags: [...tags].sort(), notes, reports: reportsFromCustody(captureId, mine), moves };
}
