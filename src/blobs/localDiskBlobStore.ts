import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { meterUpload, type BlobStore, type StoredBlob } from './blobStore.js';

/**
 * Blobs as files under `<root>/objects/<key>`. Writes stream into `<root>/tmp/` and are renamed into
 * place when complete, so a reader never sees half a file and an interrupted upload leaves none.
 */
export function createLocalDiskBlobStore(root: string): BlobStore {
  const objectsDir = path.join(root, 'objects');
  const tmpDir = path.join(root, 'tmp');
  fs.mkdirSync(objectsDir, { recursive: true });
  fs.rmSync(tmpDir, { recursive: true, force: true }); // leftovers of writes a crash interrupted
  fs.mkdirSync(tmpDir, { recursive: true });

  const fileOf = (key: string): string => {
    if (!/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(key) || key.split('/').some((part) => part === '..' || part === '')) {
      throw new Error(`invalid blob key ${key}`);
    }
    return path.join(objectsDir, key);
  };

  async function writeAtomically(key: string, write: (tmpFile: string) => Promise<StoredBlob>): Promise<StoredBlob> {
    const tmpFile = path.join(tmpDir, crypto.randomUUID());
    try {
      const stored = await write(tmpFile);
      // On disk before it is visible, and its name on disk before the caller records it: the database
      // commit that follows never points at a file a power cut could take back.
      await syncFile(tmpFile);
      const target = fileOf(key);
      const firstCreated = await fsp.mkdir(path.dirname(target), { recursive: true });
      await fsp.rename(tmpFile, target);
      await syncDirectories(path.dirname(target), firstCreated === undefined ? path.dirname(target) : path.dirname(firstCreated));
      return stored;
    } catch (error) {
      await fsp.rm(tmpFile, { force: true });
      throw error;
    }
  }

  return {
    localFile: fileOf,

    put(key, body, maxBytes) {
      return writeAtomically(key, async (tmpFile) => {
        const { meter, finish } = meterUpload(body, maxBytes);
        await pipeline(body, meter, fs.createWriteStream(tmpFile));
        return finish();
      });
    },

    concat(sourceKeys, key) {
      return writeAtomically(key, async (tmpFile) => {
        const hash = crypto.createHash('md5');
        let size = 0;
        // One stream written chunk by chunk: a pipeline per part would add listeners to it each time.
        const out = fs.createWriteStream(tmpFile);
        const failed = new Promise<never>((_resolve, reject) => out.once('error', reject));
        failed.catch(() => undefined);
        try {
          for (const sourceKey of sourceKeys) {
            for await (const chunk of fs.createReadStream(fileOf(sourceKey))) {
              size += (chunk as Buffer).length;
              hash.update(chunk as Buffer);
              if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed]);
            }
          }
          await Promise.race([new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve()))), failed]);
        } catch (error) {
          out.destroy();
          throw error;
        }
        return { size, md5: hash.digest('hex') };
      });
    },

    async read(key, range) {
      const file = fileOf(key);
      let size: number;
      try {
        size = (await fsp.stat(file)).size;
      } catch {
        return undefined;
      }
      const stream: Readable = range ? fs.createReadStream(file, range) : fs.createReadStream(file);
      return { stream, size };
    },

    async size(key) {
      try {
        return (await fsp.stat(fileOf(key))).size;
      } catch {
        return undefined;
      }
    },

    async delete(key) {
      await fsp.rm(fileOf(key), { force: true });
    },

    async deletePrefix(prefix) {
      if (!prefix.endsWith('/')) throw new Error('deletePrefix takes a folder prefix ending in "/"');
      await fsp.rm(fileOf(prefix.slice(0, -1)), { recursive: true, force: true });
    },
  };
}

async function syncFile(file: string): Promise<void> {
  const handle = await fsp.open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** fsyncs `from` and each directory above it up to and including `to` (the entries a rename or mkdir changed). */
async function syncDirectories(from: string, to: string): Promise<void> {
  for (let directory = from; ; directory = path.dirname(directory)) {
    const handle = await fsp.open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (directory === to || path.dirname(directory) === directory) return;
  }
}
