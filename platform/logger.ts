import pino, { type Logger } from 'pino';

/**
 * One structured logger for every process. Personal data never goes into a log line: callers log
 * ids, codes and counts only, and these paths are redacted as a second line of defence.
 */
export const logger: Logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  base: { service: process.env.SERVICE_NAME ?? 'crm' },
  redact: {
    paths: ['req.headers.authorization', 'headers.authorization', 'variables', 'params', '*.email', '*.phone'],
    censor: '[redacted]',
  },
});

export function childLogger(service: string): Logger {
  return logger.child({ component: service });
}
