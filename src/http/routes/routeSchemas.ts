import { Type } from '@sinclair/typebox';
import { ErrorResponse } from '../../domain/wireSchemas.js';

/** Error bodies: `request_id` appears on gateway (routing and authentication) errors only. */
const ErrorBody = Type.Object({
  ...ErrorResponse.properties,
  request_id: Type.Optional(Type.String({ description: 'Request ID (gateway errors only).' })),
});

/**
 * What any request may be answered before a route runs (Node's HTTP parser, the router), in the
 * gateway's shape: every route declares these, since a client cannot tell where the answer came from.
 */
export const GATEWAY_RESPONSES = {
  400: { ...ErrorBody, description: 'Unreadable request or URL, e.g. a bad percent-escape or a path segment over 100 characters (APIG.0201).' },
  408: { ...ErrorBody, description: 'The request did not arrive in time (APIG.0201).' },
  431: { ...ErrorBody, description: 'URL or headers over 16 KiB (APIG.0201).' },
};

/** The error answers of every authenticated route, for its response schemas. */
export const ERROR_RESPONSES = {
  ...GATEWAY_RESPONSES,
  400: { ...ErrorBody, description: 'Invalid request, or not allowed in the job\'s state.' },
  401: { ...ErrorBody, description: 'Missing or failed authentication.' },
  403: { ...ErrorBody, description: 'The credential may not call this API.' },
  404: { ...ErrorBody, description: 'No such job (or not visible to this caller), or no such API.' },
  409: { ...ErrorBody, description: 'The job changed while the request ran.' },
  413: { ...ErrorBody, description: 'Body too large.' },
  429: { ...ErrorBody, description: 'Too many failed authentications with this access key from this address, or from this address, within the window: refused until it has passed (APIG.0308).' },
  500: { ...ErrorBody, description: 'Internal error.' },
};

/** The security requirement every authenticated route declares in the OpenAPI document. */
export const SECURITY: Array<Record<string, string[]>> = [{ akskAuth: [] }, { tokenAuth: [] }];

/** The tenant routes' optional X-App-UserId header, declared so that the OpenAPI document shows it. */
export const APP_USER_HEADERS = Type.Object({
  'x-app-userid': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '^[!-~]+$',
      description: "Third-party user id: only that app user's jobs are seen and made (printable ASCII without spaces, at most 64 characters).",
    }),
  ),
});
