export { AuditLog, type AuditEvent, type AuditEventType } from './log.ts';
