import {
  OTHER_WEBSITES,
  PLATFORM_REPORTING,
  POLICE_ADVICE,
  type PlatformLink,
  type PlatformReporting,
} from '../bundle/where-to-report';

/**
 * The "Where to report" page: the police advice first, then each platform's
 * reporting and safety pages. The same data goes into every bundle's README
 * and report, so what a candidate reads here is what an officer reads there.
 */
export function renderWhereToReport(doc: Document, container: HTMLElement): void {
  const police = el(doc, 'section', { className: 'police', id: 'police' });
  police.append(
    el(doc, 'h2', { text: 'Police' }),
    el(doc, 'p', { className: 'urgent', text: POLICE_ADVICE.emergency }),
    el(doc, 'p', { text: POLICE_ADVICE.nonEmergency }),
    linkList(doc, POLICE_ADVICE.links),
  );
  const platforms = el(doc, 'section', { id: 'platforms' });
  platforms.append(
    el(doc, 'h2', { text: 'The platform' }),
    el(doc, 'p', {
      text: 'Report the post or account to the platform too. Keep a note of when you reported it and any reference you are given.',
    }),
    ...[...PLATFORM_REPORTING, OTHER_WEBSITES].map((p) => platformCard(doc, p)),
  );
  container.replaceChildren(police, platforms);
}

function platformCard(doc: Document, p: PlatformReporting): HTMLElement {
  const card = el(doc, 'article', { className: 'platform', id: `platform-${p.id}` });
  const links: PlatformLink[] = [
    ...(p.reportUrl ? [{ label: 'How to report', url: p.reportUrl }] : []),
    { label: p.id === OTHER_WEBSITES.id ? 'Report Harmful Content' : 'Safety centre', url: p.safetyUrl },
    ...p.more,
  ];
  card.append(el(doc, 'h3', { text: p.name }), el(doc, 'p', { text: p.howToReport }), linkList(doc, links));
  return card;
}

function linkList(doc: Document, links: readonly PlatformLink[]): HTMLElement {
  const list = el(doc, 'ul', { className: 'links' });
  for (const link of links) {
    const item = el(doc, 'li');
    const a = el(doc, 'a', { text: link.label }) as HTMLAnchorElement;
    a.href = link.url;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    item.append(a);
    list.append(item);
  }
  return list;
}

function el(doc: Document, tag: string, options: { className?: string; id?: string; text?: string } = {}): HTMLElement {
  const element = doc.createElement(tag);
  if (options.className) element.className = options.className;
  if (options.id) element.id = options.id;
  if (options.text !== undefined) element.textContent = options.text;
  return element;
}
