import type { Principal } from '@ies/auth';
import type { ChangeLog } from '@ies/change-log';
import {
  findPageById,
  mutationError,
  type Connection,
  type MutationError,
  type PageArgs,
  refuseUnlessMinistry,
  validateReason,
  validateText,
} from '@ies/subgraph-kit';
import { MAX_NAME_LENGTH } from '../catchment-area/catchment-rules';
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

/** Registers and reads service system managers; a registration is version 1 of the SSM's change log. */
export class ServiceSystemManagerService {
  constructor(
    private readonly managers: ServiceSystemManagerModel,
    private readonly log: ChangeLog<ServiceSystemManagerDoc>,
  ) {}

  findByIds(ids: readonly string[]): Promise<ServiceSystemManagerDoc[]> {
    return this.log.findByIds(ids);
  }

  async list(page: PageArgs): Promise<Connection<ServiceSystemManagerDoc>> {
    return this.log.overlayPage(await findPageById(this.managers, [], page));
  }

  /** Registers an organization; its id is the slug of its name, so registering it twice is a CONFLICT. */
  async register(
    principal: Principal,
    input: { organizationName: string; organizationType: OrganizationType; reason: string },
  ): Promise<ServiceSystemManagerPayload> {
    const refusal =
      refuseUnlessMinistry(principal, 'register a service system manager') ??
      validateReason(input.reason) ??
      validateText(input.organizationName, 'input.organizationName', 'An organization name', 'name');
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
    const created = await this.log.create(
      principal,
      { _id: id, organizationName, organizationType: input.organizationType },
      { kind: 'REGISTER_SERVICE_SYSTEM_MANAGER', reason: input.reason },
    );
    if (created.status === 'duplicate') {
      return failed(
        mutationError(
          'CONFLICT',
          `A service system manager with id ${id} already exists`,
          'input.organizationName',
        ),
      );
    }
    return { ok: true, serviceSystemManager: created.state, error: null };
  }
}
