import { Type } from '@sinclair/typebox';
import type { Authenticate } from '../../../auth/authenticator.js';
import type { EmulatorService } from '../../../domain/emulatorService.js';

export interface EmulatorRouteDeps {
  emulator: EmulatorService;
  authenticate: Authenticate;
}

/** Registered only in emulator mode; admin credentials only. */
export const EMULATOR_PATH = '/v1/emulator';
export const TAGS = ['Emulator'];

export const EmulatorClockView = Type.Object({
  now: Type.String({ description: 'The virtual time (RFC 3339, milliseconds).' }),
  offset_seconds: Type.Number({ description: 'How far the virtual clock is ahead of the system time, in seconds.' }),
});
