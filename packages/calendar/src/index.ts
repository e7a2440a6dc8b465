export { isIsoDate, todayInOntario, addMonths, type IsoDate } from './iso-date';
