import { periodOn, todayInOntario } from '@ies/calendar';
import { forbidden, parsePageArgs } from '@ies/subgraph-kit';
import type { Resolvers } from '../generated/resolvers-types';
import { canReadChangeHistory } from './catchment-access';

export const catchmentAreaResolvers: Resolvers = {
  Query: {
    catchmentAreas: (_, args, ctx) => {
      const page = parsePageArgs(args);
      const filter = { ...args.filter, asOf: args.filter?.asOf ?? todayInOntario() };
      return ctx.services.catchmentAreas.list(filter, page);
    },
    catchmentArea: (_, args, ctx) => ctx.loaders.catchmentById.load(args.id),
  },
  Mutation: {
    assignServiceSystemManager: (_, { input }, ctx) =>
      ctx.services.catchmentAreas.assignServiceSystemManager(ctx.principal, input),
    setCatchmentPeriodDates: (_, { input }, ctx) =>
      ctx.services.catchmentAreas.setPeriodDates(ctx.principal, input),
    saveServiceDeliveryZone: (_, { input }, ctx) =>
      ctx.services.catchmentAreas.saveServiceDeliveryZone(ctx.principal, input),
  },
  CatchmentArea: {
    __resolveReference: (ref, ctx) => ctx.loaders.catchmentById.load(ref.id),
    id: (doc) => doc._id,
    serviceSystemManager: (doc, _, ctx) => (doc.ssmId ? ctx.loaders.managerById.load(doc.ssmId) : null),
    period: (doc, args) => periodOn(doc, args.asOf ?? todayInOntario()),
    serviceDeliveryZones: (doc) => doc.zones,
    changeHistory: (doc, _, ctx) => {
      if (!canReadChangeHistory(ctx.principal, doc._id)) {
        throw forbidden(
          `The change history of ${doc._id} is visible to the ministry and the catchment's SSM only`,
        );
      }
      return ctx.loaders.changeHistoryById.load(doc._id);
    },
  },
};
