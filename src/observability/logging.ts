import { Logger as NestPinoLogger, PinoLogger, type Params } from 'nestjs-pino';
import { pino, type DestinationStream, type Logger as Pino } from 'pino';
import { requestContext } from '../common/request-context.js';
import type { LogLevel, ShirubeConfig } from '../config/config.js';
import { textLine } from './log-text.js';

/** Keys that may carry a secret if a header object is ever logged: written as [redacted]. */
const REDACTED = [
  'authorization',
  'cookie',
  '*.authorization',
  '*.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["set-cookie"]',
];

/** JSON lines for machines (files, containers, journald); one text line per entry, no colours, for a person at a terminal. */
export function logFormat(config: Pick<ShirubeConfig, 'log'>, stderrIsTerminal = Boolean(process.stderr.isTTY)) {
  return config.log.format ?? (stderrIsTerminal ? 'text' : 'json');
}

function destination(format: 'json' | 'text'): DestinationStream {
  // Standard error, written at once: standard output is for what a command prints (`--json` documents).
  if (format === 'json') return pino.destination({ dest: 2, sync: true });
  return { write: (line: string) => void process.stderr.write(textLine(line)) };
}

let root: Pino | undefined;

/**
 * The process's one pino logger. Every line carries the request id of the request (or background run)
 * it belongs to, from the request context; the format is fixed by the first call, the level by each.
 */
function processLogger(format: 'json' | 'text', level: LogLevel): Pino {
  root ??= pino(
    {
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: (merged: object) => {
        if ('requestId' in merged) return {};
        const requestId = requestContext.current()?.requestId;
        return requestId ? { requestId } : {};
      },
      redact: { paths: REDACTED, censor: '[redacted]' },
    },
    destination(format),
  );
  root.level = level;
  return root;
}

export interface Logging {
  /** For nestjs-pino's LoggerModule (the HTTP application). */
  params: Params;
  /** Nest's logger (`NestFactory.create(…, { logger })`): every `new Logger(context)` writes through pino. */
  nestLogger: NestPinoLogger;
  /** The access log and anything else that logs without Nest. */
  logger: Pino;
}

/**
 * Logging for a Nest application or context: nestjs-pino over the process's pino logger, at
 * SHIRUBE_LOG_LEVEL or the command's own level. pino-http's own request logging is off (the access log
 * is access-log.ts), and it binds nothing of the request to the lines: no URL, header or address.
 */
export function logging(config: Pick<ShirubeConfig, 'log'>, commandLevel: LogLevel): Logging {
  const logger = processLogger(logFormat(config), config.log.level ?? commandLevel);
  const params: Params = {
    pinoHttp: {
      logger,
      autoLogging: false,
      wrapSerializers: false,
      serializers: { req: () => undefined, res: () => undefined },
    },
  };
  return { params, nestLogger: new NestPinoLogger(new PinoLogger(params), params), logger };
}
