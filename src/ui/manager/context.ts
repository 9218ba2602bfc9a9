import type { Case, Settings } from '../../evidence/model';
import type { EvidenceDb } from '../../evidence/store';
import type { AuthorKey } from './authors';

/** What the manager's views share. The page reads and writes the IndexedDB itself (same origin as the worker). */
export interface ManagerContext {
  doc: Document;
  db: EvidenceDb;
  settings(): Settings;
  cases(): Case[];
  caseName(id: string): string;
  say(text: string, kind?: 'info' | 'success' | 'error'): void;
  showList(): void;
  openDetail(captureId: string): Promise<void>;
  openAuthor(key: AuthorKey): Promise<void>;
  refreshList(): Promise<void>;
  reloadCases(): Promise<void>;
  /** Captures ticked in the list for a platform report (ids; the active case's count when exporting). */
  chosen: Set<string>;
  chosenChanged(): void;
}
