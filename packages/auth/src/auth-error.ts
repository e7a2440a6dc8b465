/** A credential that cannot be trusted: a bad token at the edge, a bad signature inside. */
export class AuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthError';
  }
}
