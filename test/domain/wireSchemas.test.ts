/**
 * Drift guard: our enums and TypeBox wire schemas against spec/training-jobs.openapi.yaml.
 * Run from the repository root (the spec path is resolved from process.cwd()).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';

import * as enums from '../../src/domain/enums.js';
import {
  INT32_MAX,
  INT32_MIN,
  List2dModelTrainingJobQuery,
  Show2dModelTrainingJobResponse,
  WIRE_SCHEMAS,
  type WireSchemaName,
} from '../../src/domain/wireSchemas.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const spec: Json = parseYaml(readFileSync(resolve(process.cwd(), 'spec/training-jobs.openapi.yaml'), 'utf8'));
const components: Record<string, Json> = spec.components.schemas;

function deref(node: Json): Json {
  if (node && typeof node.$ref === 'string') {
    const name = node.$ref.replace('#/components/schemas/', '');
    const target = components[name];
    assert.ok(target, `unresolved $ref ${node.$ref}`);
    return target;
  }
  return node;
}

/** Property-level keywords override those of the referenced component (OpenAPI 3.1 $ref siblings). */
function resolved(node: Json): Json {
  if (node && typeof node.$ref === 'string') {
    const { $ref: _ref, ...siblings } = node;
    return { ...deref(node), ...siblings };
  }
  return node;
}

/** Flatten a spec schema (handles Show's allOf) into { properties, required }. */
function flatten(schema: Json): { properties: Record<string, Json>; required: string[] } {
  if (Array.isArray(schema.allOf)) {
    const properties: Record<string, Json> = {};
    const required: string[] = [];
    for (const part of schema.allOf) {
      const flat = flatten(deref(part));
      Object.assign(properties, flat.properties);
      required.push(...flat.required);
    }
    return { properties, required };
  }
  return { properties: schema.properties ?? {}, required: schema.required ?? [] };
}

function jsonType(node: Json): string {
  const r = resolved(node);
  if (typeof r.type === 'string') return r.type;
  if (r.properties || r.allOf) return 'object';
  throw new Error(`no type for ${JSON.stringify(node)}`);
}

const RANGE_KEYS = ['minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems'] as const;

const REQUEST_SCHEMAS = new Set<WireSchemaName>([
  'Create2dModelTrainingJobReq',
  'Update2dModelTrainingJobReq',
  'Execute2dModelTrainingCommandByUserReq',
  'ActionBasicSampleInfo',
  'CommentData',
]);

/** Properties we have that the OpenAPI file lacks, with the reason. */
const EXTRA_PROPERTIES: Partial<Record<WireSchemaName, string[]>> = {
  Show2dModelTrainingJobResponse: ['beauty_level'], // documented on the Show API reference page
};

// ---------------------------------------------------------------------------
// Enums
// ---------------------------------------------------------------------------

const ENUM_MAP: Array<[string, readonly string[]]> = [
  ['JobState', enums.JOB_STATES],
  ['LogType', enums.LOG_TYPES],
  ['OperateUser', enums.OPERATE_USERS],
  ['CommentType', enums.COMMENT_TYPES],
  ['MattingMethod', enums.MATTING_METHODS],
  ['ActionType', enums.ACTION_TYPES],
  ['ChargeMode', enums.CHARGE_MODES],
  ['AudioSourceType', enums.AUDIO_SOURCE_TYPES],
  ['ModelVersion', enums.MODEL_VERSIONS],
  ['MattingType', enums.MATTING_TYPES],
  ['ModelResolution', enums.MODEL_RESOLUTIONS],
  ['SupportedServiceEnum', enums.SUPPORTED_SERVICES],
  ['RotationState', enums.ROTATION_STATES],
  ['CommandMessage', enums.COMMAND_MESSAGES],
  ['Command', enums.COMMANDS],
  ['CommandResult', enums.COMMAND_RESULTS],
  ['VoiceJobTag', enums.VOICE_JOB_TAGS],
  ['VoiceSex', enums.VOICE_SEXES],
  ['VoiceLanguage', enums.VOICE_LANGUAGES],
];

test('every enum equals the spec list, in order', () => {
  for (const [name, ours] of ENUM_MAP) {
    const component = components[name];
    assert.ok(component, `spec has no schema ${name}`);
    // ModelResolution is a free string in the spec; its documented values are `examples`.
    const theirs = name === 'ModelResolution' ? component.examples : component.enum;
    assert.deepEqual([...ours], theirs, `enum ${name}`);
  }
  assert.equal(enums.JOB_STATES.length, 61);
  assert.equal(enums.LOG_TYPES.length, 101);
  assert.equal(enums.COMMANDS.length, 13);
  assert.deepEqual([...enums.LIST_SORT_KEYS], spec.components.parameters.SortKey.schema.enum);
  assert.deepEqual([...enums.SORT_DIRECTIONS], spec.components.parameters.SortDir.schema.enum);
});

test('every spec enum component is covered', () => {
  const specEnums = Object.entries(components)
    .filter(([, s]) => Array.isArray(s.enum) && !s.description?.startsWith('Historical'))
    .map(([n]) => n);
  const covered = new Set(ENUM_MAP.map(([n]) => n));
  for (const n of specEnums) assert.ok(covered.has(n), `enum ${n} not mirrored in enums.ts`);
});

test('wire misspellings are preserved', () => {
  const states: readonly string[] = enums.JOB_STATES;
  const logTypes: readonly string[] = enums.LOG_TYPES;
  const results: readonly string[] = enums.COMMAND_RESULTS;
  assert.ok(states.includes('BEAUTYFACE_ROCESSING'));
  assert.ok(states.includes('MANUL_STOP_ACTION_MARK'));
  assert.ok(logTypes.includes('USER_CREATE_JOD'));
  assert.ok(logTypes.includes('MANUL_STOP_ACTION_MARK'));
  assert.ok(results.includes('EXCUTE_SUCCESS'));
  assert.ok('traning_video_mark_info' in Show2dModelTrainingJobResponse.properties);
  assert.ok('commond_result' in WIRE_SCHEMAS.Execute2dModelTrainingCommandByUserResponse.properties);
  assert.ok('excute_failed_msg' in WIRE_SCHEMAS.Execute2dModelTrainingCommandByUserResponse.properties);
});

test('console status groups cover every state and agree with x-console-groups', () => {
  const groups = enums.CONSOLE_STATUS_GROUPS;
  assert.deepEqual(Object.keys(groups).sort(), [...enums.JOB_STATES].sort());
  for (const g of Object.values(groups)) assert.ok((enums.CONSOLE_STATUS_GROUP_KEYS as readonly string[]).includes(g));
  const documented: Record<string, string> = {
    pending_submission: 'PENDING_SUBMISSION',
    under_platform_review: 'UNDER_REVIEW',
    platform_review_not_passed: 'REVIEW_FAILED',
    training_in_progress: 'TRAINING',
    awaiting_user_acceptance_na_only: 'AWAITING_USER_ACCEPTANCE',
    rejected_by_user_na_only: 'REJECTED_BY_USER',
    completed: 'COMPLETED',
    suspended_na_only: 'SUSPENDED',
  };
  const specGroups: Record<string, string[]> = components.JobState['x-console-groups'];
  for (const [specKey, ourKey] of Object.entries(documented)) {
    assert.ok(specGroups[specKey], `x-console-groups.${specKey} missing`);
    for (const state of specGroups[specKey]) {
      assert.equal(groups[state as enums.JobState], ourKey, `${state} should be in ${ourKey}`);
    }
  }
});

// ---------------------------------------------------------------------------
// Object schemas
// ---------------------------------------------------------------------------

for (const [name, ours] of Object.entries(WIRE_SCHEMAS) as Array<[WireSchemaName, Json]>) {
  test(`${name}: properties, types, required, enums and ranges match the spec`, () => {
    const specSchema = components[name];
    assert.ok(specSchema, `spec has no schema ${name}`);
    const { properties: specProps, required: specRequired } = flatten(specSchema);
    const extras = EXTRA_PROPERTIES[name] ?? [];

    assert.equal(ours.type, 'object');
    assert.notEqual(ours.additionalProperties, false, 'additionalProperties must not be forbidden');
    assert.deepEqual(
      Object.keys(ours.properties).sort(),
      [...Object.keys(specProps), ...extras].sort(),
      `${name}: property names`,
    );
    assert.deepEqual([...(ours.required ?? [])].sort(), [...specRequired].sort(), `${name}: required`);

    for (const [prop, specProp] of Object.entries(specProps)) {
      const our = ours.properties[prop];
      const theirs = resolved(specProp);
      const where = `${name}.${prop}`;
      assert.equal(our.type, jsonType(specProp), `${where}: type`);

      if (theirs.type === 'array') {
        const specItems = resolved(theirs.items);
        assert.equal(our.items.type, jsonType(theirs.items), `${where}[]: item type`);
        if (specItems.enum) assert.deepEqual(our.items.enum, specItems.enum, `${where}[]: item enum`);
      }
      if (theirs.enum) assert.deepEqual(our.enum, theirs.enum, `${where}: enum`);
      else assert.equal(our.enum, undefined, `${where}: we must not invent an enum`);

      for (const key of RANGE_KEYS) {
        if (theirs[key] !== undefined) assert.equal(our[key], theirs[key], `${where}: ${key}`);
      }
      if (theirs.type === 'integer' && theirs.format === 'int32') {
        assert.ok(our.minimum !== undefined && our.minimum >= INT32_MIN, `${where}: int32 minimum`);
        assert.ok(our.maximum !== undefined && our.maximum <= INT32_MAX, `${where}: int32 maximum`);
      }
      assert.notEqual(our.format, 'int32', `${where}: no int32 format keyword (Ajv strict)`);
      assert.notEqual(our.format, 'int64', `${where}: no int64 format keyword (Ajv strict)`);

      if (REQUEST_SCHEMAS.has(name)) {
        assert.deepEqual(our.default, theirs.default, `${where}: default`);
      }
    }
  });
}

function collectDefaults(node: Json, path: string, out: string[]): void {
  if (!node || typeof node !== 'object') return;
  if (Object.prototype.hasOwnProperty.call(node, 'default')) out.push(path);
  for (const [k, v] of Object.entries(node)) collectDefaults(v, `${path}/${k}`, out);
}

test('response schemas carry no `default` (fast-json-stringify would emit it for absent fields)', () => {
  for (const [name, schema] of Object.entries(WIRE_SCHEMAS) as Array<[WireSchemaName, Json]>) {
    if (REQUEST_SCHEMAS.has(name)) continue;
    const found: string[] = [];
    collectDefaults(schema, name, found);
    // VoiceProperties is shared with requests but has no defaults either.
    assert.deepEqual(found, [], `${name} has default keywords`);
  }
});

test('Show: beauty_level and documented Show-page ranges', () => {
  const p: Json = Show2dModelTrainingJobResponse.properties;
  assert.equal(p.beauty_level.type, 'integer');
  assert.equal(p.beauty_level.minimum, 0);
  assert.equal(p.beauty_level.maximum, 3);
  assert.equal(p.flexus_retry_count.minimum, 0);
  assert.equal(p.flexus_retry_count.maximum, 10);
  const m: Json = WIRE_SCHEMAS.VerifyVideoMattingInfo.properties;
  assert.deepEqual([m.dx.minimum, m.dx.maximum, m.dy.minimum, m.dy.maximum], [0, 3840, 0, 3840]);
  assert.deepEqual([m.width.minimum, m.width.maximum, m.height.minimum, m.height.maximum], [1, 7680, 1, 7680]);
  const s: Json = WIRE_SCHEMAS.ActionSampleInfo.properties;
  assert.deepEqual([s.recommended_value.minimum, s.recommended_value.maximum], [0, 100]);
  assert.deepEqual(Show2dModelTrainingJobResponse.required, ['job_id', 'name', 'state']);
});

// ---------------------------------------------------------------------------
// List query
// ---------------------------------------------------------------------------

test('List2dModelTrainingJobQuery mirrors the List operation query parameters', () => {
  const op = spec.paths['/v1/{project_id}/digital-human-training-manage/user/jobs'].get;
  assert.equal(op.operationId, 'List2dModelTrainingJob');
  const params: Json[] = op.parameters
    .map((p: Json) => (p.$ref ? spec.components.parameters[p.$ref.replace('#/components/parameters/', '')] : p))
    .filter((p: Json) => p.in === 'query');
  const ours: Json = List2dModelTrainingJobQuery;
  assert.deepEqual(Object.keys(ours.properties).sort(), params.map((p) => p.name).sort());
  assert.deepEqual(ours.required ?? [], []);
  for (const p of params) {
    const our = ours.properties[p.name];
    const where = `query ${p.name}`;
    assert.equal(our.type, p.schema.type, `${where}: type`);
    assert.deepEqual(our.enum, p.schema.enum, `${where}: enum`);
    assert.deepEqual(our.default, p.schema.default, `${where}: default`);
    for (const key of RANGE_KEYS) {
      if (p.schema[key] !== undefined) assert.equal(our[key], p.schema[key], `${where}: ${key}`);
    }
  }
});

// ---------------------------------------------------------------------------
// Ajv strict compilation and the spec's own examples
// ---------------------------------------------------------------------------

function makeAjv() {
  const ajv = new AjvModule.default({ strict: true, allErrors: true });
  addFormatsModule.default(ajv);
  return ajv;
}

test('all schemas compile under Ajv strict mode', () => {
  const ajv = makeAjv();
  for (const [name, schema] of Object.entries({ ...WIRE_SCHEMAS, List2dModelTrainingJobQuery })) {
    assert.doesNotThrow(() => ajv.compile(schema), name);
  }
});

test('the spec examples validate against our schemas', () => {
  const ajv = makeAjv();
  const byName = WIRE_SCHEMAS as Record<string, Json>;
  let checked = 0;
  const check = (media: Json, where: string) => {
    const ref: string | undefined = media?.schema?.$ref;
    if (!ref || media.example === undefined) return;
    const name = ref.replace('#/components/schemas/', '');
    if (!byName[name]) return;
    const validate = ajv.compile(byName[name]);
    assert.ok(validate(media.example), `${where} example vs ${name}: ${ajv.errorsText(validate.errors)}`);
    checked++;
  };
  for (const [path, item] of Object.entries<Json>(spec.paths)) {
    for (const [method, op] of Object.entries<Json>(item)) {
      if (!op || typeof op !== 'object' || !op.responses) continue;
      check(op.requestBody?.content?.['application/json'], `${method} ${path} request`);
      for (const [status, resp] of Object.entries<Json>(op.responses)) {
        check(resp?.content?.['application/json'], `${method} ${path} ${status}`);
      }
    }
  }
  for (const [name, resp] of Object.entries<Json>(spec.components.responses ?? {})) {
    check(resp?.content?.['application/json'], `response ${name}`);
  }
  for (const [name, schema] of Object.entries<Json>(components)) {
    if (!byName[name] || !Array.isArray(schema.examples)) continue;
    const validate = ajv.compile(byName[name]);
    for (const ex of schema.examples) {
      assert.ok(validate(ex), `${name} schema example: ${ajv.errorsText(validate.errors)}`);
      checked++;
    }
  }
  assert.ok(checked >= 5, `only ${checked} examples checked`);
});

test('request limits reject what they should and accept unknown fields', () => {
  const ajv = makeAjv();
  const create = ajv.compile(WIRE_SCHEMAS.Create2dModelTrainingJobReq);
  assert.ok(create({ name: 'a', some_future_field: 1 }));
  assert.ok(!create({}));
  assert.ok(!create({ name: '' }));
  assert.ok(!create({ name: 'a', video_multipart_count: 0 }));
  assert.ok(!create({ name: 'a', video_multipart_count: 1001 }));
  assert.ok(!create({ name: 'a', command_message: 'NOPE' }));
  assert.ok(!create({ name: 'a', supported_service: ['VR_3D'] }));
  const cmd = ajv.compile(WIRE_SCHEMAS.Execute2dModelTrainingCommandByUserReq);
  assert.ok(cmd({ command: 'SUBMITVERIFYING' }));
  assert.ok(!cmd({}));
  assert.ok(!cmd({ command: 'submitverifying' }));
  const query = ajv.compile(List2dModelTrainingJobQuery);
  assert.ok(query({ offset: 0, limit: 100, sort_dir: 'desc' }));
  assert.ok(!query({ limit: 101 }));
  assert.ok(!query({ offset: -1 }));
});
