import type { Db } from './database.js';

/**
 * Records `value` under `name` the first time any node asks, and returns what is recorded: the
 * first node's value wins, and every later node learns whether it agrees.
 */
export async function settleInstallationSetting(db: Db, name: string, value: string): Promise<string> {
  await db.insertInto('installation_settings').values({ name, value }).onConflict((conflict) => conflict.column('name').doNothing()).execute();
  const row = await db.selectFrom('installation_settings').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value;
}

/** The value recorded under `name`, or undefined. */
export async function readInstallationSetting(db: Db, name: string): Promise<string | undefined> {
  const row = await db.selectFrom('installation_settings').select('value').where('name', '=', name).executeTakeFirst();
  return row?.value;
}

/** Records `value` under `name`, replacing what was there. */
export async function writeInstallationSetting(db: Db, name: string, value: string): Promise<void> {
  await db.insertInto('installation_settings').values({ name, value }).onConflict((conflict) => conflict.column('name').doUpdateSet({ value })).execute();
}
