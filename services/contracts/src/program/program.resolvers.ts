import type { Resolvers } from '../generated/resolvers-types';

export const programResolvers: Resolvers = {
  Query: {
    programs: (_, args, ctx) => ctx.services.programs.list(args.scope),
    program: (_, args, ctx) => ctx.loaders.programById.load(args.id),
  },
  Program: {
    __resolveReference: (ref, ctx) => ctx.loaders.programById.load(ref.id),
    id: (doc) => doc._id,
  },
};
