import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const invalid = (value: unknown) =>
  new GraphQLError(`Cents must be a non-negative whole number of cents; got ${JSON.stringify(value)}`, {
    extensions: { code: 'BAD_USER_INPUT' },
  });

const isCents = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** `Cents`: integer cents as a JSON number (exact up to 2^53 − 1), never a float or Decimal128. */
export const CentsScalar = new GraphQLScalarType({
  name: 'Cents',
  description: 'Money as integer cents, serialized as a JSON integer',
  serialize: (value) => {
    if (!isCents(value)) throw new GraphQLError('Stored money is not integer cents');
    return value;
  },
  parseValue: (value) => {
    if (!isCents(value)) throw invalid(value);
    return value;
  },
  parseLiteral: (ast) => {
    const value = ast.kind === Kind.INT ? Number(ast.value) : NaN;
    if (!isCents(value))
      throw invalid(ast.kind === Kind.INT || ast.kind === Kind.STRING ? ast.value : ast.kind);
    return value;
  },
});
