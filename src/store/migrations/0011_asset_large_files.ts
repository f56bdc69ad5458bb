import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../dialect.js';

/**
 * Large files of the tenant's own assets (CreateLargeFile): a file uploaded in parts has a
 * `part_count`, and no MD5 (the API takes none) and perhaps no size until it is confirmed, when both
 * are those of the bytes that arrived. `file_md5` and `file_size` become nullable for that (SQLite:
 * by rebuilding the table, which nothing references).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (isPostgres(db)) {
    await sql`alter table asset_files alter column file_md5 drop not null`.execute(db);
    await sql`alter table asset_files alter column file_size drop not null`.execute(db);
    await db.schema.alterTable('asset_files').addColumn('part_count', 'integer').execute();
    return;
  }
  await db.schema
    .createTable('asset_files_rebuilt')
    .addColumn('file_id', 'text', (column) => column.primaryKey())
    .addColumn('asset_id', 'text', (column) => column.notNull())
    .addColumn('file_name', 'text', (column) => column.notNull())
    .addColumn('file_md5', 'text')
    .addColumn('file_size', 'bigint')
    .addColumn('file_type', 'text', (column) => column.notNull())
    .addColumn('category', 'text', (column) => column.notNull())
    .addColumn('state', 'text', (column) => column.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .addColumn('part_count', 'integer')
    .execute();
  await sql`insert into asset_files_rebuilt (file_id, asset_id, file_name, file_md5, file_size, file_type, category, state, reason, created_at)
    select file_id, asset_id, file_name, file_md5, file_size, file_type, category, state, reason, created_at from asset_files`.execute(db);
  await db.schema.dropTable('asset_files').execute();
  await sql`alter table asset_files_rebuilt rename to asset_files`.execute(db);
  await db.schema.createIndex('asset_files_by_asset').on('asset_files').columns(['asset_id']).execute();
}
