import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';

export const CONSOLE_PATH = '/console';

/** Where `npm run build` puts the console: dist/console (this file is dist/src/http/routes/console/consoleFiles.js). */
export const BUILT_CONSOLE_DIR = fileURLToPath(new URL('../../../../console/', import.meta.url));

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>avatarforge console not built</title></head>
<body><h1>The web console is not built</h1>
<p>Run <code>npm run build</code> in the avatarforge checkout, then start the server again.
The API works without it.</p></body></html>
`;

/**
 * The web console (console/ in the repository): static files under /console, and index.html for
 * every other path below it, where the console's own router takes over. Without a build the
 * console's paths answer 503 with a page that says how to build it; the API is unaffected.
 */
export async function registerConsole(app: FastifyInstance, { root = BUILT_CONSOLE_DIR }: { root?: string } = {}): Promise<void> {
  const indexFile = path.join(root, 'index.html');
  const hidden = { schema: { hide: true } };
  if (!fs.existsSync(indexFile)) {
    app.log.warn({ root }, 'web console not built (npm run build): /console answers 503');
    const notBuilt = (_request: unknown, reply: FastifyReply) =>
      reply.status(503).type('text/html; charset=utf-8').header('Cache-Control', 'no-store').send(NOT_BUILT_PAGE);
    app.get(CONSOLE_PATH, hidden, notBuilt);
    app.get(`${CONSOLE_PATH}/*`, hidden, notBuilt);
    return;
  }

  const indexHtml = fs.readFileSync(indexFile);
  // Read once: the console's own router takes every path below /console that is not a file.
  const sendIndex = (_request: unknown, reply: FastifyReply) =>
    reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-cache').send(indexHtml);
  await app.register(fastifyStatic, {
    root,
    prefix: `${CONSOLE_PATH}/`,
    // One route per built file (the build is fixed while the server runs), /console/ for index.html;
    // other paths fall through to index.html below. (/console is /console/: the router ignores trailing slashes.)
    wildcard: false,
    // @fastify/swagger-ui decorates the reply with its own sendFile.
    decorateReply: false,
    cacheControl: false,
    setHeaders: (response, filePath) => {
      // Vite names assets after their content hash: they never change under one name.
      const immutable = filePath.startsWith(path.join(root, 'assets') + path.sep);
      response.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.get(`${CONSOLE_PATH}/*`, hidden, sendIndex);
  // A stale asset name (an older build) is missing, not the app.
  app.get(`${CONSOLE_PATH}/assets/*`, hidden, (_request, reply) => reply.status(404).type('text/plain; charset=utf-8').send('not found'));
}
