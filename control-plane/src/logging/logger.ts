import type { RequestHandler } from 'express';
import { pino, type Logger } from 'pino';

/** Creates the process logger: JSON lines, with credentials redacted wherever they appear. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'opensym-control-plane' },
      redact: {
        paths: ['req.headers.authorization', 'headers.authorization', 'authorization', 'token', '*.token'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/** Logs one line per request (method, path, status, duration) once the response is finished. */
export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - start) / 1e6;
      const level = res.statusCode >= 500 ? 'error' : 'info';
      // The full path without the query string: lookups by name need not end up in logs.
      const path = req.originalUrl.split('?')[0];
      logger[level]({ method: req.method, path, status: res.statusCode, durationMs: Math.round(durationMs * 10) / 10 }, 'request');
    });
    next();
  };
}
