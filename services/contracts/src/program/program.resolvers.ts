import type { ContractsContext } from '../context';
import type { ProgramDoc, ProgramScope } from './program.model';

export const programResolvers = {
  Query: {
    programs: (_: unknown, args: { scope?: ProgramScope | null }, ctx: ContractsContext) =>
      ctx.services.programs.list(args.scope),
    program: (_: unknown, args: { id: string }, ctx: ContractsContext) =>
      ctx.loaders.programById.load(args.id),
  },
  Program: {
    __resolveReference: (ref: { id: string }, ctx: ContractsContext) => ctx.loaders.programById.load(ref.id),
    id: (doc: ProgramDoc) => doc._id,
  },
};
