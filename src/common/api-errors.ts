import { ApiExtension } from '@nestjs/swagger';
import type { ErrorCode } from './error-codes.js';

export const ERRORS_EXTENSION = 'x-error-codes';

/**
 * The domain error codes an operation can answer with. Those that follow from its shape — a
 * credential, a role, a parameter, a state change — are added to them when the document is built
 * (src/app/openapi-errors.ts), and each becomes an error response with the ErrorBody schema.
 */
export const ApiErrors = (...codes: ErrorCode[]) => ApiExtension(ERRORS_EXTENSION, codes);
