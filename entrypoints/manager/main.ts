import { startEvidencePanel } from '../../src/ui/panel';

startEvidencePanel(document, { recent: 50 });
