export {
  CATCHMENT_PERIODS,
  nextPeriodStart,
  periodEndDate,
  periodOn,
  type CatchmentPeriod,
  type PeriodDates,
} from './catchment-period';
export { isIsoDate, todayInOntario, addMonths, addDays, type IsoDate } from './iso-date';
export {
  fiscalQuarterOf,
  fiscalQuartersBetween,
  fiscalYearBounds,
  fiscalYearLabel,
  fiscalYearOf,
  nextFiscalQuarter,
  previousFiscalQuarter,
  quarterBounds,
  quarterOverlaps,
  type FiscalQuarter,
  type QuarterNumber,
} from './fiscal-quarter';
