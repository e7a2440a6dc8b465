import { parse, print } from 'graphql';
import { mergeReads, partOf } from '../src/subscriptions/batched-reads';

const ENTITY_QUERY = `query agreementAmendedSubject($ies_subjectId: ID!, $year: Int) {
  agreement: providerAgreement(id: $ies_subjectId) { id targets(fiscalYear: $year) { value } __typename }
  again: providerAgreement(id: $ies_subjectId) { status __typename }
}`;
const read = (subjectId: string) => ({
  query: ENTITY_QUERY,
  operationName: 'agreementAmendedSubject',
  variables: { ies_subjectId: subjectId, year: 2025 },
});

describe('Merging the subject reads of a burst of events', () => {
  it("puts every read's lookups in one query, each under its own aliases and subject variable", () => {
    const { request, responseKeys } = mergeReads([read('agr-1'), read('agr-2')]);
    expect(responseKeys).toEqual(['agreement', 'again']);
    expect(print(parse(request.query))).toBe(
      print(
        parse(`query agreementAmendedSubject($ies_subjectId_0: ID!, $ies_subjectId_1: ID!, $year: Int) {
          b0_agreement: providerAgreement(id: $ies_subjectId_0) { id targets(fiscalYear: $year) { value } __typename }
          b0_again: providerAgreement(id: $ies_subjectId_0) { status __typename }
          b1_agreement: providerAgreement(id: $ies_subjectId_1) { id targets(fiscalYear: $year) { value } __typename }
          b1_again: providerAgreement(id: $ies_subjectId_1) { status __typename }
        }`),
      ),
    );
    expect(request.variables).toEqual({ year: 2025, ies_subjectId_0: 'agr-1', ies_subjectId_1: 'agr-2' });
    expect(request.operationName).toBe('agreementAmendedSubject');
  });

  it('refuses to merge a document that is not an entity query', () => {
    expect(() =>
      mergeReads([
        { query: '{ catchmentAreas { id } }', operationName: 'x', variables: {} },
        { query: '{ catchmentAreas { id } }', operationName: 'x', variables: {} },
      ]),
    ).toThrow('not an entity query');
  });

  it("gives each read its own lookups' data and only the errors under them, under its own keys", () => {
    const answer = {
      data: {
        b0_agreement: { id: 'agr-1' },
        b0_again: { status: 'ACTIVE' },
        b1_agreement: null,
        b1_again: null,
      },
      errors: [
        { message: 'Not found', path: ['b1_agreement'], extensions: { code: 'NOT_FOUND' } },
        { message: 'Not found', path: ['b1_again', 'status'], extensions: { code: 'NOT_FOUND' } },
      ],
    };
    expect(partOf(answer, 0, ['agreement', 'again'])).toEqual({
      data: { agreement: { id: 'agr-1' }, again: { status: 'ACTIVE' } },
    });
    expect(partOf(answer, 1, ['agreement', 'again'])).toEqual({
      data: { agreement: null, again: null },
      errors: [
        { message: 'Not found', path: ['agreement'], extensions: { code: 'NOT_FOUND' } },
        { message: 'Not found', path: ['again', 'status'], extensions: { code: 'NOT_FOUND' } },
      ],
    });
  });
});
