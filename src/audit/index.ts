export { AuditLog, type AuditEvent, type AuditEventType } from './log.ts';
export { ADMIN_EVENT_TYPE, isNamedEventType, NAMED_EVENT_TYPES } from './event-types.ts';
export { AuditReader, type AuditFilter, type StoredAuditEvent } from './reading.ts';
export { DAILY_FIGURES, dailyFigures, emptyCounts, type DailyFigure, type DayCounts } from './daily-figures.ts';
