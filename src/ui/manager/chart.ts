/**
 * Captures per UTC day, stacked by platform, as SVG built with the DOM (no
 * script library, no markup strings). Every day from the first capture to the
 * last is a bar, empty days included, so a pile-on shows as a spike.
 */

const DAY_MS = 86_400_000;
const SVG = 'http://www.w3.org/2000/svg';

export interface DayBucket {
  day: string;
  byPlatform: Record<string, number>;
  total: number;
}

export function capturesPerDay(
  captures: readonly { capturedAt: string; platform: string }[],
  maxDays = 366,
): DayBucket[] {
  const days = captures
    .map((c) => ({ day: Math.floor(Date.parse(c.capturedAt) / DAY_MS), platform: c.platform }))
    .filter((d) => Number.isFinite(d.day));
  if (days.length === 0) return [];
  const last = Math.max(...days.map((d) => d.day));
  const first = Math.max(Math.min(...days.map((d) => d.day)), last - maxDays + 1);
  const buckets: DayBucket[] = [];
  for (let d = first; d <= last; d++)
    buckets.push({ day: new Date(d * DAY_MS).toISOString().slice(0, 10), byPlatform: {}, total: 0 });
  for (const { day, platform } of days) {
    const bucket = buckets[day - first];
    if (!bucket) continue;
    bucket.byPlatform[platform] = (bucket.byPlatform[platform] ?? 0) + 1;
    bucket.total++;
  }
  return buckets;
}

/** Colours that keep at least 3:1 contrast against white. */
const PALETTE = ['#1d3557', '#b5179e', '#2a6f4e', '#9a4c00', '#5a189a', '#0b6e99', '#8a1c1c'];

export function renderDayChart(
  doc: Document,
  buckets: readonly DayBucket[],
  label: (platform: string) => string,
): HTMLElement {
  const figure = doc.createElement('figure');
  figure.className = 'day-chart';
  const caption = doc.createElement('figcaption');
  if (buckets.length === 0) {
    caption.textContent = 'No captures to chart.';
    figure.append(caption);
    return figure;
  }
  const platforms = [...new Set(buckets.flatMap((b) => Object.keys(b.byPlatform)))].sort();
  const colour = new Map(platforms.map((p, i) => [p, PALETTE[i % PALETTE.length] as string]));
  const max = Math.max(...buckets.map((b) => b.total));
  const step = Math.max(4, Math.min(40, Math.floor(600 / buckets.length)));
  const left = 28;
  const top = 10;
  const plot = 100;
  const width = left + buckets.length * step + 8;
  const height = top + plot + 24;
  const first = buckets[0]?.day ?? '';
  const last = buckets[buckets.length - 1]?.day ?? '';
  const summary = `Captures per day (UTC) from ${first} to ${last}, by platform; the busiest day had ${max}.`;
  caption.textContent = summary;

  const svg = doc.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', summary);
  const node = (tag: string, attrs: Record<string, string | number>, text?: string) => {
    const n = doc.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
    if (text !== undefined) n.textContent = text;
    return n;
  };
  svg.append(
    node('line', { x1: left, y1: top + plot, x2: width - 4, y2: top + plot, stroke: '#57606a' }),
    node('text', { x: left - 4, y: top + 8, 'text-anchor': 'end', 'font-size': 10, fill: '#1b1b1b' }, String(max)),
    node('text', { x: left - 4, y: top + plot, 'text-anchor': 'end', 'font-size': 10, fill: '#1b1b1b' }, '0'),
  );
  const labelEvery = Math.max(1, Math.ceil(44 / step));
  buckets.forEach((b, i) => {
    const group = node('g', { class: 'day-chart__day', 'data-day': b.day, 'data-count': b.total });
    const parts = platforms.filter((p) => b.byPlatform[p]).map((p) => `${b.byPlatform[p]} on ${label(p)}`);
    group.append(
      node(
        'title',
        {},
        `${b.day}: ${b.total} ${b.total === 1 ? 'capture' : 'captures'}${parts.length ? ` (${parts.join(', ')})` : ''}`,
      ),
    );
    let y = top + plot;
    for (const p of platforms) {
      const n = b.byPlatform[p] ?? 0;
      if (!n) continue;
      const h = Math.max(2, Math.round((n / max) * plot));
      y -= h;
      group.append(
        node('rect', {
          x: left + i * step + 1,
          y,
          width: Math.max(2, step - 2),
          height: h,
          fill: colour.get(p) ?? '#1d3557',
          'data-platform': p,
        }),
      );
    }
    if (i % labelEvery === 0)
      group.append(
        node(
          'text',
          {
            x: left + i * step + step / 2,
            y: top + plot + 14,
            'text-anchor': 'middle',
            'font-size': 9,
            fill: '#1b1b1b',
          },
          b.day.slice(5),
        ),
      );
    svg.append(group);
  });
  const legend = doc.createElement('ul');
  legend.className = 'day-chart__legend';
  for (const p of platforms) {
    const item = doc.createElement('li');
    const swatch = doc.createElement('span');
    swatch.className = 'day-chart__swatch';
    swatch.style.background = colour.get(p) ?? '#1d3557';
    item.append(swatch, doc.createTextNode(label(p)));
    legend.append(item);
  }
  figure.append(caption, svg, legend);
  return figure;
}
