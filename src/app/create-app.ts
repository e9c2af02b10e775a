import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import { AppModule } from '../app.module.js';
import { requestContext } from '../common/request-context.js';
import type { LogLevel, ShirubeConfig } from '../config/config.js';
import { accessLog } from '../observability/access-log.js';
import { logging } from '../observability/logging.js';
import { Telemetry } from '../observability/telemetry.js';
import { ASSETS_DIR, ASSETS_PREFIX } from '../web/assets.js';
import { mountOpenApi } from './openapi.js';
import { securityHeaders } from './security-headers.js';

export interface CreateAppOptions {
  /** The command's log level (default info); SHIRUBE_LOG_LEVEL overrides it. Tests say 'silent'. */
  logLevel?: LogLevel;
}

/** Builds the HTTP application (not yet listening): the same wiring for `shirube serve` and for tests. */
export async function createApp(config: ShirubeConfig, options: CreateAppOptions = {}): Promise<INestApplication> {
  const logs = logging(config, options.logLevel ?? 'info');
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, logs.params), {
    logger: logs.nestLogger,
    abortOnError: false,
  });
  app.disable('x-powered-by');
  // Behind a proxy, its X-Forwarded-Proto and -Host are the request's scheme and host (the Secure cookie, the same-origin rule).
  if (config.trustProxyHops > 0) app.set('trust proxy', config.trustProxyHops);
  app.use(requestContext.middleware);
  // Every request is logged once answered, those refused before routing (413, static files) included.
  app.use(accessLog(logs.logger, [app.get(Telemetry).observeRequest]));
  app.use(securityHeaders(config, ASSETS_PREFIX));
  // The pages' stylesheet (its URL carries a digest of its content, so it may be kept a day).
  app.useStaticAssets(ASSETS_DIR, { prefix: ASSETS_PREFIX, index: false, maxAge: '1d' });
  app.use(cookieParser());
  // JSON and form bodies up to SHIRUBE_BODY_LIMIT (Nest's default is 100 KB); multipart uploads keep multer's limits.
  app.useBodyParser('json', { limit: config.limits.bodyBytes });
  app.useBodyParser('urlencoded', { limit: config.limits.bodyBytes, extended: true });
  app.enableShutdownHooks();
  mountOpenApi(app);
  await app.init();
  return app;
}
