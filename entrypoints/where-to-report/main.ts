import { renderWhereToReport } from '../../src/ui/where-to-report';

const main = document.querySelector<HTMLElement>('#where-to-report');
if (main) renderWhereToReport(document, main);
