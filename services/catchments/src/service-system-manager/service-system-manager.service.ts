import type { Principal } from '@ies/auth';
import { isDuplicateKeyError } from '@ies/db';
import {
  findPageById,
  mutationError,
  type Connection,
  type MutationError,
  type PageArgs,
  refuseUnlessMinistry,
  validateReason,
} from '@ies/subgraph-kit';
import { MAX_NAME_LENGTH } from '../catchment-area/catchment-rules';
import { changeRecord } from '../common/change-record';
import { slugify } from '../common/slug';
import type {
  OrganizationType,
  ServiceSystemManagerDoc,
  ServiceSystemManagerModel,
} from './service-system-manager.model';

export interface ServiceSystemManagerPayload {
  ok: boolean;
  serviceSystemManager: ServiceSystemManagerDoc | null;
  error: MutationError | null;
}

const failed = (error: MutationError): ServiceSystemManagerPayload => ({
  ok: false,
  serviceSystemManager: null,
  error,
});

export class ServiceSystemManagerService {
  constructor(private readonly managers: ServiceSystemManagerModel) {}

  async findByIds(ids: readonly string[]): Promise<ServiceSystemManagerDoc[]> {
    return this.managers.find({ _id: { $in: [...ids] } }, { changes: 0 }).lean<ServiceSystemManagerDoc[]>();
  }

  async list(page: PageArgs): Promise<Connection<ServiceSystemManagerDoc>> {
    return findPageById(this.managers, [], page, { changes: 0 });
  }

  /** Registers an organization; its id is the slug of its name, so registering it twice is a CONFLICT. */
  async register(
    principal: Principal,
    input: { organizationName: string; organizationType: OrganizationType; reason: string },
  ): Promise<ServiceSystemManagerPayload> {
    const refusal =
      refuseUnlessMinistry(principal, 'register a service system manager') ?? validateReason(input.reason);
    if (refusal) return failed(refusal);
    const organizationName = input.organizationName.trim();
    const id = slugify(organizationName);
    if (!id || organizationName.length > MAX_NAME_LENGTH) {
      return failed(
        mutationError(
          'VALIDATION_FAILED',
          `An organization name of 1–${MAX_NAME_LENGTH} characters is required`,
          'input.organizationName',
        ),
      );
    }
    const after = { organizationName, organizationType: input.organizationType };
    try {
      await this.managers.create({
        _id: id,
        ...after,
        version: 1,
        changes: [changeRecord(principal, 'REGISTER_SERVICE_SYSTEM_MANAGER', input.reason, null, after)],
      });
    } catch (error) {
      if (isDuplicateKeyError(error)) {
        return failed(
          mutationError(
            'CONFLICT',
            `A service system manager with id ${id} already exists`,
            'input.organizationName',
          ),
        );
      }
      throw error;
    }
    const created = await this.managers.findById(id, { changes: 0 }).lean<ServiceSystemManagerDoc>();
    return { ok: true, serviceSystemManager: created, error: null };
  }
}
