import type { FastifyReply, FastifyRequest } from 'fastify';
import pino, { type DestinationStream, type LoggerOptions } from 'pino';

/**
 * JSON logs, one line per event, each with the request id (`reqId`). Query strings, bodies,
 * cookies and credentials never reach a log line: URLs are logged as their route pattern
 * only, and known secret-bearing fields are redacted as a second line of defence.
 */
export function loggerOptions(level: string, stream?: DestinationStream): LoggerOptions & { stream?: DestinationStream } {
  return {
    level,
    ...(stream ? { stream } : {}),
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
        '*.password',
        '*.newPassword',
        '*.currentPassword',
        '*.otp',
        '*.token',
        '*.csrfToken',
        '*.activationCode',
        '*.email',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: FastifyRequest) => ({
        method: req.method,
        // The route pattern, not the path: paths can carry identifiers of people.
        route: req.routeOptions?.url ?? '(no route)',
      }),
      res: (res: FastifyReply) => ({ statusCode: res.statusCode }),
      err: pino.stdSerializers.err,
    },
  };
}
