import { todayInOntario } from '@ies/calendar';
import { mutationError, type MutationError } from '@ies/subgraph-kit';
import { validateText } from '../common/text';
import { validateBirthDate, validateName } from './equity';
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
  const invalid =
    validateName(input.givenName, `${path}.givenName`, 'A given name') ??
    validateName(input.familyName, `${path}.familyName`, 'A family name') ??
    validateBirthDate(input.birthDate, todayInOntario(), `${path}.birthDate`);
  if (invalid) return invalid;
  const contactText =
    (input.contact?.email
      ? validateText(input.contact.email, `${path}.contact.email`, { max: 200 })
      : null) ??
    (input.contact?.phone ? validateText(input.contact.phone, `${path}.contact.phone`, { max: 40 }) : null);
  if (contactText) return contactText;
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
