import { GraphQLScalarType, Kind } from 'graphql';
import { badUserInput } from '@ies/errors';
import { isIsoDate, parseIsoInstant } from '@ies/calendar';

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

/** `DateTime`: an instant, RFC 3339 with an offset on the way in, serialized in UTC. */
const DATE_TIME_FORM = 'DateTime must be an RFC 3339 date-time with an offset, e.g. 2026-12-01T14:30:00Z';
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description:
    'An instant, RFC 3339 (ISO 8601) with seconds and an offset: 2026-12-01T14:30:00Z, 2026-12-01T09:30:00.250-05:00',
  serialize: (value) => (value instanceof Date ? value.toISOString() : String(value)),
  parseValue: (value) => {
    const instant = parseIsoInstant(value);
    if (!instant) throw invalid(`${DATE_TIME_FORM}; got ${JSON.stringify(value)?.slice(0, 64)}`);
    return instant;
  },
  parseLiteral: (ast) => {
    const instant = ast.kind === Kind.STRING ? parseIsoInstant(ast.value) : null;
    if (!instant) throw invalid(DATE_TIME_FORM);
    return instant;
  },
});
