import { startEvidencePanel } from '../../src/ui/panel';
import { startImportPanel, startVerifyPanel } from '../../src/ui/verify-panel';

startEvidencePanel(document, { recent: 50 });
startVerifyPanel(document);
startImportPanel(document);
