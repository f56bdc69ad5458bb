/**
 * Tests for the guarded fetch of caller-given URLs: which URLs are refused (scheme, user info, length,
 * unlisted host or port, metadata and unspecified addresses, redirects), that the connection goes to
 * the address that was checked, and that failures (status, size, timeout, abort) leave no file behind.
 * Every server is a real one on 127.0.0.1; nothing here reaches beyond loopback.
 */
import { after, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkExternalUrl, embeddedIpv4, ExternalFetchFailed, ExternalUrlRefused, fetchToFile, type GuardedFetchOptions } from '../../src/net/guardedFetch.js';

const downloads = mkdtempSync(join(tmpdir(), 'avatarforge-guarded-fetch-'));
after(() => rmSync(downloads, { recursive: true, force: true }));

const AUDIO = Buffer.from(Array.from({ length: 5000 }, (_, index) => index % 251));
const METADATA = '169.254.169.254';

interface TestServer {
  port: number;
  /** The Host header of every request the server received. */
  hosts: Array<string | undefined>;
  /** Settles when the first request arrives. */
  firstRequest: Promise<void>;
}

async function startServer(t: TestContext, handle: (request: IncomingMessage, response: ServerResponse) => void): Promise<TestServer> {
  const hosts: Array<string | undefined> = [];
  let requestArrived = (): void => undefined;
  const firstRequest = new Promise<void>((resolve) => (requestArrived = resolve));
  const server = createServer((request, response) => {
    hosts.push(request.headers.host);
    requestArrived();
    handle(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { port: (server.address() as AddressInfo).port, hosts, firstRequest };
}

function serveAudio(_request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'audio/wav', 'content-length': AUDIO.length });
  response.end(AUDIO);
}

function options(allowedHosts: string[], extra: Partial<GuardedFetchOptions> = {}): GuardedFetchOptions {
  return { allowedHosts, maxBytes: 1_000_000, timeoutMs: 10_000, ...extra };
}

let targets = 0;
function newTarget(): string {
  targets += 1;
  return join(downloads, `audio-${targets}.wav`);
}

function assertNothingSaved(target: string): void {
  assert.equal(existsSync(target), false, `${target} exists`);
  assert.equal(existsSync(`${target}.part`), false, `${target}.part exists`);
}

function refusedWith(pattern: RegExp): (error: unknown) => true {
  return (error) => {
    assert.ok(error instanceof ExternalUrlRefused, `expected ExternalUrlRefused, got ${String(error)}`);
    assert.match(error.message, pattern);
    return true;
  };
}

function failedWith(pattern: RegExp, status?: number): (error: unknown) => true {
  return (error) => {
    assert.ok(error instanceof ExternalFetchFailed, `expected ExternalFetchFailed, got ${String(error)}`);
    assert.match(error.message, pattern);
    assert.equal(error.status, status);
    return true;
  };
}

test('a listed loopback host is fetched byte for byte, with its content type', async (t) => {
  const server = await startServer(t, serveAudio);
  const target = newTarget();
  const fetched = await fetchToFile(`http://127.0.0.1:${server.port}/voice.wav?v=1`, target, options([`127.0.0.1:${server.port}`]));
  assert.deepEqual(fetched, { size: AUDIO.length, contentType: 'audio/wav' });
  assert.deepEqual(readFileSync(target), AUDIO);
  assert.equal(existsSync(`${target}.part`), false);
  assert.deepEqual(server.hosts, [`127.0.0.1:${server.port}`]);
});

test('a host that is not listed is refused without connecting to it', async (t) => {
  const server = await startServer(t, serveAudio);
  const url = `http://127.0.0.1:${server.port}/voice.wav`;
  const target = newTarget();
  await assert.rejects(
    fetchToFile(url, target, options(['audio.example.com', `localhost:${server.port}`])),
    refusedWith(new RegExp(`^URL host "127\\.0\\.0\\.1:${server.port}" is not among the hosts this server is allowed to fetch from$`)),
  );
  await assert.rejects(fetchToFile(url, target, options([])), refusedWith(/is not among the hosts/));
  assert.deepEqual(server.hosts, []);
  assertNothingSaved(target);
});

test('an entry without a port allows only the default port of the scheme; an entry with a port, only that port', async (t) => {
  const server = await startServer(t, serveAudio);
  const url = `http://127.0.0.1:${server.port}/voice.wav`;
  await assert.rejects(fetchToFile(url, newTarget(), options(['127.0.0.1'])), refusedWith(/is not among the hosts/));
  await assert.rejects(fetchToFile(url, newTarget(), options([`127.0.0.1:${server.port + 1}`])), refusedWith(/is not among the hosts/));
  assert.deepEqual(server.hosts, []);

  assert.equal(checkExternalUrl('http://audio.example.com/a.wav', ['audio.example.com']).hostname, 'audio.example.com');
  assert.equal(checkExternalUrl('https://audio.example.com/a.wav', ['audio.example.com']).hostname, 'audio.example.com');
  assert.ok(checkExternalUrl('http://audio.example.com:80/a.wav', ['audio.example.com']));
  assert.ok(checkExternalUrl('https://audio.example.com/a.wav', ['audio.example.com:443']));
  assert.throws(() => checkExternalUrl('http://audio.example.com:443/a.wav', ['audio.example.com']), refusedWith(/"audio\.example\.com:443" is not among/));
  assert.throws(() => checkExternalUrl('https://audio.example.com/a.wav', ['audio.example.com:80']), refusedWith(/"audio\.example\.com" is not among/));
});

test('hosts match exactly and case-insensitively; entries have no wildcards', () => {
  assert.ok(checkExternalUrl('http://AUDIO.Example.com:8080/a.wav', ['audio.example.COM:8080']));
  assert.ok(checkExternalUrl('http://[::1]:8080/a.wav', ['[0:0::1]:8080']));
  assert.throws(() => checkExternalUrl('http://cdn.audio.example.com/a.wav', ['audio.example.com']), refusedWith(/is not among/));
  assert.throws(() => checkExternalUrl('http://audio.example.com.evil.test/a.wav', ['audio.example.com']), refusedWith(/is not among/));
  const wildcardRejected = /allowed host entry "\*\.audio\.example\.com" is not "host" or "host:port"/;
  assert.throws(() => checkExternalUrl('http://cdn.audio.example.com/a.wav', ['*.audio.example.com']), wildcardRejected);
});

test('link-local, cloud-metadata and unspecified addresses are refused even when listed, without connecting', async (t) => {
  const server = await startServer(t, serveAudio);
  const cases = [
    { url: `http://${METADATA}/latest/meta-data/`, entry: METADATA },
    { url: `http://[::ffff:${METADATA}]/latest/meta-data/`, entry: `[::ffff:${METADATA}]` },
    { url: `http://[::ffff:a9fe:a9fe]/`, entry: `[::ffff:a9fe:a9fe]` },
    { url: 'http://169.254.1.1/', entry: '169.254.1.1' },
    { url: 'http://[fe80::1]/', entry: '[fe80::1]' },
    { url: 'http://[fd00:ec2::254]/', entry: '[fd00:ec2::254]' },
    { url: 'http://100.100.100.200/', entry: '100.100.100.200' },
    // 0.0.0.0 would reach this loopback server if it were connected to.
    { url: `http://0.0.0.0:${server.port}/voice.wav`, entry: `0.0.0.0:${server.port}` },
    { url: `http://[::]:${server.port}/voice.wav`, entry: `[::]:${server.port}` },
    // IPv6 forms that carry a refused IPv4 address: IPv4-compatible, NAT64 (well-known and
    // local-use prefixes), 6to4, Teredo (client address inverted).
    { url: `http://[::${METADATA}]/`, entry: `[::${METADATA}]` },
    { url: 'http://[64:ff9b::a9fe:a9fe]/', entry: '[64:ff9b::a9fe:a9fe]' },
    { url: `http://[64:ff9b::${METADATA}]/`, entry: `[64:ff9b::${METADATA}]` },
    { url: 'http://[64:ff9b:1::a9fe:a9fe]/', entry: '[64:ff9b:1::a9fe:a9fe]' },
    { url: 'http://[2002:a9fe:a9fe::1]/', entry: '[2002:a9fe:a9fe::1]' },
    { url: 'http://[2001:0:4136:e378:8000:63bf:5601:5601]/', entry: '[2001:0:4136:e378:8000:63bf:5601:5601]' },
    { url: 'http://[64:ff9b::6464:64c8]/', entry: '[64:ff9b::6464:64c8]' },
  ];
  for (const { url, entry } of cases) {
    const target = newTarget();
    const refused = refusedWith(/is a link-local, cloud-metadata or unspecified address/);
    await assert.rejects(fetchToFile(url, target, options([entry])), refused, url);
    assertNothingSaved(target);
  }
  assert.deepEqual(server.hosts, []);
});

test('the IPv4 address inside an IPv6 address is found in each form that carries one, and only there', () => {
  assert.equal(embeddedIpv4('::169.254.169.254'), '169.254.169.254');
  assert.equal(embeddedIpv4('::a9fe:a9fe'), '169.254.169.254');
  assert.equal(embeddedIpv4('64:ff9b::808:808'), '8.8.8.8');
  assert.equal(embeddedIpv4('64:FF9B:1:0:0:0:a9fe:a9fe'), '169.254.169.254');
  assert.equal(embeddedIpv4('2002:c000:0204::1'), '192.0.2.4');
  assert.equal(embeddedIpv4('2001:0:4136:e378:8000:63bf:3fff:fdd2'), '192.0.2.45');
  for (const plain of ['::', '::1', '::ffff:10.0.0.1', '2001:db8::1', 'fe80::1%eth0', '2606:4700::1111']) {
    assert.equal(embeddedIpv4(plain), undefined, plain);
  }
  // A carried address that is not refused stays allowed when its host is listed.
  assert.doesNotThrow(() => checkExternalUrl('http://[64:ff9b::808:808]/a.wav', ['[64:ff9b::808:808]']));
  assert.doesNotThrow(() => checkExternalUrl('http://[::1]/a.wav', ['[::1]']));
});

test('a listed name that resolves to a metadata address is refused, whichever of its addresses it is', async (t) => {
  const server = await startServer(t, serveAudio);
  const answers = [
    [{ address: METADATA, family: 4 }],
    [{ address: '127.0.0.1', family: 4 }, { address: `::ffff:${METADATA}`, family: 6 }],
    [{ address: '0.0.0.0', family: 4 }],
    [{ address: '64:ff9b::a9fe:a9fe', family: 6 }],
  ];
  for (const answer of answers) {
    const target = newTarget();
    await assert.rejects(
      fetchToFile(`http://audio.test:${server.port}/voice.wav`, target, options([`audio.test:${server.port}`], { lookup: async () => answer })),
      refusedWith(new RegExp(`^URL host "audio\\.test:${server.port}" resolves to .+, a link-local, cloud-metadata or unspecified address`)),
    );
    assertNothingSaved(target);
  }
  assert.deepEqual(server.hosts, []);
});

test('the name is resolved once and the connection goes to the checked address, with the original Host header', async (t) => {
  const server = await startServer(t, serveAudio);
  const lookups: string[] = [];
  // A rebinding resolver: the first answer passes the check, any later one points at the metadata service.
  const lookup = async (hostname: string): Promise<Array<{ address: string; family: number }>> => {
    lookups.push(hostname);
    return [{ address: lookups.length === 1 ? '127.0.0.1' : METADATA, family: 4 }];
  };
  const target = newTarget();
  const fetched = await fetchToFile(`http://audio.test:${server.port}/voice.wav`, target, options([`audio.test:${server.port}`], { lookup }));
  assert.equal(fetched.size, AUDIO.length);
  assert.deepEqual(readFileSync(target), AUDIO);
  assert.deepEqual(lookups, ['audio.test']);
  assert.deepEqual(server.hosts, [`audio.test:${server.port}`]);
});

test('a redirect is refused and its target is never contacted', async (t) => {
  const redirectTarget = await startServer(t, serveAudio);
  const redirecting = await startServer(t, (_request, response) => {
    response.writeHead(302, { location: `http://127.0.0.1:${redirectTarget.port}/voice.wav` });
    response.end();
  });
  const target = newTarget();
  await assert.rejects(
    fetchToFile(`http://127.0.0.1:${redirecting.port}/voice.wav`, target, options([`127.0.0.1:${redirecting.port}`, `127.0.0.1:${redirectTarget.port}`])),
    refusedWith(/^redirects are not followed: the URL answered HTTP 302/),
  );
  assert.equal(redirecting.hosts.length, 1);
  assert.deepEqual(redirectTarget.hosts, []);
  assertNothingSaved(target);
});

test('a status other than 2xx fails the fetch with that status', async (t) => {
  const server = await startServer(t, (_request, response) => {
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('no such file');
  });
  const target = newTarget();
  await assert.rejects(
    fetchToFile(`http://127.0.0.1:${server.port}/missing.wav`, target, options([`127.0.0.1:${server.port}`])),
    failedWith(/^the URL answered HTTP 404$/, 404),
  );
  assertNothingSaved(target);
});

test('an unreachable host or a name that does not resolve fails the fetch', async () => {
  // A port that was free a moment ago: nothing listens on it.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const freePort = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));

  const target = newTarget();
  await assert.rejects(
    fetchToFile(`http://127.0.0.1:${freePort}/voice.wav`, target, options([`127.0.0.1:${freePort}`])),
    failedWith(/^could not fetch the URL: .*ECONNREFUSED/),
  );
  const notFound = Object.assign(new Error('getaddrinfo ENOTFOUND audio.test'), { code: 'ENOTFOUND' });
  await assert.rejects(
    fetchToFile('http://audio.test/voice.wav', target, options(['audio.test'], { lookup: () => Promise.reject(notFound) })),
    failedWith(/^URL host "audio\.test" could not be resolved: getaddrinfo ENOTFOUND audio\.test$/),
  );
  assertNothingSaved(target);
});

test('a body larger than maxBytes fails the fetch, whether its Content-Length says so or its bytes do', async (t) => {
  const declared = await startServer(t, serveAudio);
  const target = newTarget();
  await assert.rejects(
    fetchToFile(`http://127.0.0.1:${declared.port}/voice.wav`, target, options([`127.0.0.1:${declared.port}`], { maxBytes: 1000 })),
    failedWith(new RegExp(`^the file at the URL is ${AUDIO.length} bytes, more than the 1000 bytes allowed$`)),
  );
  assertNothingSaved(target);

  // Chunked, and never ending: only counting the bytes can stop it.
  const streamed = await startServer(t, (_request, response) => {
    response.writeHead(200, { 'content-type': 'audio/wav' });
    response.write(AUDIO.subarray(0, 600));
    response.write(AUDIO.subarray(600, 1200));
  });
  await assert.rejects(
    fetchToFile(`http://127.0.0.1:${streamed.port}/voice.wav`, target, options([`127.0.0.1:${streamed.port}`], { maxBytes: 1000 })),
    failedWith(/^the file at the URL is more than the 1000 bytes allowed$/),
  );
  assertNothingSaved(target);
});

test('a download that does not finish within timeoutMs fails and leaves no file', async (t) => {
  const server = await startServer(t, (_request, response) => {
    response.writeHead(200, { 'content-type': 'audio/wav', 'content-length': AUDIO.length });
    response.write(AUDIO.subarray(0, 100));
  });
  const target = newTarget();
  await assert.rejects(
    fetchToFile(`http://127.0.0.1:${server.port}/voice.wav`, target, options([`127.0.0.1:${server.port}`], { timeoutMs: 300 })),
    failedWith(/^URL did not finish downloading within 300 ms$/),
  );
  assertNothingSaved(target);
});

test("the caller's signal aborts the fetch with the signal's reason and leaves no file", async (t) => {
  const server = await startServer(t, (_request, response) => {
    response.writeHead(200, { 'content-type': 'audio/wav' });
    response.write(AUDIO.subarray(0, 100));
  });
  const url = `http://127.0.0.1:${server.port}/voice.wav`;
  const target = newTarget();
  const controller = new AbortController();
  const fetching = fetchToFile(url, target, options([`127.0.0.1:${server.port}`], { signal: controller.signal }));
  await server.firstRequest;
  controller.abort();
  await assert.rejects(fetching, { name: 'AbortError' });
  assertNothingSaved(target);

  await assert.rejects(fetchToFile(url, target, options([`127.0.0.1:${server.port}`], { signal: AbortSignal.abort() })), { name: 'AbortError' });
  assert.equal(server.hosts.length, 1);
  assertNothingSaved(target);
});

test('only absolute http and https URLs without user info, at most 2048 characters, are accepted', async () => {
  const allowed = ['audio.example.com', 'localhost'];
  assert.throws(() => checkExternalUrl('file:///etc/passwd', allowed), refusedWith(/^URL scheme "file" is not accepted; only http and https URLs are fetched$/));
  assert.throws(() => checkExternalUrl('ftp://audio.example.com/a.wav', allowed), refusedWith(/^URL scheme "ftp" is not accepted/));
  assert.throws(() => checkExternalUrl('gopher://localhost:6379/_INFO', allowed), refusedWith(/^URL scheme "gopher" is not accepted/));
  assert.throws(() => checkExternalUrl('http://user:pass@audio.example.com/a.wav', allowed), refusedWith(/^URLs with a user name or password/));
  assert.throws(() => checkExternalUrl('http://user@audio.example.com/a.wav', allowed), refusedWith(/^URLs with a user name or password/));
  assert.throws(() => checkExternalUrl('/relative/a.wav', allowed), refusedWith(/^URL is not a valid absolute URL$/));
  assert.throws(() => checkExternalUrl('http://', allowed), refusedWith(/^URL is not a valid absolute URL$/));

  const base = 'http://audio.example.com/';
  assert.ok(checkExternalUrl(base + 'a'.repeat(2048 - base.length), allowed));
  assert.throws(() => checkExternalUrl(base + 'a'.repeat(2049 - base.length), allowed), refusedWith(/^URL is 2049 characters long; at most 2048 are accepted$/));

  const target = newTarget();
  await assert.rejects(fetchToFile('file:///etc/passwd', target, options(allowed)), refusedWith(/^URL scheme "file"/));
  assertNothingSaved(target);
});
