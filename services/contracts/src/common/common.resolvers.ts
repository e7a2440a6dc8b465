import type { Resolvers } from '../generated/resolvers-types';
import { CentsScalar } from './cents';
import { fundingView, targetView } from './terms';

export const commonResolvers: Resolvers = {
  Cents: CentsScalar,
  AmendedTerms: {
    funding: (terms) => (terms.funding ? fundingView(terms.funding) : null),
    targets: (terms) => (terms.targets ? terms.targets.map(targetView) : null),
    status: (terms) => terms.status ?? null,
  },
};
