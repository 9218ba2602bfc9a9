import type { StatementFields } from '../evidence/exhibits';
import type { Capture } from '../evidence/model';
import { exhibitDescription, oneLine, peopleDate, peopleTime, plural } from './exhibit-facts';
import { platformLabel } from './where-to-report';

/**
 * The producer's exhibit paragraph, drafted from what Witness Box recorded,
 * for an officer to adapt into the witness statement form (MG11 in England
 * and Wales). One per producer: whoever captured the exhibits produces them.
 * Plain text, used as is in statement.txt and report.html.
 */

export interface StatementExhibit {
  reference: string;
  capture: Capture;
}

export interface ProducerStatement {
  /** The name recorded on the captures ("captured by"). */
  producer: string;
  /** As the producer edited it before export; else their recorded name, no role, no context. */
  fields: StatementFields;
  /** Whether `fields` came from a recorded edit. */
  edited: boolean;
  exhibits: StatementExhibit[];
}

/** The statements of a bundle, one per producer, in the order their first exhibit appears. */
export function producerStatements(
  exhibits: readonly StatementExhibit[],
  edits: ReadonlyMap<string, StatementFields>,
): ProducerStatement[] {
  const byProducer = new Map<string, StatementExhibit[]>();
  for (const x of exhibits) {
    const list = byProducer.get(x.capture.capturedBy) ?? [];
    list.push(x);
    byProducer.set(x.capture.capturedBy, list);
  }
  return [...byProducer].map(([producer, list]) => {
    const edit = edits.get(producer);
    return {
      producer,
      fields: edit ?? { name: producer, role: '', context: '' },
      edited: edit !== undefined,
      exhibits: list,
    };
  });
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function listing(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The statement's paragraphs, in order; the last is "I produce the following exhibits: SO1, …, SOn." */
export function statementParagraphs(statement: ProducerStatement): string[] {
  const { fields, exhibits } = statement;
  const captures = exhibits.map((x) => x.capture);
  const times = captures.map((c) => c.capturedAt).sort();
  const first = times[0] ?? '';
  const last = times[times.length - 1] ?? '';
  const tools = distinct(captures.map((c) => `Witness Box ${c.extensionVersion} in ${c.browser} on ${c.os}`));
  const platforms = distinct(captures.map((c) => platformLabel(c.platform)));
  const behalf = distinct(captures.map((c) => c.onBehalfOf).filter(Boolean));
  const when =
    first.slice(0, 10) === last.slice(0, 10)
      ? `On ${peopleDate(first)}`
      : `Between ${peopleTime(first)} and ${peopleTime(last)}`;
  const n = captures.length;
  return [
    `I am ${fields.name}${fields.role ? `, ${fields.role}` : ''}.${fields.context ? ` ${fields.context}` : ''}`,
    `${when} I captured ${n} ${plural(n, 'item')} on ${listing(platforms)}${behalf.length ? ` on behalf of ${listing(behalf)}` : ''}, using ${listing(tools)}. Witness Box is a browser extension that records online posts as evidence.`,
    'For each item I had the post, message or page open on my screen and told Witness Box to capture it. It took the browser\u2019s own screenshot of what I could see, cut the item out of that screenshot without altering it, saved the web page and recorded the address, the author\u2019s name and handle as shown, the time the platform showed, and the time of capture by my computer\u2019s clock. At the moment of capture it calculated a SHA-256 fingerprint of every file and recorded the capture in a custody log in which each entry is chained to the one before by its fingerprint; everything done with the items afterwards (notes, reports, exports) is recorded in the same log.',
    `The exhibits are: ${exhibits.map((x) => `${x.reference}, ${exhibitDescription(x.capture)}, captured ${peopleTime(x.capture.capturedAt)}`).join('; ')}.`,
    `I produce the following exhibits: ${exhibits.map((x) => x.reference).join(', ')}.`,
  ];
}

const HEADER = [
  'DRAFT EXHIBIT STATEMENT',
  '',
  'Drafted by Witness Box from what it recorded, for an officer to adapt into the',
  'witness statement form (MG11). It is not a signed statement: the witness must read,',
  'correct and sign the final version.',
];

/** statement.txt: every producer's draft, CRLF lines for any Windows editor. */
export function renderStatementText(statements: readonly ProducerStatement[], caseName: string): string {
  const lines = [...HEADER, '', `Case: ${oneLine(caseName)}`];
  for (const s of statements) {
    lines.push(
      '',
      '-'.repeat(78),
      '',
      `Statement of ${oneLine(s.fields.name)}${s.edited ? '' : ' (not yet edited by them)'}`,
      '',
    );
    for (const p of statementParagraphs(s)) lines.push(...wrap(oneLine(p), 78), '');
  }
  return lines.join('\r\n');
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/ +/)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}
