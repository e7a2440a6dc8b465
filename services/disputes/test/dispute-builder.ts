import type { IsoDate } from '@ies/calendar';
import type { MutationError } from '@ies/subgraph-kit';
import {
  openDispute,
  transitionDispute,
  type DisputeKind,
  type DisputeState,
  type DisputeStatus,
  type LifecycleResult,
  type OpenDisputeInput,
  type ResolutionOutcome,
  type TransitionInput,
} from '../src/dispute/dispute-lifecycle';
import type { SlaPolicyVersion } from '../src/dispute/dispute-sla';

/** The dispute a result carries; fails the test with the refusal when there is none. */
export function accepted(result: LifecycleResult): DisputeState {
  if (!result.ok) throw new Error(`expected the change to be accepted, got ${JSON.stringify(result.error)}`);
  return result.dispute;
}

/** The refusal a result carries; fails the test when the change was accepted. */
export function refusal(result: LifecycleResult): MutationError {
  if (result.ok) throw new Error(`expected a refusal, got a ${result.dispute.status} dispute`);
  return result.error;
}

/** A change by a case worker on `on`, with a reason; `to` and anything else in `extra`. */
export const change = (
  to: DisputeStatus,
  on: IsoDate,
  extra: Partial<TransitionInput> = {},
): TransitionInput => ({
  to,
  on,
  by: 'worker-1',
  reason: `Moved to ${to}`,
  ...(to === 'RESOLVED' ? { resolution: { outcome: 'UPHELD', summary: 'Service restored' } } : {}),
  ...extra,
});

/**
 * A dispute told as its story: `DisputeBuilder.client('2024-06-03').acknowledgedOn('2024-06-04')
 * .escalatedOn('2024-06-10').build()`. Every step goes through the state machine, so a builder cannot
 * make a dispute the rules would refuse.
 */
export class DisputeBuilder {
  private readonly steps: TransitionInput[] = [];

  private constructor(private readonly input: OpenDisputeInput) {}

  static of(kind: DisputeKind, openedOn: IsoDate = '2024-06-03'): DisputeBuilder {
    return new DisputeBuilder({
      reference: 'D-2024-0001',
      kind,
      on: openedOn,
      by: kind === 'CLIENT' ? 'client-1' : 'provider-1',
      reason: 'The service was not delivered as agreed',
      slaPolicies: [],
    });
  }

  static client(openedOn?: IsoDate): DisputeBuilder {
    return DisputeBuilder.of('CLIENT', openedOn);
  }

  static serviceProvider(openedOn?: IsoDate): DisputeBuilder {
    return DisputeBuilder.of('SERVICE_PROVIDER', openedOn);
  }

  reference(reference: string): this {
    this.input.reference = reference;
    return this;
  }

  underPolicies(slaPolicies: SlaPolicyVersion[]): this {
    this.input.slaPolicies = slaPolicies;
    return this;
  }

  to(status: DisputeStatus, on: IsoDate, extra: Partial<TransitionInput> = {}): this {
    this.steps.push(change(status, on, extra));
    return this;
  }

  acknowledgedOn(on: IsoDate): this {
    return this.to('ACKNOWLEDGED', on);
  }

  underReviewOn(on: IsoDate): this {
    return this.to('UNDER_REVIEW', on);
  }

  escalatedOn(on: IsoDate): this {
    return this.to('ESCALATED', on);
  }

  resolvedOn(on: IsoDate, outcome: ResolutionOutcome = 'UPHELD'): this {
    return this.to('RESOLVED', on, { resolution: { outcome, summary: 'Service restored' } });
  }

  withdrawnOn(on: IsoDate): this {
    return this.to('WITHDRAWN', on);
  }

  build(): DisputeState {
    return this.steps.reduce(
      (dispute, step) => accepted(transitionDispute(dispute, step)),
      accepted(openDispute(this.input)),
    );
  }
}

/** A client dispute (PROVIDER level until escalated) brought to `status` by the shortest legal path. */
export function clientDisputeIn(status: DisputeStatus): DisputeState {
  const dispute = DisputeBuilder.client('2024-06-03');
  switch (status) {
    case 'OPENED':
      return dispute.build();
    case 'ACKNOWLEDGED':
      return dispute.acknowledgedOn('2024-06-04').build();
    case 'UNDER_REVIEW':
      return dispute.acknowledgedOn('2024-06-04').underReviewOn('2024-06-05').build();
    case 'ESCALATED':
      return dispute.escalatedOn('2024-06-11').build();
    case 'RESOLVED':
      return dispute.acknowledgedOn('2024-06-04').resolvedOn('2024-06-06').build();
    case 'WITHDRAWN':
      return dispute.withdrawnOn('2024-06-05').build();
  }
}
