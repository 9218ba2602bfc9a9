/**
 * An export's onProgress that reports only when the whole percentage moves,
 * so a 2,000-artifact export sends at most about a hundred messages.
 */
export function percentProgress(report: (done: number, total: number) => void): (done: number, total: number) => void {
  let lastPercent = -1;
  return (done, total) => {
    const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
    if (percent === lastPercent) return;
    lastPercent = percent;
    report(done, total);
  };
}
