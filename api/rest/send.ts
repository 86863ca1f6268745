import type { Request, RequestHandler, Response } from 'express';

/**
 * An async handler whose result is the JSON answer (status 200 unless given). A rejected
 * promise goes to the error handler (Express 5); an answer after a timeout is dropped.
 */
export function json<T>(fn: (req: Request, res: Response) => Promise<T>, status = 200): RequestHandler {
  return async (req, res) => {
    const body = await fn(req, res);
    if (res.headersSent) return;
    if (body === undefined) res.status(status === 200 ? 204 : status).end();
    else res.status(status).json(body);
  };
}

/** The request body as an object (express.json leaves it undefined without a JSON content type). */
export function bodyOf(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}
