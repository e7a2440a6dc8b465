import { schemaExposure } from '../src/schema-exposure';

const exposure = (INTROSPECTION: boolean, TRUSTED_DOCUMENTS: 'off' | 'audit' | 'require') =>
  schemaExposure({
    schema: { INTROSPECTION },
    trustedDocuments: { TRUSTED_DOCUMENTS, TRUSTED_DOCUMENTS_PATH: 'unused' },
  });

describe('Schema exposure', () => {
  it('shows the schema in development: introspection on, suggestions in validation errors', () => {
    expect(exposure(true, 'off')).toEqual({ introspection: true, hideSchemaDetailsFromClientErrors: false });
    expect(exposure(true, 'audit')).toEqual({
      introspection: true,
      hideSchemaDetailsFromClientErrors: false,
    });
  });

  it('hides suggestions when introspection is off', () => {
    expect(exposure(false, 'off')).toEqual({ introspection: false, hideSchemaDetailsFromClientErrors: true });
  });

  it('hides suggestions when only trusted documents are accepted, even with introspection on', () => {
    expect(exposure(true, 'require')).toEqual({
      introspection: true,
      hideSchemaDetailsFromClientErrors: true,
    });
    expect(exposure(false, 'require')).toEqual({
      introspection: false,
      hideSchemaDetailsFromClientErrors: true,
    });
  });
});
