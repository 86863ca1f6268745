import type { RequestHandler } from 'express';
import { redact } from '../../config/redact.js';

/** One line per request when it ends: method, target (redacted), status, duration. Never headers or bodies. */
export function requestLog(log: (line: string) => void): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log(`${req.method} ${redact(req.originalUrl)} ${res.statusCode} ${ms.toFixed(1)} ms`);
    });
    next();
  };
}
