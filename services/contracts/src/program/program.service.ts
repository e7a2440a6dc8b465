import { findWhereIn } from '@ies/db';
import type { ProgramDoc, ProgramModel, ProgramScope } from './program.model';

/** Reads the program catalogue (public reference data). */
export class ProgramService {
  constructor(private readonly programs: ProgramModel) {}

  async findByIds(ids: readonly string[]): Promise<ProgramDoc[]> {
    return findWhereIn<ProgramDoc>(this.programs, '_id', ids);
  }

  async list(scope?: ProgramScope | null): Promise<ProgramDoc[]> {
    return this.programs
      .find(scope ? { scope } : {})
      .sort({ _id: 1 })
      .lean<ProgramDoc[]>();
  }
}
