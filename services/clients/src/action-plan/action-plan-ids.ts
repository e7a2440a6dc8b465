/**
 * A client's plans are numbered 1, 2, 3…; plan n of client `cl-<hex>` is `ap-<hex>-<n>`. A plan takes
 * the next number only when every earlier plan of the client is closed, and creating version 1 of
 * plan n is a unique insert in the change log: of two simultaneous starts for one client, both take
 * the same number and exactly one wins. That is how "at most one active plan per client" holds under
 * concurrency without transactions (docs/adr/0014).
 */
export const planIdFor = (clientId: string, sequence: number) =>
  `ap-${clientId.replace(/^cl-/, '')}-${sequence}`;
