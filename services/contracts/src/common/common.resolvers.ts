import type { AmendedTerms } from './amendment';
import { CentsScalar } from './cents';
import { fundingView, targetView } from './terms';

export const commonResolvers = {
  Cents: CentsScalar,
  AmendedTerms: {
    funding: (terms: AmendedTerms) => (terms.funding ? fundingView(terms.funding) : null),
    targets: (terms: AmendedTerms) => (terms.targets ? terms.targets.map(targetView) : null),
    status: (terms: AmendedTerms) => terms.status ?? null,
  },
};
