import type { Clock } from '../clock.js';
import type { CredentialStore } from '../store/credentialStore.js';
import { newId } from '../domain/ids.js';
import { newAccessKey, newSecretKey, type CredentialRole } from './credentials.js';
import type { SecretBox } from './secretBox.js';

export interface NewCredential {
  projectId: string;
  accessKey: string;
  secretKey: string;
  role: CredentialRole;
}

/** Creates an access key (and its project when none is named). The secret is returned once, never stored in clear. */
export async function createAccessKey(
  store: CredentialStore,
  secretBox: SecretBox,
  clock: Clock,
  options: { projectId?: string; projectName?: string; role?: CredentialRole; description?: string },
): Promise<NewCredential> {
  const now = clock.now().getTime();
  const projectId = options.projectId ?? newId();
  if (options.projectId === undefined || !(await store.findProject(projectId))) {
    await store.ensureProject(projectId, options.projectName ?? `project-${projectId.slice(0, 8)}`, now);
  }
  const credential = { projectId, accessKey: newAccessKey(), secretKey: newSecretKey(), role: options.role ?? 'tenant' };
  await store.upsertAccessKey({
    accessKey: credential.accessKey,
    projectId,
    role: credential.role,
    secretCiphertext: secretBox.seal(credential.secretKey),
    description: options.description ?? null,
    createdAt: now,
  });
  return credential;
}

/**
 * Start-up provisioning. A credential given in the configuration is created or brought up to date
 * (idempotent). Otherwise, on a first start (no project at all), a project and a tenant key are
 * created and returned so the caller can print them once.
 */
export async function provisionCredentials(
  store: CredentialStore,
  secretBox: SecretBox,
  clock: Clock,
  configured: { projectId: string; accessKey: string; secretKey: string } | undefined,
): Promise<NewCredential | undefined> {
  if (configured) {
    const now = clock.now().getTime();
    await store.ensureProject(configured.projectId, `project-${configured.projectId.slice(0, 8)}`, now);
    await store.upsertAccessKey({
      accessKey: configured.accessKey,
      projectId: configured.projectId,
      role: 'tenant',
      secretCiphertext: secretBox.seal(configured.secretKey),
      description: 'provisioned from AVATARFORGE_* variables',
      createdAt: now,
    });
    return undefined;
  }
  if ((await store.countProjects()) > 0) return undefined;
  return createAccessKey(store, secretBox, clock, { projectName: 'default', description: 'created on first start' });
}
