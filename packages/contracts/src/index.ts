export * from './admin.js';
export * from './chat.js';
export * from './errors.js';
export * from './health.js';
export * from './escalation.js';
export * from './verification.js';
