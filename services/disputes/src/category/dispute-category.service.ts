import type { Principal } from '@ies/auth';
import type { ChangeLog } from '@ies/change-log';
import {
  mutationError,
  refuseUnlessMinistry,
  validateReason,
  validateText,
  type MutationError,
} from '@ies/subgraph-kit';
import { DISPUTE_KINDS, type DisputeKind } from '../dispute/dispute-lifecycle';
import { saveSubject } from '../common/save-subject';
import { CATEGORY_CODE } from './category-catalogue';
import type { DisputeCategoryDoc, DisputeCategoryModel } from './dispute-category.model';

export interface SaveCategoryInput {
  code: string;
  label: string;
  kinds: DisputeKind[];
  active: boolean;
  reason: string;
  expectedVersion?: number | null;
}

export interface DisputeCategoryPayload {
  ok: boolean;
  category: DisputeCategoryDoc | null;
  error: MutationError | null;
}

const failed = (error: MutationError): DisputeCategoryPayload => ({ ok: false, category: null, error });

function validateCategory(input: SaveCategoryInput): MutationError | null {
  if (!CATEGORY_CODE.test(input.code)) {
    return mutationError(
      'VALIDATION_FAILED',
      'A category code is 2–40 upper-case letters, digits or _, starting with a letter',
      'input.code',
    );
  }
  const invalid = validateText(input.label, 'input.label', 'A category label', 'name');
  if (invalid) return invalid;
  const label = input.label.trim();
  if (label.length === 0 || label.length > 80)
    return mutationError('VALIDATION_FAILED', 'A category label is 1–80 characters', 'input.label');
  if (input.kinds.length === 0 || input.kinds.some((k) => !DISPUTE_KINDS.includes(k)))
    return mutationError('VALIDATION_FAILED', 'A category applies to at least one kind', 'input.kinds');
  return null;
}

/** The dispute category catalogue: a handful of rows, read whole and changed by the ministry only. */
export class DisputeCategoryService {
  constructor(
    private readonly categories: DisputeCategoryModel,
    private readonly log: ChangeLog<DisputeCategoryDoc>,
  ) {}

  /** Every category, in code order. */
  async all(): Promise<DisputeCategoryDoc[]> {
    const docs = await this.log.overlay(await this.categories.find({}).lean<DisputeCategoryDoc[]>());
    return docs.sort((a, b) => a._id.localeCompare(b._id));
  }

  async byCode(): Promise<Map<string, DisputeCategoryDoc>> {
    return new Map((await this.all()).map((c) => [c._id, c]));
  }

  async save(principal: Principal, input: SaveCategoryInput): Promise<DisputeCategoryPayload> {
    const early =
      refuseUnlessMinistry(principal, 'configure dispute categories') ??
      validateReason(input.reason) ??
      validateCategory(input);
    if (early) return failed(early);
    const fields = {
      label: input.label.trim(),
      kinds: DISPUTE_KINDS.filter((k) => input.kinds.includes(k)),
      active: input.active,
    };
    const saved = await saveSubject({
      log: this.log,
      by: principal,
      id: input.code,
      label: 'Dispute category',
      input,
      create: () => ({
        state: { _id: input.code, ...fields },
        kind: 'CREATE',
        events: [{ type: 'DisputeCategoryAdded', catchmentId: null, data: { code: input.code } }],
      }),
      plan: (current) => ({
        kind: 'CHANGE',
        before: { label: current.label, kinds: current.kinds, active: current.active },
        after: fields,
        set: fields,
        events: [{ type: 'DisputeCategoryChanged', catchmentId: null, data: { code: input.code } }],
      }),
    });
    return saved.ok ? { ok: true, category: saved.state, error: null } : failed(saved.error);
  }
}
