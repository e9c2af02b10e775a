import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { SESSION_COOKIE } from '../auth/auth.service.js';
import { COHORT_DEFINITION_SCHEMA } from '../cohorts/cohort-definition.js';
import { documentErrors } from './openapi-errors.js';

/** Keys sorted at every level (arrays keep their order), so the committed openapi.json diffs cleanly. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Shirube API')
    .setDescription(
      'しるべ: school data for boards of education. Bearer tokens for the API; a session cookie for the web pages.',
    )
    .setVersion('0.1.0')
    .addBearerAuth()
    .addCookieAuth(SESSION_COOKIE)
    .build();
  const document = SwaggerModule.createDocument(app, config);
  // The cohort definition's JSON Schema is declared once (src/cohorts/cohort-definition.ts) and published as a named component.
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, CohortDefinition: COHORT_DEFINITION_SCHEMA as object },
  };
  documentErrors(document);
  return sortKeys(document) as OpenAPIObject;
}

export function mountOpenApi(app: INestApplication): OpenAPIObject {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/openapi.json',
    yamlDocumentUrl: 'api/openapi.yaml',
  });
  return document;
}

export function openApiText(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
