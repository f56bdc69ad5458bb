import { Type, type Static, type TObject, type TOptional } from '@sinclair/typebox';
import { STAGE_NAMES } from './pipelineStages.js';

/**
 * What the emulator lets a developer decide (docs/emulator.md), as data: for every stage family
 * (the pipeline's stages plus the human `manual_review`) when its step may happen and how it ends.
 * Pure: the emulator service keeps the current settings and asks `isStepDue` at claim time.
 */
export const STAGE_FAMILIES = [...STAGE_NAMES, 'manual_review'] as const;
export type StageFamily = (typeof STAGE_FAMILIES)[number];

export const Progress = Type.Union(
  [
    Type.Object({ mode: Type.Literal('immediate') }, { additionalProperties: false, description: 'The step happens as soon as a worker looks for it.' }),
    Type.Object(
      { mode: Type.Literal('after_reads'), reads: Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Tenant Show calls of the job needed after it entered the step.' }) },
      { additionalProperties: false },
    ),
    Type.Object(
      { mode: Type.Literal('after_seconds'), seconds: Type.Number({ minimum: 0, maximum: 365 * 86400, description: 'Seconds of the (virtual) clock after the job entered the step.' }) },
      { additionalProperties: false },
    ),
    Type.Object({ mode: Type.Literal('hold') }, { additionalProperties: false, description: 'Waits for POST /v1/emulator/jobs/{job_id}/release (or a settings change).' }),
  ],
  { description: 'When the step may happen.' },
);
export type Progress = Static<typeof Progress>;

export const ForcedOutcome = Type.Object(
  {
    outcome: Type.Union([Type.Literal('real'), Type.Literal('succeed'), Type.Literal('fail')], {
      description:
        'real: do the real work (manual_review: wait for a human reviewer); succeed: succeed without media work (manual_review: auto-approve); fail: fail the stage (manual_review: auto-reject).',
    }),
    message: Type.Optional(Type.String({ maxLength: 1024, description: 'Log description of the forced outcome (the failure reason, or the review opinion).' })),
    error_code: Type.Optional(Type.String({ maxLength: 64, description: 'error_code logged with a forced failure.' })),
  },
  { additionalProperties: false },
);
export type ForcedOutcome = Static<typeof ForcedOutcome>;

export const FamilySettings = Type.Object({ progress: Progress, outcome: ForcedOutcome }, { additionalProperties: false });
export type FamilySettings = Static<typeof FamilySettings>;

const familyProperties = <T extends TObject | TOptional<TObject>>(make: () => T) =>
  Object.fromEntries(STAGE_FAMILIES.map((family) => [family, make()])) as Record<StageFamily, T>;

/** The settings as the emulator holds and answers them: every family, both parts. */
export const EmulatorSettings = Type.Object({ stages: Type.Object(familyProperties(() => FamilySettings), { additionalProperties: false }) }, { additionalProperties: false });
export type EmulatorSettings = Static<typeof EmulatorSettings>;

/** The body of PUT /v1/emulator/settings and of a scenario file: what is left out takes its default (test_video_check: compile's). */
export const EmulatorSettingsInput = Type.Object(
  {
    stages: Type.Optional(
      Type.Object(
        familyProperties(() => Type.Optional(Type.Object({ progress: Type.Optional(Progress), outcome: Type.Optional(ForcedOutcome) }, { additionalProperties: false }))),
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type EmulatorSettingsInput = Static<typeof EmulatorSettingsInput>;

/** Every step immediate, every outcome real: the emulator behaves like the plain server. */
export const DEFAULT_FAMILY_SETTINGS: FamilySettings = { progress: { mode: 'immediate' }, outcome: { outcome: 'real' } };

/** The whole settings from an input, defaults filled in; a reason when the input asks for the impossible. */
export function resolveEmulatorSettings(input: EmulatorSettingsInput): { settings: EmulatorSettings } | { problem: string } {
  const stages = {} as Record<StageFamily, FamilySettings>;
  for (const family of STAGE_FAMILIES) {
    const given = input.stages?.[family];
    // The test-video check came after scenario files were written: left out, it goes as compile goes.
    const fallback = family === 'test_video_check' ? stages.compile : DEFAULT_FAMILY_SETTINGS;
    stages[family] = { progress: given?.progress ?? fallback.progress, outcome: given?.outcome ?? fallback.outcome };
  }
  // The asset sync has no failed state in the API: it is retried until it succeeds.
  if (stages.asset_sync.outcome.outcome === 'fail') return { problem: 'stages.asset_sync.outcome cannot be fail: the API has no failed state for the asset sync' };
  return { settings: { stages } };
}

export const DEFAULT_EMULATOR_SETTINGS: EmulatorSettings = (resolveEmulatorSettings({}) as { settings: EmulatorSettings }).settings;

/** What is known about a step waiting to happen, to decide whether its progress condition holds. */
export interface PendingStep {
  /** When the job entered the step (epoch ms of the virtual clock). */
  enteredAt: number;
  now: number;
  /** Tenant Show calls of the job since it entered the step. */
  readsSinceEntered: number;
  /** Released by POST /v1/emulator/jobs/{job_id}/release. */
  released: boolean;
}

export function isStepDue(progress: Progress, step: PendingStep): boolean {
  if (step.released) return true;
  switch (progress.mode) {
    case 'immediate':
      return true;
    case 'after_reads':
      return step.readsSinceEntered >= progress.reads;
    case 'after_seconds':
      return step.now >= step.enteredAt + progress.seconds * 1000;
    case 'hold':
      return false;
  }
}
