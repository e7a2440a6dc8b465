import { isIsoDate, todayInOntario } from '@ies/calendar';
import { mutationError, type MutationError } from '@ies/subgraph-kit';
import { validateText } from '../common/payload';
import type { EquityAnswers } from './client.model';

export interface ClientDetailsInput {
  givenName: string;
  familyName: string;
  birthDate: string;
  contact?: { email?: string | null; phone?: string | null } | null;
  equity?: Partial<EquityAnswers> | null;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,}$/;
const PHONE = /^\+?[0-9 ()-]{7,20}$/;

/** Names, birth date and contact of a client, as given (equity answers are typed by the schema). */
export function validateClientDetails(input: ClientDetailsInput, path: string): MutationError | null {
  const name =
    validateText(input.givenName, `${path}.givenName`, { max: 100 }) ??
    validateText(input.familyName, `${path}.familyName`, { max: 100 });
  if (name) return name;
  if (!isIsoDate(input.birthDate) || input.birthDate > todayInOntario() || input.birthDate < '1900-01-01') {
    return mutationError('VALIDATION_FAILED', 'birthDate must be a real past date', `${path}.birthDate`);
  }
  const email = input.contact?.email?.trim();
  if (email && !EMAIL.test(email))
    return mutationError(
      'VALIDATION_FAILED',
      'contact.email is not an email address',
      `${path}.contact.email`,
    );
  const phone = input.contact?.phone?.trim();
  if (phone && !PHONE.test(phone))
    return mutationError('VALIDATION_FAILED', 'contact.phone is not a phone number', `${path}.contact.phone`);
  return null;
}
