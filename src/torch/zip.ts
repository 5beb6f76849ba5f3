// The zip archive of a torch.save file, read through yauzl: the central directory once, then
// only the entries asked for, each only as far as asked. Nothing reads the whole file, so a
// checkpoint of many gigabytes costs the memory of the tensors taken from it.
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import type { Readable } from 'node:stream';
import { TorchError } from './errors.js';

/** Entries an archive may list: a state_dict with optimizer state has one per tensor. */
export const MAX_ENTRIES = 1 << 20;

const STORED = 0;
const DEFLATED = 8;

export class ZipArchive {
  private constructor(private readonly zip: ZipFile, readonly entries: ReadonlyMap<string, Entry>) {}

  static async open(path: string): Promise<ZipArchive> {
    const zip = await new Promise<ZipFile>((resolve, reject) => {
      yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false }, (err, z) => (err ? reject(zipError(err)) : resolve(z)));
    });
    try {
      return new ZipArchive(zip, await listEntries(zip));
    } catch (e) {
      zip.close();
      throw e;
    }
  }

  close(): void {
    this.zip.close();
  }

  /** Bytes [start, end) of an entry's uncompressed content; `end` at most the declared size. */
  async read(name: string, start: number, end: number): Promise<Uint8Array> {
    const entry = this.entries.get(name);
    if (!entry) throw new TorchError(`the archive has no entry '${name}'`);
    if (end > entry.uncompressedSize) {
      throw new TorchError(`entry '${name}' holds ${entry.uncompressedSize} bytes; ${end} are needed`);
    }
    if (entry.compressionMethod === STORED) {
      if (entry.compressedSize !== entry.uncompressedSize) throw new TorchError(`entry '${name}' is stored, but its sizes disagree`);
      return collect(await this.stream(entry, { start, end }), name, 0, end - start);
    }
    // A compressed entry streams from its start; reading stops as soon as `end` is reached.
    return collect(await this.stream(entry, {}), name, start, end);
  }

  private stream(entry: Entry, range: { start?: number; end?: number }): Promise<Readable> {
    return new Promise((resolve, reject) => {
      this.zip.openReadStream(entry, range as never, (err, s) => (err ? reject(zipError(err, entry.fileName)) : resolve(s)));
    });
  }
}

function listEntries(zip: ZipFile): Promise<Map<string, Entry>> {
  if (zip.entryCount > MAX_ENTRIES) {
    return Promise.reject(new TorchError(`the archive lists ${zip.entryCount} entries, more than the ${MAX_ENTRIES} spinal reads`));
  }
  return new Promise((resolve, reject) => {
    const entries = new Map<string, Entry>();
    zip.on('entry', (entry: Entry) => {
      if (entry.isEncrypted()) return reject(new TorchError(`entry '${entry.fileName}' is encrypted`));
      if (entry.compressionMethod !== STORED && entry.compressionMethod !== DEFLATED) {
        return reject(new TorchError(`entry '${entry.fileName}' uses compression method ${entry.compressionMethod}; torch.save stores entries uncompressed`));
      }
      if (entries.has(entry.fileName)) return reject(new TorchError(`the archive lists entry '${entry.fileName}' twice`));
      entries.set(entry.fileName, entry);
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', (err: Error) => reject(zipError(err)));
    zip.readEntry();
  });
}

/** Bytes [skip, skip + length) of a stream, then the stream is let go. */
function collect(stream: Readable, name: string, skip: number, end: number): Promise<Uint8Array> {
  const length = end - skip;
  const out = new Uint8Array(length);
  let seen = 0;
  return new Promise((resolve, reject) => {
    const done = () => {
      stream.removeAllListeners('data');
      stream.destroy();
      resolve(out);
    };
    if (length === 0) return done();
    stream.on('data', (chunk: Buffer) => {
      const from = Math.max(0, skip - seen);
      const to = Math.min(chunk.length, end - seen);
      if (to > from) out.set(chunk.subarray(from, to), seen + from - skip);
      seen += chunk.length;
      if (seen >= end) done();
    });
    stream.on('error', (err: Error) => reject(zipError(err, name)));
    stream.on('end', () => (seen >= end ? resolve(out) : reject(new TorchError(`entry '${name}' ends after ${seen} bytes; ${end} were needed`))));
  });
}

function zipError(err: Error, entry?: string): TorchError {
  if (err instanceof TorchError) return err;
  const where = entry ? `entry '${entry}': ` : '';
  if (/too many bytes/.test(err.message)) return new TorchError(`${where}the data expands past its declared size (${err.message}); the archive is corrupt or hostile`);
  return new TorchError(`not a readable zip archive: ${where}${err.message}`);
}
