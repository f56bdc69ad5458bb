import { sql, type RawBuilder, type SqlBool } from 'kysely';

/** `column LIKE '%text%'` with LIKE's wildcards in the user's text matching themselves (SQLite and PostgreSQL). */
export function contains(column: string, text: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} like ${`%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`} escape '\\'`;
}
