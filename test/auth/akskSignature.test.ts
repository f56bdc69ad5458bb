/**
 * Tests for the AK/SK signature verifier: every test vector of spec/auth-and-conventions.md §3, negative
 * cases, and a live round trip through the official npm signer (@huaweicloud/huaweicloud-sdk-core).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, getHashes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify as stringifyQuery } from 'node:querystring';
import {
  canonicalRequest,
  parseAuthorization,
  parseSdkDate,
  verifyAkSkSignature,
  type ParsedAuthorization,
  type ReceivedRequest,
  type SignatureVerdict,
} from '../../src/auth/akskSignature.js';

const AK = 'AKTESTEXAMPLE0000001';
const SK = 'SKtestExampleSecretKey0000000000000000001';
const PROJECT_ID = '0123456789abcdef0123456789abcdef';
const FIFTEEN_MINUTES = 15 * 60 * 1000;
const MINUTE = 60 * 1000;
const SM3_MISSING = getHashes().includes('sm3')
  ? false
  : 'this Node/OpenSSL build has no sm3 digest, so SDK-HMAC-SM3 is reported as unsupported';

interface Vector {
  title: string;
  accessKey: string;
  secretKey: string;
  /** The spec's "request as received" block: request line, headers, blank line, body. */
  received: string;
  /** Bytes that follow the block's body text (the spec says so in prose for V10). */
  bodySuffix?: string;
  canonical: string;
  stringToSign: string;
}

// Copied verbatim from spec/auth-and-conventions.md §3.
const VECTORS: Vector[] = [
  {
    title: "V0 — Official documentation example (reproduces the published signature)",
    accessKey: 'QTWAOYTTINDUT2QVKYUC',
    secretKey: 'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc',
    received: `GET /v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0
content-type: application/json
X-Sdk-Date: 20191115T033655Z
host: service.region.example.com
Authorization: SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe`,
    canonical: `GET
/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/
limit=2&marker=13551d6b-755d-4757-b956-536f674975c0
content-type:application/json
host:service.region.example.com
x-sdk-date:20191115T033655Z

content-type;host;x-sdk-date
e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855`,
    stringToSign: `SDK-HMAC-SHA256
20191115T033655Z
b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a`,
  },
  {
    title: "V1 — GET list, no query",
    accessKey: AK,
    secretKey: SK,
    received: `GET /v1/0123456789abcdef0123456789abcdef/digital-human-training-manage/user/jobs
content-type: application/json
X-Project-Id: 0123456789abcdef0123456789abcdef
X-Sdk-Date: 20240101T120000Z
host: 127.0.0.1:8080
Authorization: SDK-HMAC-SHA256 Access=AKTESTEXAMPLE0000001, SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature=d12fc54538338021ec5da43c991940517816c3b29ad71a60ab44495c33b8a78e`,
    canonical: `GET
/v1/0123456789abcdef0123456789abcdef/digital-human-training-manage/user/jobs/

content-type:application/json
host:127.0.0.1:8080
x-project-id:0123456789abcdef0123456789abcdef
x-sdk-date:20240101T120000Z

content-type;host;x-project-id;x-sdk-date
e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855`,
    stringToSign: `SDK-HMAC-SHA256
20240101T120000Z
9381a3f7aff3a04ae364ffa4e81349057ab4dcf6db514f9fa38459fb8d4dfcb1`,
  },
  {
    title: "V2 — GET list with query needing encoding (space, plus, Chinese, reserved chars, repeated key)",
    accessKey: AK,
    secretKey: SK,
    received: `GET /v1/0123456789abcdef0123456789abcdef/digital-human-training-manage/user/jobs?name=my%20model%20%E6%A8%A1%E5%9E%8B&tag=a%20b&tag=b&tag=%E4%B8%AD%E6%96%87&sort_dir=desc&offset=0&limit=10&batch_name=x%2By%2Fz!(*)'
content-type: application/json
X-Project-Id: 0123456789abcdef0123456789abcdef
X-App-UserId: user-01
X-Sdk-Date: 20240101T120000Z
host: 127.0.0.1:8080
Authorization: SDK-HMAC-SHA256 Access=AKTESTEXAMPLE0000001, SignedHeaders=content-type;host;x-app-userid;x-project-id;x-sdk-date, Signature=bd57f02a1ffe7a82f70f69dbffa1d89d3dbfdedfc4d2888a7fe8ec43c6dc8b09`,
    canonical: `GET
/v1/0123456789abcdef0123456789abcdef/digital-human-training-manage/user/jobs/
batch_name=x%2By%2Fz%21%28%2A%29%27&limit=10&name=my%20model%20%E6%A8%A1%E5%9E%8B&offset=0&sort_dir=desc&tag=a%20b&tag=b&tag=%E4%B8%AD%E6%96%87
content-type:application/json
host:127.0.0.1:8080
x-app-userid:user-01
x-project-id:0123456789abcdef0123456789abcdef
x-sdk-date:20240101T120000Z

content-type;host;x-app-userid;x-project-id;x-sdk-date
e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855`,
    stringToSign: `SDK-HMAC-SHA256
20240101T120000Z
5a43b2796ff8b2b67c23635a063b6bb0cbe04e61d63c46ad65c2c9b30802bb59`,
  },
  {
    title: "V3 — POST create with JSON body",
    accessKey: AK,
    secretKey: SK,
    received: `POST /v1/0123456789abcdef0123456789abcdef/digital-human-training-manage/user/jobs
content-type: application/json
X-Project-Id: 0123456789abcdef0123456789abcdef
X-App-UserId: user-01
X-Sdk-Date: 20240101T120000Z
host: 127.0.0.1:8080
Authorization: SDK-HMAC-SHA256 Access=AKTESTEXAMPLE0000001, SignedHeaders=content-type;host;x-app-userid;x-project-id;x-sdk-date, Signature=1f5e553e2e9690626f9d3aa8f2c28570bb0c3ec5e71ebd820433799f16ac7edb

{"name":"demo-model","contact":"13800000000","command":"UPLOAD_DATA","tags":["a","b"]}`,
    canonical: `POST
/v1/0123456789abcdef0123456789abcdef/digital-human-training-manage/user/jobs/

content-type:application/json
host:127.0.0.1:8080
x-app-userid:user-01
x-project-id:0123456789abcdef0123456789abcdef
x-sdk-date:20240101T120000Z

content-type;host;x-app-userid;x-project-id;x-sdk-date
6d13ff2515d47299b6c86406e62e7ba30c0debbf0ec6dbe5caebe60c24d39c55`,
    stringToSign: `SDK-HMAC-SHA256
20240101T120000Z
f0ece4686e3e70935f7c4bfbb723fb700edbfa8c410d512465bf5d1bec17ed49`,
  },
  {
    title: "V4 — GET one job, path given with a trailing slash",
    accessKey: AK,
    secretKey: SK,
    received: `GET /v1/0123456789abcdef0123456789abcdef/digital-human-training-manage/user/jobs/7f3c2a10-0000-4000-8000-000000000001
content-type: application/json
X-Project-Id: 0123456789abcdef0123456789abcdef
X-Sdk-Date: 20240101T120000Z
host: 127.0.0.1:8080
Authorization: SDK-HMAC-SHA256 Access=AKTESTEXAMPLE0000001, SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature=f92f37abe994a79b8a495da63e31decb53596d34deede5b65efc6d015c48cc57`,
    canonical: `GET
/v1/0123456789abcdef0123456789abcdef/digital-human-training-manage/user/jobs/7f3c2a10-0000-4000-8000-000000000001/

content-type:application/json
host:127.0.0.1:8080
x-project-id:0123456789abcdef0123456789abcdef
x-sdk-date:20240101T120000Z

content-type;host;x-project-id;x-sdk-date
e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855`,
    stringToSign: `SDK-HMAC-SHA256
20240101T120000Z
edd3b1b9fa437b7dfb8fcd3911bb328548a140f6f170d0cf7cfdb8fa96cb0b4a`,
  },
  {
    title: "V5 — GET one job, same path without the trailing slash (same canonical URI as V4)",
    accessKey: AK,
    secretKey: SK,
    received: `GET /v1/0123456789abcdef0123456789abcdef/digital-human-training-manage/user/jobs/7f3c2a10-0000-4000-8000-000000000001
content-type: application/json
X-Project-Id: 0123456789abcdef0123456789abcdef
X-Sdk-Date: 20240101T120000Z
host: 127.0.0.1:8080
Authorization: SDK-HMAC-SHA256 Access=AKTESTEXAMPLE0000001, SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature=f92f37abe994a79b8a495da63e31decb53596d34deede5b65efc6d015c48cc57`,
    canonical: `GET
/v1/0123456789abcdef0123456789abcdef/digital-human-training-manage/user/jobs/7f3c2a10-0000-4000-8000-000000000001/

content-type:application/json
host:127.0.0.1:8080
x-project-id:0123456789abcdef0123456789abcdef
x-sdk-date:20240101T120000Z

content-type;host;x-project-id;x-sdk-date
e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855`,
    stringToSign: `SDK-HMAC-SHA256
20240101T120000Z
edd3b1b9fa437b7dfb8fcd3911bb328548a140f6f170d0cf7cfdb8fa96cb0b4a`,
  },
  {
    title: "V6 — DELETE one job (no body)",
    accessKey: AK,
    secretKey: SK,
    received: `DELETE /v1/0123456789abcdef0123456789abcdef/digital-human-training-manage/user/jobs/7f3c2a10-0000-4000-8000-000000000001
content-type: application/json
X-Project-Id: 0123456789abcdef0123456789abcdef
X-Sdk-Date: 20240101T120000Z
host: 127.0.0.1:8080
Authorization: SDK-HMAC-SHA256 Access=AKTESTEXAMPLE0000001, SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature=ac2b01a8bb52f73153874ce0e019c6101f62bb10f8b77de03ff929e6eb0f8298`,
    canonical: `DELETE
/v1/0123456789abcdef0123456789abcdef/digital-human-training-manage/user/jobs/7f3c2a10-0000-4000-8000-000000000001/

content-type:application/json
host:127.0.0.1:8080
x-project-id:0123456789abcdef0123456789abcdef
x-sdk-date:20240101T120000Z

content-type;host;x-project-id;x-sdk-date
e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855`,
    stringToSign: `SDK-HMAC-SHA256
20240101T120000Z
de577ea84dc0cd4be1c72d5c859747bb75b50b045054fc2d51b588d56b0b717a`,
  },
  {
    title: "V7 — POST command with JSON body and X-App-UserId",
    accessKey: AK,
    secretKey: SK,
    received: `POST /v1/0123456789abcdef0123456789abcdef/digital-human-training-manage/user/jobs/7f3c2a10-0000-4000-8000-000000000001/command
content-type: application/json
X-Project-Id: 0123456789abcdef0123456789abcdef
X-App-UserId: user-01
X-Sdk-Date: 20240101T120000Z
host: 127.0.0.1:8080
Authorization: SDK-HMAC-SHA256 Access=AKTESTEXAMPLE0000001, SignedHeaders=content-type;host;x-app-userid;x-project-id;x-sdk-date, Signature=af1d755262baecc188b71e7b2699bff476a5a83ee1abcdfbf1e437e1a27e9615

{"command":"SUBMITVERIFYING"}`,
    canonical: `POST
/v1/0123456789abcdef0123456789abcdef/digital-human-training-manage/user/jobs/7f3c2a10-0000-4000-8000-000000000001/command/

content-type:application/json
host:127.0.0.1:8080
x-app-userid:user-01
x-project-id:0123456789abcdef0123456789abcdef
x-sdk-date:20240101T120000Z

content-type;host;x-app-userid;x-project-id;x-sdk-date
e161bf24d16dc1a24f436548f82c41820b995d5b5e2a2ca3a702158d7e0a2af6`,
    stringToSign: `SDK-HMAC-SHA256
20240101T120000Z
fe4d5150f00574fe040bc414fa0eed68d02fc226cb8d850eb788fcb51feb4d23`,
  },
  {
    title: "V8 — Non-JSON body: X-Sdk-Content-Sha256 UNSIGNED-PAYLOAD",
    accessKey: AK,
    secretKey: SK,
    received: `PUT /v1/0123456789abcdef0123456789abcdef/digital-human-training-manage/user/jobs/7f3c2a10-0000-4000-8000-000000000001
content-type: application/octet-stream
X-Project-Id: 0123456789abcdef0123456789abcdef
X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD
X-Sdk-Date: 20240101T120000Z
host: 127.0.0.1:8080
Authorization: SDK-HMAC-SHA256 Access=AKTESTEXAMPLE0000001, SignedHeaders=content-type;host;x-project-id;x-sdk-content-sha256;x-sdk-date, Signature=50c6fcc33376aa16fe955a78d3d4021ac56aa278d6bf3be04f5c47f87b441467

raw-bytes`,
    canonical: `PUT
/v1/0123456789abcdef0123456789abcdef/digital-human-training-manage/user/jobs/7f3c2a10-0000-4000-8000-000000000001/

content-type:application/octet-stream
host:127.0.0.1:8080
x-project-id:0123456789abcdef0123456789abcdef
x-sdk-content-sha256:UNSIGNED-PAYLOAD
x-sdk-date:20240101T120000Z

content-type;host;x-project-id;x-sdk-content-sha256;x-sdk-date
UNSIGNED-PAYLOAD`,
    stringToSign: `SDK-HMAC-SHA256
20240101T120000Z
e23aa80e73a6f6dfb5bd9a5cedf699069147dee61c3b07f4a28de78ee89b815b`,
  },
  {
    title: "V9 — Derived-key variant V11-HMAC-SHA256 (region cn-north-4, service metastudio)",
    accessKey: AK,
    secretKey: SK,
    received: `GET /v1/0123456789abcdef0123456789abcdef/digital-human-training-manage/user/jobs
content-type: application/json
X-Project-Id: 0123456789abcdef0123456789abcdef
X-Sdk-Date: 20240101T120000Z
host: 127.0.0.1:8080
Authorization: V11-HMAC-SHA256 Credential=AKTESTEXAMPLE0000001/20240101/cn-north-4/metastudio, SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature=92adc887bec2a50e3cc13e91cd81ebc7251fa118afbf800eaa8d9d6771760389`,
    canonical: `GET
/v1/0123456789abcdef0123456789abcdef/digital-human-training-manage/user/jobs/

content-type:application/json
host:127.0.0.1:8080
x-project-id:0123456789abcdef0123456789abcdef
x-sdk-date:20240101T120000Z

content-type;host;x-project-id;x-sdk-date
e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855`,
    stringToSign: `V11-HMAC-SHA256
20240101T120000Z
20240101/cn-north-4/metastudio
9381a3f7aff3a04ae364ffa4e81349057ab4dcf6db514f9fa38459fb8d4dfcb1`,
  },
  {
    title: "V10 — Constructed (not SDK output): Go-SDK-shaped POST, host and content-type unsigned, body ends with a newline",
    accessKey: AK,
    secretKey: SK,
    // The spec's body is followed by exactly one LF byte, part of the hashed payload.
    bodySuffix: '\n',
    received: `POST /v1/0123456789abcdef0123456789abcdef/digital-human-training-manage/user/jobs
host: 127.0.0.1:8080
content-type: application/json
user-agent: huaweicloud-usdk-go/3.0
x-project-id: 0123456789abcdef0123456789abcdef
x-sdk-date: 20240101T120000Z
authorization: SDK-HMAC-SHA256 Access=AKTESTEXAMPLE0000001, SignedHeaders=user-agent;x-project-id;x-sdk-date, Signature=a9a89c4a905195dac890ee73b23633f67c93ed222da0288abe5e1d01916d59b5

{"name":"demo-model","contact":"13800000000"}`,
    canonical: `POST
/v1/0123456789abcdef0123456789abcdef/digital-human-training-manage/user/jobs/

user-agent:huaweicloud-usdk-go/3.0
x-project-id:0123456789abcdef0123456789abcdef
x-sdk-date:20240101T120000Z

user-agent;x-project-id;x-sdk-date
ecf3121491d55a21c91daf7938ba1f7c872ec8b65ff01faeed1c33d6282b7cc6`,
    stringToSign: `SDK-HMAC-SHA256
20240101T120000Z
c0174cfe846516a9c3dd53507d15ec30d39333ce03cd3331f1d00fa3548498a3`,
  },
  {
    title: "V11 — Constructed (not SDK output): SDK-HMAC-SM3 form of V1, as the Go and Python SDKs would build it",
    accessKey: AK,
    secretKey: SK,
    received: `GET /v1/0123456789abcdef0123456789abcdef/digital-human-training-manage/user/jobs
content-type: application/json
x-project-id: 0123456789abcdef0123456789abcdef
x-sdk-date: 20240101T120000Z
host: 127.0.0.1:8080
authorization: SDK-HMAC-SM3 Access=AKTESTEXAMPLE0000001, SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature=08190831326c6c0846e10ebd27970419a136abf825a4e8766313094d55d291d2`,
    canonical: `GET
/v1/0123456789abcdef0123456789abcdef/digital-human-training-manage/user/jobs/

content-type:application/json
host:127.0.0.1:8080
x-project-id:0123456789abcdef0123456789abcdef
x-sdk-date:20240101T120000Z

content-type;host;x-project-id;x-sdk-date
1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b`,
    stringToSign: `SDK-HMAC-SM3
20240101T120000Z
f0de225b755961f31d78ef25cc4d19422f42a872a2758d108f8e428d9e5c345d`,
  },
];

// ---------------------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------------------

/** Turns a "request as received" block into what Node would hand the server (lower-case header names). */
function receivedRequest(block: string, bodySuffix = ''): ReceivedRequest {
  const lines = block.split('\n');
  const [method, rawUrl] = (lines.shift() ?? '').split(' ') as [string, string];
  const headers: Record<string, string> = {};
  let line: string | undefined;
  while ((line = lines.shift()) !== undefined && line !== '') {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const bodyText = lines.length > 0 ? lines.join('\n') + bodySuffix : '';
  return { method, rawUrl, headers, body: Buffer.from(bodyText, 'utf8') };
}

function parsed(value: string | string[] | undefined): ParsedAuthorization {
  assert.equal(typeof value, 'string', 'authorization header present');
  const result = parseAuthorization(value as string);
  if ('error' in result) assert.fail(`parseAuthorization failed: ${result.error}`);
  return result;
}

function hashOf(authorization: ParsedAuthorization): 'sha256' | 'sm3' {
  return authorization.algorithm === 'SDK-HMAC-SM3' ? 'sm3' : 'sha256';
}

function signingTime(request: ReceivedRequest): Date {
  const date = parseSdkDate(String(request.headers['x-sdk-date']));
  assert.ok(date, 'x-sdk-date parses');
  return date;
}

function vector(prefix: string): { request: ReceivedRequest; authorization: ParsedAuthorization; v: Vector } {
  const v = VECTORS.find((candidate) => candidate.title.startsWith(`${prefix} `));
  assert.ok(v, `vector ${prefix} exists`);
  const request = receivedRequest(v.received, v.bodySuffix);
  return { request, authorization: parsed(request.headers['authorization']), v };
}

function verifyAt(request: ReceivedRequest, authorization: ParsedAuthorization, secretKey: string, now: Date): SignatureVerdict {
  return verifyAkSkSignature(request, authorization, secretKey, now, FIFTEEN_MINUTES);
}

function assertRejected(verdict: SignatureVerdict, reason: 'malformed' | 'expired' | 'mismatch'): string {
  assert.equal(verdict.ok, false, 'request must be rejected');
  if (verdict.ok) throw new Error('unreachable');
  assert.equal(verdict.reason, reason, verdict.message);
  return verdict.message;
}

const sha256Hex = (text: string | Buffer): string => createHash('sha256').update(text).digest('hex');

// ---------------------------------------------------------------------------------------------------------
// spec §3 vectors
// ---------------------------------------------------------------------------------------------------------

for (const v of VECTORS) {
  const needsSm3 = v.received.includes('SDK-HMAC-SM3');
  test(`vector ${v.title}`, { skip: needsSm3 && SM3_MISSING }, () => {
    const request = receivedRequest(v.received, v.bodySuffix);
    const authorization = parsed(request.headers['authorization']);
    assert.equal(authorization.accessKey, v.accessKey);

    const canonical = canonicalRequest(request, authorization.signedHeaders, hashOf(authorization));
    assert.equal(canonical, v.canonical);
    // The last line of the string to sign is the canonical-request hash: guards the transcription too.
    const canonicalHash = createHash(hashOf(authorization)).update(canonical).digest('hex');
    assert.equal(canonicalHash, v.stringToSign.split('\n').at(-1));

    assert.deepEqual(verifyAt(request, authorization, v.secretKey, signingTime(request)), { ok: true });
  });
}

test('V9 authorization parses into access key and scope', () => {
  const { authorization } = vector('V9');
  assert.equal(authorization.algorithm, 'V11-HMAC-SHA256');
  assert.equal(authorization.accessKey, AK);
  assert.equal(authorization.scope, '20240101/cn-north-4/metastudio');
  assert.deepEqual(authorization.signedHeaders, ['content-type', 'host', 'x-project-id', 'x-sdk-date']);
});

test('V10 without its trailing LF no longer verifies (raw bytes are hashed)', () => {
  const { request, authorization } = vector('V10');
  const trimmed = { ...request, body: request.body.subarray(0, request.body.length - 1) };
  assertRejected(verifyAt(trimmed, authorization, SK, signingTime(request)), 'mismatch');
});

// ---------------------------------------------------------------------------------------------------------
// negative and edge cases
// ---------------------------------------------------------------------------------------------------------

test('wrong secret key -> mismatch', () => {
  const { request, authorization } = vector('V1');
  const message = assertRejected(verifyAt(request, authorization, `${SK}x`, signingTime(request)), 'mismatch');
  assert.equal(message, 'verify aksk signature fail');
});

test('body changed by one byte -> mismatch', () => {
  const { request, authorization } = vector('V3');
  const body = Buffer.from(request.body);
  body[body.length - 2] = 'X'.charCodeAt(0);
  assertRejected(verifyAt({ ...request, body }, authorization, SK, signingTime(request)), 'mismatch');
});

test('X-Sdk-Date 16 minutes off either way -> expired, with the gateway wording', () => {
  const { request, authorization } = vector('V1');
  const signedAt = signingTime(request).getTime();
  const late = assertRejected(verifyAt(request, authorization, SK, new Date(signedAt + 16 * MINUTE)), 'expired');
  assert.equal(late, 'signature expired, signature time:20240101T120000Z,server time:20240101T121600Z');
  const early = assertRejected(verifyAt(request, authorization, SK, new Date(signedAt - 16 * MINUTE)), 'expired');
  assert.equal(early, 'signature expired, signature time:20240101T120000Z,server time:20240101T114400Z');
});

test('X-Sdk-Date 14 minutes off either way -> ok; exactly 15 minutes -> ok', () => {
  const { request, authorization } = vector('V1');
  const signedAt = signingTime(request).getTime();
  for (const offset of [14 * MINUTE, -14 * MINUTE, FIFTEEN_MINUTES, -FIFTEEN_MINUTES]) {
    assert.deepEqual(verifyAt(request, authorization, SK, new Date(signedAt + offset)), { ok: true }, `offset ${offset}`);
  }
});

test('x-sdk-date not among the signed headers -> malformed', () => {
  const { request, authorization } = vector('V1');
  const unsigned = { ...authorization, signedHeaders: authorization.signedHeaders.filter((name) => name !== 'x-sdk-date') };
  assertRejected(verifyAt(request, unsigned, SK, signingTime(request)), 'malformed');
});

test('X-Sdk-Date in the wrong format -> malformed', () => {
  const { request, authorization } = vector('V1');
  const isoDated = { ...request, headers: { ...request.headers, 'x-sdk-date': '2024-01-01T12:00:00Z' } };
  assertRejected(verifyAt(isoDated, authorization, SK, signingTime(request)), 'malformed');
});

test('a signed header missing from the request -> malformed', () => {
  const { request, authorization } = vector('V1');
  const headers = { ...request.headers };
  delete headers['host'];
  const message = assertRejected(verifyAt({ ...request, headers }, authorization, SK, signingTime(request)), 'malformed');
  assert.match(message, /host/);
});

test('signature of a different length -> mismatch, no throw', () => {
  const { request, authorization } = vector('V1');
  for (const signature of [authorization.signature.slice(0, -1), `${authorization.signature}00`, '', '中文']) {
    assertRejected(verifyAt(request, { ...authorization, signature }, SK, signingTime(request)), 'mismatch');
  }
});

test('unknown algorithm and missing parts -> parse error', () => {
  for (const value of [
    'SDK-ECDSA-P256-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=00',
    'HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=00',
    'Bearer abc',
    'SDK-HMAC-SHA256',
    'SDK-HMAC-SHA256 SignedHeaders=host;x-sdk-date, Signature=00',
    'SDK-HMAC-SHA256 Access=AK, Signature=00',
    'SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date',
    'V11-HMAC-SHA256 Credential=AK/20240101/cn-north-4, SignedHeaders=host;x-sdk-date, Signature=00',
    'V11-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=00',
  ]) {
    const result = parseAuthorization(value);
    assert.ok('error' in result, `expected a parse error for ${value}`);
  }
});

test('authorization parsing tolerates extra whitespace and field order', () => {
  const result = parseAuthorization('  SDK-HMAC-SHA256   Signature=abc ,SignedHeaders=Host;X-Sdk-Date,Access=AK1  ');
  assert.deepEqual(result, { algorithm: 'SDK-HMAC-SHA256', accessKey: 'AK1', signedHeaders: ['host', 'x-sdk-date'], signature: 'abc' });
});

test('parseSdkDate accepts only real YYYYMMDDTHHMMSSZ instants', () => {
  assert.equal(parseSdkDate('20240101T120000Z')?.toISOString(), '2024-01-01T12:00:00.000Z');
  assert.equal(parseSdkDate('20240229T235959Z')?.toISOString(), '2024-02-29T23:59:59.000Z');
  for (const bad of ['20240230T120000Z', '20241301T120000Z', '20240101T126000Z', '20240101T120000', '2024-01-01T12:00:00Z', '']) {
    assert.equal(parseSdkDate(bad), undefined, bad);
  }
});

test('Chinese UTF-8 header value delivered latin1-decoded (as Node does) verifies', () => {
  // "渠" is U+6E20 = E6 B8 A0: its last byte is latin1 NBSP, which a naive trim() would strip.
  const value = '中文 模型渠';
  const canonical = [
    'GET',
    `/v1/${PROJECT_ID}/digital-human-training-manage/user/jobs/`,
    '',
    'host:127.0.0.1:8080',
    `x-note:${value}`,
    'x-sdk-date:20240101T120000Z',
    '',
    'host;x-note;x-sdk-date',
    sha256Hex(''),
  ].join('\n');
  const stringToSign = ['SDK-HMAC-SHA256', '20240101T120000Z', sha256Hex(canonical)].join('\n');
  const signature = createHmac('sha256', SK).update(stringToSign).digest('hex');
  const request: ReceivedRequest = {
    method: 'GET',
    rawUrl: `/v1/${PROJECT_ID}/digital-human-training-manage/user/jobs`,
    headers: {
      host: '127.0.0.1:8080',
      'x-note': Buffer.from(value, 'utf8').toString('latin1'),
      'x-sdk-date': '20240101T120000Z',
    },
    body: Buffer.alloc(0),
  };
  const authorization = parsed(`SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=host;x-note;x-sdk-date, Signature=${signature}`);
  assert.equal(canonicalRequest(request, authorization.signedHeaders, 'sha256'), canonical);
  assert.deepEqual(verifyAt(request, authorization, SK, signingTime(request)), { ok: true });
});

test('canonical query: valueless names, literal plus, Go-style encoding, sorting by decoded text', () => {
  const request: ReceivedRequest = {
    method: 'GET',
    rawUrl: '/v1/p/jobs?tag=b&flag&tag=a+b&name=x%2By&%E4%B8%AD=1&tag=%61&z=%zz',
    headers: {},
    body: Buffer.alloc(0),
  };
  const lines = canonicalRequest(request, [], 'sha256').split('\n');
  assert.equal(lines[1], '/v1/p/jobs/');
  assert.equal(lines[2], 'flag=&name=x%2By&tag=a&tag=a%2Bb&tag=b&z=%25zz&%E4%B8%AD=1');
});

test("a repeated key's values signed in the order sent (the Java SDK's way) verify too; other orders do not", () => {
  const headers = { host: '127.0.0.1:8080', 'x-sdk-date': '20240101T120000Z' };
  const request: ReceivedRequest = { method: 'GET', rawUrl: '/v1/p/assets?asset_id=b2&limit=5&asset_id=a1&asset_id=c3', headers, body: Buffer.alloc(0) };
  const signedHeaders = ['host', 'x-sdk-date'];
  const signedOver = (query: string): ParsedAuthorization => {
    const canonical = `GET\n/v1/p/assets/\n${query}\nhost:127.0.0.1:8080\nx-sdk-date:20240101T120000Z\n\nhost;x-sdk-date\n${sha256Hex('')}`;
    const stringToSign = ['SDK-HMAC-SHA256', '20240101T120000Z', sha256Hex(canonical)].join('\n');
    const signature = createHmac('sha256', SK).update(stringToSign).digest('hex');
    return { algorithm: 'SDK-HMAC-SHA256', accessKey: AK, signedHeaders, signature };
  };
  const at = signingTime(request);
  assert.deepEqual(verifyAt(request, signedOver('asset_id=a1&asset_id=b2&asset_id=c3&limit=5'), SK, at), { ok: true });
  assert.deepEqual(verifyAt(request, signedOver('asset_id=b2&asset_id=a1&asset_id=c3&limit=5'), SK, at), { ok: true });
  assertRejected(verifyAt(request, signedOver('asset_id=c3&asset_id=b2&asset_id=a1&limit=5'), SK, at), 'mismatch');
  assertRejected(verifyAt(request, signedOver('asset_id=b2&asset_id=a1&limit=5'), SK, at), 'mismatch');
});

test('canonical URI: decode then re-encode each segment, root path and double encoding', () => {
  const uriOf = (rawUrl: string): string =>
    canonicalRequest({ method: 'GET', rawUrl, headers: {}, body: Buffer.alloc(0) }, [], 'sha256').split('\n')[1] ?? '';
  assert.equal(uriOf('/'), '/');
  assert.equal(uriOf('/v1/a%20b/c'), '/v1/a%20b/c/');
  assert.equal(uriOf("/v1/it's/%7Bx%7D"), '/v1/it%27s/%7Bx%7D/');
  assert.equal(uriOf('/v1/%e4%b8%ad/'), '/v1/%E4%B8%AD/');
  assert.equal(uriOf('http://127.0.0.1:8080/v1/jobs?x=1'), '/v1/jobs/');
});

test('empty body with X-Sdk-Content-Sha256: both the declared value and the empty-body hash verify', () => {
  const { request: base } = vector('V1');
  const headers = { ...base.headers, 'x-sdk-content-sha256': 'UNSIGNED-PAYLOAD' };
  const request = { ...base, headers };
  const signedHeaders = ['content-type', 'host', 'x-project-id', 'x-sdk-content-sha256', 'x-sdk-date'];
  for (const payloadHash of ['UNSIGNED-PAYLOAD', sha256Hex('')]) {
    const canonical = canonicalRequest(request, signedHeaders, 'sha256').replace(/UNSIGNED-PAYLOAD$/, payloadHash);
    const stringToSign = ['SDK-HMAC-SHA256', '20240101T120000Z', sha256Hex(canonical)].join('\n');
    const signature = createHmac('sha256', SK).update(stringToSign).digest('hex');
    const authorization: ParsedAuthorization = { algorithm: 'SDK-HMAC-SHA256', accessKey: AK, signedHeaders, signature };
    assert.deepEqual(verifyAt(request, authorization, SK, signingTime(request)), { ok: true }, payloadHash);
  }
});

test('V8 with a tampered body still verifies (UNSIGNED-PAYLOAD), but a tampered content-type does not', () => {
  const { request, authorization } = vector('V8');
  assert.deepEqual(verifyAt({ ...request, body: Buffer.from('other') }, authorization, SK, signingTime(request)), { ok: true });
  const headers = { ...request.headers, 'content-type': 'text/plain' };
  assertRejected(verifyAt({ ...request, headers }, authorization, SK, signingTime(request)), 'mismatch');
});

// ---------------------------------------------------------------------------------------------------------
// live round trip through the official npm signer and a real loopback HTTP server
// ---------------------------------------------------------------------------------------------------------

// The SDK writes ~/.huaweicloud/application_id when a client is built: keep it out of the real home.
const sdkHome = mkdtempSync(join(tmpdir(), 'avatarforge-aksk-'));
process.env['HOME'] = sdkHome;
process.env['USERPROFILE'] = sdkHome;

interface Verification {
  verdict: SignatureVerdict;
  method: string;
  rawUrl: string;
  body: string;
}

/** A loopback server that verifies every request it receives and answers with the verdict as JSON. */
async function startVerifyingServer(): Promise<{ server: Server; port: number }> {
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received: ReceivedRequest = { method: req.method ?? '', rawUrl: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      const authorization = parseAuthorization(String(req.headers['authorization'] ?? ''));
      const verdict: SignatureVerdict =
        'error' in authorization
          ? { ok: false, reason: 'malformed', message: authorization.error }
          : verifyAkSkSignature(received, authorization, SK, new Date(), FIFTEEN_MINUTES);
      const reply: Verification = { verdict, method: received.method, rawUrl: received.rawUrl, body: received.body.toString('utf8') };
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': '0'.repeat(32) });
      res.end(JSON.stringify(reply));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** Sends headers exactly as the signer returned them, query serialised the way the SDK's HTTP client does. */
function send(port: number, method: string, path: string, query: string, headers: Record<string, string>, body: Buffer): Promise<Verification> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method, path: query ? `${path}?${query}` : path, headers: { ...headers, 'content-length': String(body.length) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Verification));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

test('live: requests signed by the npm core AKSKSigner verify after a real HTTP hop', async (t) => {
  const { AKSKSigner } = await import('@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js');
  const { DerivedAKSKSigner } = await import('@huaweicloud/huaweicloud-sdk-core/auth/DerivedAKSKSigner.js');
  const { BasicCredentials } = await import('@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials.js');
  const credentials = new BasicCredentials().withAk(AK).withSk(SK).withProjectId(PROJECT_ID);
  const { server, port } = await startVerifyingServer();
  t.after(() => server.close());
  const jobsPath = `/v1/${PROJECT_ID}/digital-human-training-manage/user/jobs`;

  const cases: Array<{ name: string; method: string; path: string; queryParams: Record<string, string | string[]>; headers: Record<string, string>; body?: Buffer; data?: unknown; derived?: boolean }> = [
    {
      name: 'GET with awkward query (repeated keys, Chinese, reserved characters)',
      method: 'GET',
      path: jobsPath,
      queryParams: { name: 'my model 模型', tag: ['中文', 'b', 'a b', 'a+b'], batch_name: "x+y/z!(*)'~", empty: '', offset: '0', limit: '10' },
      headers: { 'content-type': 'application/json', 'X-Project-Id': PROJECT_ID, 'X-App-UserId': 'user-01' },
    },
    {
      name: 'POST with a JSON body',
      method: 'POST',
      path: jobsPath,
      queryParams: {},
      headers: { 'content-type': 'application/json', 'X-Project-Id': PROJECT_ID },
      data: { name: 'demo-model 数字人', contact: '13800000000', command: 'UPLOAD_DATA', tags: ['a', 'b'] },
    },
    {
      name: 'PUT with an unsigned non-JSON payload',
      method: 'PUT',
      path: `${jobsPath}/7f3c2a10-0000-4000-8000-000000000001`,
      queryParams: {},
      headers: { 'content-type': 'application/octet-stream', 'X-Project-Id': PROJECT_ID, 'X-Sdk-Content-Sha256': 'UNSIGNED-PAYLOAD' },
      body: Buffer.from([0x00, 0xff, 0x10, 0x0a]),
    },
    {
      name: 'GET signed with the derived-key V11-HMAC-SHA256 signer',
      method: 'GET',
      path: `${jobsPath}/7f3c2a10-0000-4000-8000-000000000001`,
      queryParams: { verbose: 'true' },
      headers: { 'content-type': 'application/json', 'X-Project-Id': PROJECT_ID },
      derived: true,
    },
  ];

  for (const c of cases) {
    await t.test(c.name, async () => {
      const body = c.body ?? (c.data === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(c.data), 'utf8'));
      const signRequest = { method: c.method, endpoint: `http://127.0.0.1:${port}${c.path}`, headers: { ...c.headers }, queryParams: c.queryParams, data: c.data };
      let signed: Record<string, string>;
      if (c.derived) {
        const derivedCredentials = new BasicCredentials().withAk(AK).withSk(SK).withProjectId(PROJECT_ID);
        derivedCredentials.processDerivedAuthParams('metastudio', 'cn-north-4');
        signed = DerivedAKSKSigner.sign(signRequest, derivedCredentials) as Record<string, string>;
        assert.match(signed['Authorization'] ?? '', /^V11-HMAC-SHA256 Credential=/);
      } else {
        signed = AKSKSigner.sign(signRequest, credentials) as Record<string, string>;
      }
      // The signer sorts repeated values in place; serialising afterwards matches what the SDK client sends.
      const reply = await send(port, c.method, c.path, stringifyQuery(c.queryParams), signed, body);
      assert.deepEqual(reply.verdict, { ok: true }, `${reply.method} ${reply.rawUrl}`);
      assert.equal(reply.body, body.toString('utf8'));
    });
  }
});

test('live: the npm core HcClient (ClientBuilder + sendRequest) is accepted end to end', async (t) => {
  const { ClientBuilder } = await import('@huaweicloud/huaweicloud-sdk-core/ClientBuilder.js');
  const { BasicCredentials } = await import('@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials.js');
  const { server, port } = await startVerifyingServer();
  t.after(() => {
    server.close();
    rmSync(sdkHome, { recursive: true, force: true });
  });
  const credentials = new BasicCredentials().withAk(AK).withSk(SK).withProjectId(PROJECT_ID);
  const client = new ClientBuilder((hcClient) => hcClient).withCredential(credentials).withEndpoint(`http://127.0.0.1:${port}`).build();

  const list = (await client.sendRequest({
    method: 'GET',
    url: '/v1/{project_id}/digital-human-training-manage/user/jobs',
    contentType: 'application/json',
    pathParams: {},
    queryParams: { offset: 0, limit: 10, state: 'WAIT_FILE_UPLOAD', name: '模型 a+b', tag: ['z', '中', 'a b'] },
    headers: { 'X-App-UserId': 'app-user-1' },
  })) as unknown as Verification;
  assert.deepEqual(list.verdict, { ok: true }, list.rawUrl);

  const create = (await client.sendRequest({
    method: 'POST',
    url: '/v1/{project_id}/digital-human-training-manage/user/jobs',
    contentType: 'application/json',
    pathParams: {},
    queryParams: {},
    headers: { 'X-App-UserId': 'app-user-1' },
    data: { name: 'demo-model', contact: '13800000000', command: 'UPLOAD_DATA' },
  })) as unknown as Verification;
  assert.deepEqual(create.verdict, { ok: true }, create.rawUrl);
  assert.equal(create.body, '{"name":"demo-model","contact":"13800000000","command":"UPLOAD_DATA"}');
});
