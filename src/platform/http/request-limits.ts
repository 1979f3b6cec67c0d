import type { Request, RequestHandler, Response } from 'express';
import { isUploadRequest } from './security.js';

/**
 * How long a client may take to send its request, and how large an ordinary one may be. Node's own
 * `server.requestTimeout` is one figure for every route, and a customer CSV of millions of rows
 * needs up to an hour; any other request must be in within `timeoutMs`, or its connection is cut
 * (408): a client trickling a body cannot hold a connection and a socket for an hour. Only a file
 * upload to a route that takes one (registered with `checkCsrfAfterUpload`; its parser enforces
 * its own size limit) gets `uploadTimeoutMs`. Once a request is in, a slow answer (a long CSV
 * download) is not cut.
 */
export interface RequestLimits {
  timeoutMs: number;
  uploadTimeoutMs: number;
  /** A declared body above this on an ordinary route is refused before it is read. */
  maxBodyBytes: number;
}

export const DEFAULT_REQUEST_LIMITS: RequestLimits = {
  timeoutMs: 30_000,
  uploadTimeoutMs: 60 * 60_000,
  maxBodyBytes: 64 * 1024,
};

/** Answers (if it still can) and closes the connection: the rest of the body is never read. */
function cut(req: Request, res: Response, status: number, text: string): void {
  if (res.headersSent) {
    req.socket.destroy();
    return;
  }
  res.once('finish', () => req.socket.destroy());
  res.status(status).set('Connection', 'close').type('text/plain; charset=utf-8').end(text);
}

export function requestLimits(limits: RequestLimits = DEFAULT_REQUEST_LIMITS): RequestHandler {
  return (req, res, next) => {
    const upload = isUploadRequest(req);
    const declared = Number(req.headers['content-length'] ?? 0);
    if (!upload && declared > limits.maxBodyBytes) {
      return cut(req, res, 413, 'Payload Too Large');
    }
    // No body (most pages are GETs): the request was complete with its headers, which Node's own
    // headersTimeout bounds, so there is nothing left to trickle and no timer to arm.
    if (!upload && !(declared > 0) && req.headers['transfer-encoding'] === undefined) return next();
    const timer = setTimeout(
      () => {
        if (!req.complete) cut(req, res, 408, 'Request Timeout');
      },
      upload ? limits.uploadTimeoutMs : limits.timeoutMs,
    );
    timer.unref();
    const clear = () => clearTimeout(timer);
    res.once('finish', clear);
    res.once('close', clear);
    next();
  };
}
