import { Type } from '@sinclair/typebox';
import type { Authenticate } from '../../../auth/authenticator.js';
import type { AdminService } from '../../../domain/adminService.js';

export interface AdminRouteDeps {
  admin: AdminService;
  authenticate: Authenticate;
}

/** Admin routes name no project: a reviewer works on the jobs of every project. */
export const ADMIN_JOBS_PATH = '/v1/admin/training-jobs';
export const ADMIN_JOB_PATH = `${ADMIN_JOBS_PATH}/:job_id`;
export const TAGS = ['Admin'];

export const AdminJobParams = Type.Object({
  job_id: Type.String({ description: 'Training job ID (of any project).' }),
});
