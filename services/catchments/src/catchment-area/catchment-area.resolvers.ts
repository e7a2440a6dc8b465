import { periodOn, todayInOntario } from '@ies/calendar';
import { forbidden, parsePageArgs } from '@ies/subgraph-kit';
import type { CatchmentsContext } from '../context';
import { canReadChangeHistory } from './catchment-access';
import type { CatchmentAreaDoc } from './catchment-area.model';
import type { CatchmentAreaFilter } from './catchment-area.service';

type Args<T> = { input: T };

export const catchmentAreaResolvers = {
  Query: {
    catchmentAreas: (
      _: unknown,
      args: {
        filter?: Omit<CatchmentAreaFilter, 'asOf'> & { asOf?: string | null };
        first?: number;
        after?: string;
      },
      ctx: CatchmentsContext,
    ) => {
      const page = parsePageArgs(args);
      const filter = { ...args.filter, asOf: args.filter?.asOf ?? todayInOntario() };
      return ctx.services.catchmentAreas.list(filter, page);
    },
    catchmentArea: (_: unknown, args: { id: string }, ctx: CatchmentsContext) =>
      ctx.loaders.catchmentById.load(args.id),
  },
  Mutation: {
    assignServiceSystemManager: (
      _: unknown,
      {
        input,
      }: Args<Parameters<CatchmentsContext['services']['catchmentAreas']['assignServiceSystemManager']>[1]>,
      ctx: CatchmentsContext,
    ) => ctx.services.catchmentAreas.assignServiceSystemManager(ctx.principal, input),
    setCatchmentPeriodDates: (
      _: unknown,
      { input }: Args<Parameters<CatchmentsContext['services']['catchmentAreas']['setPeriodDates']>[1]>,
      ctx: CatchmentsContext,
    ) => ctx.services.catchmentAreas.setPeriodDates(ctx.principal, input),
    saveServiceDeliveryZone: (
      _: unknown,
      {
        input,
      }: Args<Parameters<CatchmentsContext['services']['catchmentAreas']['saveServiceDeliveryZone']>[1]>,
      ctx: CatchmentsContext,
    ) => ctx.services.catchmentAreas.saveServiceDeliveryZone(ctx.principal, input),
  },
  CatchmentArea: {
    __resolveReference: (ref: { id: string }, ctx: CatchmentsContext) =>
      ctx.loaders.catchmentById.load(ref.id),
    id: (doc: CatchmentAreaDoc) => doc._id,
    serviceSystemManager: (doc: CatchmentAreaDoc, _: unknown, ctx: CatchmentsContext) =>
      doc.ssmId ? ctx.loaders.managerById.load(doc.ssmId) : null,
    period: (doc: CatchmentAreaDoc, args: { asOf?: string | null }) =>
      periodOn(doc, args.asOf ?? todayInOntario()),
    serviceDeliveryZones: (doc: CatchmentAreaDoc) => doc.zones,
    changeHistory: (doc: CatchmentAreaDoc, _: unknown, ctx: CatchmentsContext) => {
      if (!canReadChangeHistory(ctx.principal, doc._id)) {
        throw forbidden(
          `The change history of ${doc._id} is visible to the ministry and the catchment's SSM only`,
        );
      }
      return ctx.services.catchmentAreas.changeHistory(doc._id);
    },
  },
};
