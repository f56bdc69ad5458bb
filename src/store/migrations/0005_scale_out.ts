import type { Kysely } from 'kysely';

/**
 * Several nodes on one database and one object store: uploads that go straight to the store (the
 * key of each URL, the store's multipart upload), and settings every node must agree on.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('upload_slots').addColumn('direct_key', 'text').execute();
  await db.schema.alterTable('multipart_uploads').addColumn('store_upload_id', 'text').execute();
  await db.schema.alterTable('multipart_uploads').addColumn('blob_key', 'text').execute();
  await db.schema
    .createTable('installation_settings')
    .addColumn('name', 'text', (column) => column.primaryKey())
    .addColumn('value', 'text', (column) => column.notNull())
    .execute();
}
