export {
  CATCHMENT_PERIODS,
  nextPeriodStart,
  periodEndDate,
  periodOn,
  type CatchmentPeriod,
  type PeriodDates,
} from './catchment-period';
export {
  isIsoDate,
  parseIsoInstant,
  todayInOntario,
  addMonths,
  addDays,
  dayOfWeek,
  type IsoDate,
} from './iso-date';
export {
  FAMILY_DAY_FIRST_YEAR,
  ONTARIO_HOLIDAY_NAMES,
  easterSunday,
  isOntarioHoliday,
  ontarioStatutoryHolidays,
  type OntarioHoliday,
  type OntarioHolidayName,
} from './ontario-holidays';
export { addBusinessDays, businessDaysBetween, isBusinessDay } from './business-days';
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
