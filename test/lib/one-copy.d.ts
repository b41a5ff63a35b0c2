/** Types of one-copy.js, for the TypeScript tests. */
export interface OneCopyWatch { vms: string[]; hosts: Record<string, string[]> }
export interface OneCopyResult { samples: number; failedReads: number; violations: string[]; longestSampleMs: number; ms: number }
export interface OneCopyWatcher { stopSync(): OneCopyResult; stop(): Promise<OneCopyResult> }
export function watchOneCopy(watch: OneCopyWatch): OneCopyWatcher;
export function assertOneCopy(r: OneCopyResult): OneCopyResult;
export function withOneCopy<T>(watch: OneCopyWatch, fn: () => T): T;
