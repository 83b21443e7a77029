/** Watched folders: what the host assembly uses. */
export { startWatching, DEFAULT_TIMING } from './host';
export type { WatchHandle, WatchOptions, WatchStatus } from './host';
export type { FolderStatus, WatchTiming, WatchMode } from './folder-types';
export { addWatchedFolder, removeWatchedFolder, listWatchedFolders } from './folders';
export type { AddFolderOptions, AddFolderResult } from './folders';
export { createOutputWriter, writeOutputs } from './outputs';
export type { CompletedArtifacts, OutputReport, SkippedOutput } from './outputs';
export type { SkippedList } from './skipped';
export type { FileEvent, FileOutcome } from './sync';
