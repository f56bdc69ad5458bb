import type { Db } from './database.js';
import { prepareQuery } from './preparedQuery.js';
import { inTransaction, numberOrNull } from './dialect.js';
import type { CredentialRole } from '../auth/credentials.js';

export interface AccessKeyRow {
  accessKey: string;
  projectId: string;
  role: CredentialRole;
  secretCiphertext: string;
  description: string | null;
  createdAt: number;
  revokedAt: number | null;
}

export interface TokenRow {
  accessKey: string;
  projectId: string;
  methods: string[];
  issuedAt: number;
  expiresAt: number;
}

/** Projects, access keys and issued tokens. */
export function createCredentialStore(db: Db) {
  // Every authenticated request looks its key up: built once.
  const selectAccessKey = prepareQuery(1, (accessKey: string) => db.selectFrom('access_keys').selectAll().where('access_key', '=', accessKey));
  return {
    async ensureProject(projectId: string, name: string, now: number): Promise<void> {
      await db
        .insertInto('projects')
        .values({ project_id: projectId, name, created_at: now })
        .onConflict((conflict) => conflict.column('project_id').doNothing())
        .execute();
    },

    async findProject(projectId: string): Promise<{ projectId: string; name: string } | undefined> {
      const row = await db.selectFrom('projects').select(['project_id', 'name']).where('project_id', '=', projectId).executeTakeFirst();
      return row && { projectId: row.project_id, name: row.name };
    },

    async countProjects(): Promise<number> {
      const row = await db.selectFrom('projects').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
      return Number(row.count);
    },

    /** Inserts the key, or replaces its secret, project and role and un-revokes it (provisioning is idempotent). */
    async upsertAccessKey(key: Omit<AccessKeyRow, 'revokedAt'>): Promise<void> {
      await db
        .insertInto('access_keys')
        .values({
          access_key: key.accessKey,
          project_id: key.projectId,
          role: key.role,
          secret_ciphertext: key.secretCiphertext,
          description: key.description,
          created_at: key.createdAt,
          revoked_at: null,
        })
        .onConflict((conflict) =>
          conflict.column('access_key').doUpdateSet({
            project_id: key.projectId,
            role: key.role,
            secret_ciphertext: key.secretCiphertext,
            revoked_at: null,
          }),
        )
        .execute();
    },

    async findAccessKey(accessKey: string): Promise<AccessKeyRow | undefined> {
      const [row] = await selectAccessKey(db, accessKey);
      return row && toAccessKeyRow(row);
    },

    async listAccessKeys(projectId?: string): Promise<AccessKeyRow[]> {
      let query = db.selectFrom('access_keys').selectAll().orderBy('created_at').orderBy('access_key');
      if (projectId) query = query.where('project_id', '=', projectId);
      return (await query.execute()).map(toAccessKeyRow);
    },

    /** Returns false when no such key exists. Revoking also ends every token issued to the key. */
    async revokeAccessKey(accessKey: string, now: number): Promise<boolean> {
      return inTransaction(db, async (trx) => {
        const result = await trx
          .updateTable('access_keys')
          .set({ revoked_at: now })
          .where('access_key', '=', accessKey)
          .where('revoked_at', 'is', null)
          .executeTakeFirst();
        await trx.deleteFrom('auth_tokens').where('access_key', '=', accessKey).execute();
        if (Number(result.numUpdatedRows) > 0) return true;
        return (await trx.selectFrom('access_keys').select('access_key').where('access_key', '=', accessKey).executeTakeFirst()) !== undefined;
      });
    },

    async insertToken(tokenHash: string, token: TokenRow): Promise<void> {
      await db
        .insertInto('auth_tokens')
        .values({
          token_hash: tokenHash,
          access_key: token.accessKey,
          project_id: token.projectId,
          methods: JSON.stringify(token.methods),
          issued_at: token.issuedAt,
          expires_at: token.expiresAt,
        })
        .execute();
    },

    async findToken(tokenHash: string): Promise<TokenRow | undefined> {
      const row = await db.selectFrom('auth_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      return (
        row && {
          accessKey: row.access_key,
          projectId: row.project_id,
          methods: JSON.parse(row.methods) as string[],
          issuedAt: Number(row.issued_at),
          expiresAt: Number(row.expires_at),
        }
      );
    },

    async deleteExpiredTokens(now: number): Promise<void> {
      await db.deleteFrom('auth_tokens').where('expires_at', '<', now).execute();
    },
  };
}

export type CredentialStore = ReturnType<typeof createCredentialStore>;

function toAccessKeyRow(row: {
  access_key: string;
  project_id: string;
  role: string;
  secret_ciphertext: string;
  description: string | null;
  created_at: number;
  revoked_at: number | null;
}): AccessKeyRow {
  return {
    accessKey: row.access_key,
    projectId: row.project_id,
    role: row.role as CredentialRole,
    secretCiphertext: row.secret_ciphertext,
    description: row.description,
    createdAt: Number(row.created_at),
    revokedAt: numberOrNull(row.revoked_at),
  };
}
