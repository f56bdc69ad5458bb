/**
 * Verification of Huawei Cloud AK/SK request signatures (SDK-HMAC-SHA256, V11-HMAC-SHA256, SDK-HMAC-SM3).
 *
 * Pure functions over the request exactly as the server received it; see
 * spec/auth-and-conventions.md sections 2 and 3 (test vectors V0–V11).
 */
import { createHmac, createSecretKey, getHashes, hash, hkdfSync, timingSafeEqual, type KeyObject } from 'node:crypto';

export interface ReceivedRequest {
  /** As received, e.g. "GET". */
  method: string;
  /** Request target exactly as received, e.g. "/v1/p/jobs?tag=a%20b&tag=b". */
  rawUrl: string;
  /** Node IncomingHttpHeaders: lower-case names, values latin1-decoded as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
  /** Raw body bytes as received (empty Buffer when none). */
  body: Buffer;
  /** The client's address, for throttling failed authentications (absent: not throttled). */
  remoteAddress?: string;
}

export type SigningAlgorithm = 'SDK-HMAC-SHA256' | 'V11-HMAC-SHA256' | 'SDK-HMAC-SM3';

export interface ParsedAuthorization {
  algorithm: SigningAlgorithm;
  accessKey: string;
  signedHeaders: string[];
  signature: string;
  /** V11 only: "<YYYYMMDD>/<region>/<service>". */
  scope?: string;
}

export type SignatureVerdict =
  | { ok: true }
  | { ok: false; reason: 'malformed' | 'expired' | 'mismatch'; message: string };

type HashAlgorithm = 'sha256' | 'sm3';

const SUPPORTED_ALGORITHMS: readonly SigningAlgorithm[] = ['SDK-HMAC-SHA256', 'V11-HMAC-SHA256', 'SDK-HMAC-SM3'];
const DATE_HEADER = 'x-sdk-date';
/**
 * The form the official SDKs send, read by one expression (lower-case header names, no stray spaces);
 * anything else goes through the general parser, which gives the same result for this form.
 */
const SDK_AUTHORIZATION = /^(SDK-HMAC-SHA256|SDK-HMAC-SM3) Access=([^\s,]+), SignedHeaders=([a-z0-9-]+(?:;[a-z0-9-]+)*), Signature=([^\s,]+)$/;
const SDK_DATE_PATTERN = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
/** Hash algorithms this Node.js build offers (SM3 depends on its OpenSSL), read once. */
const AVAILABLE_HASHES = new Set(getHashes());
/** Text made only of RFC 3986 unreserved characters and "/": its canonical form is itself. */
const UNRESERVED_PATH = /^[A-Za-z0-9\-_.~/]*$/;
/** Printable ASCII: latin1 and UTF-8 read the same, so no byte round trip is needed. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

// ---------------------------------------------------------------------------------------------------------
// Authorization header
// ---------------------------------------------------------------------------------------------------------

/**
 * Parses `<ALGORITHM> Access=<AK>, SignedHeaders=<a;b>, Signature=<hex>` (or `Credential=<AK>/<scope>` for
 * V11). Tolerant per spec §2.2: algorithm split off at the first whitespace, the rest split on commas and
 * trimmed; field names are matched case-insensitively.
 */
export function parseAuthorization(value: string): ParsedAuthorization | { error: string } {
  const sdkForm = SDK_AUTHORIZATION.exec(value);
  if (sdkForm) {
    const [, algorithm, accessKey, signedHeaders, signature] = sdkForm as unknown as [string, SigningAlgorithm, string, string, string];
    return { algorithm, accessKey, signedHeaders: signedHeaders.split(';'), signature };
  }
  const trimmed = value.trim();
  const firstSpace = trimmed.search(/\s/);
  if (firstSpace < 0) return { error: 'authorization header has no credential part' };
  const algorithm = trimmed.slice(0, firstSpace);
  if (!isSupportedAlgorithm(algorithm)) return { error: `unsupported signing algorithm: ${algorithm}` };

  const fields = parseFields(trimmed.slice(firstSpace + 1));
  const signedHeadersText = fields.get('signedheaders');
  const signature = fields.get('signature');
  if (!signedHeadersText) return { error: 'authorization header lacks SignedHeaders' };
  if (!signature) return { error: 'authorization header lacks Signature' };

  const signedHeaders = signedHeadersText.split(';').map((name) => name.trim().toLowerCase());
  if (signedHeaders.some((name) => name === '')) return { error: 'SignedHeaders contains an empty name' };

  if (algorithm === 'V11-HMAC-SHA256') {
    const credential = parseV11Credential(fields.get('credential'));
    if ('error' in credential) return credential;
    return { algorithm, accessKey: credential.accessKey, signedHeaders, signature, scope: credential.scope };
  }
  const accessKey = fields.get('access');
  if (!accessKey) return { error: 'authorization header lacks Access' };
  return { algorithm, accessKey, signedHeaders, signature };
}

function isSupportedAlgorithm(name: string): name is SigningAlgorithm {
  return (SUPPORTED_ALGORITHMS as readonly string[]).includes(name);
}

/** "Access=AK, SignedHeaders=a;b" -> Map { access => AK, signedheaders => a;b } (first occurrence wins). */
function parseFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim().toLowerCase();
    if (!fields.has(key)) fields.set(key, part.slice(eq + 1).trim());
  }
  return fields;
}

/** "AK/20240101/cn-north-4/metastudio" -> access key and scope "20240101/cn-north-4/metastudio". */
function parseV11Credential(credential: string | undefined): { accessKey: string; scope: string } | { error: string } {
  if (!credential) return { error: 'authorization header lacks Credential' };
  const [accessKey, date, region, service, ...extra] = credential.split('/');
  if (!accessKey || !date || !region || !service || extra.length > 0) {
    return { error: 'Credential must be <AK>/<YYYYMMDD>/<region>/<service>' };
  }
  return { accessKey, scope: `${date}/${region}/${service}` };
}

// ---------------------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------------------

/** The last X-Sdk-Date parsed: a client's requests within one second all carry the same. */
let lastSdkDate: { text: string; date: Date | undefined } = { text: '', date: undefined };

/** Parses an X-Sdk-Date value (`YYYYMMDD'T'HHMMSS'Z'`, UTC); undefined for anything else, incl. 20240230. */
export function parseSdkDate(value: string): Date | undefined {
  if (value !== lastSdkDate.text) lastSdkDate = { text: value, date: readSdkDate(value) };
  return lastSdkDate.date;
}

function readSdkDate(value: string): Date | undefined {
  const match = SDK_DATE_PATTERN.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC silently rolls over (month 13, second 60…); reading the fields back exposes such values.
  const exact =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second;
  return exact ? date : undefined;
}

function formatSdkDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

// ---------------------------------------------------------------------------------------------------------
// Canonical request
// ---------------------------------------------------------------------------------------------------------

/**
 * Builds the canonical request (spec §2.1) from the request as received, using the client's signed-header
 * list in the client's order. A signed header that is absent contributes an empty value (the verifier
 * rejects such requests before getting here).
 */
export function canonicalRequest(request: ReceivedRequest, signedHeaders: string[], hashAlgorithm: HashAlgorithm): string {
  const names = signedHeaders.map((name) => name.toLowerCase());
  const values = names.map((name) => headerValue(request.headers, name) ?? '');
  return canonicalRequestWithoutPayloadHash(request, names, values) + declaredOrComputedPayloadHash(request, hashAlgorithm);
}

/** Every line of the canonical request but the last (the payload hash), which may take two values. */
function canonicalRequestWithoutPayloadHash(
  request: ReceivedRequest,
  names: string[],
  values: string[],
  query = canonicalQuery(splitRequestTarget(request.rawUrl).query),
): string {
  const { path } = splitRequestTarget(request.rawUrl);
  let headerLines = '';
  for (let index = 0; index < names.length; index++) headerLines += `${names[index]}:${values[index]}\n`;
  // Node's HTTP parser only accepts upper-case methods; upper-casing just guards other callers.
  return `${request.method.toUpperCase()}\n${canonicalUri(path)}\n${query}\n${headerLines}\n${names.join(';')}\n`;
}

/** Splits the request target into path and query; tolerates the absolute form "http://host/path?q". */
function splitRequestTarget(rawUrl: string): { path: string; query: string } {
  const withoutFragment = rawUrl.includes('#') ? (rawUrl.split('#', 1)[0] ?? '') : rawUrl;
  const originForm = withoutFragment.startsWith('/') ? withoutFragment : withoutFragment.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?]*/, '');
  const questionMark = originForm.indexOf('?');
  if (questionMark < 0) return { path: originForm, query: '' };
  return { path: originForm.slice(0, questionMark), query: originForm.slice(questionMark + 1) };
}

/** Decode each segment, re-encode it unreserved-only, and always end with "/" (spec §2.1 step 2). */
function canonicalUri(path: string): string {
  // The common case (ids of [A-Za-z0-9-]) needs no decoding and re-encoding.
  if (UNRESERVED_PATH.test(path)) return path.endsWith('/') ? path : `${path}/`;
  const encoded = path
    .split('/')
    .map((segment) => encodeUnreserved(percentDecode(segment)))
    .join('/');
  return encoded.endsWith('/') ? encoded : `${encoded}/`;
}

/** Decoded pairs sorted by name then value, re-encoded, `name=` for valueless params (spec §2.1 step 3). */
function canonicalQuery(query: string): string {
  return canonicalQueries(query)[0]!;
}

/**
 * The canonical query (spec §2.1 step 3), and a second one when a repeated name's values arrived out of
 * order: the Java SDK sorts the names but keeps a repeated name's values in the order its caller gave
 * them (docs/compatibility.md), so for such a query the values in arrival order are accepted too.
 */
function canonicalQueries(query: string): string[] {
  if (query === '') return [''];
  const pairs = query
    .split('&')
    .filter((piece) => piece !== '')
    .map((piece) => {
      const eq = piece.indexOf('=');
      const name = eq < 0 ? piece : piece.slice(0, eq);
      const value = eq < 0 ? '' : piece.slice(eq + 1);
      return { name: percentDecode(name), value: percentDecode(value) };
    });
  // The names and values are bytes (see percentDecode), so this is UTF-8 byte order, which is
  // code-point order (UTF-16 code-unit order differs above U+FFFF). Array sort is stable.
  const byName = [...pairs].sort((a, b) => compareBytes(a.name, b.name));
  const byNameAndValue = [...byName].sort((a, b) => compareBytes(a.name, b.name) || compareBytes(a.value, b.value));
  const joined = (sorted: typeof pairs) =>
    sorted.map(({ name, value }) => `${encodeUnreserved(name)}=${encodeUnreserved(value)}`).join('&');
  const canonical = joined(byNameAndValue);
  const valuesInArrivalOrder = byName.some((pair, index) => pair !== byNameAndValue[index]);
  return valuesInArrivalOrder ? [canonical, joined(byName)] : [canonical];
}

function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The header's value as the client signed it: Node hands header bytes over as latin1 text, so turn them
 * back into bytes and read UTF-8 — and only then trim, because 0xA0 (latin1 NBSP) can be the last byte of
 * a multi-byte UTF-8 character.
 */
function headerValue(headers: ReceivedRequest['headers'], name: string): string | undefined {
  const raw = headers[name];
  if (raw === undefined) return undefined;
  const joined = Array.isArray(raw) ? raw.join(', ') : raw;
  if (PRINTABLE_ASCII.test(joined)) return joined.trim();
  return Buffer.from(wireBytes(joined), 'latin1').toString('utf8').trim();
}

/**
 * Bytes of a string that came off the wire, as a binary string (one char per byte, U+0000 to U+00FF,
 * which compares as bytes do). Node decodes raw header / URL bytes as latin1, so such a string is its
 * own bytes; a string with higher chars was not latin1-decoded (e.g. a hand-built request) and is UTF-8.
 */
function wireBytes(text: string): string {
  return /[^\u0000-\u00ff]/.test(text) ? Buffer.from(text, 'utf8').toString('latin1') : text;
}

/** Plain percent-decoding to bytes (a binary string): "+" stays a literal plus, a malformed "%" escape stays literal. */
function percentDecode(text: string): string {
  const bytes = wireBytes(text);
  return bytes.includes('%') ? bytes.replace(PERCENT_ESCAPE, (_escape, hex: string) => String.fromCharCode(parseInt(hex, 16))) : bytes;
}

const PERCENT_ESCAPE = /%([0-9A-Fa-f]{2})/g;
const UNRESERVED_TEXT = /^[A-Za-z0-9\-_.~]*$/;
const UNRESERVED_CHAR = /[A-Za-z0-9\-_.~]/;

/** Percent-encodes every byte of a binary string except RFC 3986 unreserved characters, with upper-case hex. */
function encodeUnreserved(bytes: string): string {
  if (UNRESERVED_TEXT.test(bytes)) return bytes;
  let out = '';
  for (const char of bytes) {
    out += UNRESERVED_CHAR.test(char) ? char : `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Payload hash
// ---------------------------------------------------------------------------------------------------------

function contentHashHeader(hashAlgorithm: HashAlgorithm): string {
  return hashAlgorithm === 'sm3' ? 'x-sdk-content-sm3' : 'x-sdk-content-sha256';
}

/** The declared content hash (in practice "UNSIGNED-PAYLOAD") if the header is present, else the body hash. */
function declaredOrComputedPayloadHash(request: ReceivedRequest, hashAlgorithm: HashAlgorithm): string {
  return headerValue(request.headers, contentHashHeader(hashAlgorithm)) ?? bodyHash(request, hashAlgorithm);
}

/**
 * Payload hashes to try. The Python SDK hashes an empty body even when it sends the content-hash header,
 * so for an empty body both the declared value and the empty-body hash are accepted.
 */
function candidatePayloadHashes(request: ReceivedRequest, hashAlgorithm: HashAlgorithm): string[] {
  const declared = declaredOrComputedPayloadHash(request, hashAlgorithm);
  if (request.body.length > 0) return [declared];
  const emptyBodyHash = bodyHash(request, hashAlgorithm);
  return declared !== emptyBodyHash ? [declared, emptyBodyHash] : [declared];
}

/** The hash of an empty body (every GET's) is computed once per algorithm. */
const EMPTY_BODY_HASHES = new Map<HashAlgorithm, string>();
function bodyHash(request: ReceivedRequest, hashAlgorithm: HashAlgorithm): string {
  if (request.body.length > 0) return hexDigest(hashAlgorithm, request.body);
  let digest = EMPTY_BODY_HASHES.get(hashAlgorithm);
  if (digest === undefined) {
    digest = hexDigest(hashAlgorithm, '');
    EMPTY_BODY_HASHES.set(hashAlgorithm, digest);
  }
  return digest;
}

/** One-shot hashing (crypto.hash) makes no Hash object: half the cost of createHash for a short text. */
function hexDigest(hashAlgorithm: HashAlgorithm, data: Buffer | string): string {
  return hash(hashAlgorithm, data, 'hex');
}

function hexHmac(hashAlgorithm: HashAlgorithm, key: KeyObject | string, data: string): string {
  return createHmac(hashAlgorithm, key).update(data, 'utf8').digest('hex');
}

/** Secret keys as key objects, made once: an HMAC over a string key converts it on every call. */
const SIGNING_KEYS = new Map<string, KeyObject>();
function signingKey(secretKey: string): KeyObject {
  let key = SIGNING_KEYS.get(secretKey);
  if (key === undefined) {
    if (SIGNING_KEYS.size >= 1000) SIGNING_KEYS.clear();
    key = createSecretKey(Buffer.from(secretKey, 'utf8'));
    SIGNING_KEYS.set(secretKey, key);
  }
  return key;
}

// ---------------------------------------------------------------------------------------------------------
// Verification
// ---------------------------------------------------------------------------------------------------------

/**
 * Verifies a parsed AK/SK signature against the request as received (spec §2.6 steps 3, 4 and 6).
 * `now` is the server clock; a request whose X-Sdk-Date is more than `maxSkewMs` away is 'expired'.
 */
export function verifyAkSkSignature(
  request: ReceivedRequest,
  authorization: ParsedAuthorization,
  secretKey: string,
  now: Date,
  maxSkewMs: number,
): SignatureVerdict {
  const hashAlgorithm = hashAlgorithmOf(authorization.algorithm);
  if (!AVAILABLE_HASHES.has(hashAlgorithm)) {
    return malformed(`signing algorithm ${authorization.algorithm} is not supported by this server`);
  }
  if (authorization.algorithm === 'V11-HMAC-SHA256' && !authorization.scope) {
    return malformed('V11-HMAC-SHA256 authorization lacks a credential scope');
  }

  const signedHeaders = authorization.signedHeaders.map((name) => name.toLowerCase());
  const dateIndex = signedHeaders.indexOf(DATE_HEADER);
  if (dateIndex < 0) return malformed('x-sdk-date must be a signed header');
  const values: string[] = [];
  for (const name of signedHeaders) {
    const value = headerValue(request.headers, name);
    if (value === undefined) return malformed(`signed header ${name} is missing from the request`);
    values.push(value);
  }

  const sdkDate = values[dateIndex]!;
  const signedAt = parseSdkDate(sdkDate);
  if (!signedAt) return malformed(`invalid X-Sdk-Date: ${sdkDate}, expected format YYYYMMDDTHHMMSSZ`);
  if (Math.abs(now.getTime() - signedAt.getTime()) > maxSkewMs) {
    return {
      ok: false,
      reason: 'expired',
      message: `signature expired, signature time:${sdkDate},server time:${formatSdkDate(now)}`,
    };
  }

  const payloadHashes = candidatePayloadHashes(request, hashAlgorithm);
  const signatureMatches = canonicalQueries(splitRequestTarget(request.rawUrl).query).some((query) => {
    const canonicalWithoutPayloadHash = canonicalRequestWithoutPayloadHash(request, signedHeaders, values, query);
    return payloadHashes.some((payloadHash) => {
      const canonical = canonicalWithoutPayloadHash + payloadHash;
      const expected = computeSignature(authorization, secretKey, sdkDate, canonical, hashAlgorithm);
      return constantTimeEquals(expected, authorization.signature);
    });
  });
  return signatureMatches ? { ok: true } : { ok: false, reason: 'mismatch', message: 'verify aksk signature fail' };
}

function hashAlgorithmOf(algorithm: SigningAlgorithm): HashAlgorithm {
  return algorithm === 'SDK-HMAC-SM3' ? 'sm3' : 'sha256';
}

function malformed(message: string): SignatureVerdict {
  return { ok: false, reason: 'malformed', message };
}

/** String to sign (3 lines, or 4 with the scope for V11) and its HMAC under the algorithm's key. */
function computeSignature(
  authorization: ParsedAuthorization,
  secretKey: string,
  sdkDate: string,
  canonical: string,
  hashAlgorithm: HashAlgorithm,
): string {
  const canonicalHash = hexDigest(hashAlgorithm, canonical);
  if (authorization.algorithm === 'V11-HMAC-SHA256') {
    const scope = authorization.scope ?? '';
    const stringToSign = [authorization.algorithm, sdkDate, scope, canonicalHash].join('\n');
    return hexHmac('sha256', derivedSigningKey(secretKey, authorization.accessKey, scope), stringToSign);
  }
  const stringToSign = [authorization.algorithm, sdkDate, canonicalHash].join('\n');
  return hexHmac(hashAlgorithm, signingKey(secretKey), stringToSign);
}

/** V11 key: the SDKs use the lower-case hex *text* of HKDF-SHA256(SK, salt=AK, info=scope) as HMAC key. */
function derivedSigningKey(secretKey: string, accessKey: string, scope: string): string {
  return Buffer.from(hkdfSync('sha256', secretKey, accessKey, scope, 32)).toString('hex');
}

/** Constant-time comparison; strings of different byte length are simply unequal. */
function constantTimeEquals(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(received, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
