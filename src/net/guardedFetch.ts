import { lookup as dnsLookup } from 'node:dns/promises';
import { open, rename, rm } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { addAbortSignal } from 'node:stream';

/*
 * Downloads one URL that an API caller gave (audio_drive_file_external_url) to a local file, without
 * opening a door into the server's network (SSRF):
 *  - only hosts the operator listed are ever contacted, matched exactly on host and port;
 *  - a listed name is resolved once, every address is checked, and the connection goes to the checked
 *    address itself, so a second DNS answer cannot point elsewhere (DNS rebinding);
 *  - a listed host may have private addresses (listing it is the operator's trust), but link-local,
 *    cloud-metadata and unspecified addresses are refused always;
 *  - redirects are never followed: they would lead to a host nobody checked.
 * Error messages are written for the API caller; they end up in the job's error_msg.
 */

export interface GuardedFetchOptions {
  /** Hosts the operator allowed, as "host" or "host:port" entries (IPv6 in brackets). A URL whose host[:port] is not listed is refused. */
  allowedHosts: readonly string[];
  maxBytes: number;
  /** For the whole fetch: resolving, connecting and downloading. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** For tests only: how names resolve (defaults to dns.promises.lookup with all: true). */
  lookup?: (hostname: string) => Promise<Array<{ address: string; family: number }>>;
}

export interface FetchedFile {
  size: number;
  contentType: string | undefined;
}

/** The URL may not be fetched: the caller's mistake (a 400-class answer). */
export class ExternalUrlRefused extends Error {
  override name = 'ExternalUrlRefused';
}

/** The fetch was allowed but did not succeed: unreachable, not 2xx, too large or too slow. */
export class ExternalFetchFailed extends Error {
  override name = 'ExternalFetchFailed';
  /** The HTTP status the URL answered with, when it answered. */
  readonly status: number | undefined;

  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.status = options.status;
  }
}

export const MAX_URL_LENGTH = 2048;

/** Addresses refused even for a listed host: nobody lists them on purpose, and they are what SSRF aims at. */
const ALWAYS_REFUSED: ReadonlyArray<readonly [network: string, prefix: number, family: 'ipv4' | 'ipv6']> = [
  ['169.254.0.0', 16, 'ipv4'], // link-local, with the cloud metadata service at 169.254.169.254 (AWS, GCP, Azure, OpenStack)
  ['fe80::', 10, 'ipv6'], // link-local
  ['fd00:ec2::254', 128, 'ipv6'], // AWS metadata service over IPv6
  ['100.100.100.200', 32, 'ipv4'], // Alibaba Cloud metadata service
  ['0.0.0.0', 8, 'ipv4'], // unspecified / "this network": connecting to it reaches the server itself
  ['::', 128, 'ipv6'], // unspecified
];

// BlockList also matches IPv4-mapped IPv6 addresses (::ffff:169.254.169.254) against the IPv4 rules;
// the other IPv6 forms that carry an IPv4 address are unpacked by embeddedIpv4.
const alwaysRefused = new BlockList();
for (const [network, prefix, family] of ALWAYS_REFUSED) alwaysRefused.addSubnet(network, prefix, family);

/**
 * IPv6 ranges whose addresses carry an IPv4 address that a gateway or the host may reach: where it
 * sits (the first of its four bytes), whether it is stored inverted, and whether an IPv4 part in
 * 0.0.0.0/8 counts (not for ::/96, where :: and ::1 live).
 */
const IPV4_CARRIERS: ReadonlyArray<{ prefix: number[]; byte: number; inverted?: boolean; notZeroNetwork?: boolean }> = [
  { prefix: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], byte: 12, notZeroNetwork: true }, // IPv4-compatible ::/96 (RFC 4291)
  { prefix: [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0], byte: 12 }, // NAT64 64:ff9b::/96 (RFC 6052)
  { prefix: [0, 0x64, 0xff, 0x9b, 0, 1], byte: 12 }, // local-use NAT64 64:ff9b:1::/48 (RFC 8215)
  { prefix: [0x20, 0x02], byte: 2 }, // 6to4 2002::/16 (RFC 3056)
  { prefix: [0x20, 0x01, 0, 0], byte: 12, inverted: true }, // Teredo 2001::/32 (RFC 4380): the client's address
];

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/** An allowed-host entry: a host name or IP literal (IPv6 in brackets), optionally ":port". No wildcards. */
const ALLOWED_HOST_ENTRY = /^(\[[0-9a-f:.]+\]|[^\s:/\\[\]@*?#%]+)(?::(\d{1,5}))?$/i;

/**
 * The checks that need no network: scheme, user info, length, and the host[:port] being listed (and not
 * an always-refused IP literal). Cheap enough to run when the request arrives, before anything is stored.
 * Throws ExternalUrlRefused; throws a plain Error when an allowed-host entry is malformed (a configuration
 * mistake, not the caller's).
 */
export function checkExternalUrl(url: string, allowedHosts: readonly string[]): URL {
  if (url.length > MAX_URL_LENGTH) {
    throw new ExternalUrlRefused(`URL is ${url.length} characters long; at most ${MAX_URL_LENGTH} are accepted`);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ExternalUrlRefused('URL is not a valid absolute URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ExternalUrlRefused(`URL scheme "${parsed.protocol.slice(0, -1)}" is not accepted; only http and https URLs are fetched`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new ExternalUrlRefused('URLs with a user name or password (user:password@host) are not accepted');
  }
  const port = parsed.port === '' ? DEFAULT_PORTS[parsed.protocol] : Number(parsed.port);
  const listed = allowedHosts.map(parseAllowedHost).some((entry) => entry.hostname === parsed.hostname && (entry.port ?? DEFAULT_PORTS[parsed.protocol]) === port);
  if (!listed) {
    throw new ExternalUrlRefused(`URL host "${parsed.host}" is not among the hosts this server is allowed to fetch from`);
  }
  const literal = bareHostname(parsed);
  if (isIP(literal) !== 0 && isAlwaysRefused(literal)) throw refusedAddress(parsed, literal);
  return parsed;
}

/**
 * Downloads `url` to `target` when checkExternalUrl and the address checks allow it. The bytes go to
 * `target + '.part'`, renamed to `target` once complete; a failure leaves neither file. Rejects with
 * ExternalUrlRefused or ExternalFetchFailed, or with `options.signal`'s reason when that aborts.
 */
export async function fetchToFile(url: string, target: string, options: GuardedFetchOptions): Promise<FetchedFile> {
  const checked = checkExternalUrl(url, options.allowedHosts);
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const partPath = `${target}.part`;
  try {
    const address = await untilAborted(resolveCheckedAddress(checked, options.lookup ?? lookupAll), signal);
    const response = await sendRequest(checked, address, signal);
    const contentType = response.headers['content-type'];
    const size = await saveBody(response, partPath, options.maxBytes, signal);
    await rename(partPath, target);
    return { size, contentType };
  } catch (error) {
    await rm(partPath, { force: true });
    if (options.signal?.aborted) throw options.signal.reason;
    if (timeout.aborted) throw new ExternalFetchFailed(`URL did not finish downloading within ${options.timeoutMs} ms`);
    if (error instanceof ExternalUrlRefused || error instanceof ExternalFetchFailed) throw error;
    throw new ExternalFetchFailed(`could not fetch the URL: ${describe(error)}`, { cause: error });
  }
}

function parseAllowedHost(entry: string): { hostname: string; port: number | undefined } {
  const match = ALLOWED_HOST_ENTRY.exec(entry.trim());
  const port = match?.[2] === undefined ? undefined : Number(match[2]);
  if (match && (port === undefined || (port >= 1 && port <= 65535))) {
    try {
      // The URL parser puts entries in the form URLs take: lower case, IPv4 dotted, IPv6 compressed.
      return { hostname: new URL(`http://${match[1]}/`).hostname, port };
    } catch {
      // Reported below.
    }
  }
  throw new Error(`allowed host entry "${entry}" is not "host" or "host:port" (IPv6 in brackets, no wildcards)`);
}

function bareHostname(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

function isAlwaysRefused(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  if (family === 4) return alwaysRefused.check(address, 'ipv4');
  const embedded = embeddedIpv4(address);
  return alwaysRefused.check(address, 'ipv6') || (embedded !== undefined && alwaysRefused.check(embedded, 'ipv4'));
}

/** The IPv4 address an IPv6 address carries in one of the IPV4_CARRIERS forms, dotted, if any. */
export function embeddedIpv4(address: string): string | undefined {
  const bytes = ipv6Bytes(address);
  const carrier = IPV4_CARRIERS.find(({ prefix }) => prefix.every((value, index) => bytes[index] === value));
  if (!carrier) return undefined;
  const ipv4 = bytes.slice(carrier.byte, carrier.byte + 4).map((value) => (carrier.inverted ? value ^ 0xff : value));
  return carrier.notZeroNetwork && ipv4[0] === 0 ? undefined : ipv4.join('.');
}

/** The 16 bytes of a valid IPv6 address (isIP(address) === 6), with "::" and a dotted IPv4 tail expanded. */
function ipv6Bytes(address: string): number[] {
  let text = address.split('%')[0].toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const words = (part: string | undefined): number[] => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const front = words(head);
  const back = words(tail);
  const all = tail === undefined ? front : [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
  return all.flatMap((word) => [word >> 8, word & 0xff]);
}

function refusedAddress(url: URL, address: string): ExternalUrlRefused {
  const resolved = address === bareHostname(url) ? 'is' : `resolves to ${address},`;
  return new ExternalUrlRefused(`URL host "${url.host}" ${resolved} a link-local, cloud-metadata or unspecified address, which this server never fetches from`);
}

async function lookupAll(hostname: string): Promise<Array<{ address: string; family: number }>> {
  return dnsLookup(hostname, { all: true });
}

/** Resolves the host once and checks every address; the first is the one connected to. */
async function resolveCheckedAddress(url: URL, lookup: NonNullable<GuardedFetchOptions['lookup']>): Promise<{ address: string; family: number }> {
  const literal = bareHostname(url);
  if (isIP(literal) !== 0) return { address: literal, family: isIP(literal) };
  let addresses: Array<{ address: string; family: number }>;
  try {
    addresses = await lookup(url.hostname);
  } catch (error) {
    throw new ExternalFetchFailed(`URL host "${url.hostname}" could not be resolved: ${describe(error)}`, { cause: error });
  }
  if (addresses.length === 0) throw new ExternalFetchFailed(`URL host "${url.hostname}" could not be resolved: no addresses`);
  const refused = addresses.find(({ address }) => isAlwaysRefused(address));
  if (refused) throw refusedAddress(url, refused.address);
  return { address: addresses[0].address, family: isIP(addresses[0].address) };
}

/**
 * GET with the connection pinned to `address`: Node resolves the host through `lookup`, which answers
 * with the checked address, while the Host header and TLS server name stay the URL's. No shared agent,
 * so no pooled connection made for another address is reused.
 */
function sendRequest(url: URL, address: { address: string; family: number }, signal: AbortSignal): Promise<IncomingMessage> {
  const pinnedLookup: LookupFunction = (_hostname, lookupOptions, callback) => {
    if (lookupOptions.all) callback(null, [address]);
    else callback(null, address.address, address.family);
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send({
      method: 'GET',
      hostname: bareHostname(url),
      port: url.port === '' ? undefined : Number(url.port),
      path: `${url.pathname}${url.search}`,
      lookup: pinnedLookup,
      agent: false,
      signal,
    });
    request.on('error', reject);
    request.on('response', resolve);
    request.end();
  });
}

async function saveBody(response: IncomingMessage, partPath: string, maxBytes: number, signal: AbortSignal): Promise<number> {
  const status = response.statusCode ?? 0;
  if (status < 200 || status >= 300) {
    response.destroy();
    if (status >= 300 && status < 400) {
      throw new ExternalUrlRefused(`redirects are not followed: the URL answered HTTP ${status}; give the final URL of the file`);
    }
    throw new ExternalFetchFailed(`the URL answered HTTP ${status}`, { status });
  }
  const declaredSize = response.headers['content-length'] === undefined ? undefined : Number(response.headers['content-length']);
  if (declaredSize !== undefined && declaredSize > maxBytes) {
    response.destroy();
    throw new ExternalFetchFailed(`the file at the URL is ${declaredSize} bytes, more than the ${maxBytes} bytes allowed`);
  }
  addAbortSignal(signal, response);
  const file = await open(partPath, 'w');
  let size = 0;
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) throw new ExternalFetchFailed(`the file at the URL is more than the ${maxBytes} bytes allowed`);
      await file.write(chunk);
    }
  } finally {
    await file.close();
  }
  if (!response.complete) throw new ExternalFetchFailed('the connection closed before the whole file arrived');
  return size;
}

/** Waits for `work`, or rejects as soon as `signal` aborts (for steps that take no signal, like DNS). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' && !message.includes(code) ? `${code} ${message}` : message;
}
