import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
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
      const target = fileOf(key);
      await fsp.mkdir(path.dirname(target), { recursive: true });
      await fsp.rename(tmpFile, target);
      return stored;
    } catch (error) {
      await fsp.rm(tmpFile, { force: true });
      throw error;
    }
  }

  return {
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
        const out = fs.createWriteStream(tmpFile);
        for (const sourceKey of sourceKeys) {
          const source = fs.createReadStream(fileOf(sourceKey));
          source.on('data', (chunk) => {
            size += chunk.length;
            hash.update(chunk);
          });
          await pipeline(source, out, { end: false });
        }
        await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
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
