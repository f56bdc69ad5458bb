import fs from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import { ConfigError } from './config.js';
import { EmulatorSettingsInput, resolveEmulatorSettings, type EmulatorSettings } from './domain/emulatorSettings.js';

/**
 * Reads the emulator's scenario file (AVATARFORGE_EMULATOR_SCENARIO): JSON shaped like the body of
 * PUT /v1/emulator/settings. Anything wrong with it stops the start with a message naming the file.
 */
export function loadEmulatorScenario(file: string): EmulatorSettings {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`AVATARFORGE_EMULATOR_SCENARIO: cannot read ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`AVATARFORGE_EMULATOR_SCENARIO: ${file} is not JSON: ${(error as Error).message}`);
  }
  const firstError = Value.Errors(EmulatorSettingsInput, parsed).First();
  if (firstError) {
    throw new ConfigError(`AVATARFORGE_EMULATOR_SCENARIO: ${file} is not valid emulator settings: ${firstError.path || '/'} ${firstError.message}`);
  }
  const resolved = resolveEmulatorSettings(parsed as EmulatorSettingsInput);
  if ('problem' in resolved) throw new ConfigError(`AVATARFORGE_EMULATOR_SCENARIO: ${file}: ${resolved.problem}`);
  return resolved.settings;
}
