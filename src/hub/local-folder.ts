/**
 * A model folder the user picked or dropped. Files are read with the File API straight into memory; nothing is
 * uploaded. Paths are made relative to the picked folder so the layout matches a hub repository.
 */
import { HubError } from './hub-error';
import type { RepoFile } from './repo-file';
import type { ModelRepository } from './repository';

export interface LocalFileEntry {
  /** Relative to the picked folder, '/'-separated. */
  readonly path: string;
  readonly file: File;
}

/** From `<input webkitdirectory>`: every File's webkitRelativePath starts with the folder's name. */
export function entriesFromFileList(files: readonly File[]): {
  folderName: string;
  entries: LocalFileEntry[];
} {
  const entries: LocalFileEntry[] = [];
  let folderName = '';
  for (const file of files) {
    const relative = file.webkitRelativePath === '' ? file.name : file.webkitRelativePath;
    const slash = relative.indexOf('/');
    if (slash < 0) {
      entries.push({ path: relative, file });
      continue;
    }
    folderName ||= relative.slice(0, slash);
    entries.push({ path: relative.slice(slash + 1), file });
  }
  return { folderName: folderName || 'local folder', entries };
}

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** From a drag-and-drop: walks the dropped directory (readEntries returns at most 100 entries per call). */
export async function entriesFromDroppedDirectory(
  directory: FileSystemDirectoryEntry,
): Promise<LocalFileEntry[]> {
  const entries: LocalFileEntry[] = [];
  const walk = async (folder: FileSystemDirectoryEntry, prefix: string): Promise<void> => {
    const reader = folder.createReader();
    for (let batch = await readEntries(reader); batch.length > 0; batch = await readEntries(reader)) {
      for (const entry of batch) {
        if (entry.isDirectory) await walk(entry as FileSystemDirectoryEntry, `${prefix}${entry.name}/`);
        else
          entries.push({ path: `${prefix}${entry.name}`, file: await fileOf(entry as FileSystemFileEntry) });
      }
    }
  };
  await walk(directory, '');
  return entries;
}

export function openLocalFolder(folderName: string, entries: readonly LocalFileEntry[]): ModelRepository {
  const byPath = new Map(entries.map((entry) => [entry.path, entry.file]));
  const files: RepoFile[] = entries.map((entry) => ({ path: entry.path, bytes: entry.file.size }));
  return {
    ref: { kind: 'local', folderName },
    commit: '',
    files,
    async readFile(file, signal, onProgress) {
      const local = byPath.get(file.path);
      if (local === undefined) throw new HubError('missing-file', `${file.path} is not in the folder.`);
      if (signal.aborted) throw new DOMException('Reading the folder was cancelled', 'AbortError');
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await local.arrayBuffer());
      } catch (error) {
        throw new HubError(
          'missing-file',
          `${file.path} could not be read; was the folder changed or moved?`,
          { cause: error },
        );
      }
      onProgress(bytes.byteLength);
      return { bytes, origin: 'disk' };
    },
  };
}
