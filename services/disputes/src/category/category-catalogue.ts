import type { DisputeCategoryDoc } from './dispute-category.model';

const BOTH = ['CLIENT', 'SERVICE_PROVIDER'] as DisputeCategoryDoc['kinds'];
const PROVIDER_ONLY = ['SERVICE_PROVIDER'] as DisputeCategoryDoc['kinds'];

/**
 * The default catalogue (issue 10): seeded once; the ministry adds, renames or retires categories with
 * `saveDisputeCategory`. Funding and agreement terms concern the SSM–provider relationship only.
 */
export const DEFAULT_CATEGORIES: Omit<DisputeCategoryDoc, 'version'>[] = [
  { _id: 'SERVICE_QUALITY', label: 'Service quality', kinds: BOTH, active: true },
  { _id: 'ACCESS_AND_ACCOMMODATION', label: 'Access and accommodation', kinds: BOTH, active: true },
  { _id: 'LANGUAGE_SERVICES', label: 'Language services', kinds: BOTH, active: true },
  { _id: 'FUNDING_AND_PAYMENTS', label: 'Funding and payments', kinds: PROVIDER_ONLY, active: true },
  { _id: 'AGREEMENT_TERMS', label: 'Agreement terms', kinds: PROVIDER_ONLY, active: true },
  { _id: 'REFERRAL', label: 'Referral', kinds: BOTH, active: true },
  { _id: 'PRIVACY', label: 'Privacy', kinds: BOTH, active: true },
  { _id: 'OTHER', label: 'Other', kinds: BOTH, active: true },
];

export const CATEGORY_CODE = /^[A-Z][A-Z0-9_]{1,39}$/;
