/**
 * The error catalogue: every error the server answers with, by name. Code throws `new ApiError(name)`;
 * one renderer (http/plugins/errors.ts) turns it into the wire body. `docs/errors.md` lists the same
 * table for users.
 *
 * - `gateway` errors happen before the MetaStudio handler runs (routing, size, authentication), and
 *   use the cloud API gateway's codes and body shape (`request_id` included).
 * - `api` errors are MetaStudio's: `MSS.*` codes. Codes from `MSS.2*` are ours, for cases whose
 *   cloud codes are not published.
 */
export const ERROR_CATALOGUE = {
  // Gateway (routing, size, authentication).
  ROUTE_NOT_FOUND: { kind: 'gateway', status: 404, code: 'APIG.0101', message: 'The API does not exist or has not been published in the environment.' },
  METHOD_NOT_ALLOWED: { kind: 'gateway', status: 404, code: 'APIG.0101', message: 'The API does not exist.' },
  BODY_TOO_LARGE: { kind: 'gateway', status: 413, code: 'APIG.0201', message: 'Request entity too large.' },
  MALFORMED_REQUEST: { kind: 'gateway', status: 400, code: 'APIG.0201', message: 'API request error.' },
  REQUEST_TIMEOUT: { kind: 'gateway', status: 408, code: 'APIG.0201', message: 'Request timeout.' },
  HEADERS_TOO_LARGE: { kind: 'gateway', status: 431, code: 'APIG.0201', message: 'Request header fields too large.' },
  AUTH_MISSING: { kind: 'gateway', status: 401, code: 'APIG.0301', message: 'Incorrect IAM authentication information: x-auth-token not found' },
  AUTH_MALFORMED: { kind: 'gateway', status: 401, code: 'APIG.0301', message: 'Incorrect IAM authentication information: malformed authorization' },
  // The three below take the gateway's detail text ("Get secretKey failed,ak:…", "signature expired, …",
  // "verify aksk signature fail…") after the colon.
  AUTH_UNKNOWN_ACCESS_KEY: { kind: 'gateway', status: 401, code: 'APIG.0301', message: 'Incorrect IAM authentication information' },
  AUTH_SIGNATURE_EXPIRED: { kind: 'gateway', status: 401, code: 'APIG.0301', message: 'Incorrect IAM authentication information' },
  AUTH_SIGNATURE_MISMATCH: { kind: 'gateway', status: 401, code: 'APIG.0301', message: 'Incorrect IAM authentication information' },
  AUTH_TOKEN_INVALID: { kind: 'gateway', status: 401, code: 'APIG.0301', message: 'Incorrect IAM authentication information: decrypt token fail' },
  AUTH_TOKEN_EXPIRED: { kind: 'gateway', status: 401, code: 'APIG.0307', message: 'The token must be updated.' },
  AUTH_THROTTLED: { kind: 'gateway', status: 429, code: 'APIG.0308', message: 'The throttling threshold has been reached' },
  AUTH_ROLE_FORBIDDEN: { kind: 'gateway', status: 403, code: 'APIG.0306', message: 'API access denied: this credential may not call this API' },

  // MetaStudio: request problems.
  INVALID_BODY: { kind: 'api', status: 400, code: 'MSS.00000002', message: 'Invalid body' },
  INVALID_PARAMETER: { kind: 'api', status: 400, code: 'MSS.00000003', message: 'Invalid parameter' },
  PROJECT_MISMATCH: { kind: 'api', status: 400, code: 'MSS.00010009', message: 'urlTenantId is not equal tokenTenantId' },
  REQUEST_JSON_EXCEPTION: { kind: 'api', status: 400, code: 'MSS.10000002', message: 'Request JSON exception' },
  PARAMETER_VALIDATION: { kind: 'api', status: 400, code: 'MSS.10000003', message: 'Parameter validation abnormal' },
  FILE_NOT_FOUND: { kind: 'api', status: 404, code: 'MSS.10001004', message: 'The file not found' },
  INTERNAL_ERROR: { kind: 'api', status: 500, code: 'MSS.00000004', message: 'Internal Error' },

  // MetaStudio: our codes for training-job rules.
  JOB_NOT_FOUND: { kind: 'api', status: 404, code: 'MSS.20010001', message: 'Training job not found' },
  STATE_NOT_ALLOWED: { kind: 'api', status: 400, code: 'MSS.20010002', message: "Operation not allowed in the job's current state" },
  REQUIRED_FILE_MISSING: { kind: 'api', status: 400, code: 'MSS.20010003', message: 'Required file not uploaded' },
  MULTIPART_INCOMPLETE: { kind: 'api', status: 400, code: 'MSS.20010004', message: 'Training video parts missing' },
  STATE_CHANGED_CONCURRENTLY: { kind: 'api', status: 409, code: 'MSS.20010005', message: 'The job changed while this request ran; read it again and retry' },
  NO_OPEN_UPLOAD: { kind: 'api', status: 400, code: 'MSS.20010006', message: 'No multipart upload is open for this file' },
  MULTIPART_PART_TOO_SMALL: {
    kind: 'api',
    status: 400,
    code: 'MSS.20010007',
    message: 'Every part but the last must be at least 5 MiB (object store limit); upload the video in fewer parts',
  },
  MODEL_NOT_COMPILED: { kind: 'api', status: 400, code: 'MSS.20010008', message: 'The job has no compiled model yet' },

  // Video jobs (the 2D digital-human video family) and their audio files.
  VIDEO_JOB_NOT_FOUND: { kind: 'api', status: 404, code: 'MSS.20040001', message: 'Video job not found' },
  VIDEO_MODEL_NOT_FOUND: { kind: 'api', status: 404, code: 'MSS.20040002', message: 'Model asset not found' },
  VIDEO_MODEL_NOT_READY: { kind: 'api', status: 400, code: 'MSS.20040003', message: 'The model asset is not a finished model' },
  VIDEO_SETTING_UNSUPPORTED: { kind: 'api', status: 400, code: 'MSS.20040004', message: 'Not supported by this renderer' },
  AUDIO_URL_REFUSED: { kind: 'api', status: 400, code: 'MSS.20040005', message: 'Audio URL refused' },
  AUDIO_FETCH_FAILED: { kind: 'api', status: 400, code: 'MSS.20040006', message: 'Audio could not be fetched' },
  AUDIO_INVALID: { kind: 'api', status: 400, code: 'MSS.20040007', message: 'Audio not usable' },
  AUDIO_FILE_NOT_FOUND: { kind: 'api', status: 404, code: 'MSS.20040008', message: 'Audio file not found' },
  VIDEO_JOB_TOO_LARGE: { kind: 'api', status: 400, code: 'MSS.20040009', message: 'The video job asks for more speech than one job may have' },
  VIDEO_JOBS_LIMIT: { kind: 'api', status: 400, code: 'MSS.20040010', message: 'Too many unfinished video jobs in this project' },

  VIDEO_MODEL_UNAVAILABLE: { kind: 'api', status: 400, code: 'MSS.20040011', message: 'The model asset is not usable' },
  AUDIO_STORAGE_FULL: { kind: 'api', status: 413, code: 'MSS.20040012', message: "The project's audio files would exceed its storage limit" },

  // The asset library.
  ASSET_NOT_FOUND: { kind: 'api', status: 404, code: 'MSS.10001001', message: 'Asset not found' },
  ASSET_NAME_EXISTS: { kind: 'api', status: 400, code: 'MSS.10001005', message: 'Asset name already exists' },
  ASSET_MAIN_FILE_EXISTS: { kind: 'api', status: 400, code: 'MSS.10001008', message: 'Asset main file already exists' },
  ASSET_STATE_NOT_ALLOWED: { kind: 'api', status: 400, code: 'MSS.20060001', message: "Operation not allowed in the asset's current state" },

  // Voices.
  VOICE_NOT_FOUND: { kind: 'api', status: 404, code: 'MSS.20050001', message: 'Voice not found' },
  VOICE_SAMPLE_FAILED: { kind: 'api', status: 503, code: 'MSS.20050002', message: 'The voice sample could not be made' },

  // Live sessions (intelligent interaction). MSS.20010135 is the cloud's own code for this refusal
  // (its status is not published); the MSS.20070* codes are ours.
  LIVE_ROOM_NOT_FOUND: { kind: 'api', status: 404, code: 'MSS.20070001', message: 'Smart chat room not found' },
  LIVE_JOB_NOT_FOUND: { kind: 'api', status: 404, code: 'MSS.20070002', message: 'Smart chat job not found' },
  LIVE_ROOM_BUSY: { kind: 'api', status: 400, code: 'MSS.20070003', message: 'The room has jobs that have not ended' },
  LIVE_CONCURRENCY_EXHAUSTED: { kind: 'api', status: 400, code: 'MSS.20010135', message: 'Not enough dialog resources' },
  LIVE_ACCESS_INVALID: { kind: 'api', status: 403, code: 'MSS.20070004', message: 'Dialog link or one-time code not valid' },
  LIVE_ACCESS_EXPIRED: { kind: 'api', status: 403, code: 'MSS.20070005', message: 'Dialog link or one-time code expired' },
  LIVE_ACCESS_USED: { kind: 'api', status: 403, code: 'MSS.20070006', message: 'Dialog link or one-time code already used' },

  // Pipeline work (worker API).
  WORK_NOT_FOUND: { kind: 'api', status: 404, code: 'MSS.20030001', message: 'Stage work not found' },
  LEASE_LOST: { kind: 'api', status: 409, code: 'MSS.20030002', message: 'The lease on this work is no longer held (expired, cancelled or finished)' },

  // Signed upload and download URLs.
  URL_SIGNATURE_INVALID: { kind: 'api', status: 403, code: 'MSS.20020001', message: 'URL signature does not match' },
  URL_EXPIRED: { kind: 'api', status: 403, code: 'MSS.20020002', message: 'URL expired' },
  UPLOAD_URL_USED: { kind: 'api', status: 403, code: 'MSS.20020003', message: 'Upload URL already used' },
  UPLOAD_TOO_LARGE: { kind: 'api', status: 413, code: 'MSS.20020004', message: 'Upload too large' },
  UPLOAD_INCOMPLETE: { kind: 'api', status: 400, code: 'MSS.20020005', message: 'Upload ended before all bytes arrived' },
} as const satisfies Record<string, { kind: 'gateway' | 'api'; status: number; code: string; message: string }>;

export type ErrorName = keyof typeof ERROR_CATALOGUE;

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly kind: 'gateway' | 'api';

  /** `detail` is appended to the catalogue message after a colon, as the cloud does. */
  constructor(
    readonly errorName: ErrorName,
    readonly detail?: string,
  ) {
    const entry = ERROR_CATALOGUE[errorName];
    super(detail ? `${entry.message}: ${detail}` : entry.message);
    this.status = entry.status;
    this.code = entry.code;
    this.kind = entry.kind;
  }
}
