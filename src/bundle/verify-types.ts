import type { CustodyLogEntry } from '../evidence/custody-chain';
import type { BundleCustodyLogInfo, BundleFileEntry, ExportProfile } from './export';

/** What verifying a bundle finds; shared by the checks, the verdict, import and the command line. */

export type VerifyProblemKind =
  | 'bad-signature'
  | 'hash-mismatch'
  | 'missing-file'
  | 'unlisted-file'
  | 'bad-sha256sums'
  | 'bad-manifest'
  | 'custody-chain'
  | 'unsafe-path'
  /** An entry that is in the zip but cannot be unpacked (damaged, or unpacking past its declared size). */
  | 'unreadable-file'
  /** The file is not a zip that can be read at all; nothing else was checked. */
  | 'unreadable-zip'
  /** A timestamp.tsr that is not a granted RFC 3161 timestamp over its capture's "captured" custody event. */
  | 'timestamp'
  /** The zip was refused before anything was unpacked: too big once unpacked, too many entries, duplicate or overlapping entries. */
  | 'unsafe-zip'
  /** The custody log's story disagrees with the files: a capture's "captured" event missing, its hashes not the files', the log not what the manifest recorded. */
  | 'custody-story';

export interface VerifyProblem {
  kind: VerifyProblemKind;
  path?: string;
  seq?: number;
  message: string;
}

export interface VerifyResult {
  ok: boolean;
  /** Files whose bytes were read and hashed. */
  filesChecked: number;
  problems: VerifyProblem[];
  /** The export profile the manifest names, or null when it could not be read. */
  profile: ExportProfile | null;
  /** Entries in the custody log, and how many of them are stand-ins for events about other captures. */
  custodyEvents: number;
  standIns: number;
  /** Fingerprint of the key whose valid signature covers manifest.json; null when unsigned or the signature fails. */
  signedBy: string | null;
  /** Trusted timestamps found to cover their capture's "captured" event, with the authority's time. */
  timestamps: { folder: string; genTime: string }[];
}

/** A capture as the manifest lists it, shape-checked. */
export interface ManifestCapture {
  id: string;
  folder: string;
  parentId?: string | null;
  files: BundleFileEntry[];
  /** Format 3: the hash of the capture's "captured" custody event. */
  capturedEvent?: string | null;
}

/** The parts of the manifest verification and import rely on, shape-checked. */
export interface CheckedManifest {
  formatVersion: number;
  profile: ExportProfile;
  case: string;
  exportedBy: string;
  exportedAt: string;
  files: BundleFileEntry[];
  captures: ManifestCapture[];
  custody: CustodyLogEntry[];
  /** Format 3 (police profile): what custody-log.jsonl held at export. */
  custodyLog: BundleCustodyLogInfo | null;
  /** The fingerprint of the key the manifest says signed it. */
  signedWith: string | null;
}
