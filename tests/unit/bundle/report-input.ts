import { countExhibits } from '../../../src/bundle/exhibit-facts';
import type { ReportCapture, ReportInput } from '../../../src/bundle/report';

/** The parts of a ReportInput that follow from its captures, as buildBundle gives them (police: everything shown). */
export function reportInputFor(
  base: Omit<ReportInput, 'counts' | 'includes' | 'keyFingerprint' | 'statements'> & Partial<ReportInput>,
): ReportInput {
  return {
    includes: { notes: true, staffNames: true },
    keyFingerprint: null,
    statements: [],
    counts: countExhibits(base.captures.map((c) => c.capture)),
    ...base,
  };
}

/** A capture as the report gets it, its exhibit reference its folder number unless given. */
export function reportCapture(
  item: Omit<ReportCapture, 'exhibit' | 'continuity'> & Partial<ReportCapture>,
): ReportCapture {
  return { exhibit: item.folder.split('/').pop()?.slice(0, 4) ?? '?', continuity: [], ...item };
}
