import { GraphQLScalarType, Kind } from 'graphql';
import { badUserInput } from '@ies/errors';
import { isIsoDate } from '@ies/calendar';

const invalid = (message: string) => badUserInput(message);

/** `Date`: a calendar date `YYYY-MM-DD`, validated on the way in. */
export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'A calendar date, ISO 8601 YYYY-MM-DD',
  serialize: (value) => value,
  parseValue: (value) => {
    if (!isIsoDate(value))
      throw invalid(`Date must be a real calendar date as YYYY-MM-DD; got ${JSON.stringify(value)}`);
    return value;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING || !isIsoDate(ast.value)) {
      throw invalid('Date must be a real calendar date as YYYY-MM-DD');
    }
    return ast.value;
  },
});

/** `DateTime`: an instant, serialized as ISO 8601 in UTC. */
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An instant, ISO 8601',
  serialize: (value) => (value instanceof Date ? value.toISOString() : String(value)),
  parseValue: (value) => {
    const date = new Date(String(value));
    if (typeof value !== 'string' || Number.isNaN(date.getTime())) throw invalid('DateTime must be ISO 8601');
    return date;
  },
  parseLiteral: (ast) => {
    const date = ast.kind === Kind.STRING ? new Date(ast.value) : new Date(NaN);
    if (Number.isNaN(date.getTime())) throw invalid('DateTime must be ISO 8601');
    return date;
  },
});
